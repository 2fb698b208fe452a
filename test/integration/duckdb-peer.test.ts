/**
 * Must show (issue 16): the DuckDB peer of the rule benchmark is like for like. Its six seed rules, written from rules.md
 * v2 at the policy defaults (bench/duckdb-peer-v2.ts), find exactly what the workstation finds — the same subjects and
 * the same amounts at risk, in cents — on both generator profiles, from the same clean CSV feeds the platform builds the
 * snapshot from; and its parameter values are the workstation's policy defaults. When a rule changes, this fails until
 * the peer says the same thing again, so the ratio in bench/results/checks.json keeps comparing the same work.
 * The first peer (rules.md v1) is held to the workstation at the `v1` preset on a schema-v1 district, where rules.md §E
 * says the two must agree (on v2 feeds they differ: bench/results/checks.json `peerV1.atV1Preset`, docs/performance.md).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PEER_V1, PEER_V2, runPeer } from '../../bench/duckdb-peer.js';
import { V2_POLICY_DEFAULTS } from '../../bench/duckdb-peer-v2.js';
import { compareAll, SEED_RULES } from '../../bench/profile-run.js';
import { buildSnapshot } from '../../src-main/data-platform/build.js';
import { FeedWriter } from '../../src-main/data-platform/feed-writer.js';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { generateDistrict } from '../../src-main/generator/district-generator.js';
import { systemClock } from '../../src-main/platform/clock.js';
import { ruleModule } from '../../src-main/rules/index.js';
import { runChecks } from '../../src-main/services/checks/rule-engine.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { HIGH_RATES } from '../helpers/district.js';

const root = mkdtempSync(join(tmpdir(), 'aw-peer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the DuckDB peer written from rules.md v2', () => {
  it('runs at the workstation’s policy defaults', () => {
    for (const rule of SEED_RULES) {
      const defaults = resolveParameters(ruleModule(rule)!.definition, {}, 'policy');
      for (const [name, value] of Object.entries(defaults)) expect(V2_POLICY_DEFAULTS[name as keyof typeof V2_POLICY_DEFAULTS], `${rule}: ${name}`).toEqual(value);
    }
  });

  /** Clean CSV feeds of a 3,000-person district, the snapshot the platform builds from them, and the key. */
  async function district(name: string, seed: number, profile: 'sparse' | 'dense', schemaVersion: 1 | 2 = 2) {
    const dir = join(root, name);
    const feedsDir = join(dir, 'feeds');
    const feeds = new FeedWriter({ dir: feedsDir, format: 'csv', dirty: false, seed });
    const summary = generateDistrict({ seed, persons: 3000, profile, rates: HIGH_RATES, schemaVersion }, { row: (r, v2) => feeds.write(r, v2), truth: () => undefined });
    await feeds.close();
    const key = randomBytes(32);
    const file = join(dir, 'snapshot.db');
    await buildSnapshot({ feedsDir, outFile: file, key, snapshotId: `peer-${name}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction });
    return { feedsDir, summary, file, key };
  }

  const differences = (comparison: ReturnType<typeof compareAll>['comparison']) => JSON.stringify(Object.fromEntries(Object.entries(comparison).map(([rule, c]) => [rule, c.examples])));

  for (const [profile, seed] of [
    ['sparse', 31],
    ['dense', 32],
  ] as const) {
    it(`finds the workstation's findings, subject by subject and amount by amount (${profile} profile)`, async () => {
      const d = await district(profile, seed, profile);
      const snapshot = SnapshotDb.open(d.file, d.key);
      const run = await runChecks(snapshot, { clock: systemClock, ruleIds: SEED_RULES });
      snapshot.close();
      const peer = await runPeer(d.feedsDir, d.summary.asOf, d.summary.jurisdiction, [PEER_V2]);

      const { comparison, mismatches } = compareAll(run.findings, peer.sets.v2!);
      // Every rule has something to agree on, money included.
      for (const rule of SEED_RULES) expect(comparison[rule]!.workstation, rule).toBeGreaterThan(0);
      for (const rule of ['R-DEATH', 'R-HUKOU-OUT', 'R-MUTEX', 'R-EXIT']) expect(run.findings.some((f) => f.ruleId === rule && (f.amountCents ?? 0) > 0), rule).toBe(true);
      expect(mismatches, differences(comparison)).toBe(0);
    }, 60_000);
  }

  it('the v1 peer finds what the workstation finds at the v1 preset on a schema-v1 district (rules.md §E)', async () => {
    const d = await district('v1', 33, 'sparse', 1);
    const snapshot = SnapshotDb.open(d.file, d.key);
    const run = await runChecks(snapshot, { clock: systemClock, ruleIds: SEED_RULES, preset: 'v1' });
    snapshot.close();
    const peer = await runPeer(d.feedsDir, d.summary.asOf, d.summary.jurisdiction, [PEER_V1]);
    const { comparison, mismatches } = compareAll(run.findings, peer.sets.v1!);
    for (const rule of SEED_RULES) expect(comparison[rule]!.workstation, rule).toBeGreaterThan(0);
    expect(mismatches, differences(comparison)).toBe(0);
  }, 60_000);
});
