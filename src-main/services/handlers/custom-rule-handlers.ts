/**
 * Rules auditors and supervisors write from the same building blocks as 多维查询 plus conditions on any column of the
 * exchange schema: preview the hits inside their scope, save versions, list them (the list is also the file to share).
 */
import { CallError } from '../../contract/errors.js';
import type { CustomRuleView } from '../../contract/schemas.js';
import { BUILTIN_RULES } from '../../rules/index.js';
import { FEED_TABLES, queryJoin, snapshotColumnOf } from '../../domain/exchange/feed-schema.js';
import { columnLabel, tableLabel } from '../../domain/exchange/vocabulary.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import type { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import type { SnapshotProvider } from '../snapshots.js';
import { activeSession, type Handlers } from './types.js';

export function savedCustomRules(workspace: WorkspaceDb) {
  return workspace.customRules().map((r) => ({ rule: r.definition as CustomRuleView, version: r.version, savedBy: r.savedBy, savedAt: r.savedAt }));
}

/**
 * The metadata dictionary 多维查询 and own rules draw on: the tables joinable by person or household that the user's
 * snapshot holds (a v1 snapshot: no v2 tables or columns), their columns, all named in Chinese.
 */
function fieldDictionary(snapshot: SnapshotDb) {
  const layout = snapshot.layout();
  return FEED_TABLES.filter((t) => queryJoin(t) !== null && layout.has(t.table)).map((t) => ({
    table: t.table,
    label: tableLabel(t.table),
    columns: t.columns
      .filter((c) => layout.get(t.table)!.has(snapshotColumnOf(c)))
      .map((c) => ({ column: snapshotColumnOf(c), label: columnLabel(snapshotColumnOf(c), t.table), kind: c.kind })),
  }));
}

export function customRuleHandlers(d: {
  snapshots: SnapshotProvider;
  /** The workstation's clock. */
  clock: Clock;
}): Pick<Handlers, 'rules.customPreview' | 'rules.customSave' | 'rules.customList' | 'rules.customImport' | 'rules.fields'> {
  const preview = (ctx: Parameters<Handlers['rules.customPreview']>[1], rule: CustomRuleView) => {
    const { user, workspace } = activeSession(ctx);
    const snapshot = d.snapshots.forUser(user.id, workspace);
    if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
    try {
      return snapshot.multiQuery(rule.query, user.scope, 0);
    } catch (error) {
      throw new CallError('INVALID_INPUT', (error as Error).message);
    }
  };
  return {
    'rules.customPreview': (input, ctx) => {
      const { total, byDivision } = preview(ctx, input.rule);
      return { total, byDivision };
    },
    'rules.customSave': (input, ctx) => {
      if (BUILTIN_RULES.some((r) => r.id === input.rule.id)) throw new CallError('CONFLICT', 'that id belongs to a built-in rule');
      preview(ctx, input.rule); // refuses a rule whose conditions do not compile
      const { user, workspace } = activeSession(ctx);
      workspace.saveCustomRule(input.rule.id, input.rule, user.username, isoTime(d.clock));
      return savedCustomRules(workspace);
    },
    'rules.customList': (_input, ctx) => savedCustomRules(activeSession(ctx).workspace),
    // Sharing: a colleague's exported list (validated like any input) becomes new versions here; nothing is overwritten.
    'rules.customImport': (input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      for (const rule of input.rules) {
        if (BUILTIN_RULES.some((r) => r.id === rule.id)) throw new CallError('CONFLICT', `${rule.id} belongs to a built-in rule`);
        preview(ctx, rule);
      }
      const at = isoTime(d.clock);
      for (const rule of input.rules) workspace.saveCustomRule(rule.id, rule, user.username, at);
      return savedCustomRules(workspace);
    },
    'rules.fields': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      const snapshot = d.snapshots.forUser(user.id, workspace);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      return fieldDictionary(snapshot);
    },
  };
}
