/**
 * The workstation's side of TLS to the platform (issue 18): a pinned CA or certificate fingerprint besides the pinned
 * platform key, and no plain HTTP to anything but this machine.
 *
 * The platform runs on loopback http as in the other tests; a small HTTPS proxy in front of it presents a certificate
 * from a throwaway CA made with `openssl` here (nginx plays that part in deployment and in sync-nginx.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveDevice } from '../../src-main/data-platform/enrolment.js';
import { isoTime, systemClock } from '../../src-main/platform/clock.js';
import { isLoopbackHost, normaliseFingerprint, platformFetch } from '../../src-main/platform/platform-transport.js';
import { PLATFORM_TOKEN, servePlatform, syncAndWait, type ServedPlatform } from '../helpers/served-platform.js';
import { makeBench, withStaff, type TestBench } from '../helpers/workstation.js';

const root = mkdtempSync(join(tmpdir(), 'aw-tls-'));

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A CA and a leaf for 127.0.0.1 signed by it; `name` keeps several apart. */
function makeCertificates(name: string): { ca: string; key: string; cert: string; fingerprint: string } {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=Test CA ${name}`, '-keyout', `${name}-ca.key`, '-out', `${name}-ca.pem`);
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', `${name}.key`, '-out', `${name}.csr`);
  writeFileSync(join(root, `${name}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${name}-ca.pem`, '-CAkey', `${name}-ca.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  // Exactly what an operator would read out: "sha256 Fingerprint=AB:CD:…".
  const fingerprint = openssl('x509', '-noout', '-fingerprint', '-sha256', '-in', `${name}.pem`).trim();
  const read = (file: string) => readFileSync(join(root, file), 'utf8');
  return { ca: read(`${name}-ca.pem`), key: read(`${name}.key`), cert: read(`${name}.pem`), fingerprint };
}

/** Another leaf from the CA `name` made, for the addresses in `san`. */
function leafFor(name: string, san: string): { key: string; cert: string } {
  const leaf = `${name}-${san.replace(/\W/g, '')}`;
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=elsewhere', '-keyout', `${leaf}.key`, '-out', `${leaf}.csr`);
  writeFileSync(join(root, `${leaf}.ext`), `subjectAltName=${san}\n`);
  openssl('x509', '-req', '-in', `${leaf}.csr`, '-CA', `${name}-ca.pem`, '-CAkey', `${name}-ca.key`, '-CAcreateserial', '-days', '2', '-extfile', `${leaf}.ext`, '-out', `${leaf}.pem`);
  return { key: readFileSync(join(root, `${leaf}.key`), 'utf8'), cert: readFileSync(join(root, `${leaf}.pem`), 'utf8') };
}

