/**
 * R-MISSED 应享未享（漏救）at every boundary rules.md v2 names, on hand-made households: the SQL (snapshot.runRule) and the
 * rule's own truth (truth.ts over the same rows) both, with the facts of the fingerprint, the evidence and the words.
 * D = 2024-06-30: the year (and the default serious-illness window) is 2023-07 … 2024-06.
 */
import { describe, expect, it } from 'vitest';
import type { AnyRow } from '../../src-main/domain/exchange/rows.js';
import { composeIdNumber } from '../../src-main/domain/id-number.js';
import { resolveParameters } from '../../src-main/domain/rules/rule-library.js';
import { terms } from '../../src-main/platform/terms.js';
import type { DistrictRows } from '../../src-main/rules/plant-kit.js';
import rMissed from '../../src-main/rules/r-missed/index.js';
import { explainEvidence } from '../../src-main/services/evidence/explain-evidence.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';
import { SnapshotWriter } from '../../src-main/store/snapshot/snapshot-writer.js';
import { humanTextProblems } from '../helpers/human-text.js';

const D = '2024-06-30';
let seq = 0;

class World {
  rows: AnyRow[] = [{ table: 'policy', row: { division_prefix: '3201', program: 'dibao', effective_from: '2023-01-01', standard_monthly_cents: 110000 } }];

  household(count: number, division = '320111001001'): { id: string; people: string[] } {
    const id = `H${String(++seq).padStart(4, '0')}`;
    const people = Array.from({ length: count }, (_, i) => {
      const birth = `19${50 + i}-03-0${1 + (seq % 8)}`;
      const p = composeIdNumber('320111', birth, (++seq % 450) * 2 + 1);
      this.rows.push({ table: 'person', row: { person_id: p, name: `王${i}`, gender: '1', birth_date: birth, ethnicity: '01', hukou_division: division, phone: null } });
      this.rows.push({ table: 'household_member', row: { household_id: id, person_id: p, relation: i === 0 ? '01' : '02' } });
      return p;
    });
    this.rows.push({ table: 'household', row: { household_id: id, head_person_id: people[0]!, division_code: division, address: 'x', urban_rural: '1' } });
    return { id, people };
  }
  enroll(person: string, household: string, program: string, o: { coverage?: string; status?: 'active' | 'stopped' } = {}) {
    this.rows.push({
      table: 'enrollment',
      row: { enrollment_id: `E${++seq}`, person_id: person, household_id: household, program, status: o.status ?? 'active', start_date: '2020-01-01', end_date: null, monthly_amount_cents: 50000, support_mode: null, cause: null, coverage: o.coverage ?? null },
    });
  }
  cert(person: string, type: string, level: number, validTo: string | null = null) {
    this.rows.push({ table: 'disability_cert', row: { person_id: person, disability_type: type, disability_level: level, valid_from: '2019-05-01', valid_to: validTo } });
  }
  income(person: string, source: 'work_injury_care' | 'orphan_allowance', period: string) {
    this.rows.push({ table: 'income_record', row: { person_id: person, source, period, amount_cents: 30000 } });
  }
  illness(person: string, date: string, serious = '1') {
    this.rows.push({ table: 'medical_settlement', row: { settlement_id: `M${++seq}`, person_id: person, settle_date: date, total_cents: 900000, fund_paid_cents: 600000, self_paid_cents: 300000, serious_illness: serious } });
  }
  add(row: AnyRow) {
    this.rows.push(row);
  }

