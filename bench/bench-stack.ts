/**
 * What several benchmarks set up the same way: a generated district written straight into an encrypted snapshot, and a
 * workstation over it whose calls go through the real dispatcher (validation, scope, audit entry).
 */
import { DERIVED_RULES } from '../src-main/rules/index.js';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { CallInput, CallName } from '../src-main/contract/contract.js';
import { generateDistrict, type GeneratorProfile, type PlantRates } from '../src-main/generator/district-generator.js';
import { createWorkstation } from '../src-main/services/workstation.js';
import { SnapshotDb } from '../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../src-main/store/snapshot/snapshot-writer.js';

export function benchSnapshot(dir: string, o: { id: string; seed: number; persons: number; rates?: Partial<PlantRates>; profile?: GeneratorProfile }) {
  const key = randomBytes(32);
  const file = join(dir, `${o.id}.db`);
  const writer = SnapshotWriter.toFile(file, key);
  const summary = generateDistrict({ seed: o.seed, persons: o.persons, ...(o.rates ? { rates: o.rates } : {}), ...(o.profile ? { profile: o.profile } : {}) }, { row: (r) => writer.write(r), truth: () => undefined });
  writer.finish({ snapshotId: o.id, asOf: summary.asOf, jurisdiction: summary.jurisdiction, createdAt: new Date().toISOString() }, { derive: DERIVED_RULES });
  return { snapshot: SnapshotDb.open(file, key), summary };
}

/**
 * A workstation on `dataDir` that serves `snapshot` to everyone, and a call function that throws on refusal;
 * `maxExportRows`: how many rows an export may hold without a supervisor's approval.
 */
export function benchWorkstation(dataDir: string, snapshot: SnapshotDb, o: { maxExportRows?: number } = {}) {
  const ws = createWorkstation({
    dataDir,
    transport: 'http',
    kdfCost: { N: 2 ** 14, r: 8, p: 1 },
    snapshots: { forUser: () => snapshot, invalidate: () => undefined, close: () => undefined },
    ...(o.maxExportRows ? { maxExportRows: o.maxExportRows } : {}),
  });
  const ok = async <K extends CallName>(client: string, call: K, input: CallInput<K>) => {
    const r = await ws.dispatch(client, call, input);
    if (!r.ok) throw new Error(`${call}: ${r.error.code} ${r.error.message}`);
    return r.value as never;
  };
  /** The administrator, then these members (all created before anyone logs in: the team store's founders). */
  const staff = async (members: { username: string; role: 'auditor' | 'supervisor' | 'finance'; scope: string[] }[], password: string) => {
    await ok('admin', 'auth.setupAdmin', { username: 'admin', displayName: '管理员', password: 'bench-admin-pass-1' });
    for (const m of members) await ok('admin', 'users.create', { username: m.username, displayName: m.username, role: m.role, scope: m.scope, initialPassword: 'bench-initial-1' });
    for (const m of members) {
      await ok(m.username, 'auth.login', { username: m.username, password: 'bench-initial-1' });
      await ok(m.username, 'auth.changePassword', { currentPassword: 'bench-initial-1', newPassword: password });
    }
  };
  return { ws, ok, staff };
}

/**
 * A real run's findings (with their subjects), topped up to `count` with repeats under new fingerprints: the inbox's
 * cost depends on how many rows it filters and sorts, not on which. Each copy is about another (made-up) person, so
 * that copies are cases of their own (一人一案), as `count` findings about as many persons would be.
 */
export function topUpFindings<F extends { fingerprint: string; personId?: string | null; subjectId: string; subjectKind: string }>(real: readonly F[], count: number): F[] {
  const findings = [...real];
  for (let copy = 1; findings.length < count && real.length > 0; copy++) {
    for (const f of real) {
      if (findings.length >= count) break;
      const other = (id: string | null | undefined) => (id && /^[0-9]{17}[0-9X]$/.test(id) ? `${id.slice(0, 14)}${String(copy % 1000).padStart(3, '0')}${id.slice(17)}` : id);
      findings.push({ ...f, fingerprint: createHash('sha256').update(`${f.fingerprint}:${copy}`).digest('hex').slice(0, 32), personId: other(f.personId), subjectId: f.subjectKind === 'person' ? other(f.subjectId)! : f.subjectId });
    }
  }
  return findings;
}
