/**
 * The composition root: builds every service over one data folder and hands the transports a single
 * `dispatch(clientId, name, input)`. Both shells (Electron IPC, loopback HTTP) and the tests use this.
 *
 * Data folder layout:
 *   registry.db              accounts, wrapped keys, signed grants, system log (no personal data)
 *   workspaces/<userId>.db   one SQLCipher workspace per user
 *   team.db                  the team store (findings, cases), SQLCipher, its key wrapped per member in the registry
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CallResult } from '../contract/errors.js';
import { noProtection, type KeyProtector } from '../platform/key-protector.js';
import { lockDataDir } from '../store/data-dir-lock.js';
import { RegistryDb } from '../store/registry/registry-db.js';
import { AccountService } from './accounts.js';
import { isoTime, systemClock, type Clock } from '../platform/clock.js';
import { Dispatcher } from './dispatcher.js';
import { adminHandlers } from './handlers/admin-handlers.js';
import { auditHandlers } from './handlers/audit-handlers.js';
import { authHandlers } from './handlers/auth-handlers.js';
import { homeHandlers } from './handlers/home-handlers.js';
import type { Handlers } from './handlers/types.js';
import { SessionRegistry } from './sessions.js';
import { workstationSnapshots, type SnapshotProvider } from './snapshots.js';
import { syncHandlers } from './handlers/sync-handlers.js';
import { checkHandlers } from './handlers/check-handlers.js';
import { precheckHandlers } from './handlers/precheck-handlers.js';
import { qualityHandlers } from './handlers/quality-handlers.js';
import { queryHandlers } from './handlers/query-handlers.js';
import { customRuleHandlers } from './handlers/custom-rule-handlers.js';
import { CheckService } from './checks/check-service.js';
import { SyncService } from './sync/sync-service.js';
import { PersonRefs } from '../platform/person-refs.js';
import { TeamAccess } from './team-access.js';
import { TriageService } from './triage/triage-service.js';
import { triageHandlers } from './handlers/triage-handlers.js';
import { monitoringHandlers } from './handlers/monitoring-handlers.js';
import { MonitoringService } from './monitoring/monitoring-service.js';
import { ExportService } from './exports/export-service.js';
import { advanceAnchor } from './offline-access.js';
import { exportHandlers } from './handlers/export-handlers.js';
import { teamAuditHandlers } from './handlers/team-audit-handlers.js';
import { BackupService } from './backup/backup-service.js';
import { backupHandlers } from './handlers/backup-handlers.js';
import { teamMemberHandlers } from './handlers/team-member-handlers.js';
import { reportHandlers } from './handlers/report-handlers.js';
import { ReportService } from './reports/report-service.js';
import { addMonths, lastDayOf, monthOf } from '../domain/calendar.js';
import { localDate } from '../domain/local-time.js';

export const APP_VERSION = '0.1.0';

export interface WorkstationOptions {
  dataDir: string;
  transport: 'electron' | 'http';
  protector?: KeyProtector;
  /** The one clock every service reads "now" from (tests pass one they can move); default: the system's. */
  clock?: Clock;
  snapshots?: SnapshotProvider;
  /** scrypt cost for new keys (tests pass a cheaper one; production keeps the default). */
  kdfCost?: { N: number; r: number; p: number };
  /** Where exports are written (a folder per user inside); default <dataDir>/exports. */
  exportDir?: string;
  /** Exports above this many rows need a supervisor's approval (default 10,000). */
  maxExportRows?: number;
  onInternalError?: (name: string, error: unknown) => void;
}

export interface Workstation {
  dispatch(clientId: string, name: unknown, input: unknown): Promise<CallResult<unknown>>;
  disconnect(clientId: string): void;
  /** Locks idle sessions now (also runs every 15 s). */
  sweepIdle(): void;
  close(): void;
  /** For tests and the CLI: the pieces behind the contract. */
  readonly internals: { accounts: AccountService; registry: RegistryDb; sessions: SessionRegistry; snapshots: SnapshotProvider; sync: SyncService; team: TeamAccess; refs: PersonRefs };
}

