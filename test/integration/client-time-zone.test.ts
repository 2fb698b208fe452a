/**
 * 跟随系统 follows the user's own machine: in browser mode the service may run in another zone (a server left on UTC)
 * than the browser, which reports its zone at login; times on screen, in exports and in reports follow it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemTimeZone } from '../../src-main/domain/local-time.js';
import { timeZoneOf } from '../../src-main/services/sessions.js';
import { makeBench, withStaff, type TestBench } from '../helpers/workstation.js';

describe("the client's time zone", () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('is what 跟随系统 shows, unless the user chose a zone; an unknown name falls back to the service zone', async () => {
    b = makeBench();
    const staff = await withStaff(b);
    const other = systemTimeZone() === 'UTC' ? 'Asia/Shanghai' : 'UTC';
    const session = await b.ok('c1', 'auth.login', { username: 'auditor1', password: staff.auditor.password, timeZone: other });
    expect(session).toMatchObject({ timeZone: other, timeZoneSetting: 'system', systemTimeZone: other });
    // Exports and reports are stamped in the zone the screen shows.
    const open = b.ws.internals.sessions.get('c1')!;
    expect(timeZoneOf(open.workspace!, open.user)).toBe(other);
    // A zone chosen in 设置 wins over the client's.
    const chosen = await b.ok('c1', 'settings.update', { timeZone: 'Asia/Urumqi' });
    expect(chosen).toMatchObject({ timeZone: 'Asia/Urumqi', systemTimeZone: other });
    expect(timeZoneOf(open.workspace!, open.user)).toBe('Asia/Urumqi');
    await b.ok('c1', 'settings.update', { timeZone: 'system' });

    const unknown = await b.ok('c2', 'auth.login', { username: 'supervisor1', password: staff.supervisor.password, timeZone: 'Mars/Olympus' });
    expect(unknown).toMatchObject({ timeZone: systemTimeZone(), systemTimeZone: systemTimeZone() });
    // A client that says nothing (the command line, older clients) gets the service's zone.
    const silent = await b.ok('c3', 'auth.login', { username: 'finance1', password: staff.finance.password });
    expect(silent).toMatchObject({ timeZone: systemTimeZone() });
  });
});
