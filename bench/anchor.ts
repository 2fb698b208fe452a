/**
 * Audit anchoring benchmark: a user's chain of BENCH_AUDIT_ENTRIES (default 50,000) signed entries anchored at a
 * platform over loopback for the first time (every entry goes up, in batches of 1,000, and the platform verifies each
 * link, hash and signature), then the usual case: 1,000 new entries since the last sync. The time of a sync with
 * nothing to anchor is subtracted. Writes bench/results/anchor.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatformServer } from '../src-main/data-platform/serve.js';
import { LocalSnapshots } from '../src-main/store/snapshot/local-snapshots.js';
import { syncOnce } from '../src-main/services/sync/sync-engine.js';
import { memoryTrail } from '../test/helpers/audit-trail.js';
import { makePublication, makeSnapshot } from '../test/helpers/platform-fixture.js';
import { systemClock } from '../src-main/platform/clock.js';

const ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'aw-bench-anchor-'));
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

try {
  const pub = await makePublication(dir);
  await pub.publish(makeSnapshot(join(dir, 'built'), 'A-1', 1500, 5));
  let t0 = process.hrtime.bigint();
  const trail = memoryTrail(ENTRIES);
  const sealMs = ms(t0);
  const server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: ['bench-token'] });
  const credentials = pub.credentials(server.url, 'bench-token');
  const local = new LocalSnapshots(join(dir, 'ws'));
  await syncOnce({ clock: systemClock, credentials, local });

  // A sync with nothing to anchor, for the baseline (manifest check, uploads of nothing).
  const baseline: number[] = [];
  for (let i = 0; i < 3; i++) {
    t0 = process.hrtime.bigint();
    await syncOnce({ clock: systemClock, credentials, local });
    baseline.push(ms(t0));
  }
  const base = baseline.sort((a, b) => a - b)[1]!;

  t0 = process.hrtime.bigint();
  const first = await syncOnce({ clock: systemClock, credentials, local, audit: trail });
  const firstMs = ms(t0) - base;
  if (first.anchor?.body.seq !== ENTRIES) throw new Error(`first anchor ended at ${first.anchor?.body.seq}`);

  trail.append(1000);
  t0 = process.hrtime.bigint();
  const next = await syncOnce({ clock: systemClock, credentials, local, audit: trail });
  const nextMs = ms(t0) - base;
  if (next.anchor?.body.seq !== ENTRIES + 1000) throw new Error('increment not anchored');
  await server.close();
  await pub.close();

  const result = {
    benchmark: 'anchor',
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    entries: ENTRIES,
    sealEntriesMs: Math.round(sealMs),
    syncBaselineMs: Math.round(base),
    firstAnchorMs: Math.round(firstMs),
    firstAnchorEntriesPerSecond: Math.round(ENTRIES / (firstMs / 1000)),
    increment1000Ms: Math.round(nextMs),
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'anchor.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
