/**
 * Where a snapshot's bytes go (docs/performance.md, "snapshot size"): `npx tsx bench/snapshot-size.ts [PERSONS]
 * [PROFILE] [FEEDS_DIR]` (default 60000 dense) writes clean CSV feeds (seed 3, as bench/profile-run.ts; kept and reused
 * when FEEDS_DIR already holds them), runs the platform build on them in this process, and prints per table and index
 * the CSV bytes, the pages (dbstat: page space, payload, unused) and the snapshot's size against its feeds.
 * SIZE_KEEP=<file> keeps the snapshot there (its key in <file>.key, hex), to read or time rules on it afterwards.
 * Not part of `npm run bench`: a tool for reading the layout.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedWriter } from '../src-main/data-platform/feed-writer.js';
import { buildSnapshot } from '../src-main/data-platform/build.js';
import { generateDistrict, type GeneratorProfile } from '../src-main/generator/district-generator.js';
import { openEncrypted } from '../src-main/store/sqlcipher.js';

const [persons = '60000', profile = 'dense', feedsArg] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'aw-snapshot-size-'));
const feedsDir = feedsArg ?? join(work, 'feeds');
const mib = (b: number) => (b / 2 ** 20).toFixed(2);
try {
  let asOf: string;
  if (existsSync(join(feedsDir, 'as-of.txt'))) {
    asOf = readFileSync(join(feedsDir, 'as-of.txt'), 'utf8').trim();
  } else {
    mkdirSync(feedsDir, { recursive: true });
    const feeds = new FeedWriter({ dir: feedsDir, format: 'csv', dirty: false, seed: 3 });
    const summary = generateDistrict({ seed: 3, persons: Number(persons), profile: profile as GeneratorProfile }, { row: (r, v2) => feeds.write(r, v2), truth: () => undefined });
    await feeds.close();
    asOf = summary.asOf;
    writeFileSync(join(feedsDir, 'as-of.txt'), asOf);
  }
  const csv = new Map(readdirSync(feedsDir).filter((f) => f.endsWith('.csv')).map((f) => [f.replace(/\.csv$/, ''), statSync(join(feedsDir, f)).size]));
  const feedBytes = [...csv.values()].reduce((a, b) => a + b, 0);
  const key = randomBytes(32);
  const file = join(work, 'snapshot.db');
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await buildSnapshot({ feedsDir, outFile: file, key, snapshotId: 'size', asOf, jurisdiction: ['320111', '320116'] });
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - started) / 1000;
  const bytes = statSync(file).size;
  const db = openEncrypted(file, key, { readonly: true });
  const rows = db
    .prepare(
      `SELECT s.name, m.tbl_name AS tbl, m.type, sum(pgsize) AS pg, sum(payload) AS payload, sum(unused) AS unused, count(*) AS pages
       FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY s.name ORDER BY pg DESC`,
    )
    .all() as { name: string; tbl: string | null; type: string | null; pg: number; payload: number; unused: number; pages: number }[];
  db.close();
  if (process.env.SIZE_KEEP) {
    copyFileSync(file, process.env.SIZE_KEEP);
    writeFileSync(`${process.env.SIZE_KEEP}.key`, key.toString('hex'));
  }
  console.log(`${profile}: ${persons} persons asked, feeds ${mib(feedBytes)} MiB, snapshot ${mib(bytes)} MiB = ${(bytes / feedBytes).toFixed(3)}×; build ${seconds.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);
  console.log('name'.padEnd(34) + 'pages MiB'.padStart(11) + 'payload'.padStart(10) + 'unused'.padStart(10) + ' fill   CSV MiB');
  for (const r of rows) {
    const c = r.type === 'table' ? csv.get(r.name) : undefined;
    console.log(r.name.padEnd(34) + mib(r.pg).padStart(11) + mib(r.payload).padStart(10) + mib(r.unused).padStart(10) + `  ${((1 - r.unused / r.pg) * 100).toFixed(0)}%` + (c !== undefined ? `  ${mib(c).padStart(8)}` : ''));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
