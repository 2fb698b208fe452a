/**
 * Data scope, proven over the service contract: fast-check generates users (with scopes from a whole county down to one
 * community, in every role that sees personal data) and calls (inbox pages with random filters, sorts, offsets and
 * divisions, facet counts, finding details, person files and reveals, multi-dimensional queries, case actions and
 * exports), 10,000 per run, all through the dispatcher. No row outside the caller's scope is ever returned, counted or
 * exported; whatever is refused is refused with a code, never an internal error.
 */
import { readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallName } from '../../src-main/contract/contract.js';
import { caseKeyFor } from '../../src-main/domain/cases/case-key.js';
import { addMember, ADMIN, makeBench, waitForRun, type TestBench } from '../helpers/workstation.js';

const SORT_COLUMNS = ['priority', 'amount', 'rule', 'division', 'name', 'state', 'change', 'due', 'assignee', 'updated'] as const;
const FAMILIES = ['reminder', 'quality', 'spending', 'economic', 'attribute', 'mutex'];
const REFUSALS = new Set(['OUT_OF_SCOPE', 'FORBIDDEN_ROLE', 'INVALID_INPUT', 'NOT_FOUND', 'CASE_REFUSED', 'WARNING_REFUSED', 'CONFLICT', 'EXPORT_TOO_LARGE', 'NO_SNAPSHOT']);

interface Member {
  client: string;
  role: 'auditor' | 'supervisor' | 'finance';
  scope: string[];
}

let b: TestBench;
let members: Member[];
let findings: { fingerprint: string; division: string; state: string; person_id: string | null }[];
/** Where each person of the snapshot lives (every household they belong to), read plainly from the snapshot. */
let homes: Map<string, string[]>;
/** What 查人 is asked: names and whole ID numbers of persons inside and outside every scope. */
let personQueries: string[];
let personRefs: string[];
let divisions: string[];
let rules: string[];
/** The monitoring warnings of the district, and where each household lives. */
let warnings: { warning_id: string; division: string }[];
let supAllId: string;

const within = (code: string, scope: readonly string[]) => scope.some((p) => code.startsWith(p));

beforeAll(async () => {
  b = makeBench({ maxExportRows: 100_000 });
  await b.ok('admin-client', 'auth.setupAdmin', ADMIN);
  const make = async (client: string, role: Member['role'], scope: string[]) => {
    if (client === 'sup-all') {
      // The first member founds the team store; everyone after is let in by that supervisor.
      await b.ok('admin-client', 'users.create', { username: client, displayName: client, role, scope, initialPassword: 'initial-pass-1' });
      await b.ok(client, 'auth.login', { username: client, password: 'initial-pass-1' });
      await b.ok(client, 'auth.changePassword', { currentPassword: 'initial-pass-1', newPassword: `${client}-pass-5678` });
    } else await addMember(b, 'sup-all', { client, username: client, role, scope, password: `${client}-pass-5678` });
    return { client, role, scope };
  };
  const all = await make('sup-all', 'supervisor', ['320111', '320116']);
  divisions = (await b.ok('sup-all', 'inbox.divisions')).map((d) => d.code);
  const streets = [...new Set(divisions.map((d) => d.slice(0, 9)))].filter((d) => !d.endsWith('000'));
  const communities = divisions.filter((d) => d.length === 12 && !d.endsWith('000'));
  members = [
    all,
    await make('aud-street', 'auditor', [streets[0]!]),
    await make('aud-two', 'auditor', [streets[1]!, streets[streets.length - 1]!]),
    await make('aud-community', 'auditor', [communities[3]!]),
    await make('aud-county', 'auditor', ['320116']),
    await make('fin-street', 'finance', [streets[2]!]),
    await make('sup-street', 'supervisor', [streets[0]!]),
  ];
  await b.ok('sup-all', 'checks.run', {});
  await waitForRun(b, 'sup-all');
  const team = b.ws.internals.team.forUser(b.ws.internals.sessions.get('sup-all')!.user.id);
  const db = (team as unknown as { db: Database }).db;
  findings = db.prepare('SELECT fingerprint, division_code AS division, state, person_id FROM finding').all() as typeof findings;
  const snapshotDb = (b.ws.internals.snapshots.forUser('', null) as unknown as { db: Database }).db;
  homes = new Map();
  for (const r of snapshotDb.prepare('SELECT m.person_id, h.division_code FROM household_member m JOIN household h USING (household_id)').all() as { person_id: string; division_code: string }[]) {
    homes.set(r.person_id, [...(homes.get(r.person_id) ?? []), r.division_code]);
  }
  const named = db.prepare('SELECT DISTINCT subject_name FROM finding WHERE subject_name IS NOT NULL LIMIT 60').pluck().all() as string[];
  personQueries = [...named, ...named.map((n) => n.slice(0, 1) + n.slice(1, 2)), ...findings.slice(0, 60).map((f) => f.person_id).filter((p): p is string => !!p)];
  rules = [...new Set((db.prepare('SELECT rule_id FROM finding').pluck().all() as string[]))];
  const rows = await b.ok('sup-all', 'inbox.page', { filter: {}, sort: { column: 'priority', direction: 'desc' }, offset: 0, limit: 500 });
  personRefs = [...new Set(rows.rows.map((r) => r.personRef).filter((r): r is string => !!r))];
  // Monitoring warnings over the whole district, a few of them assigned, so that the loop's calls have rows to show.
  await b.ok('sup-all', 'monitoring.run');
  warnings = db.prepare('SELECT warning_id, division_code AS division FROM warning').all() as typeof warnings;
  supAllId = b.ws.internals.sessions.get('sup-all')!.user.id;
  await b.ok('sup-all', 'monitoring.assign', { warningIds: warnings.slice(0, 30).map((w) => w.warning_id), assigneeId: supAllId, apply: true });
  // Some cases, so that case columns and facets have something in them.
  for (const r of rows.rows.slice(0, 20)) await b.ok('sup-all', 'case.act', { fingerprint: r.fingerprint, expectedHead: null, command: { kind: 'transition', to: 'in_review' } });
}, 300_000);
afterAll(() => b.cleanup());

