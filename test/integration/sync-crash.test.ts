/**
 * Must show: kill -9 of the sync process at random points (20 times) always leaves either the old or the new snapshot
 * active, both passing integrity checks; a resumed sync then completes.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformServer, type PlatformServer } from '../../src-main/data-platform/serve.js';
import { deviceIdOf } from '../../src-main/platform/device-keys.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { snapshotContentDigest } from '../../src-main/store/snapshot/snapshot-digest.js';
import { LocalSnapshots } from '../../src-main/store/snapshot/local-snapshots.js';
import { amend, evolve, makePublication, makeSnapshot, type BuiltSnapshot, type Publication } from '../helpers/platform-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'aw-crash-'));
let pub: Publication;
let server: PlatformServer;
let july: BuiltSnapshot;
const TOKEN = 'crash-token';

function runChild(dir: string, killAfterReadyMs: number | null, killAt?: string, env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const setupFile = join(root, `setup-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    setupFile,
    JSON.stringify({
      url: server.url,
      token: TOKEN,
      platformPublicKey: pub.state.publicKey().toString('base64'),
      devicePublic: pub.device.publicKeyDer.toString('base64'),
      devicePrivate: pub.device.privateKeyDer.toString('base64'),
      deviceId: deviceIdOf(pub.device.publicKeyDer),
      dir,
    }),
  );
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/sync-child.ts', setupFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, ...(killAt ? { KILL_AT: killAt } : {}) },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterReadyMs !== null && out.includes('ready')) {
        setTimeout(() => child.kill('SIGKILL'), killAfterReadyMs);
        killAfterReadyMs = null;
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

/** The invariant: the pointer names a whole snapshot that opens with its key, passes integrity and matches its digest. */
function checkState(dir: string, allowed: (string | null)[]): string | null {
  const local = new LocalSnapshots(dir);
  const current = local.current();
  expect(allowed).toContain(current?.snapshotId ?? null);
  if (!current) return null;
  const keys = JSON.parse(readFileSync(`${dir}.keys.json`, 'utf8')) as Record<string, string>;
  const db = openEncrypted(local.path(current.file), Buffer.from(keys[current.snapshotId]!, 'hex'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(snapshotContentDigest(db)).toBe(current.contentDigest);
  } finally {
    db.close();
  }
  return current.snapshotId;
}

beforeAll(async () => {
  pub = await makePublication(root);
  const a = makeSnapshot(join(root, 'built'), 'C-06', 6000);
  await pub.publish(a);
  server = await startPlatformServer({ pubDir: pub.pubDir, state: pub.state, exchange: pub.exchange, tokens: [TOKEN], throttleBytesPerSecond: 8 * 1024 * 1024 });
  // A workstation that holds the June snapshot: the template for the delta-path runs.
  const template = join(root, 'template');
  mkdirSync(template);
  const first = await runChild(template, null);
  expect(first.code, first.out).toBe(0);
  july = evolve(a, join(root, 'built'), 'C-07', '2024-07-31');
  await pub.publish(july);
}, 120_000);

afterAll(async () => {
  await server.close();
  await pub.close();
  rmSync(root, { recursive: true, force: true });
});

function prepare(name: string, fromScratch: boolean): string {
  const dir = join(root, name);
  if (fromScratch) mkdirSync(dir);
  else {
    cpSync(join(root, 'template'), dir, { recursive: true });
    cpSync(join(root, 'template.keys.json'), `${dir}.keys.json`);
  }
  return dir;
}

describe('sync under kill -9', () => {
  it('survives a kill at every step of both paths (delta and full), then completes', async () => {
    const steps = { delta: ['manifest-verified', 'delta-downloaded', 'delta-applied', 'assembled', 'key-saved', 'installed'], full: ['manifest-verified', 'full-downloaded', 'assembled', 'key-saved', 'installed'] };
    for (const [path, names] of Object.entries(steps)) {
      for (const step of names) {
        const dir = prepare(`step-${path}-${step}`, path === 'full');
        const killed = await runChild(dir, null, step);
        expect(killed.signal, `${path}/${step}: ${killed.out}`).toBe('SIGKILL');
        const before = path === 'full' ? null : 'C-06';
        checkState(dir, step === 'installed' ? ['C-07'] : [before]);
        const resumed = await runChild(dir, null);
        expect(resumed.code, resumed.out).toBe(0);
        expect(checkState(dir, ['C-07'])).toBe('C-07');
      }
    }
  }, 240_000);

  it('always leaves the old or the new snapshot active and whole, and a later sync completes (20 kills)', async () => {
    const outcomes: string[] = [];
    const resumedFull: number[] = [];
    const fullSize = JSON.parse(readFileSync(join(pub.pubDir, 'manifest.json'), 'utf8')).body.full.size as number;
    for (let i = 0; i < 20; i++) {
      const fromScratch = i % 2 === 1; // odd runs: full download on a fresh workstation; even runs: delta from June
      const dir = prepare(`run-${i}`, fromScratch);
      const killed = await runChild(dir, Math.random() * 700);
      const after = checkState(dir, fromScratch ? [null, 'C-07'] : ['C-06', 'C-07']);
      outcomes.push(`${killed.signal ?? 'exit'}:${after}`);
      const resumed = await runChild(dir, null);
      expect(resumed.code, resumed.out).toBe(0);
      const outcome = JSON.parse(resumed.out.trim().split('\n').at(-1)!) as { via: string | null; bytesDownloaded: number };
      if (outcome.via === 'full') resumedFull.push(outcome.bytesDownloaded);
      expect(checkState(dir, ['C-07'])).toBe('C-07');
      expect(existsSync(join(dir, 'current.json'))).toBe(true);
    }
    // The kills really landed before completion at least sometimes, and sometimes after.
    expect(outcomes.filter((o) => o.startsWith('SIGKILL')).length).toBeGreaterThanOrEqual(10);
    // Some of the interrupted full downloads were continued, not restarted.
    expect(resumedFull.some((bytes) => bytes > 0 && bytes < fullSize)).toBe(true);
    console.log(`kill -9 outcomes: ${outcomes.join(' ')}`);
  }, 240_000);

  it('survives a kill at every step of a delta applied in place to the previous snapshot, which it consumes', async () => {
    // A workstation holding June (previous) and July (current); August is published with 1 % of its rows changed.
    const template = join(root, 'template-2');
    cpSync(join(root, 'template'), template, { recursive: true });
    cpSync(join(root, 'template.keys.json'), `${template}.keys.json`);
    expect((await runChild(template, null)).code).toBe(0);
    expect(new LocalSnapshots(template).previous()?.snapshotId).toBe('C-06');
    await pub.publish(amend(july, join(root, 'built'), 'C-08', '2024-08-31'));
    const env = { DELTA_BASE: 'previous' };
    for (const step of ['delta-downloaded', 'previous-released', 'delta-applied', 'assembled', 'key-saved', 'installed']) {
      const dir = join(root, `in-place-${step}`);
      cpSync(template, dir, { recursive: true });
      cpSync(`${template}.keys.json`, `${dir}.keys.json`);
      const killed = await runChild(dir, null, step, env);
      expect(killed.signal, `${step}: ${killed.out}`).toBe('SIGKILL');
      // July stays in use, whole, until the pointer names August; the previous snapshot is given up only once released.
      checkState(dir, step === 'installed' ? ['C-08'] : ['C-07']);
      expect(new LocalSnapshots(dir).previous()?.snapshotId ?? null).toBe(step === 'delta-downloaded' ? 'C-06' : step === 'installed' ? 'C-07' : null);
      const resumed = await runChild(dir, null, undefined, env);
      expect(resumed.code, resumed.out).toBe(0);
      expect(checkState(dir, ['C-08'])).toBe('C-08');
    }
    // Undisturbed, the delta path consumes June's file: July stays, nothing else is left in the folder.
    const dir = join(root, 'in-place-whole');
    cpSync(template, dir, { recursive: true });
    cpSync(`${template}.keys.json`, `${dir}.keys.json`);
    const whole = await runChild(dir, null, undefined, env);
    expect(JSON.parse(whole.out.trim().split('\n').at(-1)!)).toMatchObject({ via: 'delta', snapshotId: 'C-08' });
    expect(checkState(dir, ['C-08'])).toBe('C-08');
    expect(readdirSync(dir).sort()).toEqual(['C-07.db', 'C-08.db', 'current.json', 'downloads']);
    expect(readdirSync(join(dir, 'downloads'))).toEqual([]);
  }, 240_000);
});
