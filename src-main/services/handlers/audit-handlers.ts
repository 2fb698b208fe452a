/** A user's own audit history and chain verification; the system log for administrators. */
import { verifyChain } from '../../domain/audit-chain.js';
import { terms } from '../../platform/terms.js';
import type { RegistryDb } from '../../store/registry/registry-db.js';
import { presentAuditEntry, type DivisionNamer } from '../audit-presentation.js';
import type { SnapshotProvider } from '../snapshots.js';
import { activeSession, type Handlers, type HandlerContext } from './types.js';

export function auditHandlers(d: { registry: RegistryDb; snapshots?: SnapshotProvider }): Pick<Handlers, 'audit.myHistory' | 'audit.verifyMine' | 'audit.systemLog'> {
  /** Names the divisions of the details (数据范围：浦口区（320111）) from the user's snapshot, when there is one. */
  const namer = (ctx: HandlerContext): DivisionNamer | undefined => {
    const { user, workspace } = activeSession(ctx);
    let snapshot: ReturnType<SnapshotProvider['forUser']> = null;
    try {
      snapshot = d.snapshots?.forUser(user.id, workspace) ?? null;
    } catch {
      // No snapshot to name divisions from: the codes are shown as they are.
    }
    if (!snapshot) return undefined;
    const names = new Map<string, string | null>();
    return (code) => {
      if (!names.has(code)) names.set(code, snapshot.divisionName(code));
      return names.get(code) ?? null;
    };
  };
  return {
    'audit.myHistory': (input, ctx) => {
      const { workspace, prefs } = activeSession(ctx);
      const t = terms(prefs.language);
      const divisionName = namer(ctx);
      return {
        entries: workspace.auditPage(input).map((e) => presentAuditEntry(e, t, divisionName, prefs.language)),
        total: workspace.auditCount(),
      };
    },
    'audit.verifyMine': (_input, ctx) => {
      const { workspace, user } = activeSession(ctx);
      return verifyChain(workspace.auditMacKey(), workspace.iterateAudit(), d.registry.auditAnchor(user.id), workspace.auditStartKey(), workspace.auditSigningFrom());
    },
    'audit.systemLog': (input, ctx) => {
      const { language } = activeSession(ctx).prefs;
      const t = terms(language);
      const divisionName = namer(ctx);
      return { entries: d.registry.recentSystemLog(input.limit).map((e) => presentAuditEntry(e, t, divisionName, language)), verification: d.registry.verifySystemLog() };
    },
  };
}