const filterArb = fc.record(
  {
    ruleIds: fc.subarray(['R-DEATH', 'R-EXIT', 'R-HUKOU-OUT', 'F-AFTER-DEATH', 'Q-DATES', 'R-MUTEX'], { minLength: 1 }),
    families: fc.subarray(FAMILIES, { minLength: 1 }),
    caseStates: fc.subarray(['new', 'in_review', 'confirmed', 'dismissed'] as const, { minLength: 1 }),
    minAmountCents: fc.integer({ min: 0, max: 2_000_000 }),
    text: fc.constantFrom('王', '李', '1234', '320', '张伟'),
    findingState: fc.constantFrom('open', 'resolved', 'all') as fc.Arbitrary<'open' | 'resolved' | 'all'>,
    changes: fc.subarray(['new', 'persisting', 'resolved'] as const, { minLength: 1 }),
  },
  { requiredKeys: [] },
);

const warningFilterArb = fc.record(
  {
    level: fc.subarray(['red', 'orange', 'yellow'] as const, { minLength: 1 }),
    state: fc.subarray(['pushed', 'assigned', 'visited', 'decided', 'fed_back'] as const, { minLength: 1 }),
    signal: fc.constantFrom('M-MEDICAL', 'M-DISABILITY', 'M-UNEMPLOYED', 'M-EDUCATION', 'M-DISASTER', 'M-BREADWINNER', 'M-INCOME-DROP'),
    overdue: fc.constantFrom('visit', 'decide', 'any', 'none') as fc.Arbitrary<'visit' | 'decide' | 'any' | 'none'>,
    assignee: fc.constantFrom('me', 'none'),
    auditView: fc.constantFrom('overdue', 'no_visit', 'red_left_alone') as fc.Arbitrary<'overdue' | 'no_visit' | 'red_left_alone'>,
  },
  { requiredKeys: [] },
);

/** A division prefix to ask for: any real division (in or out of the caller's scope), or a county, or none. */
const prefixArb = () => fc.option(fc.oneof(fc.constantFrom(...divisions), fc.constantFrom('320111', '320116', '3201', '320111004')), { nil: undefined });

