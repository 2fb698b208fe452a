/**
 * The operator's commands on the exchange database (`npm run platform -- …`): create it, enrol and approve devices,
 * revoke one, see who has not synced, export the escrow log. Each opens the database, does one thing and closes it.
 *
 * With the embedded database (no --database), these cannot run while `platform serve` has the folder open: PGlite is
 * one process (the lock file says which); stop the server first, or run the service on PostgreSQL.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { approveDevice, enrolDevice, publishedJurisdiction } from '../../data-platform/enrolment.js';
import { readManifest, wrapCurrentKeyFor, type PlatformState } from '../../data-platform/publish.js';
import { parseJurisdiction } from '../../domain/exchange/jurisdiction.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import { describeExchangeDatabase, ExchangeStore, type ExchangeDatabase } from '../../store/exchange/exchange-store.js';

/** --database URL, else the embedded database in the state folder. */
export function exchangeDatabase(stateDir: string, url: string | undefined): ExchangeDatabase {
  return url ? { url } : { dataDir: join(stateDir, 'exchange-db') };
}

export async function withExchange<R>(where: ExchangeDatabase, fn: (x: ExchangeStore) => Promise<R>): Promise<R> {
  const exchange = await ExchangeStore.open(where);
  try {
    return await fn(exchange);
  } finally {
    await exchange.close();
  }
}

/**
 * Creates the PostgreSQL database the URL names, if it does not exist (connecting to the server's `postgres`
 * database as the URL's user, who needs CREATEDB), then brings its schema up to date.
 */
export async function createDatabase(where: ExchangeDatabase): Promise<string> {
  if ('url' in where) {
    const target = new URL(where.url);
    const name = decodeURIComponent(target.pathname.slice(1));
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database name "${name}": use lower-case letters, digits and _`);
    const admin = new URL(where.url);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
  }
  await withExchange(where, async () => undefined);
  return describeExchangeDatabase(where);
}

export interface EnrolArgs {
  state: PlatformState;
  where: ExchangeDatabase;
  clock: Clock;
  pub?: string;
  approve?: string;
  deviceKey?: string;
  label: string;
  jurisdiction?: string;
}

/** enrol: approve a request, enrol a key directly, or (with neither) list the requests waiting. */
export async function enrolCommand(a: EnrolArgs): Promise<number> {
  const given = a.jurisdiction === undefined ? undefined : parseJurisdiction(a.jurisdiction);
  if (given === null) throw new Error('--jurisdiction: division codes separated by commas, e.g. 320111,320116');
  return withExchange(a.where, async (x) => {
    if (a.approve) {
      const device = await approveDevice(x, { deviceId: a.approve, at: isoTime(a.clock), jurisdiction: given, state: a.state, pubDir: a.pub });
      console.log(`approved device ${device.deviceId} (${device.label}) for ${device.jurisdiction.join(',')}`);
      return 0;
    }
    if (a.deviceKey) {
      const jurisdiction = given ?? (a.pub ? publishedJurisdiction(a.pub) : []);
      if (jurisdiction.length === 0) throw new Error('enrol --device-key needs --jurisdiction (or --pub, to take the publication\'s)');
      const device = await enrolDevice(x, Buffer.from(a.deviceKey, 'base64'), a.label, jurisdiction, isoTime(a.clock));
      if (a.pub) wrapCurrentKeyFor(a.state, a.pub, device);
      console.log(`enrolled device ${device.deviceId} for ${device.jurisdiction.join(',')}`);
      return 0;
    }
    for (const d of await x.devices('pending')) console.log(`pending: ${d.deviceId}  ${d.label}  ${d.jurisdiction.join(',')}  ${d.requestedAt}`);
    return 0;
  });
}

/** revoke: the device's uploads and reads are refused from now on, and its wrapped keys leave the publication. */
export async function revokeCommand(o: { where: ExchangeDatabase; clock: Clock; deviceId: string; pub?: string }): Promise<number> {
  return withExchange(o.where, async (x) => {
    const device = await x.revoke(o.deviceId, isoTime(o.clock));
    if (o.pub) {
      const current = readManifest(o.pub)?.body.snapshotId;
      if (current) rmSync(join(o.pub, 'keys', current, `${device.deviceId}.json`), { force: true });
    }
    console.log(`revoked device ${device.deviceId} (${device.label}) at ${device.revokedAt}`);
    return 0;
  });
}

/** devices: every device with its status, when it was last heard from and its anchored audit head; --stale-days N: only those silent longer. */
export async function devicesCommand(o: { where: ExchangeDatabase; clock: Clock; staleDays?: number }): Promise<number> {
  return withExchange(o.where, async (x) => {
    const cutoff = o.staleDays === undefined ? null : new Date(o.clock.now() - o.staleDays * 86_400_000).toISOString();
    for (const d of await x.lastSyncs()) {
      if (cutoff && d.lastSeenAt && d.lastSeenAt >= cutoff) continue;
      const head = d.headSeq === null ? 'no anchor' : `anchor #${d.headSeq} at ${d.anchoredAt}`;
      console.log(`${d.deviceId}  ${d.status.padEnd(8)}  ${d.jurisdiction.join(',').padEnd(14)}  last seen ${d.lastSeenAt ?? 'never'}  ${head}  ${d.label}`);
    }
    return 0;
  });
}

/** refusals: what was refused since a time (default: the last day), counted by device, kind, status and reason. */
export async function refusalsCommand(o: { where: ExchangeDatabase; clock: Clock; since?: string }): Promise<number> {
  const since = o.since ?? new Date(o.clock.now() - 86_400_000).toISOString();
  return withExchange(o.where, async (x) => {
    const rows = await x.refusalSummary(since);
    if (rows.length === 0) console.log(`no refusals since ${since}`);
    for (const r of rows) console.log(`${String(r.count).padStart(6)}  ${r.deviceId ?? '(no device)'.padEnd(32)}  ${r.kind.padEnd(15)}  ${r.status}  ${r.reason}  (last ${r.last})`);
    return 0;
  });
}

/** escrow-log: every recovery code handed out (who, which set, why), one JSON line each. */
export async function escrowLogCommand(o: { where: ExchangeDatabase }): Promise<number> {
  return withExchange(o.where, async (x) => {
    for (const e of await x.escrowLog()) console.log(JSON.stringify(e));
    return 0;
  });
}