/** Terminates TLS on loopback and passes each request to the platform's http URL (what nginx does in deployment). */
async function httpsProxy(target: string, tls: { key: string; cert: string }): Promise<{ server: Server; url: string }> {
  const upstream = new URL(target);
  const server = createHttpsServer(tls, (req, res) => {
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('TLS to the platform', () => {
  let p: ServedPlatform;
  let proxy: { server: Server; url: string };
  let good: ReturnType<typeof makeCertificates>;
  let other: ReturnType<typeof makeCertificates>;
  const benches: TestBench[] = [];

  beforeAll(async () => {
    good = makeCertificates('good');
    other = makeCertificates('other');
    p = await servePlatform(join(root, 'platform'), 'P-06', 500, 7);
    proxy = await httpsProxy(p.server.url, good);
  }, 30_000);

  afterAll(async () => {
    for (const b of benches) b.cleanup();
    proxy?.server.close();
    await p?.server.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function bench(): Promise<TestBench> {
    const b = makeBench();
    benches.push(b);
    await withStaff(b, ['320111', '320116']);
    return b;
  }

  it('enrols and syncs over HTTPS with the pinned CA, and shows the pin', async () => {
    const b = await bench();
    const offer = await b.ok('auditor-client', 'sync.enrolBegin', { url: proxy.url, token: PLATFORM_TOKEN, ca: good.ca });
    const enrolled = await b.ok('auditor-client', 'sync.enrolConfirm', { fingerprint: offer.fingerprint });
    expect(enrolled).toMatchObject({ enrolled: true, enrolment: 'pending', platformUrl: proxy.url, platformTls: { caSubject: 'CN=Test CA good', certificateFingerprint: null } });
    await approveDevice(p.exchange, { deviceId: enrolled.deviceId!, at: isoTime(systemClock), state: p.state, pubDir: p.pubDir });
    expect(await syncAndWait(b, 'auditor-client')).toMatchObject({ outcome: 'installed', snapshotId: 'P-06' });
  });

  it('without a pin, a certificate from an unknown CA is refused', async () => {
    const b = await bench();
    const refused = await b.call('auditor-client', 'sync.enrolBegin', { url: proxy.url, token: PLATFORM_TOKEN });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('证书未通过校验') } });
    // Another CA pinned is no better.
    const wrongCa = await b.call('auditor-client', 'sync.enrolBegin', { url: proxy.url, token: PLATFORM_TOKEN, ca: other.ca });
    expect(wrongCa).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('不是固定的 CA 签发的') } });
    expect((wrongCa as { error: { message: string } }).error.message).toContain(`实际证书指纹：${normaliseFingerprint(good.fingerprint)}`);
    // …and the same in the screens' terms, for the user's language (reasons.tlsNotPinnedCa).
    expect(wrongCa).toMatchObject({ ok: false, error: { details: { reason: 'tlsNotPinnedCa', params: { seen: normaliseFingerprint(good.fingerprint) } } } });
    // The right CA, but a certificate for another address.
    const elsewhere = leafFor('good', 'IP:127.0.0.9');
    proxy.server.setSecureContext(elsewhere);
    try {
      const wrongName = await b.call('auditor-client', 'sync.enrolBegin', { url: proxy.url, token: PLATFORM_TOKEN, ca: good.ca });
      expect(wrongName).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID') } });
    } finally {
      proxy.server.setSecureContext({ key: good.key, cert: good.cert });
    }
    expect(await b.ok('auditor-client', 'sync.status')).toMatchObject({ enrolled: false });
  });

  it('a pinned fingerprint alone is enough; the wrong one is refused with both fingerprints and nothing is stored', async () => {
    const b = await bench();
    const expected = normaliseFingerprint(other.fingerprint);
    const seen = normaliseFingerprint(good.fingerprint);
    const refused = await b.call('auditor-client', 'sync.enrolBegin', { url: proxy.url, token: PLATFORM_TOKEN, certificateFingerprint: other.fingerprint });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const message = (refused as { error: { message: string } }).error.message;
    expect(message).toContain('证书指纹不符');
    expect(message).toContain(proxy.url);
    expect(message).toContain(`应为：${expected}`);
    expect(message).toContain(`实际：${seen}`);
    expect(await b.ok('auditor-client', 'sync.status')).toMatchObject({ enrolled: false, platformUrl: null, platformTls: null });

    // The right one, lower case without colons as people paste it: enrols and syncs.
    const offer = await b.ok('auditor-client', 'sync.enrolBegin', { url: proxy.url, token: PLATFORM_TOKEN, certificateFingerprint: seen.replace(/:/g, '').toLowerCase() });
    const enrolled = await b.ok('auditor-client', 'sync.enrolConfirm', { fingerprint: offer.fingerprint });
    expect(enrolled.platformTls).toEqual({ caSubject: null, certificateFingerprint: seen });
    await approveDevice(p.exchange, { deviceId: enrolled.deviceId!, at: isoTime(systemClock), state: p.state, pubDir: p.pubDir });
    expect(await syncAndWait(b, 'auditor-client')).toMatchObject({ outcome: 'installed' });

    // The server now presents another certificate: the sync is refused and the installed snapshot stays.
    proxy.server.setSecureContext({ key: other.key, cert: other.cert });
    try {
      const last = await syncAndWait(b, 'auditor-client');
      expect(last).toMatchObject({ outcome: 'refused', message: expect.stringMatching(/^PLATFORM_TLS: .*证书指纹不符/) });
      expect(last.message).toContain(`实际：${normaliseFingerprint(other.fingerprint)}`);
      expect(last.reason).toMatchObject({ reason: 'tlsFingerprintMismatch', params: { seen: normaliseFingerprint(other.fingerprint) } });
      expect((await b.ok('auditor-client', 'home.summary', {})).snapshot?.snapshotId).toBe('P-06');

      // The operator renewed the certificate: the old fingerprint is refused as a new pin, the new one is kept once it
      // reaches the same platform key, and syncs go through again.
      expect(await b.call('auditor-client', 'sync.setTls', { certificateFingerprint: good.fingerprint })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect((await b.ok('auditor-client', 'sync.status')).platformTls?.certificateFingerprint).toBe(seen);
      const renewed = await b.ok('auditor-client', 'sync.setTls', { certificateFingerprint: other.fingerprint });
      expect(renewed.platformTls).toEqual({ caSubject: null, certificateFingerprint: normaliseFingerprint(other.fingerprint) });
      expect(await syncAndWait(b, 'auditor-client')).toMatchObject({ outcome: 'up_to_date' });
    } finally {
      proxy.server.setSecureContext({ key: good.key, cert: good.cert });
    }
  });

  it('refuses plain HTTP to a network address when set and when used; loopback HTTP stays allowed', async () => {
    const b = await bench();
    const set = await b.call('auditor-client', 'sync.enrolBegin', { url: 'http://10.1.2.3:8080', token: PLATFORM_TOKEN });
    expect(set).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('拒绝以明文 HTTP 连接非本机地址 10.1.2.3:8080') } });
    await expect(platformFetch('http://10.1.2.3/manifest.json')).rejects.toMatchObject({ refusal: 'PLAIN_HTTP' });
    await expect(platformFetch('http://[fd00::1]/manifest.json')).rejects.toMatchObject({ refusal: 'PLAIN_HTTP' });
    expect(['127.0.0.1', '127.8.9.10', '[::1]', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['10.1.2.3', '128.0.0.1', 'example.org', '[fd00::1]', 'localhost.example.org'].some(isLoopbackHost)).toBe(false);

    // The platform itself is on http://127.0.0.1: allowed.
    expect(p.server.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const offer = await b.ok('auditor-client', 'sync.enrolBegin', { url: p.server.url, token: PLATFORM_TOKEN });
    expect(offer.snapshotId).toBe('P-06');
    // A pin on a loopback http address would mean nothing: refused rather than ignored.
    expect(await b.call('auditor-client', 'sync.enrolBegin', { url: p.server.url, token: PLATFORM_TOKEN, ca: good.ca })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('只适用于 https://') } });
  });

  it('refuses a pin that is not one', async () => {
    const b = await bench();
    expect(await b.call('auditor-client', 'sync.enrolBegin', { url: proxy.url, token: PLATFORM_TOKEN, certificateFingerprint: 'AB:CD' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('证书指纹格式不对') } });
    expect(await b.call('auditor-client', 'sync.enrolBegin', { url: proxy.url, token: PLATFORM_TOKEN, ca: 'not a certificate' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('PEM') } });
  });
});
