/**
 * The inbox's SQL against a brute-force reading of the same rows: pages (top-k and cached deep pages) in the same order
 * as one full sort, totals, and facet counts (each with every other filter applied) for generated filters — on the
 * fast path (no case filter) and the slow one. One person's findings are one case (一人一案): a row per case, its lead
 * the open finding with the most money, its amount the sum of its findings', a rule filter matching any of its rules.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseKeyFor } from '../../src-main/domain/cases/case-key.js';
import { SeededRandom } from '../../src-main/domain/random.js';
import type { FindingInput } from '../../src-main/store/team/findings-store.js';
import type { InboxFilter, InboxRow } from '../../src-main/store/team/inbox-queries.js';
import { TeamDb } from '../../src-main/store/team/team-db.js';

const RULES = ['R-DEATH', 'R-EXIT', 'R-MUTEX', 'F-AFTER-DEATH', 'Q-DICT'];
const STREETS = ['320111001', '320111002', '320116001'];
const SCOPE = ['320111'];
/** 2,500 persons: the first 500 have two findings each (of two different rules), the others one. */
const PERSONS = 2500;
let team: TeamDb;
const rnd = new SeededRandom(3);
let inputs: FindingInput[] = [];

beforeAll(() => {
  team = TeamDb.inMemoryForTests(new Database(':memory:'));
  const findings: FindingInput[] = [];
  const persons = Array.from({ length: PERSONS }, (_, p) => ({
    name: `${rnd.pick(['张', '王', '李'])}${p % 17}`,
    division: `${rnd.pick(STREETS)}${String(rnd.int(200, 205))}`,
  }));
  for (let i = 0; i < 3000; i++) {
    const p = i < PERSONS ? i : i - PERSONS;
    findings.push({
      fingerprint: i.toString(16).padStart(32, '0'),
      ruleId: RULES[(i < PERSONS ? i : i + 1) % RULES.length]!,
      ruleVersion: 1,
      subjectKind: 'person',
      subjectId: `P${p}`,
      personId: `P${p}`,
      subjectName: persons[p]!.name,
      householdId: null,
      divisionCode: persons[p]!.division,
      amountCents: rnd.chance(0.2) ? null : rnd.int(0, 500_000),
      evidenceJson: '{}',
    });
  }
  inputs = findings;
  team.findings.recordRun({ runBy: 't', snapshotId: 's', asOf: '2024-06-30', scope: null, rules: RULES.map((id) => ({ id, version: 1, parameters: {}, count: 0, ms: 0 })), startedAt: '', finishedAt: '' }, findings);
  // Some cases, some decided (which changes rule precision and so the default order).
  const at = (n: number) => new Date(Date.UTC(2024, 6, 1) + n * 1000).toISOString();
  let n = 0;
  for (const f of findings.filter((_, i) => i % 7 === 0 && i < PERSONS)) {
    const events = [
      { kind: 'transition', to: 'in_review' },
      ...(rnd.chance(0.5) ? [{ kind: 'transition', to: 'dismissed', reasonCode: 'data_error' }] : []),
      ...(rnd.chance(0.3) ? [{ kind: 'assigned', assigneeId: rnd.pick(['u1', 'u2']), assigneeName: 'x' }] : []),
    ];
    let parent: string | null = null;
    const list = events.map((body) => {
      const e = { eventId: randomUUID(), fingerprint: caseKeyFor(f.personId, f.fingerprint), actorId: 'u1', actorName: 'x', actorRole: 'auditor', at: at(++n), parent, body };
      if (body.kind === 'transition') parent = e.eventId;
      return e;
    });
    team.cases.merge(list as never);
  }
});

/** Every row of the store, whatever its state or place. */
function everything(): InboxRow[] {
  return collect(['3'], { findingState: 'all' }, { column: 'rule', direction: 'asc' });
}

function collect(scope: string[], filter: InboxFilter, sort: Parameters<TeamDb['inbox']['page']>[2]): InboxRow[] {
  const rows: InboxRow[] = [];
  for (let offset = 0; ; offset += 400) {
    const page = team.inbox.page(scope, filter, sort, offset, 400);
    rows.push(...page.rows);
    if (page.rows.length < 400) return rows;
  }
}

