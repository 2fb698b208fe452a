/**
 * The build's second thread (feed-events.ts `feedEventsOnWorker`): reads, parses and cleans a folder's feed files or
 * the platform database's feed tables and hands the build its events, the batches' buffers moved rather than copied. It holds no more than `inFlight` batches
 * the build has not yet inserted, so memory stays flat however many rows a file has. Rows live in this thread's memory
 * only: nothing is written to disk here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { folderFeedSource } from '../platform/feed-source.js';
import { FeedRejectedError } from '../platform/feed-reader.js';
import { openDatabaseFeedSource } from '../store/feed-database/database-feed-source.js';
import { feedEvents, type BuildMessage, type FeedEvent, type FeedWorkerTask, type WorkerMessage } from './feed-events.js';

const task = workerData as FeedWorkerTask;
const port = parentPort!;
let credits = task.inFlight;
let stopping = false;
let wake: (() => void) | null = null;
/** The buffers of batches the build has inserted, to be filled again. */
const spare: ArrayBuffer[] = [];

port.on('message', (m: BuildMessage) => {
  if (m.type === 'inserted') {
    credits++;
    spare.push(m.buffer);
  } else stopping = true;
  wake?.();
});

async function hand(event: FeedEvent): Promise<void> {
  if (event.type !== 'batch') return port.postMessage({ type: 'event', event } satisfies WorkerMessage);
  while (credits === 0 && !stopping) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port.postMessage({ type: 'event', event } satisfies WorkerMessage, [event.batch.buffer]);
}

async function run(): Promise<void> {
  // The database is connected to from this thread, in its own read-only transaction (database-feed-source.ts).
  const source = 'folder' in task.feeds ? folderFeedSource(task.feeds.folder) : await openDatabaseFeedSource(task.feeds.database);
  try {
    for await (const event of feedEvents(source, task.limits, task.insertColumns, spare)) {
      if (stopping) return;
      await hand(event);
    }
    port.postMessage({ type: 'done' } satisfies WorkerMessage);
  } finally {
    await source.close();
  }
}

run()
  .catch((error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    const rejected = e instanceof FeedRejectedError ? { file: e.file, reason: e.reason } : {};
    const code = (e as { code?: unknown }).code;
    port.postMessage({ type: 'error', name: e.name, message: e.message, ...rejected, ...(typeof code === 'string' ? { code } : {}) } satisfies WorkerMessage);
  })
  .finally(() => port.close());
