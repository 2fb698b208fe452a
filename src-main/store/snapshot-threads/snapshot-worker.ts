/**
 * A worker thread with its own read-only connection to a snapshot file: it runs the statements the main thread hands
 * it — rules (rules/) and monitoring statements (rules/signals/) — so that a run neither blocks the main process (which
 * serves the UI's calls) nor leaves the second core idle. It asks for work a unit at a time (thread-pool.ts): a unit's
 * statements run in order on this connection, so rules sharing a prelude (a temporary table) build it once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SnapshotDb } from '../snapshot/snapshot-db.js';
import { useNativeBinding } from '../sqlcipher.js';
import type { PoolCommand, PoolMessage, SnapshotJob, SnapshotWorkerTask } from './thread-pool.js';

const task = workerData as SnapshotWorkerTask;
useNativeBinding(task.nativeBinding);
const snapshot = SnapshotDb.open(task.file, task.key);
if (task.cacheMiB) snapshot.limitPageCache(task.cacheMiB);
snapshot.startRun();
const post = (m: PoolMessage) => parentPort!.postMessage(m);

function run(job: SnapshotJob): unknown[][] {
  return job.passes.map((pass) => snapshot.runStatement<unknown>(job.statement, pass.parameters, pass.scope));
}

parentPort!.on('message', (command: PoolCommand) => {
  if (command.type === 'stop') {
    snapshot.close();
    parentPort!.close();
    return;
  }
  try {
    for (const job of command.jobs) {
      post({ type: 'started', id: job.id });
      const started = performance.now();
      const rows = run(job);
      post({ type: 'result', id: job.id, rows, ms: Math.round(performance.now() - started) });
    }
    post({ type: 'idle' });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
post({ type: 'idle' });
