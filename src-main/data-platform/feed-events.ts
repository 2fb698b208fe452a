/**
 * The feeds of a build as a sequence of events, table by table in schema order: a table opened (or missing), its rows
 * in cleaned batches (feed-cleaning.ts), its dictionary warnings. The build (build.ts) inserts what they carry. They
 * come either from this thread (`feedEvents`) or from a worker thread that reads, parses and cleans beside the inserting
 * one (`feedEventsOnWorker`, feed-worker.ts): the worker runs `feedEvents` itself, so both give the same events.
 */
import type { Worker } from 'node:worker_threads';
import { FEED_TABLES } from '../domain/exchange/feed-schema.js';
import { FeedRejectedError, type FeedLimits } from '../platform/feed-reader.js';
import type { FeedSource } from '../platform/feed-source.js';
import { startModuleWorker } from '../platform/worker-start.js';
import { TableCleaner, type CleanBatch } from './feed-cleaning.js';

export type FeedEvent =
  | { type: 'table'; table: number; name: string; ignoredHeaders: string[] }
  | { type: 'missing'; table: number }
  | { type: 'batch'; batch: CleanBatch }
  /** The table's last rows have been given; its dictionary warnings, in the order first met. */
  | { type: 'end'; warnings: [string, number][] };

/** Rows per batch at least (a feed reader's batch may be a single row: csv-parse's path). */
const BATCH_ROWS = 2048;

/**
 * Reads and cleans every table of `source`. `insertColumns[i]`: the snapshot insert's columns for FEED_TABLES[i] (none
 * when the layout lacks it). A refused file throws (FeedRejectedError) after the batches of the rows read before.
 *
 * A batch is the consumer's until it asks for the next event: its buffer is then filled again. `spare`: buffers to
 * fill (a worker adds those the build hands back).
 */
export async function* feedEvents(source: FeedSource, limits: FeedLimits, insertColumns: readonly (readonly string[])[], spare: ArrayBuffer[] = []): AsyncGenerator<FeedEvent> {
  /** The batch, once the consumer is done with it: its buffer is reused, unless it was handed to another thread. */
  const batch = function* (b: CleanBatch): Generator<FeedEvent> {
    yield { type: 'batch', batch: b };
    if (b.buffer.byteLength > 0) spare.push(b.buffer);
  };
  for (const [table, spec] of FEED_TABLES.entries()) {
    const opened = await source.open(spec, limits);
    if (!opened) {
      yield { type: 'missing', table };
      continue;
    }
    const { name, feed } = opened;
    yield { type: 'table', table, name, ignoredHeaders: feed.ignoredHeaders };
    const cleaner = new TableCleaner(spec.table, feed.positions, insertColumns[table]!);
    try {
      for await (const rows of feed.batches) {
        cleaner.add(rows);
        if (cleaner.size >= BATCH_ROWS) yield* batch(cleaner.take(spare));
      }
    } catch (error) {
      // The rows read before a refused file are inserted before its error, as they would be one by one.
      if (cleaner.size > 0) yield* batch(cleaner.take(spare));
      throw error;
    }
    if (cleaner.size > 0) yield* batch(cleaner.take(spare));
    yield { type: 'end', warnings: [...cleaner.warnings] };
  }
}

/** Where the worker reads the feeds: a folder of files, or the platform's database (store/feed-database/). */
export type WorkerFeeds = { folder: string } | { database: string };

/** What the build hands the worker. */
export interface FeedWorkerTask {
  feeds: WorkerFeeds;
  limits: FeedLimits;
  insertColumns: (readonly string[])[];
  /** Batches the worker may have handed over and the build not yet inserted (the queue's bound). */
  inFlight: number;
}

export type WorkerMessage =
  | { type: 'event'; event: FeedEvent }
  | { type: 'error'; name: string; message: string; file?: string; reason?: string; code?: string }
  | { type: 'done' };

/** A batch inserted (its buffer handed back to be filled again), or the build stopped early. */
export type BuildMessage = { type: 'inserted'; buffer: ArrayBuffer } | { type: 'stop' };

const IN_FLIGHT = 4;

/**
 * `feedEvents` of a folder of feed files or of a database's tables, read and cleaned on a worker thread. At most a few batches wait between the
 * threads (the worker waits for the build to take one before it hands over the next), so memory does not grow with
 * the rows. A failure on the worker is thrown here, as the same error, at the point `feedEvents` would have thrown it.
 */
export async function* feedEventsOnWorker(feeds: WorkerFeeds, limits: FeedLimits, insertColumns: readonly (readonly string[])[]): AsyncGenerator<FeedEvent> {
  const task: FeedWorkerTask = { feeds, limits, insertColumns: [...insertColumns], inFlight: IN_FLIGHT };
  const worker = startModuleWorker(import.meta.url, 'feed-worker', task);
  const queue: (WorkerMessage | { type: 'exit'; error?: Error })[] = [];
  let wake: (() => void) | null = null;
  const arrive = (m: (typeof queue)[number]) => {
    queue.push(m);
    wake?.();
  };
  worker.on('message', (m: WorkerMessage) => arrive(m));
  worker.on('error', (error) => arrive({ type: 'exit', error }));
  const exited = new Promise<void>((resolve) => worker.on('exit', () => (arrive({ type: 'exit' }), resolve())));
  let done = false;
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const m = queue.shift()!;
      if (m.type === 'done') {
        done = true;
        return;
      }
      if (m.type === 'exit') throw m.error ?? new Error('the feed worker stopped before the last table');
      if (m.type === 'error') throw rebuiltError(m);
      yield m.event;
      if (m.event.type === 'batch') worker.postMessage({ type: 'inserted', buffer: m.event.batch.buffer } satisfies BuildMessage, [m.event.batch.buffer]);
    }
  } finally {
    // Stopped early (a refused file, a failed insert): the worker closes its file and ends; it is ended anyway soon.
    if (!done) worker.postMessage({ type: 'stop' } satisfies BuildMessage);
    await stopped(worker, exited);
  }
}

async function stopped(worker: Worker, exited: Promise<void>): Promise<void> {
  const timer = setTimeout(() => void worker.terminate(), 2000);
  await exited;
  clearTimeout(timer);
}

/** The worker's error as the build would have thrown it in one thread. */
function rebuiltError(m: Extract<WorkerMessage, { type: 'error' }>): Error {
  if (m.name === 'FeedRejectedError' && m.file !== undefined && m.reason !== undefined) return new FeedRejectedError(m.file, m.reason);
  return Object.assign(new Error(m.message), m.code ? { code: m.code } : {});
}
