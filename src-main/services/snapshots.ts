/**
 * Which snapshot the workstation works on. Today: the embedded demo district, built in memory on first use.
 * Sync (issue 3) replaces it with the last verified snapshot file, behind this same interface.
 */
import { SnapshotDb } from '../store/snapshot/snapshot-db.js';

export interface SnapshotProvider {
  current(): SnapshotDb | null;
  close(): void;
}

export function demoSnapshotProvider(seed?: number, households?: number): SnapshotProvider {
  let snapshot: SnapshotDb | null = null;
  return {
    current() {
      snapshot ??= SnapshotDb.demo(seed, households);
      return snapshot;
    },
    close() {
      snapshot?.close();
      snapshot = null;
    },
  };
}
