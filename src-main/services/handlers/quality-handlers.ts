/**
 * The data-quality report of the user's snapshot: completeness per table and column, the Q-rules of the library with
 * a few examples each (only inside the user's scope for subjects that have a division), and freshness per feed.
 * Snapshot-wide figures are computed once per snapshot and kept in memory.
 */
import { CallError } from '../../contract/errors.js';
import type { QualityReportView } from '../../contract/schemas.js';
import { columnLabel, tableLabel } from '../../domain/exchange/vocabulary.js';
import { maskIdsInText } from '../../domain/id-number.js';
import { resolveParameters } from '../../domain/rules/rule-library.js';
import { RULE_MODULES } from '../../rules/index.js';
import { terms } from '../../platform/terms.js';
import { explainEvidence } from '../evidence/explain-evidence.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import type { SnapshotProvider } from '../snapshots.js';
import { activeSession, type Handlers } from './types.js';

export function qualityHandlers(d: { snapshots: SnapshotProvider }): Pick<Handlers, 'quality.report'> {
  const cache = new Map<string, { tables: ReturnType<SnapshotDb['columnProfile']>; freshness: Record<string, string | null> }>();
  return {
    'quality.report': (_input, ctx) => {
      const { user, workspace, prefs } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      const meta = snapshot.meta();
      let figures = cache.get(meta.snapshotId);
      if (!figures) {
        figures = { tables: snapshot.columnProfile(), freshness: snapshot.freshness() };
        cache.set(meta.snapshotId, figures);
      }
      // Named as people know them, in the user's language: 人员基本信息 · 联系电话, not person.phone.
      const language = prefs.language;
      const profile: Pick<QualityReportView, 'tables' | 'freshness'> = {
        tables: figures.tables.map((tb) => ({ ...tb, label: tableLabel(tb.table, language), columns: tb.columns.map((c) => ({ ...c, label: columnLabel(c.column, tb.table, language) })) })),
        freshness: Object.entries(figures.freshness).map(([table, newest]) => ({ table, label: tableLabel(table, language), newest })),
      };
      const t = terms(language);
      const checks = RULE_MODULES.filter((m) => m.definition.family === 'quality').map((m) => {
        const rule = m.definition;
        const rows = snapshot.runRule(m, resolveParameters(rule), user.scope);
        // Examples in words (the same sentences as a finding's 触发原因), ID numbers masked.
        const examples = rows.slice(0, 10).map(
          (r) => explainEvidence(rule.id, JSON.parse(r.evidence) as unknown, { t, language, asOf: meta.asOf, amountCents: null, parameters: {}, divisionName: (c) => snapshot.divisionName(c) }).summary.join(' ') || maskIdsInText(r.subject_id),
        );
        return { ruleId: rule.id, count: rows.length, examples };
      });
      return { snapshotId: meta.snapshotId, asOf: meta.asOf, ...profile, checks, uniqueness: 'enforced' as const };
    },
  };
}
