/**
 * Rule runs for a user: over their current snapshot, inside their data scope, in the background with progress per
 * rule and cancellation, recorded into their workspace (new / persisting / resolved).
 */
import { CallError } from '../../contract/errors.js';
import type { RunSummary } from '../../store/workspace/findings-store.js';
import type { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { runChecks } from './rule-engine.js';

interface Running {
  progress: { ruleId: string; done: number; total: number };
  cancel: boolean;
}

export class CheckService {
  private readonly running = new Map<string, Running>();
  private readonly lastError = new Map<string, string>();

  status(userId: string, workspace: WorkspaceDb, scope: readonly string[] | null = null) {
    const r = this.running.get(userId);
    return {
      running: r !== undefined,
      progress: r?.progress ?? null,
      lastRun: workspace.findings().lastRun(),
      byRule: workspace.findings().summaryByRule(scope),
      error: this.lastError.get(userId) ?? null,
    };
  }

  start(
    userId: string,
    username: string,
    workspace: WorkspaceDb,
    snapshot: SnapshotDb,
    scope: readonly string[],
    ruleIds: readonly string[] | undefined,
    onDone?: (summary: RunSummary) => void,
  ): void {
    if (this.running.has(userId)) throw new CallError('CONFLICT', 'a rule run is already in progress');
    const state: Running = { progress: { ruleId: '', done: 0, total: 0 }, cancel: false };
    this.running.set(userId, state);
    this.lastError.delete(userId);
    void runChecks(snapshot, { ruleIds, scope, regional: workspace.regionalParameters(), onProgress: (p) => (state.progress = p), isCancelled: () => state.cancel })
      .then((run) => {
        if (!workspace.isOpen) {
          this.lastError.set(userId, 'the session locked during the run; its results were discarded');
          return;
        }
        if (run.cancelled) return;
        const summary = workspace.findings().recordRun(run, run.findings);
        workspace.appendAudit(
          {
            userId,
            username,
            action: 'checks.completed',
            target: run.snapshotId,
            outcome: 'ok',
            detail: { runId: summary.runId, new: summary.newCount, persisting: summary.persistingCount, resolved: summary.resolvedCount, rules: run.rules.map((r) => r.id) },
          },
          new Date().toISOString(),
        );
        onDone?.(summary);
      })
      .catch((error: unknown) => this.lastError.set(userId, error instanceof Error ? error.message : String(error)))
      .finally(() => this.running.delete(userId));
  }

  cancel(userId: string): void {
    const r = this.running.get(userId);
    if (r) r.cancel = true;
  }
}
