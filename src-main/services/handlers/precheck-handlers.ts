/** Pre-check of one applicant household against the user's snapshot (the choke point has checked the division). */
import { CallError } from '../../contract/errors.js';
import { maskIdNumber } from '../../domain/id-number.js';
import { precheck } from '../checks/precheck.js';
import type { SnapshotProvider } from '../snapshots.js';
import { activeSession, type Handlers } from './types.js';

export function precheckHandlers(d: { snapshots: SnapshotProvider }): Pick<Handlers, 'precheck.household'> {
  return {
    'precheck.household': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      const result = precheck(snapshot, { ...input, scope: user.scope });
      // The screen names members by masked number only (full numbers go through the audited reveal).
      return { ...result, reasons: result.reasons.map((r) => (r.personId ? { ...r, personId: maskIdNumber(r.personId) } : r)) };
    },
  };
}
