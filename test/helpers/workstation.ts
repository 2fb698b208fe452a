import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallName, CallInput, CallOutput } from '../../src-main/contract/contract.js';
import type { CallResult } from '../../src-main/contract/errors.js';
import { createWorkstation, type Workstation, type WorkstationOptions } from '../../src-main/services/workstation.js';

/** A clock tests can move forward. */
export class TestClock {
  constructor(public t = Date.UTC(2024, 6, 1, 8, 0, 0)) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

/** Cheap scrypt for tests only; production's cost is asserted separately. */
export const TEST_KDF = { N: 2 ** 12, r: 8, p: 1 };

export const ADMIN = { username: 'admin', displayName: '系统管理员', password: 'admin-pass-1234' };

export interface TestBench {
  dir: string;
  clock: TestClock;
  ws: Workstation;
  call<K extends CallName>(client: string, name: K, input?: CallInput<K>): Promise<CallResult<CallOutput<K>>>;
  ok<K extends CallName>(client: string, name: K, input?: CallInput<K>): Promise<CallOutput<K>>;
  reopen(): void;
  cleanup(): void;
}

export function makeBench(options: Partial<WorkstationOptions> = {}): TestBench {
  const dir = mkdtempSync(join(tmpdir(), 'aw-test-'));
  const clock = new TestClock();
  const build = () => createWorkstation({ dataDir: dir, transport: 'http', clock, kdfCost: TEST_KDF, ...options });
  const bench: TestBench = {
    dir,
    clock,
    ws: build(),
    call: (client, name, input) => bench.ws.dispatch(client, name, input ?? {}) as never,
    async ok(client, name, input) {
      const r = await bench.call(client, name, input);
      if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    reopen() {
      bench.ws.close();
      bench.ws = build();
    },
    cleanup() {
      bench.ws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return bench;
}

/** First-run setup plus one account per personal-data role, each with its password already changed. */
export async function withStaff(b: TestBench, scope = ['320111002']) {
  await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
  const created: Record<string, { id: string; username: string; password: string }> = {};
  // All accounts first, then the logins: the members existing when the team store is created are its founders.
  for (const role of ['auditor', 'supervisor', 'finance'] as const) {
    const username = `${role}1`;
    const a = await b.ok('admin-client', 'users.create', {
      username,
      displayName: `${role} 一`,
      role,
      scope,
      initialPassword: 'initial-pass-1',
    });
    created[role] = { id: a.id, username, password: `${role}-pass-5678` };
  }
  for (const role of ['auditor', 'supervisor', 'finance'] as const) {
    await b.ok(`${role}-client`, 'auth.login', { username: `${role}1`, password: 'initial-pass-1' });
    await b.ok(`${role}-client`, 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: `${role}-pass-5678` });
  }
  return created as Record<'auditor' | 'supervisor' | 'finance', { id: string; username: string; password: string }>;
}

/**
 * A member created after the team store exists: the administrator creates the account, a supervisor who holds the key
 * (logged in on `supervisorClient`) lets them in, and they log in and set their own password.
 */
export async function addMember(b: TestBench, supervisorClient: string, m: { client: string; username: string; displayName?: string; role: 'auditor' | 'supervisor' | 'finance'; scope: string[]; password: string }) {
  const account = await b.ok('admin-client', 'users.create', { username: m.username, displayName: m.displayName ?? m.username, role: m.role, scope: m.scope, initialPassword: 'initial-pass-1' });
  await b.ok(supervisorClient, 'team.activateMember', { accountId: account.id });
  await b.ok(m.client, 'auth.login', { username: m.username, password: 'initial-pass-1' });
  await b.ok(m.client, 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: m.password });
  return account;
}

/** Polls until the client's background rule run has finished and been recorded. */
export async function waitForRun(b: TestBench, client: string) {
  for (let i = 0; i < 400; i++) {
    const s = await b.ok(client, 'checks.status');
    if (!s.running && s.lastRun) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the run did not finish');
}