function callArb(): fc.Arbitrary<{ name: CallName; input: Record<string, unknown> }> {
  const sort = fc.record({ column: fc.constantFrom(...SORT_COLUMNS), direction: fc.constantFrom('asc', 'desc') });
  const withPrefix = (o: Record<string, unknown>, p: string | undefined) => (p ? { ...o, divisionPrefix: p } : o);
  return fc.oneof(
    { weight: 30, arbitrary: fc.tuple(filterArb, prefixArb(), sort, fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 300 })).map(([filter, p, s, offset, limit]) => ({ name: 'inbox.page' as const, input: withPrefix({ filter, sort: s, offset, limit }, p) })) },
    { weight: 15, arbitrary: fc.tuple(filterArb, prefixArb()).map(([filter, p]) => ({ name: 'inbox.facets' as const, input: withPrefix({ filter }, p) })) },
    { weight: 15, arbitrary: fc.constantFrom(...findings.map((f) => f.fingerprint)).map((fingerprint) => ({ name: 'finding.detail' as const, input: { fingerprint } })) },
    { weight: 12, arbitrary: fc.constantFrom(...personRefs).map((personRef) => ({ name: 'person.file' as const, input: { personRef } })) },
    { weight: 4, arbitrary: fc.constantFrom(...personRefs).map((personRef) => ({ name: 'person.reveal' as const, input: { personRef, reason: '核对户籍信息' } })) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(fc.record({ programs: fc.subarray(['dibao', 'tekun', 'linshi', 'disability_living'] as const, { minLength: 1 }), ageMin: fc.integer({ min: 0, max: 90 }) }, { requiredKeys: [] }), prefixArb())
        .map(([query, p]) => ({ name: 'query.run' as const, input: withPrefix({ query }, p) })),
    },
    { weight: 3, arbitrary: fc.constant({ name: 'inbox.divisions' as const, input: {} }) },
    { weight: 3, arbitrary: fc.constantFrom(...personQueries).map((query) => ({ name: 'person.find' as const, input: { query } })) },
    { weight: 3, arbitrary: fc.constant({ name: 'home.summary' as const, input: {} }) },
    { weight: 3, arbitrary: fc.constant({ name: 'learning.stats' as const, input: {} }) },
    { weight: 5, arbitrary: fc.constantFrom(...findings.map((f) => f.fingerprint)).map((fingerprint) => ({ name: 'case.act' as const, input: { fingerprint, expectedHead: null, command: { kind: 'note', text: '核查备注' } } })) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constant({}), filterArb), fc.oneof(fc.constant(undefined), prefixArb())).map(([filter, p]) => ({ name: 'export.findings' as const, input: withPrefix({ format: 'csv', purpose: '范围测试', filter, sort: { column: 'priority', direction: 'desc' } }, p) })) },
    { weight: 1, arbitrary: fc.constantFrom(...personRefs).map((personRef) => ({ name: 'export.person' as const, input: { personRef, format: 'csv', purpose: '范围测试' } })) },
    { weight: 3, arbitrary: fc.constantFrom(...findings.map((f) => f.fingerprint)).map((fingerprint) => ({ name: 'export.ofFinding' as const, input: { fingerprint } })) },
    { weight: 3, arbitrary: prefixArb().map((p) => ({ name: 'report.dashboard' as const, input: withPrefix({}, p) })) },
    { weight: 10, arbitrary: fc.tuple(warningFilterArb, prefixArb(), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 300 })).map(([filter, p, offset, limit]) => ({ name: 'monitoring.page' as const, input: { filter: withPrefix(filter, p), offset, limit } })) },
    { weight: 6, arbitrary: fc.tuple(warningFilterArb, prefixArb()).map(([filter, p]) => ({ name: 'monitoring.facets' as const, input: { filter: withPrefix(filter, p) } })) },
    { weight: 8, arbitrary: fc.constantFrom(...warnings.map((w) => w.warning_id)).map((warningId) => ({ name: 'monitoring.detail' as const, input: { warningId } })) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(...warnings.map((w) => w.warning_id)).map((warningId) => ({
        name: 'monitoring.act' as const,
        input: { warningId, expectedHead: null, command: { kind: 'decide', decision: { outcome: 'not_eligible', reason: 'income', departments: [] } } },
      })),
    },
    { weight: 3, arbitrary: fc.subarray(warnings.map((w) => w.warning_id), { minLength: 1, maxLength: 5 }).map((warningIds) => ({ name: 'monitoring.assign' as const, input: { warningIds, assigneeId: supAllId, apply: false } })) },
    { weight: 1, arbitrary: fc.constant({ name: 'monitoring.audit' as const, input: {} }) },
    { weight: 1, arbitrary: fc.constant({ name: 'monitoring.status' as const, input: {} }) },
    { weight: 1, arbitrary: fc.constant({ name: 'monitoring.run' as const, input: {} }) },
    { weight: 2, arbitrary: prefixArb().map((p) => ({ name: 'report.spending' as const, input: withPrefix({}, p) })) },
    { weight: 2, arbitrary: prefixArb().map((p) => ({ name: 'report.preview' as const, input: withPrefix({ period: '2024-07', sections: ['monitoring'] }, p) })) },
    { weight: 2, arbitrary: fc.tuple(fc.oneof(fc.constant({}), warningFilterArb), prefixArb()).map(([filter, p]) => ({ name: 'export.warnings' as const, input: { format: 'csv', purpose: '范围测试', filter: withPrefix(filter, p) } })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('F-AFTER-DEATH', 'F-AFTER-EXIT', 'F-DUPLICATE', 'F-AMOUNT'), prefixArb())
        .map(([rule, p]) => ({ name: 'report.payments' as const, input: withPrefix({ rule, limit: 100 }, p) })),
    },
  );
}