/** The same filter, applied in JavaScript. */
function matches(r: InboxRow, f: InboxFilter, except?: string): boolean {
  if (!SCOPE.some((p) => r.divisionCode.startsWith(p))) return false;
  if ((f.findingState ?? 'open') !== 'all' && r.findingState !== (f.findingState ?? 'open')) return false;
  if (except !== 'rule' && f.ruleIds?.length && !r.caseRuleIds.some((id) => f.ruleIds!.includes(id))) return false;
  if (except !== 'caseState' && f.caseStates?.length && !f.caseStates.includes(r.caseState)) return false;
  if (except !== 'division' && f.divisionPrefix && !r.divisionCode.startsWith(f.divisionPrefix)) return false;
  if (except !== 'assignee' && f.assignee && (r.assigneeId ?? 'none') !== f.assignee) return false;
  if (f.minAmountCents !== undefined && (r.caseAmountCents ?? 0) < f.minAmountCents) return false;
  if (f.text && !(r.subjectName ?? '').includes(f.text)) return false;
  return true;
}

describe('inbox queries', () => {
  it('lists one row per person: the lead finding, every rule of the case, the amounts summed', () => {
    const byPerson = new Map<string, FindingInput[]>();
    for (const f of inputs) byPerson.set(f.personId!, [...(byPerson.get(f.personId!) ?? []), f]);
    const rows = everything();
    expect(rows).toHaveLength(PERSONS);
    const byKey = new Map(rows.map((r) => [r.caseKey, r]));
    for (const [personId, list] of byPerson) {
      const row = byKey.get(caseKeyFor(personId, ''))!;
      const lead = [...list].sort((a, b) => (b.amountCents ?? 0) - (a.amountCents ?? 0) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.fingerprint < b.fingerprint ? -1 : 1))[0]!;
      expect(row.fingerprint).toBe(lead.fingerprint);
      expect([...row.caseRuleIds].sort()).toEqual([...new Set(list.map((f) => f.ruleId))].sort());
      const amounts = list.filter((f) => f.amountCents !== null).map((f) => f.amountCents!);
      expect(row.caseAmountCents).toBe(amounts.length ? amounts.reduce((a, b) => a + b, 0) : null);
    }
    // Filtered on a rule, each case is shown by its finding of that rule.
    for (const rule of RULES) {
      const filtered = collect(['3'], { findingState: 'all', ruleIds: [rule] }, { column: 'amount', direction: 'desc' });
      expect(filtered.map((r) => r.ruleId)).toEqual(filtered.map(() => rule));
      expect(filtered).toHaveLength([...byPerson.values()].filter((list) => list.some((f) => f.ruleId === rule)).length);
    }
  });

  it('pages through every row in one consistent order, top-k and cached alike, and notices a change', () => {
    for (const sort of [
      { column: 'priority', direction: 'desc' },
      { column: 'amount', direction: 'asc' },
      { column: 'state', direction: 'desc' },
    ] as const) {
      const rows = collect(SCOPE, {}, sort);
      const expected = everything().filter((r) => matches(r, {}));
      expect(rows).toHaveLength(expected.length);
      expect(new Set(rows.map((r) => r.fingerprint)).size).toBe(rows.length);
      const key = (r: InboxRow) => (sort.column === 'priority' ? r.priority : sort.column === 'amount' ? (r.caseAmountCents ?? -1) : r.caseState);
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [key(rows[i - 1]!), key(rows[i]!)];
        if (sort.direction === 'asc') expect(a <= b).toBe(true);
        else expect(a >= b).toBe(true);
      }
    }
    // A decision changes what the deep (cached) pages show.
    const deep = team.inbox.page(SCOPE, {}, { column: 'state', direction: 'desc' }, 1200, 5).rows[0]!;
    const view = team.cases.view(deep.caseKey);
    team.cases.merge([{ eventId: randomUUID(), fingerprint: deep.caseKey, actorId: 'u1', actorName: 'x', actorRole: 'auditor', at: '2030-01-01T00:00:00.000Z', parent: view.stateHead, body: { kind: 'transition', to: view.state === 'new' ? 'escalated' : 'closed' } }]);
    const after = collect(SCOPE, {}, { column: 'state', direction: 'desc' });
    expect(after.find((r) => r.fingerprint === deep.fingerprint)!.caseState).not.toBe(deep.caseState);
  });

  it('counts each facet value exactly as a brute-force count would, with every other filter applied', () => {
    const all = everything();
    expect(all).toHaveLength(PERSONS);
    const filters: InboxFilter[] = [
      {},
      { ruleIds: ['R-EXIT', 'Q-DICT'] },
      { divisionPrefix: '320111002' },
      { minAmountCents: 100_000, text: '张' },
      { caseStates: ['in_review', 'new'] },
      { assignee: 'u1', ruleIds: ['R-DEATH'] },
      { assignee: 'none', divisionPrefix: '320111001', caseStates: ['new'] },
    ];
    for (const filter of filters) {
      const facets = team.inbox.facets(SCOPE, filter);
      const expected = (facet: string, value: (r: InboxRow) => string) => {
        const counts = new Map<string, number>();
        for (const r of all.filter((x) => matches(x, filter, facet))) for (const v of facet === 'rule' ? r.caseRuleIds : [value(r)]) counts.set(v, (counts.get(v) ?? 0) + 1);
        return Object.fromEntries(counts);
      };
      const got = (list: { value: string; count: number }[]) => Object.fromEntries(list.map((f) => [f.value, f.count]));
      expect(got(facets.rule), JSON.stringify(filter)).toEqual(expected('rule', (r) => r.ruleId));
      expect(got(facets.caseState), JSON.stringify(filter)).toEqual(expected('caseState', (r) => r.caseState));
      expect(got(facets.assignee), JSON.stringify(filter)).toEqual(expected('assignee', (r) => r.assigneeId ?? 'none'));
      const level = filter.divisionPrefix && filter.divisionPrefix.length >= 9 ? 12 : 9;
      expect(got(facets.division), JSON.stringify(filter)).toEqual(expected('division', (r) => r.divisionCode.slice(0, level)));
      expect(team.inbox.count(SCOPE, filter)).toBe(all.filter((r) => matches(r, filter)).length);
    }
  });
});