export function createWorkstation(o: WorkstationOptions): Workstation {
  const workspaceDir = join(o.dataDir, 'workspaces');
  mkdirSync(workspaceDir, { recursive: true, mode: 0o700 });
  const lock = lockDataDir(o.dataDir);
  const clock = o.clock ?? systemClock;
  const protector = o.protector ?? noProtection;
  let registry: RegistryDb;
  try {
    registry = RegistryDb.open(join(o.dataDir, 'registry.db'));
  } catch (error) {
    lock.release();
    throw error;
  }
  const checks = new CheckService(clock, (username) => registry.findByUsername(username)?.displayName ?? null);
  const team = new TeamAccess({ registry, file: join(o.dataDir, 'team.db'), clock });
  const sessions = new SessionRegistry((userId, workspace) => {
    // The workspace is closing (lock, logout): a rule run of that user stops rather than run on with the snapshot key,
    // and the team store closes when its last member leaves.
    checks.cancel(userId);
    team.release(userId);
    advanceAnchor(registry, userId, workspace);
  });
  // Snapshots and sync know each other only through callbacks: sync installs, the provider drops its old handle.
  const sync = new SyncService(
    o.dataDir,
    clock,
    (userId) => snapshots.invalidate(userId),
    // The platform's receipt moves the local anchor forward (never back): a rolled-back workspace is refused at login.
    (userId, head) => registry.setAuditAnchor(userId, head),
    // ... and the session on a rolled-back workspace ends now, not at its next logout.
    (userId) => {
      const ended: string[] = [];
      sessions.forEachOf(userId, (s) => ended.push(s.clientId));
      for (const clientId of ended) sessions.end(clientId);
      registry.appendSystemLog({ userId, username: null, action: 'auth.audit_rolled_back', target: null, outcome: 'failed', detail: { source: 'platform_receipt', sessionsEnded: ended.length } }, isoTime(clock));
    },
  );
  // The demo district is dated to the end of last month (by the local calendar): a new user meets current-looking
  // sample data, not a staleness alarm about it.
  const snapshots: SnapshotProvider = o.snapshots ?? workstationSnapshots(sync, undefined, undefined, lastDayOf(addMonths(monthOf(localDate(clock.now())), -1)));
  const accounts = new AccountService({ registry, workspaceDir, protector, clock, kdfCost: o.kdfCost });
  const refs = new PersonRefs();
  const triage = new TriageService({ registry, refs, clock });
  // One monitoring service: its runs in progress are shared by the monitoring calls and the pre-check.
  const monitoring = new MonitoringService({ registry, refs, clock });
  const exportsService = new ExportService({ dir: o.exportDir ?? join(o.dataDir, 'exports'), clock, maxRowsWithoutApproval: o.maxExportRows ?? 10_000 });

  const handlers: Handlers = {
    ...authHandlers({
      accounts,
      sessions,
      clock,
      keyProtection: protector.kind,
      transport: o.transport,
      appVersion: APP_VERSION,
      onWorkspaceOpened: (account, workspace) => {
        if (!team.join(account, workspace)) return;
        // The team's copy of this member's trail: catch up on what was written while the store was closed, then follow.
        const mirror = team.forUser(account.id).audit;
        mirror.add(account.id, workspace.iterateAudit(mirror.lastSeq(account.id)), account.scope);
        workspace.onAudit((entry) => {
          // A copy that fails to write catches up at the next login; the member's own chain is what counts.
          if (team.hasAccess(account.id)) {
            try {
              // The scope the member has now (an administrator may have changed it during the session).
              team.forUser(account.id).audit.add(account.id, [entry], registry.findById(account.id)?.scope ?? account.scope);
            } catch {
              // caught up later
            }
          }
        });
      },
    }),
    ...adminHandlers({ accounts, registry, sessions }),
    ...auditHandlers({ registry, snapshots, findings: { triage, team } }),
    ...teamAuditHandlers({ registry, team, exports: exportsService, triage, snapshots }),
    ...teamMemberHandlers({ team }),
    ...reportHandlers({ reports: new ReportService(clock), team, snapshots, exports: exportsService, refs, clock }),
    ...homeHandlers({ snapshots }),
    ...syncHandlers({ sync, snapshots, team, clock }),
    ...checkHandlers({ checks, snapshots, team, clock }),
    ...triageHandlers({ triage, team, snapshots, refs, clock }),
    ...monitoringHandlers({ monitoring, team, snapshots, clock }),
    ...exportHandlers({ team, snapshots, exports: exportsService, triage, monitoring, clock }),
    ...precheckHandlers({ snapshots, team, monitoring }),
    ...qualityHandlers({ snapshots }),
    ...queryHandlers({ snapshots, refs, clock }),
    ...customRuleHandlers({ snapshots, clock }),
    ...backupHandlers({ backups: new BackupService({ dataDir: o.dataDir, accounts, registry, team, clock, kdfCost: o.kdfCost }), sessions }),
  };
  const dispatcher = new Dispatcher({ handlers, sessions, registry, snapshots, team, personRefs: refs, clock, onInternalError: o.onInternalError });
  // Lock idle sessions even when their window makes no more calls (an abandoned browser tab, a sleeping laptop).
  const sweeper = setInterval(() => dispatcher.sweepIdle(), 15_000);
  sweeper.unref();

  return {
    dispatch: (clientId, name, input) => dispatcher.dispatch(clientId, name, input),
    disconnect: (clientId) => dispatcher.disconnect(clientId),
    sweepIdle: () => dispatcher.sweepIdle(),
    close() {
      clearInterval(sweeper);
      sessions.endAll();
      team.close();
      snapshots.close();
      registry.close();
      lock.release();
    },
    internals: { accounts, registry, sessions, snapshots, sync, team, refs },
  };
}