/** Every division code and fingerprint a result shows, where the contract puts them. */
function shown(name: CallName, value: unknown): { divisions: string[]; labels: string[]; fingerprints: string[]; warningIds: string[] } {
  const divisions: string[] = [];
  const labels: string[] = [];
  const fingerprints: string[] = [];
  const warningIds: string[] = [];
  const walk = (v: unknown, key: string | null) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
    if (v && typeof v === 'object') return Object.entries(v).forEach(([k, x]) => walk(x, k));
    if (typeof v !== 'string') return;
    if (key === 'fingerprint') fingerprints.push(v);
    if (key === 'warningId') warningIds.push(v);
    // Rows, households, people and division lists name their division here; evidence may quote a place outside the
    // jurisdiction a person moved to, under other keys, and is not a row of anyone.
    if (key === 'divisionCode' || (key === 'code' && name === 'inbox.divisions')) divisions.push(v);
    // 多维查询 counts the caller's own rows per street: the street's code labels a count of rows inside the scope; so do
    // the reports' streets, and the budget lines they compare.
    if (key === 'code' && name === 'query.run') labels.push(v);
    if (key === 'street') labels.push(v);
    if (key === 'divisionPrefix' && name === 'report.spending') divisions.push(v);
  };
  walk(value, null);
  return { divisions, labels, fingerprints, warningIds };
}

