/** A platform on loopback serving one published snapshot, and a workstation user enrolled with it (approved). */
import { join } from 'node:path';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { PlatformState, publishSnapshot } from '../../src-main/data-platform/publish.js';
import { approveDevice } from '../../src-main/data-platform/enrolment.js';
import type { ExchangeStore } from '../../src-main/store/exchange/exchange-store.js';
import { openTestExchange } from './exchange-db.js';
import { makeSnapshot, type BuiltSnapshot } from './platform-fixture.js';
import type { TestBench } from './workstation.js';
import { isoTime, systemClock } from '../../src-main/platform/clock.js';

export interface ServedPlatform {
  state: PlatformState;
  exchange: ExchangeStore;
  pubDir: string;
  snap: BuiltSnapshot;
  server: PlatformServer;
}

export const PLATFORM_TOKEN = 'tok';

export async function servePlatform(root: string, snapshotId: string, persons: number, seed: number): Promise<ServedPlatform> {
  const state = new PlatformState(join(root, 'state'));
  state.init();
  const exchange = await openTestExchange(root);
  const pubDir = join(root, 'pub');
  const snap = makeSnapshot(join(root, 'built'), snapshotId, persons, seed);
  await publishSnapshot({ state, exchange, pubDir, snapshotFile: snap.file, snapshotKey: snap.key });
  const started = await startPlatformServer({ pubDir, state, exchange, tokens: [PLATFORM_TOKEN] });
  // Closing the server also closes its database (the tests hold only the server).
  const server: PlatformServer = { ...started, close: async () => (await started.close(), await exchange.close()) };
  return { state, exchange, pubDir, snap, server };
}

/** Enrols the client's user through the service contract (fingerprint confirmed), and the operator approves at once. */
export async function enrolApproved(b: TestBench, client: string, p: ServedPlatform): Promise<string> {
  const offer = await b.ok(client, 'sync.enrolBegin', { url: p.server.url, token: PLATFORM_TOKEN });
  const enrolled = await b.ok(client, 'sync.enrolConfirm', { fingerprint: offer.fingerprint });
  await approveDevice(p.exchange, { deviceId: enrolled.deviceId!, at: isoTime(systemClock), state: p.state, pubDir: p.pubDir });
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
