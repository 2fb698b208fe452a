/**
 * R-MISSED's own cases, each beside its near-miss (rules.md v2; careCerts and seriousIllnessMonths at their defaults):
 *
 * - care (重度残疾人护理补贴): a level-2 certificate fires, level 3 does not; a certificate valid to D fires, to D − 1 does
 *   not; 工伤生活护理费 in the year's first month blocks it, in the month before does not; a person already on the care
 *   subsidy, and a dead one, are quiet. These live in households without any enrollment.
 * - living (困难残疾人生活补贴): a 低保 person with a level-4 certificate fires (valid to D; to D − 1 does not); a member of a
 *   household on 整户保 fires too; a person already on the living subsidy, or with 孤儿基本生活费 in the year, is quiet.
 * - single (单人保): in a 低保边缘 household, a member with a level-3 certificate of type 5 (智力) fires, type 4 (肢体) does
 *   not; a level-2 one fires (on the care subsidy already, so single alone); a serious illness settled on the window's
 *   first day fires, the day before does not; a seriously ill member in prison is no member (§M) and is quiet.
 *
 * Every household is quiet for the other rules: complete consents and a recent review where a rule asks for them, a
 * recent visit (PlantedHousehold), no payments, no assets; 低保 households have no income (R-EXIT), 低保边缘 ones earn
 * 1.25 × S per member a month in the year — above S (R-COVER) and below the 1.5 × S of R-EDGE.
 */
import { addDays, addMonths, monthOf, monthsEnding } from '../../domain/calendar.js';
import type { PlantKit } from '../plant-kit.js';
import { PlantedHousehold, type PlantedMember } from '../shared/planted-household.js';

export function plant(kit: PlantKit): void {
  const d = kit.asOf;
  const yearFirst = addMonths(monthOf(d), -11);
  const illnessFrom = `${yearFirst}-01`;
  const longAgo = () => addDays(d, -kit.rnd.int(800, 2000));
  const later = () => addDays(d, kit.rnd.int(200, 1500));
  const adult = (): PlantedMember => ({ age: kit.rnd.int(30, 58) });
  const elder = (): PlantedMember => ({ age: kit.rnd.int(62, 85) });
  const household = (members: PlantedMember[]) => new PlantedHousehold(kit, members, 'MD');

  /** A household on 低保 (整户保 unless `single`) held by member 0, reviewed recently, with everyone's consent. */
  const onDibao = (members: PlantedMember[], o: { coverage?: 'household' | 'single' } = {}) => {
    const start = longAgo();
    return household(members).enroll(0, 'dibao', start, o).consentAll(addDays(start, -5)).review(addDays(d, -kit.rnd.int(10, 60)));
  };
  /**
   * A 低保边缘 household (member 0 enrolled) whose member 0 earns `timesS` × S a month: 1.25 × S per member by default,
   * above S (R-COVER) and below 1.5 × S (R-EDGE) per member.
   */
  const onEdge = (members: PlantedMember[], timesS = 1.25 * members.length) => {
    const start = longAgo();
    const h = household(members).enroll(0, 'dibao_edge', start).consentAll(addDays(start, -5));
    const monthly = Math.round(timesS * kit.dibaoStandardCents(h.division));
    for (const period of monthsEnding(monthOf(d), 12)) h.income(0, 'wage', period, monthly);
    return h;
  };
  const settlement = (h: PlantedHousehold, i: number, date: string) =>
    kit.emit({
      table: 'medical_settlement',
      row: { settlement_id: kit.nextRecordId('MDM'), person_id: h.people[i]!, settle_date: date, total_cents: 1_850_000, fund_paid_cents: 1_300_000, self_paid_cents: 550_000, serious_illness: '1' },
    });

  for (let n = 0; n < kit.count; n++) {
    // care: level 2 fires, level 3 does not.
    household([elder()]).cert(0, String(kit.rnd.int(1, 7)), 2, null);
    household([elder()]).cert(0, '4', 3, null);
    // care: valid to D fires, to D − 1 does not.
    household([adult()]).cert(0, '1', 1, d);
    household([adult()]).cert(0, '1', 1, addDays(d, -1));
    // care: 工伤生活护理费 in the year blocks it; just before the year it does not.
    household([adult()]).cert(0, '4', 1, later()).income(0, 'work_injury_care', yearFirst, 180_000);
    household([adult()]).cert(0, '4', 1, later()).income(0, 'work_injury_care', addMonths(yearFirst, -1), 180_000);
    // care: already on the care subsidy; dead.
    household([elder()]).cert(0, '6', 2, later()).enroll(0, 'disability_care', longAgo());
    household([elder()]).cert(0, '5', 1, later()).death(0, addDays(d, -kit.rnd.int(1, 200)));

    // living: a 低保 person with a level-4 certificate valid to D fires; to D − 1 does not.
    onDibao([elder()]).cert(0, '2', 4, d);
    onDibao([elder()]).cert(0, '2', 4, addDays(d, -1));
    // living: a member (not the holder) of a household on 整户保.
    onDibao([elder(), elder()]).cert(1, '3', 3, later());
    // living: already on the living subsidy; or a child with 孤儿基本生活费 in the year.
    onDibao([elder()]).cert(0, '4', 4, later()).enroll(0, 'disability_living', longAgo());
    onDibao([elder(), { age: kit.rnd.int(8, 15) }]).cert(1, '5', 4, later()).income(1, 'orphan_allowance', monthOf(addDays(d, -40)), 60_000);

    // single: a 低边 household's member with level 3 of type 5 fires, of type 4 does not.
    onEdge([adult(), adult()]).cert(1, '5', 3, later());
    onEdge([adult(), adult()]).cert(1, '4', 3, later());
    // single: level 2 (on the care subsidy already, so single is the only reason).
    onEdge([adult(), adult()]).cert(1, '7', 2, later()).enroll(1, 'disability_care', longAgo());
    // single: a serious illness settled on the window's first day counts; the day before does not.
    settlement(onEdge([adult(), adult()]), 1, illnessFrom);
    settlement(onEdge([adult(), adult()]), 1, addDays(illnessFrom, -1));
    // single: the seriously ill member is in prison at D: not a member (§M). Four members, three at D: 4.25 × S a month
    // is above S for four (R-COVER, whether or not it removes the prisoner) and below 1.5 × S for three (R-EDGE).
    {
      const h = onEdge([adult(), adult(), adult(), adult()], 4.25);
      settlement(h, 1, addDays(d, -kit.rnd.int(30, 200)));
      kit.emit({ table: 'imprisonment', row: { person_id: h.people[1]!, start_date: addDays(d, -20), end_date: null, kind: 'prison' } });
    }
  }
}
