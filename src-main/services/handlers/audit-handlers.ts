/** A user's own audit history and chain verification; the system log for administrators. */
import { verifyChain } from '../../domain/audit-chain.js';
import { terms } from '../../platform/terms.js';
import type { RegistryDb } from '../../store/registry/registry-db.js';
import { presentAuditEntry } from '../audit-presentation.js';
import { activeSession, type Handlers } from './types.js';

export function auditHandlers(d: { registry: RegistryDb }): Pick<Handlers, 'audit.myHistory' | 'audit.verifyMine' | 'audit.systemLog'> {
  return {
    'audit.myHistory': (input, ctx) => {
      const { workspace, prefs } = activeSession(ctx);
      const t = terms(prefs.language);
      return {
        entries: workspace.auditPage(input).map((e) => presentAuditEntry(e, t)),
        total: workspace.auditCount(),
      };
    },
    'audit.verifyMine': (_input, ctx) => {
      const { workspace, user } = activeSession(ctx);
      return verifyChain(workspace.auditMacKey(), workspace.iterateAudit(), d.registry.auditAnchor(user.id), workspace.auditStartKey(), workspace.auditSigningFrom());
    },
    'audit.systemLog': (input, ctx) => ({
      entries: d.registry.recentSystemLog(input.limit).map((e) => presentAuditEntry(e, terms(activeSession(ctx).prefs.language))),
      verification: d.registry.verifySystemLog(),
    }),
  };
}
