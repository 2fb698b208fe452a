/**
 * Which snapshot a user works on: the last one sync installed for them (opened with the key kept in their encrypted
 * workspace), or — with no platform configured yet — the embedded demo district, built in memory on first use.
 */
import { demoSnapshotId } from '../domain/snapshot-name.js';
import { generateDistrict } from '../generator/district-generator.js';
import { DERIVED_RULES } from '../rules/index.js';
import { SnapshotDb } from '../store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../store/snapshot/snapshot-writer.js';
import type { LocalSnapshots } from '../store/snapshot/local-snapshots.js';
import type { WorkspaceDb } from '../store/workspace/workspace-db.js';

export interface SnapshotProvider {
  /** The user's current snapshot; `workspace` (when open) holds the key of a synced one. */
  forUser(userId: string, workspace: WorkspaceDb | null): SnapshotDb | null;
  /** Drops the user's open snapshot (a sync installed a newer one). */
  invalidate(userId: string): void;
  close(): void;
}

/** The embedded demo district, generated in memory: no file, no key, nothing on disk; finished as a build finishes it. */
export function buildDemoSnapshot(seed = 20240630, persons = 10_000, asOf?: string): SnapshotDb {
  const writer = SnapshotWriter.inMemory();
  // A little more of everything than real life, so that every screen has something to show in a demo.
  const rates = { death: 0.05, hukouOut: 0.05, mutex: 0.03, attr: 0.03, exit: 0.15, cover: 0.2, payment: 0.03, quality: 0.01 };
  const summary = generateDistrict({ seed, persons, rates, ...(asOf ? { asOf } : {}) }, { row: (item) => writer.write(item), truth: () => undefined });
  const db = writer.finish({ snapshotId: demoSnapshotId(summary.asOf), asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: `${summary.asOf}T23:59:59Z` }, { derive: DERIVED_RULES })!;
  return SnapshotDb.fromDatabase(db, 'demo');
}

export interface SyncedSnapshots {
  localSnapshots(userId: string): LocalSnapshots;
  snapshotKey(workspace: WorkspaceDb, snapshotId: string): Buffer | undefined;
}

export function workstationSnapshots(synced: SyncedSnapshots | null, demoSeed?: number, demoPersons?: number, demoAsOf?: string): SnapshotProvider {
  let demo: SnapshotDb | null = null;
  const open = new Map<string, { snapshotId: string; db: SnapshotDb }>();
  const demoSnapshot = () => (demo ??= buildDemoSnapshot(demoSeed, demoPersons, demoAsOf));
  return {
    forUser(userId, workspace) {
      const current = synced?.localSnapshots(userId).current();
      if (!current || !synced) return demoSnapshot();
      const cached = open.get(userId);
      if (cached?.snapshotId === current.snapshotId) return cached.db;
      const key = workspace ? synced.snapshotKey(workspace, current.snapshotId) : undefined;
      // A synced snapshot whose key is missing is an error to show, never a reason to slip back to the demo district.
      if (!key) return cached?.db ?? null;
      cached?.db.close();
      const db = SnapshotDb.open(synced.localSnapshots(userId).path(current.file), key);
      open.set(userId, { snapshotId: current.snapshotId, db });
      return db;
    },
    invalidate(userId) {
      open.get(userId)?.db.close();
      open.delete(userId);
    },
    close() {
      for (const { db } of open.values()) db.close();
      open.clear();
      demo?.close();
      demo = null;
    },
  };
}

/** Only the demo district (tests, and installations that never sync). */
export function demoSnapshotProvider(seed?: number, persons?: number): SnapshotProvider {
  return workstationSnapshots(null, seed, persons);
}
