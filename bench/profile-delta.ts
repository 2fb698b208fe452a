/**
 * Where applying a 1 % delta spends its time: `npx tsx bench/profile-delta.ts SNAPSHOT.db [KEYFILE]` makes the next
 * snapshot with 1 % of its rows changed (test/helpers/platform-fixture.ts's amend), computes the delta, then repeats
 * applyDelta's steps one by one on a copy of the snapshot, each with wall and CPU milliseconds: the copy, the digests of
 * the touched rows per table, each statement (with its query plan), the commit; then counts the pages the delta
 * rewrote, and times applyDelta itself. Prints JSON; writes nothing outside a temporary folder. KEYFILE holds the key
 * in hex (default SNAPSHOT.db.key). docs/performance.md, "Sync (session 10)".
 */
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEncrypted } from '../src-main/store/sqlcipher.js';
import { applyDelta, computeDelta } from '../src-main/store/snapshot/snapshot-delta.js';
import { hashRows, primaryKey } from '../src-main/store/snapshot/snapshot-digest.js';
import { snapshotContentTables } from '../src-main/store/snapshot/schema.js';
import { amend } from '../test/helpers/platform-fixture.js';

const [source, keyFile = `${process.argv[2]}.key`] = process.argv.slice(2);
if (!source) throw new Error('usage: npx tsx bench/profile-delta.ts SNAPSHOT.db [KEYFILE]');
const dir = mkdtempSync(join(tmpdir(), 'aw-prof-delta-'));
const start = () => ({ at: performance.now(), cpu: process.cpuUsage() });
const took = (s: ReturnType<typeof start>) => {
  const c = process.cpuUsage(s.cpu);
  return { wallMs: Math.round(performance.now() - s.at), cpuMs: Math.round((c.user + c.system) / 1000) };
};

