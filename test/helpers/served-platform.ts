/** A platform on loopback serving one published snapshot, and a workstation user enrolled with it (approved). */
import { join } from 'node:path';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { PlatformState, publishSnapshot, wrapCurrentKeyFor } from '../../src-main/data-platform/publish.js';
import { makeSnapshot, type BuiltSnapshot } from './platform-fixture.js';
import type { TestBench } from './workstation.js';
import { isoTime, systemClock } from '../../src-main/platform/clock.js';

export interface ServedPlatform {
  state: PlatformState;
  pubDir: string;
  snap: BuiltSnapshot;
  server: PlatformServer;
}

export const PLATFORM_TOKEN = 'tok';

export async function servePlatform(root: string, snapshotId: string, persons: number, seed: number): Promise<ServedPlatform> {
  const state = new PlatformState(join(root, 'state'));
  state.init();
  const pubDir = join(root, 'pub');
  const snap = makeSnapshot(join(root, 'built'), snapshotId, persons, seed);
  publishSnapshot({ state, pubDir, snapshotFile: snap.file, snapshotKey: snap.key });
  const server = await startPlatformServer({ pubDir, state, tokens: [PLATFORM_TOKEN] });
  return { state, pubDir, snap, server };
}

/** Enrols the client's user through the service contract (fingerprint confirmed), and the operator approves at once. */
export async function enrolApproved(b: TestBench, client: string, p: ServedPlatform): Promise<string> {
  const offer = await b.ok(client, 'sync.enrolBegin', { url: p.server.url, token: PLATFORM_TOKEN });
  const enrolled = await b.ok(client, 'sync.enrolConfirm', { fingerprint: offer.fingerprint });
  wrapCurrentKeyFor(p.state, p.pubDir, p.state.approve(enrolled.deviceId!, isoTime(systemClock)));
  return enrolled.deviceId!;
}

/** Starts a sync and waits for its outcome. */
export async function syncAndWait(b: TestBench, client: string) {
  await b.ok(client, 'sync.run');
  for (let i = 0; i < 400; i++) {
    const s = await b.ok(client, 'sync.status');
    if (!s.running && s.lastSync) return s.lastSync;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('sync did not finish');
}
