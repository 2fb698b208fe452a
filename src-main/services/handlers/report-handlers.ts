/**
 * report.*: the supervisor's dashboard, the spending review (supervisors and finance), the drill-down to flagged
 * payments, and the monthly report as a watermarked, registered PDF or xlsx. The choke point has checked that a
 * divisionPrefix lies inside the caller's scope; everything below reads only inside it.
 */
import { CallError } from '../../contract/errors.js';
import { maskIdNumber } from '../../domain/id-number.js';
import type { Clock } from '../../platform/clock.js';
import { terms } from '../../platform/terms.js';
import type { PersonRefs } from '../../platform/person-refs.js';
import type { ExportService } from '../exports/export-service.js';
import type { ReportService } from '../reports/report-service.js';
import type { SnapshotProvider } from '../snapshots.js';
import type { TeamAccess } from '../team-access.js';
import { activeSession, type HandlerContext, type Handlers } from './types.js';
import { formatLocalTime } from '../../domain/local-time.js';
import { timeZoneOf } from '../sessions.js';
import type { ReportSectionId } from '../../domain/reports/report-model.js';

export function reportHandlers(d: { reports: ReportService; team: TeamAccess; snapshots: SnapshotProvider; exports: ExportService; refs: PersonRefs; clock: Clock }): Pick<
  Handlers,
  'report.dashboard' | 'report.spending' | 'report.payments' | 'report.monthly' | 'report.preview'
> {
  const context = (ctx: HandlerContext, divisionPrefix: string | undefined) => {
    const { user, workspace } = activeSession(ctx);
    const snapshot = d.snapshots.forUser(user.id, workspace);
    if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded: sync first');
    return { user, workspace, snapshot, scope: divisionPrefix ? [divisionPrefix] : user.scope };
  };
  // One report for the screen and the files: the preview is exactly what the PDF and xlsx would hold.
  const monthly = (ctx: HandlerContext, team: ReturnType<TeamAccess['forUser']>, snapshot: NonNullable<ReturnType<SnapshotProvider['forUser']>>, scope: string[], period: string, sections: ReportSectionId[]) => {
    const { user, workspace, prefs } = activeSession(ctx);
    return d.reports.monthly(team, snapshot, scope, {
      period,
      sections,
      generatedBy: terms(prefs.language)('explain.words.named', { name: user.displayName, id: user.username }),
      generatedAt: formatLocalTime(d.clock.now(), { timeZone: timeZoneOf(workspace, user) }),
      language: prefs.language,
    });
  };
  return {
    'report.dashboard': (input, ctx) => {
      const { user, snapshot, scope } = context(ctx, input.divisionPrefix);
      return d.reports.dashboard(d.team.forUser(user.id), snapshot, scope);
    },
    'report.spending': (input, ctx) => {
      const { user, snapshot, scope } = context(ctx, input.divisionPrefix);
      return d.reports.spending(d.team.hasAccess(user.id) ? d.team.forUser(user.id) : null, snapshot, scope, input.through);
    },
    'report.payments': (input, ctx) => {
      const { user, snapshot, scope } = context(ctx, input.divisionPrefix);
      const { rule, program, street, period, limit } = input;
      return d.reports
        .payments(d.team.hasAccess(user.id) ? d.team.forUser(user.id) : null, snapshot, scope, { rule, program, street, period }, limit)
        .map(({ personId, ...p }) => ({ ...p, personRef: d.refs.toRef(personId), personLabel: maskIdNumber(personId) }));
    },
    'report.preview': (input, ctx) => {
      const { user, snapshot, scope } = context(ctx, input.divisionPrefix);
      return monthly(ctx, d.team.forUser(user.id), snapshot, scope, input.period, input.sections);
    },
    'report.monthly': async (input, ctx) => {
      const { user, workspace, snapshot, scope } = context(ctx, input.divisionPrefix);
      const team = d.team.forUser(user.id);
      const report = monthly(ctx, team, snapshot, scope, input.period, input.sections);
      const { period, sections, divisionPrefix } = input;
      return d.exports.writeReport(team, user, workspace, report, { format: input.format, purpose: input.purpose, ...(input.recipient ? { recipient: input.recipient } : {}) }, { period, sections, divisionPrefix: divisionPrefix ?? null });
    },
  };
}
