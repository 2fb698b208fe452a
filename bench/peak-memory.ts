/** Peak RSS while `work` runs, sampled every 10 ms from a worker thread (the work may keep the main thread busy). */
import { Worker } from 'node:worker_threads';

export async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peakRssAddedMiB: number }> {
  const base = process.memoryUsage().rss;
  const sampler = new Worker(
    `const { parentPort } = require('node:worker_threads'); let peak = 0;
     const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10);
     parentPort.on('message', () => { clearInterval(t); parentPort.postMessage(peak); });`,
    { eval: true },
  );
  await new Promise((r) => setTimeout(r, 50));
  const s = performance.now();
  const value = await work();
  const ms = performance.now() - s;
  const peak = await new Promise<number>((resolve) => {
    sampler.once('message', resolve);
    sampler.postMessage('stop');
  });
  await sampler.terminate();
  return { value, ms: Math.round(ms), peakRssAddedMiB: Math.round((Math.max(peak, base) - base) / 2 ** 20) };
}
