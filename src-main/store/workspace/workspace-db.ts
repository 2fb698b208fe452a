/**
 * A user's workspace: one SQLCipher file holding settings, secrets, the audit log and personal things (saved queries
 * and inbox views, own rules, regional parameters). What the team shares — findings and cases — is in store/team/. Every workspace query lives here or beside it in store/workspace/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { sealSignedEntry, type AuditEntry, type AuditEvent, type ChainHead } from '../../domain/audit-chain.js';
import { migrate, type Migration } from '../migrations.js';
import { openEncrypted, withFileHeldStill, type Db } from '../sqlcipher.js';
import { WORKSPACE_MIGRATIONS } from './migrations/index.js';

interface AuditRow {
  seq: number;
  ts: string;
  user_id: string | null;
  username: string | null;
  action: string;
  target: string | null;
  outcome: AuditEntry['outcome'];
  detail: string | null;
  prev_hash: string;
  hash: string;
  mac: string;
  next_key: string | null;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    ts: r.ts,
    userId: r.user_id,
    username: r.username,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
    mac: r.mac,
    nextKey: r.next_key,
  };
}

export interface AuditPageQuery {
  /** Return entries with seq below this one (for paging backwards); omit for the newest. */
  beforeSeq?: number;
  limit: number;
  actionPrefix?: string;
}

export class WorkspaceDb {
  private head: ChainHead | null;
  private readonly auditKey: Buffer;
  /** The seed of the key that signs the next audit entry; replaced (and the old one zeroed) at every entry. */
  private auditSeed: Buffer;
  private readonly insertAudit;
  private readonly storeSeed;
  /** Told of every entry once it is written (the team's copy for supervisors). */
  private auditListener: ((entry: AuditEntry) => void) | null = null;

  private constructor(private readonly db: Db) {
    const key = this.getSecret('audit_mac_key');
    if (!key) throw new Error('workspace has no audit key');
    this.auditKey = key;
    const seed = this.getSecret('audit_seed');
    if (!seed) throw new Error('workspace has no audit signing seed');
    this.auditSeed = seed;
    // A replaced seed must not linger in a freed page of the file.
    db.pragma('secure_delete = ON');
    const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined;
    this.head = last ?? null;
    this.insertAudit = db.prepare(
      `INSERT INTO audit_log (seq, ts, user_id, username, action, target, outcome, detail, prev_hash, hash, mac, next_key)
       VALUES (@seq, @ts, @userId, @username, @action, @target, @outcome, @detail, @prevHash, @hash, @mac, @nextKey)`,
    );
    this.storeSeed = db.prepare(`UPDATE secrets SET value = ? WHERE key = 'audit_seed'`);
  }

  /** Creates a new workspace file; refuses to overwrite an existing one. */
  static create(file: string, key: Uint8Array, settings: Record<string, string>, migrations = WORKSPACE_MIGRATIONS): WorkspaceDb {
    if (existsSync(file)) throw new Error(`workspace ${file} already exists`);
    const db = openEncrypted(file, key, { create: true });
    try {
      migrate(db, migrations, 'workspace');
      db.transaction(() => {
        db.prepare('INSERT INTO secrets (key, value) VALUES (?, ?)').run('audit_mac_key', randomBytes(32));
        const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
        for (const [k, v] of Object.entries(settings)) put.run(k, v);
      })();
    } catch (error) {
      db.close();
      throw error;
    }
    return new WorkspaceDb(db);
  }

