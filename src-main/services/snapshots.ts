/**
 * Which snapshot the workstation works on. Today: the embedded demo district, built in memory on first use.
 * Sync (issue 3) replaces it with the last verified snapshot file, behind this same interface.
 */
import { generateDistrict } from '../generator/district-generator.js';
import { SnapshotDb } from '../store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../store/snapshot/snapshot-writer.js';

/** The embedded demo district, generated in memory: no file, no key, nothing on disk. */
export function buildDemoSnapshot(seed = 20240630, persons = 4000): SnapshotDb {
  const writer = SnapshotWriter.inMemory();
  const summary = generateDistrict({ seed, persons }, { row: (item) => writer.write(item), truth: () => undefined });
  const db = writer.finish({ snapshotId: `demo-${seed}-${persons}`, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: `${summary.asOf}T23:59:59Z` })!;
  return SnapshotDb.fromDatabase(db, 'demo');
}

export interface SnapshotProvider {
  current(): SnapshotDb | null;
  close(): void;
}

export function demoSnapshotProvider(seed?: number, households?: number): SnapshotProvider {
  let snapshot: SnapshotDb | null = null;
  return {
    current() {
      snapshot ??= buildDemoSnapshot(seed, households);
      return snapshot;
    },
    close() {
      snapshot?.close();
      snapshot = null;
    },
  };
}
