/**
 * `npm run cli -- generate`: a synthetic district, as department feeds (csv/xlsx, optionally dirty) or directly as an
 * encrypted snapshot, with the ground truth beside it (truth.jsonl: one {rule, subjectKind, subjectId} per line).
 */
import { DERIVED_RULES } from '../../rules/index.js';
import { loadOrCreateKey } from './key-file.js';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FeedWriter } from '../../data-platform/feed-writer.js';
import { generateDistrict, type GeneratorProfile, type PlantRates, type TruthRow } from '../../generator/district-generator.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import { SnapshotWriter } from '../../store/snapshot/snapshot-writer.js';

export interface GenerateArgs {
  out: string;
  persons: number;
  seed: number;
  asOf?: string;
  format: 'csv' | 'xlsx' | 'snapshot';
  dirty: boolean;
  keyFile?: string;
  rates: Partial<PlantRates>;
  /** 1: the district as a v1 platform delivered it (no v2 feeds or columns); default 2. */
  schemaVersion?: 1 | 2;
  /** 'sparse' (default) or 'dense': feeds shaped like a province's (generator/district-generator.ts). */
  profile?: GeneratorProfile;
}

export async function runGenerate(a: GenerateArgs, clock: Clock): Promise<Record<string, unknown>> {
  mkdirSync(a.out, { recursive: true, mode: 0o700 });
  const truthFd = openSync(join(a.out, 'truth.jsonl'), 'w', 0o600);
  let truthBuffer = '';
  const truth = (t: TruthRow) => {
    truthBuffer += JSON.stringify(t) + '\n';
    if (truthBuffer.length > 1 << 20) {
      writeSync(truthFd, truthBuffer);
      truthBuffer = '';
    }
  };
  const started = performance.now();
  let summary;
  if (a.format === 'snapshot') {
    const key = loadOrCreateKey(a.keyFile ?? join(a.out, 'snapshot.db.key'));
    const writer = SnapshotWriter.toFile(join(a.out, 'snapshot.db'), key, { schemaVersion: a.schemaVersion });
    try {
      summary = generateDistrict({ seed: a.seed, persons: a.persons, asOf: a.asOf, rates: a.rates, schemaVersion: a.schemaVersion, profile: a.profile }, { row: (r) => writer.write(r), truth });
      await writer.finishOnThreads({ snapshotId: `gen-${a.seed}-${a.persons}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: isoTime(clock) }, { derive: DERIVED_RULES, keepRowsOf: [] });
    } catch (error) {
      writer.abort();
      throw error;
    }
  } else {
    const feeds = new FeedWriter({ dir: join(a.out, 'feeds'), format: a.format, dirty: a.dirty, seed: a.seed });
    summary = generateDistrict({ seed: a.seed, persons: a.persons, asOf: a.asOf, rates: a.rates, schemaVersion: a.schemaVersion, profile: a.profile }, { row: (r, v2) => feeds.write(r, v2), truth });
    await feeds.close();
    for (const r of feeds.rejections) truth(r);
  }
  writeSync(truthFd, truthBuffer);
  closeSync(truthFd);
  const result = { ...summary, format: a.format, dirty: a.dirty, seconds: (performance.now() - started) / 1000 };
  writeFileSync(join(a.out, 'summary.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}