  /** Findings by subject (facts) from the SQL, held to the truth; and each finding's explanation. */
  run(parameters = resolveParameters(rMissed.definition)): { facts: Map<string, string>; words: Map<string, string> } {
    const writer = SnapshotWriter.inMemory();
    for (const r of this.rows) writer.write(r);
    const snapshot = SnapshotDb.fromDatabase(writer.finish({ snapshotId: 't', asOf: D, jurisdiction: ['320111'], createdAt: 'x' })!, 'synced');
    const found = snapshot.runRule(rMissed, parameters, null);
    snapshot.close();
    const byTable: DistrictRows = {};
    for (const r of this.rows) ((byTable[r.table] ??= []) as unknown[]).push(r.row);
    const truth = rMissed.truth!(byTable, { asOf: D, jurisdiction: ['320111'], parameters });
    expect(found.map((f) => f.subject_id).sort(), 'SQL and truth agree').toEqual(truth.map((t) => t.subjectId).sort());
    const words = new Map<string, string>();
    for (const f of found) {
      expect(f.amount_cents, 'money owed is never at risk').toBeNull();
      const x = explainEvidence('R-MISSED', JSON.parse(f.evidence), { t: terms('zh-CN'), asOf: D, amountCents: null, parameters, divisionName: () => '某社区' });
      const text = [...x.summary, ...x.rows.flatMap((r) => [r.table, r.key, ...r.fields.flatMap((fl) => [fl.label, fl.value])])].join('\n');
      expect(humanTextProblems(text), text).toEqual([]);
      words.set(f.subject_id, x.summary.join(''));
    }
    return { facts: new Map(found.map((f) => [f.subject_id, f.facts ?? ''])), words };
  }
}

