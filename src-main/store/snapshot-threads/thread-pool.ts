/**
 * Statements over one snapshot file on two worker threads (snapshot-worker.ts), shared by the rule engine and the
 * monitoring evaluation. Work is handed out a unit at a time to whichever thread is free, in the order given (the
 * caller puts the longest first): a thread that drew cheap statements takes more, instead of waiting for a fixed half.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../platform/worker-start.js';
import { currentNativeBinding } from '../sqlcipher.js';
import type { RuleStatement } from '../snapshot/snapshot-db.js';

/**
 * One statement — a rule's (with its prelude) or a monitoring signal's — and its passes (one, unless regions set their
 * own parameter values), each with its values and scope. The statement travels with the job, so a worker needs no rule
 * or signal module: it starts with the snapshot store alone.
 */
export interface SnapshotJob {
  id: string;
  statement: RuleStatement;
  passes: { parameters: Record<string, unknown>; scope: string[] | null }[];
}

/**
 * The units of work for the threads, longest first: the jobs sharing a prelude (the household judgement) together, in
 * the order given, so one thread builds it once; then every other job on its own, in the order given.
 */
export function unitsByPrelude(jobs: readonly SnapshotJob[]): SnapshotJob[][] {
  const byPrelude = new Map<string, SnapshotJob[]>();
  const single: SnapshotJob[][] = [];
  for (const job of jobs) {
    const table = job.statement.prelude?.table;
    if (table) byPrelude.set(table, [...(byPrelude.get(table) ?? []), job]);
    else single.push([job]);
  }
  return [...byPrelude.values(), ...single];
}

export interface SnapshotWorkerTask {
  file: string;
  key: Uint8Array;
  /** Electron's build of the SQLite module, when the main thread uses one (module state is per thread). */
  nativeBinding?: string;
  /** The connection's page cache, when not sqlcipher.ts's default (256 MiB). */
  cacheMiB?: number;
}

export type PoolCommand = { type: 'unit'; jobs: SnapshotJob[] } | { type: 'stop' };

export type PoolMessage =
  | { type: 'idle' }
  | { type: 'started'; id: string }
  | { type: 'result'; id: string; rows: unknown[][]; ms: number }
  | { type: 'error'; message: string };

export interface PoolResult {
  rows: unknown[][];
  ms: number;
}

export interface PoolOptions {
  threads?: number;
  /** Each thread's page cache (default: sqlcipher.ts's 256 MiB). */
  cacheMiB?: number;
  onStarted?: (id: string) => void;
  onResult?: (id: string, result: PoolResult) => void;
  /** Polled while the threads run: true terminates them. */
  isCancelled?: () => boolean;
  /**
   * false: each statement's rows are handed to onResult only, not kept for the returned map (whose entries then have
   * no rows), so a caller that packs them as they come (the build's derivation) does not hold every statement's at once.
   */
  retain?: boolean;
}

/**
 * Runs every unit (statements that must share a connection, in order) and returns each statement's rows by id, or
 * `cancelled` when isCancelled stopped the threads first.
 */
export async function runOnSnapshotThreads(
  location: { file: string; key: Uint8Array },
  units: readonly (readonly SnapshotJob[])[],
  o: PoolOptions = {},
): Promise<{ results: Map<string, PoolResult>; cancelled: boolean }> {
  const queue = units.filter((u) => u.length > 0);
  const expected = queue.reduce((n, u) => n + u.length, 0);
  const results = new Map<string, PoolResult>();
  const workers: Worker[] = [];
  let cancelled = false;
  const threads = Math.max(1, Math.min(o.threads ?? 2, queue.length));
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          // The bundled snapshot-worker.js beside main in Electron; the TypeScript source under tsx (platform/worker-start.ts).
          const task: SnapshotWorkerTask = { file: location.file, key: location.key, nativeBinding: currentNativeBinding(), ...(o.cacheMiB ? { cacheMiB: o.cacheMiB } : {}) };
          const worker = startModuleWorker(import.meta.url, 'snapshot-worker', task);
          workers.push(worker);
          const cancelPoll = setInterval(() => {
            if (o.isCancelled?.()) {
              cancelled = true;
              workers.forEach((w) => void w.terminate());
            }
          }, 50);
          worker.on('message', (m: PoolMessage) => {
            if (m.type === 'idle') {
              const unit = queue.shift();
              worker.postMessage((unit ? { type: 'unit', jobs: [...unit] } : { type: 'stop' }) satisfies PoolCommand);
            }
            if (m.type === 'started') o.onStarted?.(m.id);
            if (m.type === 'result') {
              o.onResult?.(m.id, { rows: m.rows, ms: m.ms });
              results.set(m.id, { rows: o.retain === false ? [] : m.rows, ms: m.ms });
            }
            if (m.type === 'error') reject(new Error(m.message));
          });
          worker.on('error', reject);
          worker.on('exit', () => {
            clearInterval(cancelPoll);
            resolve();
          });
        }),
    ),
  ).finally(() => workers.forEach((w) => void w.terminate()));
  if (!cancelled && results.size < expected) throw new Error('a snapshot worker stopped before finishing its statements');
  return { results, cancelled };
}
