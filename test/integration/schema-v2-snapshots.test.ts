/**
 * Schema v2 end to end: the generator's v2 district is deterministic and leaves every v1 row, finding and amount of
 * its seed as it was; a v2 snapshot is published, synced and read (v2 tables, meta.feeds, 多维查询 on the new tables);
 * a v1 snapshot still opens, syncs (full and delta) and runs the v1 rules; a schema this app does not know is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src-main/data-platform/publish.js';
import { systemClock } from '../../src-main/platform/clock.js';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { V1_TABLE_NAMES, V2_TABLE_NAMES } from '../../src-main/domain/exchange/rows.js';
import { columnLabel, tableLabel } from '../../src-main/domain/exchange/vocabulary.js';
import { FEED_TABLES, snapshotColumnOf } from '../../src-main/domain/exchange/feed-schema.js';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { RULE_MODULES } from '../../src-main/rules/index.js';
import { generateDistrict, type TruthRow } from '../../src-main/generator/district-generator.js';
import { syncOnce } from '../../src-main/services/sync/sync-engine.js';
import { openEncrypted, type Db } from '../../src-main/store/sqlcipher.js';
import { LocalSnapshots } from '../../src-main/store/snapshot/local-snapshots.js';
import { computeDelta } from '../../src-main/store/snapshot/snapshot-delta.js';
import { snapshotContentDigest } from '../../src-main/store/snapshot/snapshot-digest.js';
import { SnapshotDb, UnknownSnapshotSchemaError } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import { evolve, makePublication, makeSnapshot } from '../helpers/platform-fixture.js';

function district(seed: number, persons: number, schemaVersion: 1 | 2) {
  const writer = SnapshotWriter.inMemory({ schemaVersion });
  const truth: TruthRow[] = [];
  const summary = generateDistrict({ seed, persons, schemaVersion, rates: { exit: 0.3, cover: 0.3, death: 0.05, payment: 0.05 } }, { row: (r) => writer.write(r), truth: (t) => truth.push(t) });
  const db = writer.finish({ snapshotId: `g-${seed}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: 'x' })!;
  return { db, truth, summary, snapshot: SnapshotDb.fromDatabase(db, 'synced') };
}

/**
 * Every v1 rule's rows (subjects, amounts, facts, evidence). The v2 rules (those with a truth of their own) plant
 * households into the v2 district only, so their rows differ by design; that their plants leave the v1 rules' rows as
 * they were is what this compares.
 */
function ruleRows(snapshot: SnapshotDb) {
  snapshot.startRun();
  return RULE_MODULES.filter((m) => !m.truth).map((m) => ({ rule: m.definition.id, rows: snapshot.runRule(m, resolveParameters(m.definition), null) }));
}

const v1Columns = (db: Db, table: string) => (db.prepare(`PRAGMA main.table_info(${table})`).all() as { name: string }[]).map((c) => c.name).join(', ');

