/** Pre-check of one applicant household against the user's snapshot (the choke point has checked the division). */
import { CallError } from '../../contract/errors.js';
import { maskIdNumber } from '../../domain/id-number.js';
import { applicantIds, precheck } from '../checks/precheck.js';
import type { MonitoringService } from '../monitoring/monitoring-service.js';
import type { SnapshotProvider } from '../snapshots.js';
import type { TeamAccess } from '../team-access.js';
import { regionalParametersFor } from '../checks/parameter-service.js';
import { activeSession, type Handlers } from './types.js';

const WARNING_ROLES = new Set(['auditor', 'supervisor']);

export function precheckHandlers(d: { snapshots: SnapshotProvider; team: TeamAccess; monitoring: MonitoringService }): Pick<Handlers, 'precheck.household'> {
  return {
    'precheck.household': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      // The region's parameter values (the team's, when the user has the team store open), for the household's division.
      const values = d.team.hasAccess(user.id) ? d.team.forUser(user.id).parameters.list() : [];
      const division = input.divisionCode ?? input.personIds.map((id) => snapshot.divisionsOfPerson(id.trim())[0]).find(Boolean) ?? '';
      const result = precheck(snapshot, { ...input, scope: user.scope, parameters: regionalParametersFor(values, division, snapshot.meta().asOf) });
      // The applicant household's open warnings (monitoring.md, issue 17 Deliver 6): the households the members live in
      // inside the caller's scope, for those who work the loop (finance staff do not). A mistyped number finds nothing.
      const households =
        result.outcome !== 'invalid_input' && WARNING_ROLES.has(user.role) && d.team.hasAccess(user.id)
          ? [...new Set(applicantIds(input.personIds).flatMap((id) => snapshot.householdOf(id, user.scope)?.household_id ?? []))]
          : [];
      const warnings = households.length ? d.monitoring.openOfHouseholds(d.team.forUser(user.id), snapshot, user, households) : [];
      // The screen names members by masked number only (full numbers go through the audited reveal).
      return { ...result, reasons: result.reasons.map((r) => (r.personId ? { ...r, personId: maskIdNumber(r.personId) } : r)), warnings };
    },
  };
}
