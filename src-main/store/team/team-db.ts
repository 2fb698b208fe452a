/**
 * The team store: one SQLCipher file per workstation that the team's members share (findings, rule runs, cases, the export register).
 * Its key is random; each member holds it wrapped to their own member key (services/team-access.ts), so it opens
 * only for someone who logged in with a password, and never for an administrator.
 */
import { existsSync } from 'node:fs';
import { migrate, type Migration } from '../migrations.js';
import { openEncrypted, openMemory, withFileHeldStill, type Db } from '../sqlcipher.js';
import { AuditMirror } from './audit-mirror.js';
import { CaseStore } from './case-store.js';
import { ExportRegister } from './export-register.js';
import { ExportRequests } from './export-requests.js';
import { FindingsStore } from './findings-store.js';
import { InboxQueries, type Revision } from './inbox-queries.js';
import { MemberSigners } from './member-signers.js';
import { TEAM_MIGRATIONS } from './migrations/index.js';
import { TeamMembers } from './team-members.js';
import { ReportQueries } from './report-queries.js';
import { ParameterStore } from './parameter-store.js';
import { WarningStore } from './warning-store.js';

export class TeamDb {
  readonly findings: FindingsStore;
  readonly cases: CaseStore;
  readonly inbox: InboxQueries;
  readonly exports: ExportRegister;
  readonly exportRequests: ExportRequests;
  readonly audit: AuditMirror;
  readonly members: TeamMembers;
  readonly signers: MemberSigners;
  readonly reports: ReportQueries;
  readonly parameters: ParameterStore;
  readonly warnings: WarningStore;

  private constructor(private readonly db: Db) {
    // One revision for the whole store: any write makes the inbox's cached orders stale.
    const revision: Revision = { value: 0 };
    this.findings = new FindingsStore(db, revision);
    this.cases = new CaseStore(db, revision);
    this.inbox = new InboxQueries(db, revision);
    this.exports = new ExportRegister(db);
    this.exportRequests = new ExportRequests(db);
    this.audit = new AuditMirror(db);
    this.members = new TeamMembers(db);
    this.signers = new MemberSigners(db);
    this.reports = new ReportQueries(db);
    this.parameters = new ParameterStore(db);
    this.warnings = new WarningStore(db);
  }

  /** Runs `fn` in one transaction of the team store (the stores' own writes nest inside it). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  static exists(file: string): boolean {
    return existsSync(file);
  }

  static open(file: string, key: Uint8Array, options: { create?: boolean; migrations?: readonly Migration[] } = {}): TeamDb {
    if (options.create && existsSync(file)) throw new Error(`team store ${file} already exists`);
    const db = openEncrypted(file, key, { create: options.create ?? false });
    try {
      migrate(db, options.migrations ?? TEAM_MIGRATIONS, 'team store');
      db.pragma('busy_timeout = 5000');
      // The inbox filters and counts up to a few hundred thousand rows per call: keep them in memory. At 200,000 findings
      // the finding table and the indexes the inbox reads are ~90 MiB (with the attributed payments the dashboard reads,
      // ~150 MiB): in 64 MiB the page and the facets evicted each other's pages, and every call decrypted them again
      // (page + facets 485 → 227 ms, docs/performance.md). A ceiling, not an allocation: a small store uses what it has.
      db.pragma('cache_size = -262144');
      return new TeamDb(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** A team store in memory only, for a headless report over one rule run (nothing reaches the disk). */
  static scratch(): TeamDb {
    return TeamDb.inMemoryForTests(openMemory());
  }

  /** For tests and benchmarks: a team store with no file. */
  static inMemoryForTests(db: Db): TeamDb {
    migrate(db, TEAM_MIGRATIONS, 'team store');
    return new TeamDb(db);
  }

  /**
   * Reads the inbox's index once, so that its pages are decrypted and cached before the inbox is first opened (the
   * first read of 200,000 findings from the encrypted file is several times slower than the next).
   */
  warm(): void {
    if (this.db.open) this.db.prepare(`SELECT count(*) FROM finding WHERE state IN ('open', 'resolved') AND division_code >= ''`).get();
  }

  /** Runs `read` on this file while it holds still (store/sqlcipher.ts withFileHeldStill). */
  holdStill<T>(read: (file: string, pageSize: number, pageCount: number) => T): T {
    return withFileHeldStill(this.db, read);
  }

  /** Nothing anyone did here yet (no findings recorded, no case, no export): a restore may replace it. */
  isEmpty(): boolean {
    return !this.db.prepare('SELECT 1 FROM finding UNION ALL SELECT 1 FROM export_register LIMIT 1').get();
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