describe('the v2 district', () => {
  const v1 = district(5, 6000, 1);
  const v2 = district(5, 6000, 2);
  afterAll(() => {
    v1.db.close();
    v2.db.close();
  });

  it('is deterministic per seed, and fills every v2 table', () => {
    const again = district(5, 6000, 2);
    expect(snapshotContentDigest(again.db)).toBe(snapshotContentDigest(v2.db));
    again.db.close();
    for (const t of V2_TABLE_NAMES) expect(v2.summary.rows[t], t).toBeGreaterThan(0);
    const other = district(6, 6000, 2);
    expect(snapshotContentDigest(other.db)).not.toBe(snapshotContentDigest(v2.db));
    other.db.close();
    const count = (sql: string) => v2.db.prepare(sql).pluck().get() as number;
    expect(count("SELECT count(*) FROM income_record WHERE source = 'basic_pension'")).toBeGreaterThan(0);
    expect(count('SELECT count(*) FROM vehicle WHERE value_cents > 0')).toBeGreaterThan(0);
    // Every 低保 is 整户保 or 单人保 (the rules' plants), but those Q-DICT's plants give a code outside the dictionary.
    const unknownCoverage = v2.truth.filter((t) => t.rule === 'Q-DICT' && t.subjectId.endsWith('.coverage')).length;
    expect(unknownCoverage).toBeGreaterThan(0);
    expect(count("SELECT count(*) FROM enrollment WHERE program = 'dibao' AND coverage IN ('household', 'single')")).toBe(count("SELECT count(*) FROM enrollment WHERE program = 'dibao'") - unknownCoverage);
  });

  it('keeps every v1 row, the ground truth and each v1 rule finding of its seed', () => {
    // The district's own truth comes first and is v1's; after it come the defects the Q-rules' plants recorded on the
    // v2 tables (rules/q-*/plants.ts), in households of their own.
    expect(v2.truth.slice(0, v1.truth.length)).toEqual(v1.truth);
    const planted = v2.truth.slice(v1.truth.length);
    expect(planted.every((t) => t.rule.startsWith('Q-'))).toBe(true);
    for (const t of V1_TABLE_NAMES) {
      const columns = v1Columns(v1.db, t);
      const before = v1.db.prepare(`SELECT ${columns} FROM ${t}`).raw(true).all().map((r) => JSON.stringify(r));
      const after = new Set(v2.db.prepare(`SELECT ${columns} FROM ${t}`).raw(true).all().map((r) => JSON.stringify(r)));
      expect(before.filter((r) => !after.has(r)), t).toEqual([]);
    }
    // What v2 adds to v1 tables in v1's households: only the new income sources and 刚性支出 enrollments (the v2 rules'
    // plants are households of their own).
    const v1Households = JSON.stringify(v1.db.prepare('SELECT household_id FROM household').pluck().all());
    const inV1Households = `person_id IN (SELECT m.person_id FROM household_member m WHERE m.household_id IN (SELECT value FROM json_each('${v1Households}')))`;
    const added = (table: string, where: string) => v2.db.prepare(`SELECT count(*) FROM ${table} WHERE ${where} AND ${inV1Households}`).pluck().get() as number;
    const v1Count = (table: string) => v1.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    expect(added('income_record', "source IN ('wage', 'pension', 'unemployment', 'business', 'provident_fund')")).toBe(v1Count('income_record'));
    expect(added('enrollment', "program <> 'rigid_expense'")).toBe(v1Count('enrollment'));
    const plantedDefect = new Set(planted.map((t) => `${t.rule}|${t.subjectId}`));
    const withoutPlants = ruleRows(v2.snapshot).map((r) => ({ rule: r.rule, rows: r.rows.filter((x) => !plantedDefect.has(`${r.rule}|${x.subject_id}`)) }));
    expect(withoutPlants).toEqual(ruleRows(v1.snapshot));
  });

  it('names every table and column of the v2 schema in Chinese for 多维查询, and queries them', () => {
    for (const t of FEED_TABLES) {
      expect(tableLabel(t.table), t.table).toMatch(/^[\u4e00-\u9fff、/（）]+$/);
      for (const c of t.columns) expect(columnLabel(snapshotColumnOf(c), t.table), `${t.table}.${c.key}`).not.toBe('其他');
    }
    // A v1 column keeps its v1 name though a v2 table labels a namesake differently.
    expect(columnLabel('valid_to', 'disability_cert')).toBe('有效期止');
    expect(columnLabel('valid_to', 'consent')).toBe('有效期至');
    expect(columnLabel('kind', 'imprisonment')).toBe('羁押类别');

    const scope = ['320111', '320116'];
    const deposits = v2.snapshot.multiQuery({ fields: [{ table: 'financial_asset', column: 'balance_cents', op: '>', value: 1_000_000 }] }, scope, 10);
    const expected = v2.db.prepare(`SELECT count(DISTINCT m.person_id) FROM financial_asset f JOIN household_member m ON m.person_id = f.person_id WHERE f.balance_cents > 1000000`).pluck().get();
    expect(deposits.total).toBe(expected);
    expect(deposits.total).toBeGreaterThan(0);
    // A household-level table (定期核查) matches the persons of the household.
    const reviewed = v2.snapshot.multiQuery({ fields: [{ table: 'review', column: 'result', op: '=', value: 'unchanged' }] }, scope, 10);
    expect(reviewed.total).toBe(v2.db.prepare(`SELECT count(DISTINCT m.person_id) FROM review r JOIN household_member m ON m.household_id = r.household_id WHERE r.result = 'unchanged'`).pluck().get());
    // On a v1 snapshot the new tables and columns are not there to query.
    expect(() => v1.snapshot.multiQuery({ fields: [{ table: 'financial_asset', column: 'kind', op: '=', value: 'deposit' }] }, scope, 10)).toThrow(/no financial_asset\.kind/);
    expect(() => v1.snapshot.multiQuery({ fields: [{ table: 'vehicle', column: 'value_cents', op: '>', value: 0 }] }, scope, 10)).toThrow(/older schema version/);
    expect(v1.snapshot.columnProfile().map((t) => t.table)).toEqual(FEED_TABLES.filter((t) => !t.since).map((t) => t.table));
    expect(v1.snapshot.columnProfile().find((t) => t.table === 'vehicle')!.columns.map((c) => c.column)).not.toContain('value_cents');
  });
});

