/**
 * The data-quality report of the user's snapshot: completeness per table and column, the Q-rules of the library with
 * a few examples each (only inside the user's scope for subjects that have a division), and freshness per feed.
 * Snapshot-wide figures are computed once per snapshot and kept in memory.
 */
import { CallError } from '../../contract/errors.js';
import type { QualityReportView } from '../../contract/schemas.js';
import { BUILTIN_RULES, resolveParameters } from '../../domain/rules/rule-library.js';
import type { SnapshotProvider } from '../snapshots.js';
import { activeSession, type Handlers } from './types.js';

export function qualityHandlers(d: { snapshots: SnapshotProvider }): Pick<Handlers, 'quality.report'> {
  const cache = new Map<string, Pick<QualityReportView, 'tables' | 'freshness'>>();
  return {
    'quality.report': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      const meta = snapshot.meta();
      let profile = cache.get(meta.snapshotId);
      if (!profile) {
        profile = { tables: snapshot.columnProfile(), freshness: snapshot.freshness() };
        cache.set(meta.snapshotId, profile);
      }
      const checks = BUILTIN_RULES.filter((r) => r.family === 'quality').map((rule) => {
        const rows = snapshot.runRule(rule.id, resolveParameters(rule), user.scope);
        return { ruleId: rule.id, count: rows.length, examples: rows.slice(0, 10).map((r) => ({ subject: r.subject_id, detail: r.facts ?? '' })) };
      });
      return { snapshotId: meta.snapshotId, asOf: meta.asOf, ...profile, checks, uniqueness: 'enforced' as const };
    },
  };
}
