/** A user's own audit history and chain verification; the system log for administrators. */
import type { AuditEntry } from '../../domain/audit-chain.js';
import { verifyChain } from '../../domain/audit-chain.js';
import type { AuditEntryView } from '../../contract/schemas.js';
import type { RegistryDb } from '../../store/registry/registry-db.js';
import { activeSession, type Handlers } from './types.js';

const view = (e: AuditEntry): AuditEntryView => ({
  seq: e.seq,
  ts: e.ts,
  username: e.username,
  action: e.action,
  target: e.target,
  outcome: e.outcome,
  detail: e.detail,
});

export function auditHandlers(d: { registry: RegistryDb }): Pick<Handlers, 'audit.myHistory' | 'audit.verifyMine' | 'audit.systemLog'> {
  return {
    'audit.myHistory': (input, ctx) => {
      const { workspace } = activeSession(ctx);
      return {
        entries: workspace.auditPage(input).map(view),
        total: workspace.auditCount(),
      };
    },
    'audit.verifyMine': (_input, ctx) => {
      const { workspace, user } = activeSession(ctx);
      return verifyChain(workspace.auditMacKey(), workspace.iterateAudit(), d.registry.auditAnchor(user.id), workspace.auditStartKey(), workspace.auditSigningFrom());
    },
    'audit.systemLog': (input) => ({
      entries: d.registry.recentSystemLog(input.limit).map(view),
      verification: d.registry.verifySystemLog(),
    }),
  };
}