describe('cases follow their persons', () => {
  it('a finding whose person changes (a new household head) leaves its old case, which goes back to its other finding alone', () => {
    const t = TeamDb.inMemoryForTests(new Database(':memory:'));
    const run = { runBy: 't', snapshotId: 's', asOf: '2024-06-30', scope: null, rules: ['R-EXIT', 'R-DEATH'].map((id) => ({ id, version: 1, parameters: {}, count: 0, ms: 0 })), startedAt: '', finishedAt: '' };
    const base = { ruleVersion: 1, subjectName: '甲', divisionCode: '320111001001', evidenceJson: '{}' };
    const exit = (head: string): FindingInput => ({ ...base, fingerprint: 'e'.repeat(32), ruleId: 'R-EXIT', subjectKind: 'household', subjectId: 'H1', householdId: 'H1', personId: head, amountCents: 900, payments: [['P1', 500], ['P2', 400]] });
    const death: FindingInput = { ...base, fingerprint: 'd'.repeat(32), ruleId: 'R-DEATH', subjectKind: 'person', subjectId: 'A', householdId: 'H1', personId: 'A', amountCents: 700, payments: [['P1', 500], ['P3', 200]] };
    t.findings.recordRun(run, [exit('A'), death]);
    const row = (fp: string) => t.inbox.row(['3'], fp)!;
    // One case: the larger finding leads, P1 is counted once (500 + 400 + 200).
    expect(row('e'.repeat(32)).caseKey).toBe(row('d'.repeat(32)).caseKey);
    expect(row('e'.repeat(32)).caseAmountCents).toBe(1100);
    expect(t.inbox.page(['3'], {}, { column: 'amount', direction: 'desc' }, 0, 10).rows.map((r) => r.fingerprint)).toEqual(['e'.repeat(32)]);
    // The household's head is now B: the R-EXIT finding is B's case; A's case is the death finding alone, at its own amount.
    t.findings.recordRun(run, [exit('B'), death]);
    expect(row('e'.repeat(32)).caseKey).toBe(caseKeyFor('B', ''));
    expect(row('d'.repeat(32))).toMatchObject({ caseKey: caseKeyFor('A', ''), caseAmountCents: 700, caseRuleIds: ['R-DEATH'] });
    expect(row('e'.repeat(32))).toMatchObject({ caseAmountCents: 900, caseRuleIds: ['R-EXIT'] });
    expect(t.inbox.page(['3'], {}, { column: 'amount', direction: 'desc' }, 0, 10).rows.map((r) => r.fingerprint)).toEqual(['e'.repeat(32), 'd'.repeat(32)]);
  });
});
