/** A user's own audit history and chain verification; the system log for administrators. */
import { verifyChain } from '../../domain/audit-chain.js';
import { terms } from '../../platform/terms.js';
import type { RegistryDb } from '../../store/registry/registry-db.js';
import { presentAuditEntry, type DivisionNamer } from '../audit-presentation.js';
import type { SnapshotProvider } from '../snapshots.js';
import { displayTimeZone } from '../sessions.js';
import { activeSession, type Handlers, type HandlerContext } from './types.js';
import { findingsOfEntries } from '../audit-findings.js';
import type { TeamAccess } from '../team-access.js';
import type { TriageService } from '../triage/triage-service.js';

export function auditHandlers(d: {
  registry: RegistryDb;
  snapshots?: SnapshotProvider;
  /** To name the findings of the user's own trail (staff with the team store; an administrator has none). */
  findings?: { triage: TriageService; team: TeamAccess };
}): Pick<Handlers, 'audit.myHistory' | 'audit.verifyMine' | 'audit.systemLog'> {
  const snapshotOf = (ctx: HandlerContext): ReturnType<SnapshotProvider['forUser']> => {
    const { user, workspace } = activeSession(ctx);
    try {
      return d.snapshots?.forUser(user.id, workspace) ?? null;
    } catch {
      // No snapshot to name divisions or findings from: codes and fingerprints are shown as they are.
      return null;
    }
  };
  /** Names the divisions of the details (数据范围：浦口区（320111）) from the user's snapshot, when there is one. */
  const namer = (ctx: HandlerContext): DivisionNamer | undefined => {
    const snapshot = snapshotOf(ctx);
    if (!snapshot) return undefined;
    const names = new Map<string, string | null>();
    return (code) => {
      if (!names.has(code)) names.set(code, snapshot.divisionName(code));
      return names.get(code) ?? null;
    };
  };
  return {
    'audit.myHistory': (input, ctx) => {
      const session = activeSession(ctx);
      const { workspace, prefs, user } = session;
      const t = terms(prefs.language);
      const zone = displayTimeZone(session);
      const divisionName = namer(ctx);
      const page = workspace.auditPage(input);
      const f = d.findings;
      const findings =
        f && f.team.hasAccess(user.id)
          ? findingsOfEntries(page, { triage: f.triage, team: f.team.forUser(user.id), snapshot: snapshotOf(ctx), user, language: prefs.language })
          : page.map(() => null);
      return {
        entries: page.map((e, i) => ({ ...presentAuditEntry(e, t, divisionName, prefs.language, zone), finding: findings[i] ?? null })),
        total: workspace.auditCount(),
      };
    },
    'audit.verifyMine': (_input, ctx) => {
      const { workspace, user } = activeSession(ctx);
      return verifyChain(workspace.auditMacKey(), workspace.iterateAudit(), d.registry.auditAnchor(user.id), workspace.auditStartKey(), workspace.auditSigningFrom());
    },
    'audit.systemLog': (input, ctx) => {
      const session = activeSession(ctx);
      const { language } = session.prefs;
      const t = terms(language);
      const zone = displayTimeZone(session);
      const divisionName = namer(ctx);
      return { entries: d.registry.recentSystemLog(input.limit).map((e) => presentAuditEntry(e, t, divisionName, language, zone)), verification: d.registry.verifySystemLog() };
    },
  };
}
