/** Exports (the findings list), the export register and leak tracing. */
import { CallError } from '../../contract/errors.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import { isWithinScope } from '../../domain/division.js';
import type { RegisteredExport } from '../../store/team/export-register.js';
import type { ExportRequest } from '../../store/team/export-requests.js';
import type { MonitoringService } from '../monitoring/monitoring-service.js';
import type { ExportService } from '../exports/export-service.js';
import { registerView, traceLeakedData } from '../exports/leak-trace-service.js';
import type { SessionUser } from '../sessions.js';
import type { SnapshotProvider } from '../snapshots.js';
import type { TeamAccess } from '../team-access.js';
import type { TriageService } from '../triage/triage-service.js';
import { activeSession, type HandlerContext, type Handlers } from './types.js';

type ExportCalls =
  | 'export.policy'
  | 'export.setPolicy'
  | 'export.findings'
  | 'export.warnings'
  | 'export.person'
  | 'export.case'
  | 'export.requestApproval'
  | 'export.requests'
  | 'export.decide'
  | 'export.mine'
  | 'export.register'
  | 'export.ofFinding'
  | 'export.trace';

/** The register a supervisor sees: their own exports, and those of members whose scope lies within their own. */
const visibleTo = (user: SessionUser) => (e: RegisteredExport) => e.userId === user.id || e.scope.every((p) => isWithinScope(p, user.scope));

export function exportHandlers(d: { team: TeamAccess; snapshots: SnapshotProvider; exports: ExportService; triage: TriageService; monitoring: MonitoringService; clock: Clock }): Pick<Handlers, ExportCalls> {
  const context = (ctx: HandlerContext) => {
    const session = activeSession(ctx);
    return { ...session, team: d.team.forUser(session.user.id) };
  };
  return {
    'export.findings': async (input, ctx) => {
      const { user, team, workspace } = context(ctx);
      return registered(ctx, d.clock, await d.exports.exportFindings(team, d.snapshots.forUser(user.id, workspace), user, workspace, input), input.format);
    },
    'export.warnings': async (input, ctx) => {
      const { user, team, workspace } = context(ctx);
      return registered(ctx, d.clock, await d.exports.exportWarnings(team, d.snapshots.forUser(user.id, workspace), user, workspace, d.monitoring, input), input.format);
    },
    'export.person': async (input, ctx) => {
      const { user, team, workspace } = context(ctx);
      const personId = (input as { personId?: unknown }).personId;
      if (typeof personId !== 'string') throw new Error('handler reached without a decoded person reference');
      return registered(ctx, d.clock, await d.exports.exportPerson(team, d.snapshots.forUser(user.id, workspace), user, workspace, personId, input), input.format);
    },
    'export.case': async (input, ctx) => {
      const { user, team, workspace } = context(ctx);
      return registered(ctx, d.clock, await d.exports.exportCase(team, d.snapshots.forUser(user.id, workspace), user, workspace, d.triage, input.fingerprint, input), input.format);
    },
    'export.requestApproval': (input, ctx) => {
      const { user, team } = context(ctx);
      return d.exports.requestFindingsApproval(team, user, input);
    },
    // A member sees their own requests; a supervisor also those of colleagues within their scope.
    'export.requests': (_input, ctx) => {
      const { user, team } = context(ctx);
      const visible = (r: ExportRequest) => r.userId === user.id || (user.role === 'supervisor' && r.scope.every((p) => isWithinScope(p, user.scope)));
      return team.exportRequests.list(user.role === 'supervisor' ? {} : { userId: user.id }).filter(visible).map(requestView);
    },
    'export.decide': (input, ctx) => {
      const { user, team } = context(ctx);
      return requestView(d.exports.decide(team, user, input.requestId, input.approve, input.note));
    },
    'export.policy': (_input, ctx) => d.exports.policy(context(ctx).team),
    'export.setPolicy': (input, ctx) => {
      const { user, team } = context(ctx);
      d.exports.setRowLimit(team, user, input.maxRowsWithoutApproval);
      return d.exports.policy(team);
    },
    'export.mine': (_input, ctx) => {
      const { user, team } = context(ctx);
      return team.exports.list({ userId: user.id }).map(registerView);
    },
    // A supervisor sees the exports of members whose scope lies within their own.
    'export.register': (input, ctx) => {
      const { user, team } = context(ctx);
      return team.exports
        .list({ userId: input.userId, limit: input.limit })
        .filter(visibleTo(user))
        .map(registerView);
    },
    // Only the exports the register shows this supervisor anyway.
    'export.ofFinding': (input, ctx) => {
      const { user, team } = context(ctx);
      return d.exports
        .exportsOfFinding(team, input.fingerprint)
        .map((id) => team.exports.get(id))
        .filter((e): e is RegisteredExport => !!e && visibleTo(user)(e))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.exportId.localeCompare(b.exportId))
        .map(registerView);
    },
    'export.trace': async (input, ctx) => {
      const { user, team, workspace } = context(ctx);
      const data = 'base64' in input ? Buffer.from(input.base64, 'base64') : Buffer.from(input.text, 'utf8');
      let result;
      try {
        result = await traceLeakedData(team, data, 'fileName' in input ? input.fileName : undefined);
      } catch (error) {
        throw new CallError('INVALID_INPUT', (error as Error).message);
      }
      // The dispatcher's entry says a trace ran; this one says which file and what it found (ids only).
      workspace.appendAudit(
        {
          userId: user.id,
          username: user.username,
          action: 'export.traced',
          target: result.fileSha256,
          outcome: 'ok',
          detail: { rows: result.dataRows, attributed: result.candidates.filter((c) => c.attributed).map((c) => c.exportId) },
        },
        isoTime(d.clock),
      );
      return result;
    },
  };
}

/** What screens show of a request (not the requester's scope, the binding hash or the decider's account id). */
function requestView(r: ExportRequest) {
  return {
    requestId: r.requestId,
    requestedAt: r.requestedAt,
    userId: r.userId,
    username: r.username,
    displayName: r.displayName,
    kind: r.kind,
    format: r.format,
    purpose: r.purpose,
    recipient: r.recipient,
    query: r.query,
    rows: r.rows,
    state: r.state,
    decidedName: r.decidedName,
    decidedAt: r.decidedAt,
    note: r.note,
    exportId: r.exportId,
  };
}

/** The dispatcher's entry records the request; this one names the file that left, by id and hash. */
function registered<T extends { exportId: string; rows: number; sha256: string }>(ctx: HandlerContext, clock: Clock, result: T, format: string): T {
  const { user, workspace } = activeSession(ctx);
  workspace.appendAudit(
    { userId: user.id, username: user.username, action: 'export.registered', target: result.exportId, outcome: 'ok', detail: { rows: result.rows, sha256: result.sha256, format } },
    isoTime(clock),
  );
  return result;
}