describe('data scope (property)', () => {
  it('never returns, counts or exports a row outside the caller\'s scope (10,000 generated calls)', async () => {
    const counts = new Map<string, number>();
    const outcomes = new Map<string, { ok: number; refused: number }>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...members), callArb(), async (m, call) => {
        counts.set(call.name, (counts.get(call.name) ?? 0) + 1);
        const r = await b.call(m.client, call.name, call.input as never);
        const tally = outcomes.get(call.name) ?? { ok: 0, refused: 0 };
        tally[r.ok ? 'ok' : 'refused']++;
        outcomes.set(call.name, tally);
        if (!r.ok) {
          expect(REFUSALS.has(r.error.code), `${call.name} → ${r.error.code}: ${r.error.message}`).toBe(true);
          return;
        }
        const inScope = findings.filter((f) => within(f.division, m.scope));
        // A finding in scope may be named by its fingerprint, and its case (一人一案) by the case key.
        const allowed = new Set(inScope.flatMap((f) => [f.fingerprint, caseKeyFor(f.person_id, f.fingerprint)]));
        const { divisions: codes, labels, fingerprints, warningIds } = shown(call.name, r.value);
        const warningsInScope = warnings.filter((w) => within(w.division, m.scope));
        const allowedWarnings = new Set(warningsInScope.map((w) => w.warning_id));
        for (const id of warningIds) expect(allowedWarnings.has(id), `${m.client} ${call.name} showed warning ${id}`).toBe(true);
        if (call.name === 'monitoring.page') {
          const page = r.value as { total: number };
          expect(page.total).toBeLessThanOrEqual(warningsInScope.length);
          if (!Object.keys((call.input as { filter: object }).filter).length) expect(page.total).toBe(warningsInScope.length);
        }
        if (call.name === 'monitoring.facets') {
          const facets = r.value as Record<string, { value: string; count: number }[]>;
          expect(facets.level!.reduce((n, x) => n + x.count, 0)).toBeLessThanOrEqual(warningsInScope.length);
          for (const x of facets.street!) expect(within(x.value, m.scope) || m.scope.some((p) => p.startsWith(x.value)), `warning facet street ${x.value}`).toBe(true);
        }
        if (call.name === 'monitoring.audit') for (const v of r.value as { count: number }[]) expect(v.count).toBeLessThanOrEqual(warningsInScope.length);
        for (const code of codes) expect(within(code, m.scope), `${m.client} ${call.name} showed division ${code}`).toBe(true);
        for (const label of labels) expect(within(label, m.scope) || m.scope.some((p) => p.startsWith(label)), `${m.client} ${call.name} counted under ${label}`).toBe(true);
        if (call.name === 'query.run') {
          const q = r.value as { total: number; persons: unknown[] };
          expect(q.persons.length).toBeLessThanOrEqual(q.total);
        }
        for (const fp of fingerprints) expect(allowed.has(fp), `${m.client} ${call.name} showed finding ${fp}`).toBe(true);
        if (call.name === 'inbox.page') {
          const page = r.value as { total: number };
          expect(page.total).toBeLessThanOrEqual(inScope.length);
          const input = call.input as { filter: Record<string, unknown>; divisionPrefix?: string };
          const cases = new Set(inScope.filter((f) => f.state === 'open').map((f) => caseKeyFor(f.person_id, f.fingerprint)));
          if (!Object.keys(input.filter).length && !input.divisionPrefix) expect(page.total).toBe(cases.size);
        }
        if (call.name === 'person.find') {
          // 查人 finds nobody who does not live inside the caller's scope.
          for (const p of r.value as { personRef: string }[]) {
            const personId = b.ws.internals.refs.fromRef(p.personRef)!;
            expect((homes.get(personId) ?? []).some((d) => within(d, m.scope)), `${m.client} person.find found someone outside`).toBe(true);
          }
        }
        if (call.name === 'inbox.facets') {
          const facets = r.value as Record<string, { value: string; count: number }[]>;
          expect(facets.rule!.reduce((n, x) => n + x.count, 0)).toBeLessThanOrEqual(inScope.length);
          for (const d of facets.division!) expect(within(d.value, m.scope), `facet division ${d.value}`).toBe(true);
        }
        if (call.name === 'report.dashboard') {
          const dash = r.value as { byRule: { count: number }[] };
          const open = inScope.filter((f) => f.state === 'open').length;
          const total = dash.byRule.reduce((n, x) => n + x.count, 0);
          if ((call.input as { divisionPrefix?: string }).divisionPrefix) expect(total).toBeLessThanOrEqual(open);
          else expect(total).toBe(open);
        }
        if (call.name === 'export.ofFinding') {
          // Only exports the caller made, or members inside the caller's scope made.
          for (const e of r.value as { username: string }[]) {
            const by = members.find((x) => x.client === e.username)!;
            expect(by.client === m.client || by.scope.every((p) => within(p, m.scope)), `${m.client} saw ${by.client}'s export`).toBe(true);
          }
        }
        if (call.name === 'report.preview') {
          // The monitoring section counts warnings in scope only, and names streets in scope only.
          const report = r.value as { sections: { id: string; figures?: { label: string; value: number }[]; table?: { rows: (string | number | null)[][] } }[] };
          const pushed = report.sections.find((x) => x.id === 'monitoring')!.figures!.find((f) => f.label === '本期推送预警')!.value;
          expect(pushed).toBeLessThanOrEqual(warningsInScope.length);
          for (const row of report.sections.find((x) => x.id === 'monitoring-overdue')!.table!.rows) {
            const code = String(row[0]).match(/(\d{9})）?$/)![1]!;
            expect(within(code, m.scope) || m.scope.some((p) => p.startsWith(code)), `report street ${code}`).toBe(true);
          }
        }
        if (call.name === 'export.warnings') {
          const rows = (parse(readFileSync((r.value as { file: string }).file, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]).slice(2);
          for (const row of rows) expect(within(row[5]!, m.scope), `exported warning division ${row[5]}`).toBe(true);
        }
        if (call.name === 'export.findings') {
          const rows = (parse(readFileSync((r.value as { file: string }).file, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]).slice(2);
          for (const row of rows) expect(within(row[6]!, m.scope), `exported division ${row[6]}`).toBe(true);
        }
      }),
      { numRuns: 10_000, seed: Number(process.env.SCOPE_SEED ?? 20261123) },
    );
    console.log('scope property: answered / refused per call', JSON.stringify(Object.fromEntries(outcomes)));
    // Both sides are exercised: rows inside the scope are returned, and rows outside it are asked for and refused.
    for (const name of ['inbox.page', 'inbox.facets', 'finding.detail', 'person.file', 'query.run', 'case.act', 'export.findings', 'export.ofFinding', 'report.dashboard', 'report.spending', 'report.payments', 'monitoring.detail', 'monitoring.assign', 'monitoring.audit'] as const) {
      expect(outcomes.get(name)!.ok, name).toBeGreaterThan(0);
      expect(outcomes.get(name)!.refused, name).toBeGreaterThan(0);
    }
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
    expect(rules.length).toBeGreaterThan(5);
  }, 900_000);
});