describe('publication and sync across schema versions', () => {
  let root: string;
  let server: PlatformServer;
  const TOKEN = 'token-v2';
  const pubRoot = () => root;
  let pub: Awaited<ReturnType<typeof makePublication>>;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'aw-v2-sync-'));
    pub = await makePublication(root);
    server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: [TOKEN] });
  });
  afterAll(async () => {
    await server.close();
    await pub.close();
    rmSync(pubRoot(), { recursive: true, force: true });
  });

  it('syncs a v1 snapshot (full, then delta), then a v2 one in full, and reads each as written', async () => {
    const keys = new Map<string, Buffer>();
    const local = new LocalSnapshots(join(root, 'ws'));
    const creds = pub.credentials(server.url, TOKEN, keys);
    const open = () => SnapshotDb.open(local.path(local.current()!.file), keys.get(local.current()!.snapshotId)!);

    const old = makeSnapshot(join(root, 'built'), 'V1-2024-06', 1500, 42, { schemaVersion: 1 });
    await pub.publish(old);
    expect(await syncOnce({ clock: systemClock, credentials: creds, local })).toMatchObject({ result: 'installed', via: 'full' });
    let snapshot = open();
    expect(snapshot.schemaVersion()).toBe(1);
    expect(Object.keys(snapshot.deliveredFeeds())).toEqual([...V1_TABLE_NAMES]);
    expect([...snapshot.layout().keys()]).toEqual([...V1_TABLE_NAMES]);
    expect(snapshot.columnProfile().length).toBeGreaterThan(0);
    const v1Findings = ruleRows(snapshot);
    expect(v1Findings.some((r) => r.rows.length > 0)).toBe(true);
    snapshot.close();

    // A v1 platform's next snapshot still comes as a delta.
    await pub.publish(evolve(old, join(root, 'built'), 'V1-2024-07', '2024-07-31'));
    expect(await syncOnce({ clock: systemClock, credentials: creds, local })).toMatchObject({ result: 'installed', snapshotId: 'V1-2024-07', via: 'delta' });

    // The platform moves to v2: no delta across the change (the tables differ), the full file instead.
    const next = makeSnapshot(join(root, 'built'), 'V2-2024-08', 1500, 43, { asOf: '2024-08-31' });
    await pub.publish(next);
    expect(readManifest(pub.pubDir)!.body).toMatchObject({ schemaVersion: 2, deltas: [] });
    expect(await syncOnce({ clock: systemClock, credentials: creds, local })).toMatchObject({ result: 'installed', snapshotId: 'V2-2024-08', via: 'full' });
    snapshot = open();
    try {
      expect(snapshot.schemaVersion()).toBe(2);
      expect(Object.keys(snapshot.deliveredFeeds()).sort()).toEqual([...V1_TABLE_NAMES, ...V2_TABLE_NAMES].sort());
      const db = (snapshot as unknown as { db: Db }).db;
      const rows = V2_TABLE_NAMES.map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number);
      expect(rows.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(ruleRows(snapshot).map((r) => r.rule)).toEqual(v1Findings.map((r) => r.rule));
    } finally {
      snapshot.close();
    }

    // And a delta between the layouts is never made.
    expect(() =>
      computeDelta({ oldFile: old.file, oldKey: old.key, oldId: old.id, newFile: next.file, newKey: next.key, newId: next.id, deltaFile: join(root, 'cross.db') }),
    ).toThrow(/different tables/);
  });

  it('refuses a snapshot of a schema version it does not know, on open and on sync', async () => {
    const odd = makeSnapshot(join(root, 'built'), 'V9-2024-09', 500, 44, { asOf: '2024-09-30' });
    const db = openEncrypted(odd.file, odd.key, { journal: 'delete' });
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => SnapshotDb.open(odd.file, odd.key)).toThrow(UnknownSnapshotSchemaError);
    expect(() => SnapshotDb.open(odd.file, odd.key)).toThrow(/schema version 99/);

    const keys = new Map<string, Buffer>();
    const local = new LocalSnapshots(join(root, 'ws-odd'));
    await pub.publish(odd);
    await expect(syncOnce({ clock: systemClock, credentials: pub.credentials(server.url, TOKEN, keys), local })).rejects.toMatchObject({ refusal: 'UNKNOWN_SCHEMA' });
    expect(local.current()).toBeNull();
  });
});

