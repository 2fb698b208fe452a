/**
 * A sync in its own process, for the kill -9 test. Reads its setup from the JSON file named in argv[2]; keeps snapshot
 * keys in a file beside the snapshots (the app keeps them in the encrypted workspace) written atomically. Sleeps a
 * random moment at every step so that the parent's SIGKILL lands at different points.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeAtomic } from '../../src-main/data-platform/publish.js';
import { LocalSnapshots } from '../../src-main/store/snapshot/local-snapshots.js';
import { syncOnce } from '../../src-main/services/sync/sync-engine.js';
import { systemClock } from '../../src-main/platform/clock.js';

const setup = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  url: string;
  token: string;
  platformPublicKey: string;
  devicePublic: string;
  devicePrivate: string;
  deviceId: string;
  dir: string;
};
// Beside the folder, not in it: the folder holds only what LocalSnapshots manages.
const keysFile = `${setup.dir}.keys.json`;
const keys = (): Record<string, string> => (existsSync(keysFile) ? (JSON.parse(readFileSync(keysFile, 'utf8')) as Record<string, string>) : {});
const local = new LocalSnapshots(setup.dir);
console.log('ready');
const outcome = await syncOnce({
  clock: systemClock,
  local,
  credentials: {
    url: setup.url,
    token: setup.token,
    platformPublicKey: Buffer.from(setup.platformPublicKey, 'base64'),
    jurisdiction: ['320111', '320116'],
    device: { publicKeyDer: Buffer.from(setup.devicePublic, 'base64'), privateKeyDer: Buffer.from(setup.devicePrivate, 'base64') },
    deviceId: setup.deviceId,
    snapshotKey: (id) => (keys()[id] ? Buffer.from(keys()[id]!, 'hex') : undefined),
    saveSnapshotKey: (id, key) => writeAtomic(keysFile, JSON.stringify({ ...keys(), [id]: key.toString('hex') })),
    highestSequence: () => Number(keys().sequence ?? '0'),
    recordSequence: (n) => writeAtomic(keysFile, JSON.stringify({ ...keys(), sequence: String(n) })),
  },
  // DELTA_BASE=previous|current: which local snapshot a delta starts from (default: decided by size).
  deltaBase: (process.env.DELTA_BASE as 'previous' | 'current' | undefined) ?? 'auto',
  // KILL_AT=<step>: die exactly there (deterministic crash points); otherwise a random pause at every step.
  checkpoint: (step) => (process.env.KILL_AT === step ? void process.kill(process.pid, 'SIGKILL') : new Promise((r) => setTimeout(r, Math.random() * 40))),
});
console.log(JSON.stringify(outcome));
