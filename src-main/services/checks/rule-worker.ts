/**
 * A worker thread that runs some of the rules over its own read-only connection to a snapshot file, so that a rule run
 * neither blocks the main process (which serves the UI's calls) nor leaves the second core idle.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ruleModule } from '../../rules/index.js';
import { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { useNativeBinding } from '../../store/sqlcipher.js';

export interface RuleWorkerTask {
  file: string;
  key: Uint8Array;
  /** Each rule with its passes (one, unless regions set their own parameter values). */
  jobs: { ruleId: string; passes: { parameters: Record<string, unknown>; scope: string[] | null }[] }[];
  /** Electron's build of the SQLite module, when the main thread uses one (module state is per thread). */
  nativeBinding?: string;
}

export type RuleWorkerMessage =
  | { type: 'started'; ruleId: string }
  | { type: 'result'; ruleId: string; rows: ReturnType<SnapshotDb['runRule']>[]; ms: number }
  | { type: 'error'; message: string };

const task = workerData as RuleWorkerTask;
useNativeBinding(task.nativeBinding);
const snapshot = SnapshotDb.open(task.file, task.key);
try {
  snapshot.startRun();
  for (const job of task.jobs) {
    parentPort!.postMessage({ type: 'started', ruleId: job.ruleId } satisfies RuleWorkerMessage);
    const started = performance.now();
    const rule = ruleModule(job.ruleId);
    if (!rule) throw new Error(`no rule ${job.ruleId}`);
    const rows = job.passes.map((pass) => snapshot.runRule(rule, pass.parameters, pass.scope));
    parentPort!.postMessage({ type: 'result', ruleId: job.ruleId, rows, ms: Math.round(performance.now() - started) } satisfies RuleWorkerMessage);
  }
} catch (error) {
  parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies RuleWorkerMessage);
} finally {
  snapshot.close();
}
