/**
 * A worker thread that runs some of the monitoring statements (rules/signals/) over its own read-only connection to a
 * snapshot file — as the rules do (services/checks/rule-worker.ts): the main process keeps serving, and the second core
 * reads the other half of the statements (the two full scans of income_record go to different threads).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { useNativeBinding } from '../../store/sqlcipher.js';
import { monitoringStatement } from './statements.js';

export interface SignalWorkerTask {
  file: string;
  key: Uint8Array;
  /** Each statement (a signal's id, or the population's) with its passes' bound values and scopes. */
  jobs: { id: string; passes: { binds: Record<string, unknown>; scope: string[] | null }[] }[];
  nativeBinding?: string;
}

export type SignalWorkerMessage =
  | { type: 'result'; id: string; rows: unknown[][]; ms: number }
  | { type: 'error'; message: string };

const task = workerData as SignalWorkerTask;
useNativeBinding(task.nativeBinding);
const snapshot = SnapshotDb.open(task.file, task.key);
try {
  // The signals read no rule prelude (temp tables): nothing to drop before them.
  for (const job of task.jobs) {
    const started = performance.now();
    const sql = monitoringStatement(job.id);
    const rows = job.passes.map((pass) => snapshot.runStatement<unknown>({ sql }, pass.binds, pass.scope));
    parentPort!.postMessage({ type: 'result', id: job.id, rows, ms: Math.round(performance.now() - started) } satisfies SignalWorkerMessage);
  }
} catch (error) {
  parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies SignalWorkerMessage);
} finally {
  snapshot.close();
}
