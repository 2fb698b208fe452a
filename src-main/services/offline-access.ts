/**
 * Headless access to one user's workspace (CLI, benchmarks): the same password check, back-off and grant
 * verification as the app, without a session or a transport. Plain Node has no safeStorage, so accounts whose
 * key is protected by it (created in the desktop app) get a clear error here.
 */
import { join } from 'node:path';
import { verifyChain, type ChainHead } from '../domain/audit-chain.js';
import { lockDataDir } from '../store/data-dir-lock.js';
import { RegistryDb } from '../store/registry/registry-db.js';
import type { WorkspaceDb } from '../store/workspace/workspace-db.js';
import { AccountService } from './accounts.js';
import { noProtection } from '../platform/key-protector.js';
import { isoTime, type Clock } from '../platform/clock.js';

export async function withUserWorkspace<T>(
  dataDir: string,
  username: string,
  password: string,
  clock: Clock,
  work: (workspace: WorkspaceDb, accountId: string, registry: RegistryDb) => T | Promise<T>,
  options: { allowRolledBack?: boolean } = {},
): Promise<T> {
  const lock = lockDataDir(dataDir);
  const registry = RegistryDb.open(join(dataDir, 'registry.db'));
  try {
    const accounts = new AccountService({ registry, workspaceDir: join(dataDir, 'workspaces'), protector: noProtection, clock });
    const { account, dataKey } = await accounts.authenticate(username, password, 'cli');
    const workspace = accounts.openWorkspace(account, dataKey, options);
    // A workspace that does not hold its anchor (opened only to be verified) is read, never written: nothing may
    // extend a rolled-back chain or move the anchor onto it.
    const holdsAnchor = chainHoldsAnchor(workspace, registry.auditAnchor(account.id));
    try {
      if (holdsAnchor) accounts.ingestSystemLog(account, workspace);
      return await work(workspace, account.id, registry);
    } finally {
      advanceAnchor(registry, account.id, workspace);
      workspace.close();
    }
  } finally {
    registry.close();
    lock.release();
  }
}

/** Whether the chain contains the anchored entry (or there is no anchor yet). */
export function chainHoldsAnchor(workspace: WorkspaceDb, anchor: ChainHead | null): boolean {
  return !anchor || anchor.seq === 0 || workspace.auditHashAt(anchor.seq) === anchor.hash;
}

/** Moves the account's anchor to the workspace's head — only along the same chain, never onto a different one. */
export function advanceAnchor(registry: RegistryDb, accountId: string, workspace: WorkspaceDb): void {
  const head = workspace.auditHead();
  if (head && chainHoldsAnchor(workspace, registry.auditAnchor(accountId))) registry.setAuditAnchor(accountId, head);
}

export interface AuditVerifyReport {
  username: string;
  entries: number;
  checked: number;
  firstBreak: { seq: number; reason: string } | null;
  head: { seq: number; hash: string } | null;
}

/** Verifies a user's chain; the verification itself is recorded as the chain's next entry. */
export function verifyUserChain(dataDir: string, username: string, password: string, clock: Clock): Promise<AuditVerifyReport> {
  return withUserWorkspace(dataDir, username, password, clock, (workspace, accountId, registry) => {
    const result = verifyChain(workspace.auditMacKey(), workspace.iterateAudit(), registry.auditAnchor(accountId), workspace.auditStartKey(), workspace.auditSigningFrom());
    const report: AuditVerifyReport = {
      username,
      entries: workspace.auditCount(),
      checked: result.checked,
      firstBreak: result.firstBreak,
      head: workspace.auditHead(),
    };
    // The verification is recorded in the chain — unless the chain is a rolled-back copy, which is only reported on.
    if (result.firstBreak?.reason === 'truncated' || result.firstBreak?.reason === 'anchor_mismatch') return report;
    workspace.appendAudit(
      {
        userId: accountId,
        username,
        action: 'audit.verify',
        target: null,
        outcome: result.firstBreak ? 'failed' : 'ok',
        detail: { via: 'cli', checked: result.checked, firstBreak: result.firstBreak },
      },
      isoTime(clock),
    );
    return report;
    // The verifier opens even a rolled-back workspace: saying where it breaks is its job.
  }, { allowRolledBack: true });
}