  static open(file: string, key: Uint8Array, migrations: readonly Migration[] = WORKSPACE_MIGRATIONS): WorkspaceDb {
    const db = openEncrypted(file, key);
    try {
      migrate(db, migrations, `workspace ${file}`);
      return new WorkspaceDb(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Saved views of the findings inbox, by name. */
  inboxViews(): unknown[] {
    return (this.db.prepare('SELECT definition FROM inbox_view ORDER BY name').all() as { definition: string }[]).map((r) => JSON.parse(r.definition) as unknown);
  }

  saveInboxView(name: string, definition: unknown, at: string): void {
    this.db
      .prepare('INSERT INTO inbox_view (name, definition, saved_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, saved_at = excluded.saved_at')
      .run(name, JSON.stringify(definition), at);
  }

  deleteInboxView(name: string): void {
    this.db.prepare('DELETE FROM inbox_view WHERE name = ?').run(name);
  }

  saveQuery(name: string, definition: unknown, at: string): void {
    this.db
      .prepare('INSERT INTO saved_query (name, definition, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET definition = excluded.definition')
      .run(name, JSON.stringify(definition), at);
  }

  savedQueries(): { name: string; definition: unknown; createdAt: string }[] {
    return (this.db.prepare('SELECT name, definition, created_at FROM saved_query ORDER BY name').all() as { name: string; definition: string; created_at: string }[]).map(
      (r) => ({ name: r.name, definition: JSON.parse(r.definition) as unknown, createdAt: r.created_at }),
    );
  }

  regionalParameters(): { ruleId: string; name: string; divisionPrefix: string; effectiveFrom: string; value: unknown; setBy: string; setAt: string }[] {
    return (
      this.db.prepare('SELECT * FROM rule_parameter ORDER BY rule_id, name, division_prefix, effective_from').all() as {
        rule_id: string;
        name: string;
        division_prefix: string;
        effective_from: string;
        value: string;
        set_by: string;
        set_at: string;
      }[]
    ).map((r) => ({ ruleId: r.rule_id, name: r.name, divisionPrefix: r.division_prefix, effectiveFrom: r.effective_from, value: JSON.parse(r.value) as unknown, setBy: r.set_by, setAt: r.set_at }));
  }

  setRegionalParameter(p: { ruleId: string; name: string; divisionPrefix: string; effectiveFrom: string; value: unknown }, by: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO rule_parameter (rule_id, name, division_prefix, effective_from, value, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (rule_id, name, division_prefix, effective_from) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at`,
      )
      .run(p.ruleId, p.name, p.divisionPrefix, p.effectiveFrom, JSON.stringify(p.value), by, at);
  }

  /** Regional values moved into the team store (services/checks/parameter-service.ts) are not kept twice. */
  clearRegionalParameters(): void {
    this.db.prepare('DELETE FROM rule_parameter').run();
  }

  /** Saves a new version of a custom rule and returns its number. */
  saveCustomRule(ruleId: string, definition: unknown, by: string, at: string): number {
    return this.db.transaction(() => {
      const version = ((this.db.prepare('SELECT max(version) AS v FROM custom_rule WHERE rule_id = ?').get(ruleId) as { v: number | null }).v ?? 0) + 1;
      this.db.prepare('INSERT INTO custom_rule (rule_id, version, definition, saved_by, saved_at) VALUES (?, ?, ?, ?, ?)').run(ruleId, version, JSON.stringify(definition), by, at);
      return version;
    })();
  }

  /** The latest version of every custom rule. */
  customRules(): { ruleId: string; version: number; definition: unknown; savedBy: string; savedAt: string }[] {
    return (
      this.db
        .prepare(
          `SELECT c.* FROM custom_rule c WHERE c.version = (SELECT max(version) FROM custom_rule x WHERE x.rule_id = c.rule_id) ORDER BY c.rule_id`,
        )
        .all() as { rule_id: string; version: number; definition: string; saved_by: string; saved_at: string }[]
    ).map((r) => ({ ruleId: r.rule_id, version: r.version, definition: JSON.parse(r.definition) as unknown, savedBy: r.saved_by, savedAt: r.saved_at }));
  }

  /** Moves everything committed into the main file, synced (WAL mode with synchronous=NORMAL defers that). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(FULL)');
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  // ---- settings and secrets -------------------------------------------------------------------------------

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  getSecret(key: string): Buffer | undefined {
    const row = this.db.prepare('SELECT value FROM secrets WHERE key = ?').get(key) as { value: Buffer } | undefined;
    return row?.value;
  }

  deleteSetting(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  deleteSecret(key: string): void {
    this.db.prepare('DELETE FROM secrets WHERE key = ?').run(key);
  }

  /** Every setting and secret name (a restore decides, name by name, which of them belong to this laptop). */
  settingNames(): { settings: string[]; secrets: string[] } {
    return {
      settings: this.db.prepare('SELECT key FROM settings').pluck().all() as string[],
      secrets: this.db.prepare('SELECT key FROM secrets').pluck().all() as string[],
    };
  }

  // ---- backups --------------------------------------------------------------------------------------------

  /** Runs `read` on this file while it holds still (store/sqlcipher.ts withFileHeldStill). */
  holdStill<T>(read: (file: string, pageSize: number, pageCount: number) => T): T {
    return withFileHeldStill(this.db, read);
  }

  /** The page hashes the last backup piece recorded for one database file. */
  backupPages(dbName: string): { setId: string; piece: number; pageSize: number; hashes: Buffer } | null {
    const row = this.db.prepare('SELECT set_id AS setId, piece, page_size AS pageSize, hashes FROM backup_pages WHERE db = ?').get(dbName) as
      | { setId: string; piece: number; pageSize: number; hashes: Buffer }
      | undefined;
    return row ?? null;
  }

  /** Forgets what earlier pieces held: the next backup starts a new set with a full piece. */
  clearBackupPages(): void {
    this.db.prepare('DELETE FROM backup_pages').run();
  }

  /** Records a written piece: its page hashes, and the set's settings, in one transaction. */
  recordBackupPiece(pages: { db: string; setId: string; piece: number; pageSize: number; hashes: Buffer }[], settings: Record<string, string>): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM backup_pages').run();
      const put = this.db.prepare('INSERT INTO backup_pages (db, set_id, piece, page_size, hashes) VALUES (?, ?, ?, ?, ?)');
      for (const p of pages) put.run(p.db, p.setId, p.piece, p.pageSize, p.hashes);
      for (const [k, v] of Object.entries(settings)) this.setSetting(k, v);
    })();
  }

  setSecret(key: string, value: Uint8Array): void {
    this.db
      .prepare('INSERT INTO secrets (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, Buffer.from(value));
  }

  // ---- audit log ------------------------------------------------------------------------------------------

  /**
   * Appends one entry signed with this entry's own key, and replaces the seed with the next one in the same
   * transaction; the old seed is then zeroed in memory (and, with secure_delete, in the file).
   */
  appendAudit(event: AuditEvent, ts: string): AuditEntry {
    const { entry, nextSeed } = sealSignedEntry(this.auditSeed, this.head, event, ts);
    this.db.transaction(() => {
      this.insertAudit.run(entry);
      this.storeSeed.run(nextSeed);
    })();
    this.head = { seq: entry.seq, hash: entry.hash };
    this.auditSeed.fill(0);
    this.auditSeed = nextSeed;
    if (this.batch) {
      // Inside a batch the listener hears of entries only once they are committed (the batch keeps a copy of the seed
      // it started from, to go back to if it fails).
      this.batch.entries.push(entry);
      return entry;
    }
    this.eraseOldSeeds();
    this.auditListener?.(entry);
    return entry;
  }

  /**
   * The seed row was rewritten, but its old value still sits in the write-ahead log until a checkpoint copies the page
   * back and the log is truncated: do that now, so no earlier seed survives on disk.
   */
  private eraseOldSeeds(): void {
    if (!this.db.inTransaction) this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Who is told of each new entry once it is committed (one listener; null stops). */
  onAudit(listener: ((entry: AuditEntry) => void) | null): void {
    this.auditListener = listener;
  }

  private batch: { entries: AuditEntry[] } | null = null;

  /** Appends several entries in one transaction (all or none); the seed and head go back if it fails. */
  appendAuditBatch(events: readonly { event: AuditEvent; ts: string }[]): void {
    const saved = { head: this.head, seed: Buffer.from(this.auditSeed) };
    this.batch = { entries: [] };
    try {
      this.db.transaction(() => {
        for (const { event, ts } of events) this.appendAudit(event, ts);
      })();
    } catch (error) {
      this.head = saved.head;
      this.auditSeed = saved.seed;
      this.batch = null;
      throw error;
    }
    const committed = this.batch.entries;
    this.batch = null;
    saved.seed.fill(0);
    this.eraseOldSeeds();
    for (const entry of committed) this.auditListener?.(entry);
  }

  auditHead(): ChainHead | null {
    return this.head;
  }

  /** The hash of one entry (null when the chain has no such entry). */
  auditHashAt(seq: number): string | null {
    return (this.db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq) as string | undefined) ?? null;
  }

  /** Up to `limit` entries after `seq`, oldest first (what the sync sends up to anchor the head). */
  auditEntriesAfter(seq: number, limit: number): AuditEntry[] {
    return (this.db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as AuditRow[]).map(toEntry);
  }

  /** Newest first, for the user's own history screen. */
  auditPage(query: AuditPageQuery): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log
          WHERE seq < @beforeSeq AND (@actionPrefix IS NULL OR action >= @actionPrefix AND action < @actionPrefix || '~')
          ORDER BY seq DESC LIMIT @limit`,
      )
      .all({
        beforeSeq: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
        actionPrefix: query.actionPrefix ?? null,
        limit: query.limit,
      }) as AuditRow[];
    return rows.map(toEntry);
  }

  auditCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  }

  /** Oldest first, streamed, for the verifier (and, after a given entry, for the team's copy to catch up). */
  *iterateAudit(afterSeq = 0): Generator<AuditEntry> {
    for (const row of this.db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').iterate(afterSeq) as Iterable<AuditRow>) {
      yield toEntry(row);
    }
  }

  auditMacKey(): Buffer {
    return this.auditKey;
  }

  /** The first entry that had to be signed (null for a workspace from before signing was pinned). */
  auditSigningFrom(): number | null {
    const v = this.getSecret('audit_signing_from');
    return v ? Number(v.toString()) : null;
  }

  /** The public key pinned when the chain began to be signed (hex): what verifies every signed entry. */
  auditStartKey(): string | null {
    return this.getSecret('audit_start_key')?.toString('hex') ?? null;
  }
}