describe('R-MISSED 应享未享', () => {
  it('care: level 1–2 valid at D without the care subsidy; level 3, expired on D − 1, on the subsidy, 工伤护理费 in the year, dead: quiet', () => {
    const w = new World();
    const [two, three, toD, toYesterday, onCare, injured, injuredBefore, dead, tekun] = Array.from({ length: 9 }, () => w.household(1));
    w.cert(two!.people[0]!, '4', 2);
    w.cert(three!.people[0]!, '4', 3);
    w.cert(toD!.people[0]!, '1', 1, D);
    w.cert(toYesterday!.people[0]!, '1', 1, '2024-06-29');
    w.cert(onCare!.people[0]!, '6', 1);
    w.enroll(onCare!.people[0]!, onCare!.id, 'disability_care');
    w.cert(injured!.people[0]!, '4', 1);
    w.income(injured!.people[0]!, 'work_injury_care', '2023-07');
    w.cert(injuredBefore!.people[0]!, '4', 1);
    w.income(injuredBefore!.people[0]!, 'work_injury_care', '2023-06');
    w.cert(dead!.people[0]!, '5', 1);
    w.add({ table: 'death_record', row: { person_id: dead!.people[0]!, death_date: D, source: '公安' } });
    w.cert(tekun!.people[0]!, '5', 1);
    w.enroll(tekun!.people[0]!, tekun!.id, 'tekun');
    const { facts, words } = w.run();
    expect(facts.get(two!.people[0]!)).toBe('care');
    expect(facts.get(toD!.people[0]!)).toBe('care');
    expect(facts.get(injuredBefore!.people[0]!)).toBe('care');
    for (const quiet of [three, toYesterday, onCare, injured, dead, tekun]) expect(facts.get(quiet!.people[0]!)).toBeUndefined();
    expect(words.get(two!.people[0]!)).toContain('重度残疾人护理补贴');
    expect(words.get(two!.people[0]!)).toContain('应享未享');
    // A province that adds level 3 of type 5/6 to the care subsidy (careCerts).
    const wider = new World();
    const mental = wider.household(1);
    wider.cert(mental.people[0]!, '6', 3);
    const physical = wider.household(1);
    wider.cert(physical.people[0]!, '4', 3);
    const p = resolveParameters(rMissed.definition, { careCerts: [{ type: '*', levels: [1, 2] }, { type: '5', levels: [3] }, { type: '6', levels: [3] }] });
    const f = wider.run(p).facts;
    expect(f.get(mental.people[0]!)).toBe('care');
    expect(f.get(physical.people[0]!)).toBeUndefined();
  });

  it('living: a 低保 person, or a member of a household on 整户保, with any valid certificate and no living subsidy', () => {
    const w = new World();
    const own = w.household(1);
    w.enroll(own.people[0]!, own.id, 'dibao');
    w.cert(own.people[0]!, '2', 4);
    const member = w.household(2);
    w.enroll(member.people[0]!, member.id, 'dibao'); // coverage empty: 整户保
    w.cert(member.people[1]!, '3', 3);
    const singleOnly = w.household(2);
    w.enroll(singleOnly.people[0]!, singleOnly.id, 'dibao', { coverage: 'single' });
    w.cert(singleOnly.people[1]!, '3', 3);
    const onLiving = w.household(1);
    w.enroll(onLiving.people[0]!, onLiving.id, 'dibao');
    w.enroll(onLiving.people[0]!, onLiving.id, 'disability_living');
    w.cert(onLiving.people[0]!, '2', 4);
    const orphan = w.household(2);
    w.enroll(orphan.people[0]!, orphan.id, 'dibao');
    w.cert(orphan.people[1]!, '2', 4);
    w.income(orphan.people[1]!, 'orphan_allowance', '2024-06');
    const severe = w.household(1);
    w.enroll(severe.people[0]!, severe.id, 'dibao');
    w.cert(severe.people[0]!, '1', 1);
    const { facts, words } = w.run();
    expect(facts.get(own.people[0]!)).toBe('living');
    expect(facts.get(member.people[1]!)).toBe('living');
    expect(facts.get(singleOnly.people[1]!)).toBeUndefined();
    expect(facts.get(onLiving.people[0]!)).toBeUndefined();
    expect(facts.get(orphan.people[1]!)).toBeUndefined();
    expect(facts.get(severe.people[0]!)).toBe('care,living');
    expect(words.get(own.people[0]!)).toContain('困难残疾人生活补贴');
    expect(words.get(severe.people[0]!)).toMatch(/困难残疾人生活补贴[\s\S]*重度残疾人护理补贴|重度残疾人护理补贴[\s\S]*困难残疾人生活补贴/);
  });

  it('single: a 低边 household member meeting R-SINGLE’s condition without 低保; level 3 of type 5 vs 4, illness inside vs outside, prison', () => {
    const w = new World();
    const edge = (n = 2) => {
      const h = w.household(n);
      w.enroll(h.people[0]!, h.id, 'dibao_edge');
      return h;
    };
    const [mental, physical, ill, illBefore, notSerious, withDibao, jailed] = [edge(), edge(), edge(), edge(), edge(), edge(), edge()];
    w.cert(mental.people[1]!, '5', 3);
    w.cert(physical.people[1]!, '4', 3);
    w.illness(ill.people[1]!, '2023-07-01');
    w.illness(illBefore.people[1]!, '2023-06-30');
    w.illness(notSerious.people[1]!, '2024-05-01', '0');
    w.illness(withDibao.people[1]!, '2024-05-01');
    w.enroll(withDibao.people[1]!, withDibao.id, 'dibao', { coverage: 'single' });
    w.illness(jailed.people[1]!, '2024-05-01');
    w.add({ table: 'imprisonment', row: { person_id: jailed.people[1]!, start_date: '2024-01-01', end_date: null, kind: 'prison' } });
    // Outside the jurisdiction: not considered.
    const away = w.household(2, '320500001001');
    w.enroll(away.people[0]!, away.id, 'dibao_edge');
    w.illness(away.people[1]!, '2024-05-01');
    const { facts, words } = w.run();
    expect(facts.get(mental.people[1]!)).toBe('single');
    expect(facts.get(ill.people[1]!)).toBe('single');
    for (const quiet of [physical, illBefore, notSerious, withDibao, jailed, away]) expect(facts.get(quiet.people[1]!), quiet.id).toBeUndefined();
    expect(words.get(ill.people[1]!)).toContain('单人保');
    expect(words.get(ill.people[1]!)).toContain('2023-07-01');
  });
});
