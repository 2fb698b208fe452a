/**
 * The operator's commands on the exchange database (shells/platform/exchange-commands.ts), run in-process: enrol a key,
 * list and approve requests (for a narrower jurisdiction), revoke, see each device's last contact and anchor, export
 * the escrow log, and create a PostgreSQL database (twice: the second time changes nothing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { requestEnrolment } from '../../src-main/data-platform/enrolment.js';
import { PlatformState } from '../../src-main/data-platform/publish.js';
import { deviceIdOf, generateDeviceKeyPair } from '../../src-main/platform/device-keys.js';
import { createDatabase, devicesCommand, enrolCommand, escrowLogCommand, exchangeDatabase, refusalsCommand, revokeCommand, withExchange } from '../../src-main/shells/platform/exchange-commands.js';
import { openPgliteFolder, sharedPostgres } from '../helpers/exchange-db.js';

const clock = { now: () => Date.UTC(2024, 6, 1, 8) };
let root: string;
let state: PlatformState;
let printed: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aw-platform-ops-'));
  state = new PlatformState(join(root, 'state'));
  state.init();
  // The embedded database where the commands look for it (STATE/exchange-db), made from the tests' template.
  await (await openPgliteFolder(state.dir)).close();
  vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
});
afterEach(() => {
  printed = [];
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('platform operations', () => {
  const where = () => exchangeDatabase(state.dir, undefined);

  it('enrols a key for a jurisdiction, lists a request waiting, approves it for a narrower one, revokes a device', async () => {
    const laptop = generateDeviceKeyPair();
    const base = { state, where: where(), clock, label: '' };
    await expect(enrolCommand({ ...base, deviceKey: laptop.publicKeyDer.toString('base64') })).rejects.toThrow(/needs --jurisdiction/);
    await expect(enrolCommand({ ...base, deviceKey: laptop.publicKeyDer.toString('base64'), jurisdiction: '32011x' })).rejects.toThrow(/division codes/);
    expect(await enrolCommand({ ...base, deviceKey: laptop.publicKeyDer.toString('base64'), label: '笔记本', jurisdiction: '320111,320116' })).toBe(0);
    expect(printed).toEqual([`enrolled device ${deviceIdOf(laptop.publicKeyDer)} for 320111,320116`]);

    const asking = generateDeviceKeyPair();
    const id = deviceIdOf(asking.publicKeyDer);
    await withExchange(where(), (x) => requestEnrolment(x, asking.publicKeyDer, '六合区工作站', ['320111', '320116'], '2024-06-30T01:00:00.000Z'));
    printed = [];
    await enrolCommand(base);
    expect(printed).toEqual([`pending: ${id}  六合区工作站  320111,320116  2024-06-30T01:00:00.000Z`]);
    printed = [];
    await enrolCommand({ ...base, approve: id, jurisdiction: '320116' });
    expect(printed).toEqual([`approved device ${id} (六合区工作站) for 320116`]);
    await expect(enrolCommand({ ...base, approve: id })).rejects.toThrow(/no pending enrolment/);

    // A request made before anything was published has no jurisdiction: approved only for one the operator gives.
    const early = generateDeviceKeyPair();
    const earlyId = deviceIdOf(early.publicKeyDer);
    await withExchange(where(), (x) => requestEnrolment(x, early.publicKeyDer, 'early', [], '2024-06-30T01:00:00.000Z'));
    await expect(enrolCommand({ ...base, approve: earlyId })).rejects.toThrow(/without a jurisdiction .* --jurisdiction/);
    await enrolCommand({ ...base, approve: earlyId, jurisdiction: '320111' });

    printed = [];
    await revokeCommand({ where: where(), clock, deviceId: id });
    expect(printed).toEqual([`revoked device ${id} (六合区工作站) at 2024-07-01T08:00:00.000Z`]);
    await expect(revokeCommand({ where: where(), clock, deviceId: 'f'.repeat(32) })).rejects.toThrow(/no device/);

    printed = [];
    await devicesCommand({ where: where(), clock, staleDays: 7 });
    expect(printed).toHaveLength(3);
    expect(printed.find((l) => l.startsWith(id))).toMatch(/revoked .*320116 .*last seen never {2}no anchor {2}六合区工作站/);
  });

  it('counts the refusals of the last day by device, kind and reason', async () => {
    await withExchange(where(), async (x) => {
      for (const at of ['2024-06-29T08:00:00.000Z', '2024-07-01T07:00:00.000Z', '2024-07-01T07:30:00.000Z']) {
        await x.logRefusal({ at, kind: 'case-events', status: 403, deviceId: 'a'.repeat(32), error: 'OUT_OF_JURISDICTION: event …' });
      }
      await x.logRefusal({ at: '2024-07-01T07:40:00.000Z', kind: 'upload', status: 400, deviceId: null, error: 'uploads are JSON' });
    });
    await refusalsCommand({ where: where(), clock });
    expect(printed).toEqual([
      `     2  ${'a'.repeat(32)}  case-events      403  OUT_OF_JURISDICTION  (last 2024-07-01T07:30:00.000Z)`,
      `     1  (no device)                       upload           400  uploads are JSON  (last 2024-07-01T07:40:00.000Z)`,
    ]);
  });

  it('exports the escrow log as JSON lines', async () => {
    await withExchange(where(), (x) => x.logEscrow({ setId: 'set-1', username: 'li', reason: 'laptop lost, ticket 42', at: '2024-07-01T08:00:00.000Z' }));
    await escrowLogCommand({ where: where() });
    expect(printed.map((l) => JSON.parse(l) as unknown)).toEqual([{ at: '2024-07-01T08:00:00.000Z', setId: 'set-1', username: 'li', reason: 'laptop lost, ticket 42' }]);
  });

  it('creates a PostgreSQL database with its schema, and finds it there the second time', async (ctx) => {
    const pg = await sharedPostgres();
    if (!pg) return ctx.skip();
    const url = (await pg.createDatabase()).replace(/\/[^/]+$/, '/aw_exchange_ops');
    expect(await createDatabase({ url })).toMatch(/^PostgreSQL postgresql:\/\/aw@127\.0\.0\.1:\d+\/aw_exchange_ops$/);
    await withExchange({ url }, (x) => x.logEscrow({ setId: 's', username: 'u', reason: 'r', at: 'now' }));
    await createDatabase({ url });
    expect(await withExchange({ url }, (x) => x.escrowLog())).toHaveLength(1);
  });
});
