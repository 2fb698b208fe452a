/**
 * Supervisors' view of the team's audit trail (the copy every member's entries are mirrored to): by member, action and
 * time, and "who viewed or exported this person". A supervisor sees the members whose scope lies within their own.
 * ID numbers in targets and details are shown masked; details, on screen and in the export, in words.
 */
import { snapshotName } from '../../domain/snapshot-name.js';
import { CallError } from '../../contract/errors.js';
import { isWithinScope } from '../../domain/division.js';
import type { RegistryDb } from '../../store/registry/registry-db.js';
import type { MirroredEntry } from '../../store/team/audit-mirror.js';
import type { SessionUser } from '../sessions.js';
import type { TeamAccess } from '../team-access.js';
import { maskIdsInText } from '../../domain/id-number.js';
import type { ExportService } from '../exports/export-service.js';
import { activeSession, type HandlerContext, type Handlers } from './types.js';
import type { TriageService } from '../triage/triage-service.js';
import { findingsOfEntries, type AuditFinding } from '../audit-findings.js';
import type { SnapshotProvider } from '../snapshots.js';
import { displayTimeZone } from '../sessions.js';
import { presentAuditDetails } from '../audit-presentation.js';
import { formatLocalTime } from '../../domain/local-time.js';
import { terms, type TermsLanguage } from '../../platform/terms.js';
import type { TFunction } from 'i18next';

/** A finding in an exported trail as 审计查询 names it: rule, masked subject, division, and the fingerprint's start. */
function findingText(f: AuditFinding, t: TFunction, language: TermsLanguage): string {
  const fingerprint = `${t('teamAudit.fingerprint')} ${f.fingerprint.slice(0, 12)}`;
  const l = f.label;
  if (!l) return `${t('teamAudit.findingHidden')} · ${fingerprint}`;
  const subject = [l.subjectName, l.subjectLabel].filter(Boolean).join(' ');
  return [language === 'en' ? l.ruleName.en : l.ruleName.zh, subject, l.divisionName, fingerprint].filter(Boolean).join(' · ');
}


export function teamAuditHandlers(d: {
  registry: RegistryDb;
  team: TeamAccess;
  exports: ExportService;
  triage: TriageService;
  snapshots: SnapshotProvider;
}): Pick<Handlers, 'audit.team' | 'audit.person' | 'export.audit'> {
  /**
   * Entries as a supervisor reads them: ID numbers masked, and a finding named by its rule, subject and title rather
   * than its fingerprint — resolved here, inside the supervisor's scope (the fingerprint stays in `target` for tracing).
   */
  const view = (ctx: HandlerContext, entries: MirroredEntry[]) => {
    const session = activeSession(ctx);
    const { user, workspace, prefs } = session;
    const snapshot = d.snapshots.forUser(user.id, workspace);
    const findings = findingsOfEntries(entries, { triage: d.triage, team: d.team.forUser(user.id), snapshot, user, language: prefs.language });
    const names = new Map(d.registry.listAccounts().map((a) => [a.id, a.displayName]));
    const t = terms(prefs.language);
    const zone = displayTimeZone(session);
    const divisionName = snapshot ? (code: string) => snapshot.divisionName(code) : undefined;
    return entries.map(({ detail, ...e }, i) => ({
      ...e,
      memberName: names.get(e.userId) ?? null,
      target: e.target === null ? null : maskIdsInText(snapshotName(e.target, prefs.language)),
      // In words, as 我的审计记录 shows its own: the JSON the chain hashes never leaves the service.
      details: presentAuditDetails(detail, t, divisionName, prefs.language, zone),
      finding: findings[i]!,
    }));
  };
  const visibleMembers = (user: SessionUser) =>
    d.registry.listAccounts().filter((a) => a.id === user.id || (a.role !== 'admin' && a.scope.length > 0 && a.scope.every((p) => isWithinScope(p, user.scope))));
  /** The supervisor's search over the members they may see. */
  const search = (user: SessionUser, q: { userId?: string; actionPrefix?: string; from?: string; to?: string; before?: string }, limit: number) => {
    const members = visibleMembers(user);
    if (q.userId && !members.some((m) => m.id === q.userId)) throw new CallError('OUT_OF_SCOPE', 'no such member in your scope');
    const entries = d.team.forUser(user.id).audit.search({
      ...(q.userId ? { userIds: [q.userId] } : {}),
      visibleTo: { scope: user.scope, legacyUserIds: members.map((m) => m.id) },
      actionPrefix: q.actionPrefix,
      from: q.from,
      to: q.to ? `${q.to}T23:59:59.999Z` : undefined,
      before: q.before,
      limit,
    });
    return { members, entries };
  };
  return {
    'audit.team': (input, ctx) => {
      const { members, entries } = search(activeSession(ctx).user, input, input.limit);
      return { entries: view(ctx, entries), members: members.map((m) => ({ id: m.id, username: m.username, displayName: m.displayName })) };
    },
    'export.audit': async (input, ctx) => {
      const session = activeSession(ctx);
      const { user, workspace, prefs } = session;
      const { format, purpose, recipient, ...query } = input;
      // One more than the limit, so that a search too wide is refused rather than cut short.
      const { entries } = search(user, query, d.exports.rowLimit(d.team.forUser(user.id)) + 1);
      // The file says what the screen says, in the reader's language and time zone: named actions, outcomes and
      // details, the finding by its rule and subject — never an action code, a UTC time or the JSON the chain hashes.
      const t = terms(prefs.language);
      const zone = displayTimeZone(session);
      const rows = view(ctx, entries).map((e) => ({
        identity: `audit:${e.userId}:${e.seq}`,
        cells: [
          formatLocalTime(e.ts, { seconds: true, timeZone: zone }),
          e.memberName ? t('explain.words.named', { name: e.memberName, id: e.username ?? '' }) : (e.username ?? t('teamAudit.formerMember')),
          t(`actions.${e.action}`, { defaultValue: e.action }),
          e.finding ? findingText(e.finding, t, prefs.language) : e.target === e.username ? '' : (e.target ?? ''),
          t(`audit.outcomes.${e.outcome}`, { defaultValue: e.outcome }),
          e.details.map((x) => `${x.label}${t('common.colon')}${x.value}`).join(t('explain.words.itemSeparator')),
        ],
      }));
      const columns = [t('exports.rowMark'), t('teamAudit.time'), t('teamAudit.member'), t('teamAudit.action'), t('teamAudit.target'), t('teamAudit.outcome'), t('audit.detail')];
      return d.exports.exportAudit(d.team.forUser(user.id), user, workspace, { columns, rows }, query, { format, purpose, ...(recipient ? { recipient } : {}) });
    },
    'audit.person': (input, ctx) => {
      const { user } = activeSession(ctx);
      const personId = (input as { personId?: unknown }).personId;
      if (typeof personId !== 'string') throw new Error('handler reached without a decoded person reference');
      const entries = d.team.forUser(user.id).audit.search({ visibleTo: { scope: user.scope, legacyUserIds: visibleMembers(user).map((m) => m.id) }, target: personId, limit: input.limit });
      return { entries: view(ctx, entries) };
    },
  };
}