describe('publication after the platform is upgraded', () => {
  let root: string;
  let server: PlatformServer;
  const TOKEN = 'token-upgrade';
  let pub: Awaited<ReturnType<typeof makePublication>>;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'aw-upgrade-'));
    pub = await makePublication(root);
    server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: [TOKEN] });
  });
  afterAll(async () => {
    await server.close();
    await pub.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('publishes the full file alone when the new build stores derived tables the previous one lacks, then deltas again', async () => {
    const keys = new Map<string, Buffer>();
    const local = new LocalSnapshots(join(root, 'ws'));
    const creds = pub.credentials(server.url, TOKEN, keys);
    // The previous snapshot as an app without the household judgement's bases built it: the same schema version.
    const old = makeSnapshot(join(root, 'built'), 'U-2024-06', 800, 45);
    const db = openEncrypted(old.file, old.key, { journal: 'delete' });
    const bases = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'derived%' AND name NOT LIKE 'derived_rule%'`).pluck().all() as string[];
    expect(bases.length).toBeGreaterThan(0);
    for (const t of bases) db.exec(`DROP TABLE ${t}`);
    db.exec(`DELETE FROM derived_rule WHERE statement_digest LIKE 'bases:%'`);
    db.close();
    await pub.publish(old);
    expect(await syncOnce({ clock: systemClock, credentials: creds, local })).toMatchObject({ result: 'installed', via: 'full' });

    const next = makeSnapshot(join(root, 'built'), 'U-2024-07', 800, 46, { asOf: '2024-07-31' });
    await pub.publish(next);
    expect(readManifest(pub.pubDir)!.body).toMatchObject({ schemaVersion: 2, deltas: [] });
    expect(await syncOnce({ clock: systemClock, credentials: creds, local })).toMatchObject({ result: 'installed', snapshotId: 'U-2024-07', via: 'full' });

    await pub.publish(evolve(next, join(root, 'built'), 'U-2024-08', '2024-08-31'));
    expect(readManifest(pub.pubDir)!.body.deltas).toHaveLength(1);
    expect(await syncOnce({ clock: systemClock, credentials: creds, local })).toMatchObject({ result: 'installed', snapshotId: 'U-2024-08', via: 'delta' });
  });
});
