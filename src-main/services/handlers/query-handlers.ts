/** 多维查询: building-block queries over the user's snapshot, inside their scope, and the queries they saved. */
import { CallError } from '../../contract/errors.js';
import { applyNameMasking, exportMaskingFor } from '../../domain/export/masking.js';
import { maskIdNumber } from '../../domain/id-number.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { PersonRefs } from '../../platform/person-refs.js';
import type { MultiQueryView } from '../../contract/schemas.js';
import type { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import type { SnapshotProvider } from '../snapshots.js';
import { activeSession, type Handlers } from './types.js';

const LIST_LIMIT = 500;

export function queryHandlers(d: { snapshots: SnapshotProvider; refs: PersonRefs; clock: Clock }): Pick<Handlers, 'query.run' | 'query.save' | 'query.saved'> {
  const saved = (workspace: WorkspaceDb) => workspace.savedQueries().map((q) => ({ name: q.name, query: q.definition as MultiQueryView, createdAt: q.createdAt }));
  return {
    'query.run': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      const result = snapshot.multiQuery(input.query, input.divisionPrefix ? [input.divisionPrefix] : user.scope, LIST_LIMIT);
      const masking = exportMaskingFor(user.role);
      return {
        ...result,
        persons: result.persons.map(({ personId, name, ...p }) => ({
          ...p,
          divisionName: snapshot.divisionName(p.divisionCode),
          personRef: d.refs.toRef(personId),
          personLabel: maskIdNumber(personId),
          name: applyNameMasking(name, masking),
        })),
      };
    },
    'query.save': (input, ctx) => {
      const { workspace } = activeSession(ctx);
      workspace.saveQuery(input.name, input.query, isoTime(d.clock));
      return saved(workspace);
    },
    'query.saved': (_input, ctx) => saved(activeSession(ctx).workspace),
  };
}
