/**
 * Headless access to one user's workspace (CLI, benchmarks): the same password check, back-off and grant
 * verification as the app, without a session or a transport. Plain Node has no safeStorage, so accounts whose
 * key is protected by it (created in the desktop app) get a clear error here.
 */
import { join } from 'node:path';
import { verifyChain } from '../domain/audit-chain.js';
import { lockDataDir } from '../store/data-dir-lock.js';
import { RegistryDb } from '../store/registry/registry-db.js';
import type { WorkspaceDb } from '../store/workspace/workspace-db.js';
import { AccountService } from './accounts.js';
import { noProtection } from '../platform/key-protector.js';
import { systemClock, isoTime } from './clock.js';

export async function withUserWorkspace<T>(
  dataDir: string,
  username: string,
  password: string,
  work: (workspace: WorkspaceDb, accountId: string, registry: RegistryDb) => T | Promise<T>,
  options: { allowRolledBack?: boolean } = {},
): Promise<T> {
  const lock = lockDataDir(dataDir);
  const registry = RegistryDb.open(join(dataDir, 'registry.db'));
  try {
    const accounts = new AccountService({ registry, workspaceDir: join(dataDir, 'workspaces'), protector: noProtection, clock: systemClock });
    const { account, dataKey } = await accounts.authenticate(username, password, 'cli');
    const workspace = accounts.openWorkspace(account, dataKey, options);
    try {
      accounts.ingestSystemLog(account, workspace);
      return await work(workspace, account.id, registry);
    } finally {
      const head = workspace.auditHead();
      if (head) registry.setAuditAnchor(account.id, head);
      workspace.close();
    }
  } finally {
    registry.close();
    lock.release();
  }
}

export interface AuditVerifyReport {
  username: string;
  entries: number;
  checked: number;
  firstBreak: { seq: number; reason: string } | null;
  head: { seq: number; hash: string } | null;
}

/** Verifies a user's chain; the verification itself is recorded as the chain's next entry. */
export function verifyUserChain(dataDir: string, username: string, password: string): Promise<AuditVerifyReport> {
  return withUserWorkspace(dataDir, username, password, (workspace, accountId, registry) => {
    const result = verifyChain(workspace.auditMacKey(), workspace.iterateAudit(), registry.auditAnchor(accountId), workspace.auditStartKey());
    const report: AuditVerifyReport = {
      username,
      entries: workspace.auditCount(),
      checked: result.checked,
      firstBreak: result.firstBreak,
      head: workspace.auditHead(),
    };
    workspace.appendAudit(
      {
        userId: accountId,
        username,
        action: 'audit.verify',
        target: null,
        outcome: result.firstBreak ? 'failed' : 'ok',
        detail: { via: 'cli', checked: result.checked, firstBreak: result.firstBreak },
      },
      isoTime(systemClock),
    );
    return report;
    // The verifier opens even a rolled-back workspace: saying where it breaks is its job.
  }, { allowRolledBack: true });
}