try {
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex');
  const fileA = join(dir, 'A.db');
  copyFileSync(source, fileA);
  let db = openEncrypted(fileA, key, { journal: 'delete' });
  db.prepare(`UPDATE meta SET value = 'prof-A' WHERE key = 'snapshot_id'`).run();
  const asOf = (db.prepare(`SELECT value FROM meta WHERE key = 'as_of'`).get() as { value: string }).value;
  db.close();
  const c = amend({ file: fileA, key, id: 'prof-A', asOf }, dir, 'prof-C', '2100-01-31');
  const deltaFile = join(dir, 'delta.db');
  const rows = Object.fromEntries(
    Object.entries(computeDelta({ oldFile: fileA, oldKey: key, oldId: 'prof-A', newFile: c.file, newKey: c.key, newId: 'prof-C', deltaFile })).filter(([, n]) => n > 0),
  );

  const steps: Record<string, unknown> = {};
  const work = join(dir, 'work.db');
  let s = start();
  copyFileSync(fileA, work);
  steps.copyBase = took(s);
  s = start();
  db = openEncrypted(work, key, { journal: 'memory' });
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('secure_delete = ON');
  db.exec(`ATTACH DATABASE '${deltaFile}' AS d KEY "x'${c.key.toString('hex')}'"`);
  const meta = Object.fromEntries((db.prepare('SELECT key, value FROM d.delta_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  steps.openAttachMeta = { ...took(s), journalMode: db.pragma('journal_mode', { simple: true }) };
  const tables = ['meta', ...snapshotContentTables(db, 'main')];
  const keys = new Map(tables.map((t) => [t, primaryKey(db, 'main', t)]));
  const touched = (t: string) => (db.prepare(`SELECT (SELECT count(*) FROM d.${t}__upsert) + (SELECT count(*) FROM d.${t}__delete) AS n`).get() as { n: number }).n;
  const digests: Record<string, unknown> = {};
  s = start();
  for (const t of tables.filter((x) => touched(x) > 0)) {
    const k = keys.get(t)!;
    const pk = k.join(', ');
    const sql = `SELECT t.* FROM (SELECT ${pk} FROM d.${t}__delete UNION SELECT ${pk} FROM d.${t}__upsert) AS k CROSS JOIN main.${t} AS t ON ${k.map((x) => `t.${x} = k.${x}`).join(' AND ')} ORDER BY ${k.map((x) => `t.${x}`).join(', ')}`;
    const one = start();
    const digest = hashRows(createHash('sha256'), db.prepare(sql).raw(true).iterate() as Iterable<unknown[]>).digest('hex');
    digests[t] = { keys: touched(t), ...took(one), matches: digest === meta[`before:${t}`] };
  }
  steps.touchedRowDigests = { ...took(s), tables: digests };
  const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
  const statements: unknown[] = [];
  s = start();
  db.exec('BEGIN');
  for (const t of tables.filter((x) => touched(x) > 0)) {
    const k = keys.get(t)!;
    const same = k.map((x) => `m.${x} = u.${x}`).join(' AND ');
    const changed = meta[`changed:${t}`];
    const one = start();
    const del = db.prepare(`DELETE FROM main.${t} WHERE ${k.map((x) => `${x} = ?`).join(' AND ')}`);
    let deleted = 0;
    for (const row of db.prepare(`SELECT ${k.join(', ')} FROM d.${t}__delete`).raw(true).all() as unknown[][]) deleted += del.run(...row).changes;
    if (deleted > 0) statements.push({ table: t, step: 'delete by key', rows: deleted, ...took(one), plan: plan(`DELETE FROM main.${t} WHERE ${k.map((x) => `${x} = '?'`).join(' AND ')}`) });
    const sqls = [
      ...(changed ? [`UPDATE main.${t} AS m SET (${changed}) = (${changed.split(',').map((x) => `u.${x}`).join(', ')}) FROM d.${t}__upsert AS u WHERE ${same}`] : []),
      `INSERT INTO main.${t} SELECT * FROM d.${t}__upsert AS u WHERE NOT EXISTS (SELECT 1 FROM main.${t} AS m WHERE ${same})`,
    ];
    for (const sql of sqls) {
      const st = start();
      const n = db.prepare(sql).run().changes;
      if (n > 0) statements.push({ table: t, step: sql.split(' ')[0], rows: n, ...took(st), plan: plan(sql) });
    }
  }
  const commit = start();
  db.exec('COMMIT');
  steps.statements = statements;
  steps.commit = took(commit);
  steps.applyTotal = took(s);
  db.close();

  // Pages the delta rewrote: SQLCipher pages carry random IVs, so a rewritten page differs even when its rows do not.
  const pageSize = 4096;
  const fa = openSync(fileA, 'r');
  const fb = openSync(work, 'r');
  const a = Buffer.alloc(1 << 20);
  const b = Buffer.alloc(1 << 20);
  let rewritten = 0;
  let pages = 0;
  for (let off = 0; ; off += 1 << 20) {
    const na = readSync(fa, a, 0, a.length, off);
    const nb = readSync(fb, b, 0, b.length, off);
    if (Math.max(na, nb) === 0) break;
    for (let p = 0; p < Math.max(na, nb); p += pageSize, pages++) if (p >= na || p >= nb || a.compare(b, p, p + pageSize, p, p + pageSize) !== 0) rewritten++;
  }
  closeSync(fa);
  closeSync(fb);

  const base = join(dir, 'base.db');
  copyFileSync(fileA, base);
  s = start();
  applyDelta({ baseFile: base, baseKey: key, baseId: 'prof-A', deltaFile, newKey: c.key, newId: 'prof-C', expectedDigest: '', outFile: join(dir, 'out.db'), consumeBase: true });
  const applyDeltaInPlace = took(s);
  s = start();
  applyDelta({ baseFile: fileA, baseKey: key, baseId: 'prof-A', deltaFile, newKey: c.key, newId: 'prof-C', expectedDigest: '', outFile: join(dir, 'out-copy.db') });
  const applyDeltaOnCopy = took(s);
  console.log(JSON.stringify({ deltaRows: rows, pages, rewritten, steps, applyDeltaInPlace, applyDeltaOnCopy }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
