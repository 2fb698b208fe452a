/**
 * Reports for supervisors and finance staff, all inside the caller's scope:
 * - the dashboard: findings by family and street, what the last run changed, the case funnel, ageing, workload, rule
 *   precision, money at risk / confirmed / recovered, and the snapshot's freshness — each with what the inbox needs to
 *   list the findings behind it;
 * - the spending review: the F-rules payment by payment (by rule, programme, street, month), budget execution with
 *   pace and forecast, recoveries;
 * - the monthly report (domain/reports/report-model.ts), rendered to PDF and xlsx by the export service.
 * Figures are aggregates; no names or ID numbers.
 */
import { snapshotName } from '../../domain/snapshot-name.js';
import { budgetPace, type BudgetLine, type BudgetPace } from '../../domain/reports/budget-pace.js';
import { reportCategories, SPENDING_RULE_NAMES } from '../../domain/reports/report-terms.js';
import { periodBounds, type Report, type ReportSection, type ReportSectionId } from '../../domain/reports/report-model.js';
import { programName } from '../../domain/programs.js';
import type { Clock } from '../../platform/clock.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { flaggedOnce, spendingRows, type FlaggedInScope, type FlaggedPayment, type SpendingRow } from '../../store/snapshot/spending-queries.js';
import type { TeamDb } from '../../store/team/team-db.js';
import { formatLocalTime, localDate } from '../../domain/local-time.js';
import { DEADLINE_TIME_ZONE } from '../../domain/monitoring/warning-loop.js';
import { terms } from '../../platform/terms.js';
import { signalModule } from '../../rules/signals/index.js';
import { monitoringFigures, type MonitoringFigures } from './monitoring-figures.js';
import { BUILTIN_RULES, ruleById, SPENDING_FLAGS } from '../../rules/index.js';
import { rulePrecision } from '../../domain/cases/case-workflow.js';

const DAY = 86_400_000;
export const AGEING_BUCKETS = [
  { id: '0-7', maxDays: 7 },
  { id: '8-30', maxDays: 30 },
  { id: '31-90', maxDays: 90 },
  { id: '90+', maxDays: Infinity },
] as const;

/** Funnel stages and the case states each gathers. */
export const FUNNEL = [
  { stage: 'new', states: ['new'] },
  { stage: 'in_review', states: ['in_review', 'awaiting_verification', 'escalated'] },
  { stage: 'confirmed', states: ['confirmed'] },
  { stage: 'dismissed', states: ['dismissed'] },
  { stage: 'closed', states: ['closed'] },
] as const;

export interface Dashboard {
  snapshot: { snapshotId: string; asOf: string; ageDays: number; source: string };
  lastRun: { runId: number; at: string } | null;
  byFamilyStreet: { family: string; street: string; streetName: string; count: number; amountCents: number }[];
  byRule: { ruleId: string; family: string; count: number; amountCents: number }[];
  changes: { new: number; persisting: number; resolved: number };
  funnel: { stage: string; states: string[]; count: number }[];
  ageing: { bucket: string; count: number; firstRunFrom: number | null; firstRunTo: number | null }[];
  workload: { assigneeId: string | null; assigneeName: string | null; open: number; overdue: number }[];
  precision: { ruleId: string; confirmed: number; dismissed: number; precision: number | null }[];
  money: { atRiskCents: number; confirmedCents: number; toRecoverCents: number; recoveredCents: number };
  /** Monitoring's headline figures for the current Beijing month (the monthly report's, from the same function). */
  monitoring: Pick<MonitoringFigures, 'period' | 'open' | 'overdueTotal' | 'visits'>;
}

interface SpendingCell {
  payments: number;
  amountCents: number;
  shortCents: number;
}

export interface SpendingReview {
  asOf: string;
  /** amountCents: paid that should not have been; shortCents: F-AMOUNT's shortfall against the enrolled amount. */
  byRule: (SpendingCell & { rule: string })[];
  /** All F-rules together, each flagged payment once. */
  totalOnce: { payments: number; amountCents: number };
  byProgram: (SpendingCell & { rule: string; program: string })[];
  byStreet: (SpendingCell & { rule: string; street: string; streetName: string })[];
  byMonth: (SpendingCell & { rule: string; period: string })[];
  budget: BudgetPace[];
  /**
   * An estimate, not a payment: the monthly amounts of the enrolments (active at the snapshot's date) of persons whose
   * benefit a confirmed case stopped, and the same over twelve months.
   */
  prevented: { persons: number; monthlyCents: number; annualCents: number };
  recoveries: { toRecoverCents: number; recoveredCents: number; cases: { fingerprint: string; ruleId: string; divisionCode: string; state: string; toRecoverCents: number; recoveredCents: number }[] };
}

interface Ledger {
  flagged: FlaggedInScope[];
  rows: SpendingRow[];
  budget: BudgetLine[];
  once: { payments: number; amountCents: number };
}

function sumBy<K extends string>(rows: readonly SpendingRow[], key: (r: SpendingRow) => K[]): Map<string, { keys: K[]; payments: number; amountCents: number; shortCents: number }> {
  const out = new Map<string, { keys: K[]; payments: number; amountCents: number; shortCents: number }>();
  for (const r of rows) {
    const keys = key(r);
    const id = keys.join('\u0000');
    const e = out.get(id) ?? { keys, payments: 0, amountCents: 0, shortCents: 0 };
    e.payments += r.payments;
    e.amountCents += r.amountCents;
    e.shortCents += r.shortCents;
    out.set(id, e);
  }
  return out;
}

export class ReportService {
  /**
   * The ledger's part of the spending review, per snapshot, scope and month: a snapshot never changes once installed
   * (a sync installs a new one, under a new id), and reading every payment of a million persons takes seconds.
   */
  private readonly ledgerCache = new Map<string, Ledger>();

  constructor(private readonly clock: Clock) {}

  private ledger(snapshot: SnapshotDb, scope: readonly string[], through: string): Ledger {
    const key = JSON.stringify([snapshot.meta().snapshotId, [...scope].sort(), through]);
    const hit = this.ledgerCache.get(key);
    if (hit) return hit;
    const year = Number(through.slice(0, 4));
    // One pass over the ledger for the rows by rule and the total once per payment (and, with R-LINSHI's payments, the
    // total again: spending()); each used to be a pass of its own, seconds apiece at a million persons.
    const flagged = snapshot.spending(SPENDING_FLAGS).flaggedInScope(scope, through);
    const value = {
      flagged,
      rows: spendingRows(flagged),
      once: flaggedOnce(flagged),
      // Only budget lines inside the scope: a street's payments against the county's budget would mislead.
      budget: snapshot.spending(SPENDING_FLAGS).budget(scope, year, through).filter((b) => scope.some((p) => b.divisionPrefix.startsWith(p))),
    };
    if (this.ledgerCache.size >= 32) this.ledgerCache.delete(this.ledgerCache.keys().next().value!);
    this.ledgerCache.set(key, value);
    return value;
  }

  /** The payments a rule's open findings attribute money to, with the payment's programme and month, through `through`. */
  private attributed(team: TeamDb, snapshot: SnapshotDb, scope: readonly string[], ruleId: string, through: string) {
    const parts = team.reports.attributedPayments(scope, ruleId);
    const payments = new Map(snapshot.spending(SPENDING_FLAGS).paymentsById(parts.map((p) => p.paymentId)).map((p) => [p.paymentId, p]));
    return parts.flatMap((p) => {
      const y = payments.get(p.paymentId);
      return y && y.period <= through
        ? [{ paymentId: p.paymentId, cents: p.cents, program: y.program, period: y.period, street: p.divisionCode.slice(0, 9), divisionCode: p.divisionCode, personId: y.personId, paidCents: y.paidCents }]
        : [];
    });
  }

  /** The payments behind one cell of the review (drill-down): an F-rule's from the ledger, R-LINSHI's from its findings. */
  payments(team: TeamDb | null, snapshot: SnapshotDb, scope: readonly string[], where: { rule?: string; program?: string; street?: string; period?: string }, limit: number): FlaggedPayment[] {
    if (where.rule !== 'R-LINSHI') return snapshot.spending(SPENDING_FLAGS).payments(scope, where, limit);
    if (!team) return [];
    return this.attributed(team, snapshot, scope, 'R-LINSHI', snapshot.meta().asOf.slice(0, 7))
      .filter((p) => (!where.program || p.program === where.program) && (!where.street || p.street === where.street) && (!where.period || p.period === where.period))
      .sort((a, b) => (a.period === b.period ? (a.paymentId < b.paymentId ? -1 : 1) : a.period < b.period ? 1 : -1))
      .slice(0, limit)
      .map((p) => ({ rule: 'R-LINSHI', paymentId: p.paymentId, personId: p.personId, program: p.program, period: p.period, paidCents: p.paidCents, flaggedCents: p.cents, shortCents: 0, divisionCode: p.divisionCode }));
  }

  private streetNames(snapshot: SnapshotDb, scope: readonly string[]): Map<string, string> {
    // A street is coded as its 9 digits followed by 000 (communities fill the last three).
    return new Map(snapshot.divisionsWithin(scope).filter((d) => d.code.length === 12 && d.code.endsWith('000')).map((d) => [d.code.slice(0, 9), d.name] as const));
  }

  dashboard(team: TeamDb, snapshot: SnapshotDb, scope: readonly string[]): Dashboard {
    const q = team.reports;
    const meta = snapshot.meta();
    const names = this.streetNames(snapshot, scope);
    // Overdue by the local calendar: a case due today is not overdue at 07:00 Beijing time (23:00 UTC the day before).
    const today = localDate(this.clock.now());
    const lastRun = team.findings.lastRun(scope);
    const states = q.caseStates(scope);
    const ageing = AGEING_BUCKETS.map((b) => ({ bucket: b.id as string, count: 0, firstRunFrom: null as number | null, firstRunTo: null as number | null }));
    for (const run of q.openByFirstRun(scope)) {
      const days = Math.floor((this.clock.now() - Date.parse(run.startedAt)) / DAY);
      const i = AGEING_BUCKETS.findIndex((b) => days <= b.maxDays);
      const b = ageing[i]!;
      b.count += run.count;
      b.firstRunFrom = b.firstRunFrom === null ? run.runId : Math.min(b.firstRunFrom, run.runId);
      b.firstRunTo = b.firstRunTo === null ? run.runId : Math.max(b.firstRunTo, run.runId);
    }
    const changes = q.changes(scope);
    return {
      snapshot: { snapshotId: meta.snapshotId, asOf: meta.asOf, ageDays: Math.max(0, Math.round((Date.parse(today) - Date.parse(meta.asOf)) / DAY)), source: meta.source },
      lastRun: lastRun ? { runId: lastRun.runId, at: lastRun.finishedAt } : null,
      byFamilyStreet: q.byFamilyStreet(scope).map((r) => ({ ...r, streetName: names.get(r.street) ?? r.street })),
      byRule: q.byRule(scope),
      changes: { new: changes.new, persisting: changes.persisting, resolved: changes.resolved },
      funnel: FUNNEL.map((f) => ({ stage: f.stage, states: [...f.states], count: states.filter((s) => (f.states as readonly string[]).includes(s.state)).reduce((n, s) => n + s.count, 0) })),
      ageing,
      workload: q.workload(scope, today),
      precision: q.precision(scope).map((p) => ({ ...p, precision: rulePrecision(p.confirmed, p.dismissed) })),
      money: q.money(scope),
      monitoring: (({ period, open, overdueTotal, visits }) => ({ period, open, overdueTotal, visits }))(monitoringFigures(team, scope, localDate(this.clock.now(), DEADLINE_TIME_ZONE).slice(0, 7), this.clock.now())),
    };
  }

  spending(team: TeamDb | null, snapshot: SnapshotDb, scope: readonly string[], throughPeriod?: string): SpendingReview {
    const asOf = snapshot.meta().asOf;
    const through = throughPeriod && throughPeriod < asOf.slice(0, 7) ? throughPeriod : asOf.slice(0, 7);
    const ledger = this.ledger(snapshot, scope, through);
    // 临时救助's money joins the review once (rules.md v2 "Reports"): what R-LINSHI's open findings attribute to each
    // payment — computed by the last run with each region's own caps — by the payment's programme, street and month.
    const linshi = team ? this.attributed(team, snapshot, scope, 'R-LINSHI', through) : [];
    const rows = [...ledger.rows, ...linshi.map((p) => ({ rule: 'R-LINSHI', program: p.program, street: p.street, period: p.period, payments: 1, amountCents: p.cents, shortCents: 0 }))];
    const names = this.streetNames(snapshot, scope);
    const budget = ledger.budget.map((b) => budgetPace(b, `${through}-28`));
    // Only the recovery figures: the amounts at risk (money()) read every attributed payment and are not shown here.
    const money = team?.reports.recoveryTotals(scope);
    const stopped = team?.reports.stoppedPersons(scope) ?? [];
    const monthly = snapshot.spending(SPENDING_FLAGS).monthlyAmountOf(stopped, asOf);
    return {
      asOf,
      byRule: [...sumBy(rows, (r) => [r.rule]).values()].map(({ keys, ...e }) => ({ rule: keys[0]!, ...e })),
      // The rules overlap (a payment after death is often also outside its enrolment): their sum is not the total.
      totalOnce: linshi.length ? flaggedOnce(ledger.flagged, linshi, through) : ledger.once,
      byProgram: [...sumBy(rows, (r) => [r.rule, r.program]).values()].map(({ keys, ...e }) => ({ rule: keys[0]!, program: keys[1]!, ...e })),
      byStreet: [...sumBy(rows, (r) => [r.rule, r.street]).values()].map(({ keys, ...e }) => ({ rule: keys[0]!, street: keys[1]!, streetName: names.get(keys[1]!) ?? keys[1]!, ...e })),
      byMonth: [...sumBy(rows, (r) => [r.rule, r.period]).values()].map(({ keys, ...e }) => ({ rule: keys[0]!, period: keys[1]!, ...e })),
      budget,
      prevented: { persons: stopped.length, monthlyCents: monthly, annualCents: monthly * 12 },
      recoveries: { toRecoverCents: money?.toRecoverCents ?? 0, recoveredCents: money?.recoveredCents ?? 0, cases: team?.reports.recoveries(scope, 200) ?? [] },
    };
  }

  /** The monthly report: the anomaly counts the seed papers report, the case work, and the spending review. */
  monthly(
    team: TeamDb,
    snapshot: SnapshotDb,
    scope: readonly string[],
    o: { period: string; sections: readonly ReportSectionId[]; generatedBy: string; generatedAt: string; language: 'zh-CN' | 'en' },
  ): Report {
    const zh = o.language === 'zh-CN';
    const meta = snapshot.meta();
    const dash = this.dashboard(team, snapshot, scope);
    const spend = this.spending(team, snapshot, scope, o.period);
    const { from, to } = periodBounds(o.period);
    const activity = team.reports.periodActivity(scope, from, to);
    const open = new Map(dash.byRule.map((r) => [r.ruleId, r]));
    const act = new Map(activity.map((a) => [a.ruleId, a]));
    const sections: ReportSection[] = [];
    const want = new Set(o.sections);
    if (want.has('summary')) {
      sections.push({
        id: 'summary',
        title: zh ? '一、总体情况' : '1. Overview',
        figures: [
          { label: zh ? '未结线索' : 'Open findings', value: dash.byRule.reduce((n, r) => n + r.count, 0), unit: 'count' },
          { label: zh ? '本期新发现' : 'New this period', value: activity.reduce((n, a) => n + a.found, 0), unit: 'count' },
          { label: zh ? '涉及金额（未结，累计，每笔发放只计一次）' : 'Amount at risk (open, cumulative, each payment once)', value: dash.money.atRiskCents, unit: 'cents' },
          // 应享未享 is owed to persons: counted apart, never in the amount at risk.
          { label: zh ? '应享未享线索（应发给本人而未发，不计入涉及金额）' : 'Entitled but not receiving (owed to persons, not at risk)', value: dash.byRule.filter((r) => ruleById(r.ruleId)?.owed).reduce((n, r) => n + r.count, 0), unit: 'count' },
          { label: zh ? '已确认金额' : 'Amount confirmed', value: dash.money.confirmedCents, unit: 'cents' },
          { label: zh ? '应追回' : 'To recover', value: dash.money.toRecoverCents, unit: 'cents' },
          { label: zh ? '已追回' : 'Recovered', value: dash.money.recoveredCents, unit: 'cents' },
        ],
        note: zh ? `数据截至 ${meta.asOf}（快照 ${meta.snapshotId}）。` : `Data as of ${meta.asOf} (snapshot ${snapshotName(meta.snapshotId, 'en')}).`,
      });
    }
    if (want.has('anomalies')) {
      // One row per anomaly type, each rule counted under the type its definition declares (several rules may share one:
      // 应退未退, 业务规范); money at risk once per payment within a type, none for money owed to persons (应享未享).
      const categories = reportCategories(BUILTIN_RULES);
      const sum = (ids: readonly string[], of: (id: string) => number) => ids.reduce((n, id) => n + of(id), 0);
      const atRisk = team.reports.atRiskOfGroups(scope, categories.map(({ category, ruleIds }) => (category.owed ? [] : ruleIds)));
      const rows = categories.map(({ category, ruleIds }, i) => [
        zh ? category.zh : category.en,
        sum(ruleIds, (id) => act.get(id)?.found ?? 0),
        sum(ruleIds, (id) => open.get(id)?.count ?? 0),
        category.owed ? null : atRisk[i]!,
        sum(ruleIds, (id) => act.get(id)?.confirmed ?? 0),
        sum(ruleIds, (id) => act.get(id)?.dismissed ?? 0),
      ]);
      const members = categories
        .filter((c) => c.ruleIds.length > 1 || c.category.owed)
        .map(({ category, ruleIds }) => `${zh ? category.zh : category.en}（${zh ? category.group.zh : category.group.en}）：${ruleIds.map((id) => ruleNameOf(id, zh)).join(zh ? '、' : ', ')}`)
        .join(zh ? '；' : '; ');
      sections.push({
        id: 'anomalies',
        title: zh ? '二、各类异常情况' : '2. Anomalies by type',
        note: zh
          ? `本期新发现：首次出现在截至本期的快照中的线索；确认/排除：本期作出的决定。${members}。应享未享是应发给本人而未发的待遇，不计入涉及金额。`
          : `New this period: first found in a snapshot as of this period; confirmed/dismissed: decisions taken in the period. ${members}. 应享未享 is money owed to persons, never counted as money at risk.`,
        chart: { labels: rows.map((r) => String(r[0])), series: [{ name: zh ? '未结线索' : 'Open', values: rows.map((r) => Number(r[2])) }, { name: zh ? '本期新发现' : 'New', values: rows.map((r) => Number(r[1])) }], unit: 'count' },
        table: {
          columns: [
            { label: zh ? '异常类型' : 'Type', unit: 'text' },
            { label: zh ? '本期新发现' : 'New', unit: 'count' },
            { label: zh ? '未结线索' : 'Open', unit: 'count' },
            { label: zh ? '涉及金额' : 'Amount', unit: 'cents' },
            { label: zh ? '确认' : 'Confirmed', unit: 'count' },
            { label: zh ? '排除' : 'Dismissed', unit: 'count' },
          ],
          rows,
        },
      });
    }
    if (want.has('streets')) {
      const byStreet = new Map<string, { name: string; count: number; amountCents: number }>();
      for (const r of dash.byFamilyStreet) {
        const e = byStreet.get(r.street) ?? { name: r.streetName, count: 0, amountCents: 0 };
        e.count += r.count;
        e.amountCents += r.amountCents;
        byStreet.set(r.street, e);
      }
      const rows = [...byStreet.entries()].sort((a, b) => b[1].count - a[1].count).map(([code, e]) => [e.name, code, e.count, e.amountCents]);
      sections.push({
        id: 'streets',
        title: zh ? '三、分街道情况' : '3. By street',
        chart: { labels: rows.map((r) => String(r[0])), series: [{ name: zh ? '未结线索' : 'Open findings', values: rows.map((r) => Number(r[2])) }], unit: 'count' },
        table: { columns: [{ label: zh ? '街道' : 'Street', unit: 'text' }, { label: zh ? '区划代码' : 'Code', unit: 'text' }, { label: zh ? '未结线索' : 'Open', unit: 'count' }, { label: zh ? '涉及金额' : 'Amount', unit: 'cents' }], rows },
      });
    }
    if (want.has('cases')) {
      const stageName: Record<string, [string, string]> = { new: ['待核查', 'Not started'], in_review: ['核查中', 'In review'], confirmed: ['已确认', 'Confirmed'], dismissed: ['已排除', 'Dismissed'], closed: ['已办结', 'Closed'] };
      sections.push({
        id: 'cases',
        title: zh ? '四、案件办理' : '4. Case work',
        chart: { labels: dash.funnel.map((f) => stageName[f.stage]![zh ? 0 : 1]), series: [{ name: zh ? '案件' : 'Cases', values: dash.funnel.map((f) => f.count) }], unit: 'count' },
        table: {
          columns: [{ label: zh ? '规则' : 'Rule', unit: 'text' }, { label: zh ? '确认' : 'Confirmed', unit: 'count' }, { label: zh ? '排除' : 'Dismissed', unit: 'count' }, { label: zh ? '准确率' : 'Precision', unit: 'percent' }],
          // Rules by name (a code means nothing to a reader of the report); precision only once something was decided.
          rows: dash.precision.map((p) => [ruleNameOf(p.ruleId, zh), p.confirmed, p.dismissed, p.precision === null ? null : Math.round(p.precision * 1000) / 10]),
        },
      });
    }
    if (want.has('spending')) {
      const ruleName = (r: string) => (zh ? SPENDING_RULE_NAMES[r]?.zh : SPENDING_RULE_NAMES[r]?.en) ?? r;
      const inPeriod = spend.byMonth.filter((m) => m.period === o.period);
      sections.push({
        id: 'spending',
        title: zh ? '五、资金审核' : '5. Spending review',
        note: zh
          ? `累计至 ${o.period}；本期：所属月份为 ${o.period} 的发放。金额为不应发放的部分；少发为金额偏差中低于核定月标准、应予补发的部分。`
          : `Cumulative through ${o.period}; this period: payments for ${o.period}. Amount: what should not have been paid; underpaid: the part of an amount deviation below the enrolled monthly amount, owed to the beneficiary.`,
        chart: { labels: spend.byRule.map((r) => ruleName(r.rule)), series: [{ name: zh ? '金额' : 'Amount', values: spend.byRule.map((r) => r.amountCents) }], unit: 'cents' },
        table: {
          columns: [{ label: zh ? '问题' : 'Issue', unit: 'text' }, { label: zh ? '笔数（累计）' : 'Payments (total)', unit: 'count' }, { label: zh ? '金额（累计）' : 'Amount (total)', unit: 'cents' }, { label: zh ? '笔数（本期）' : 'Payments (period)', unit: 'count' }, { label: zh ? '金额（本期）' : 'Amount (period)', unit: 'cents' }, { label: zh ? '少发（累计）' : 'Underpaid (total)', unit: 'cents' }],
          rows: spend.byRule.map((r) => {
            const m = inPeriod.find((x) => x.rule === r.rule);
            return [ruleName(r.rule), r.payments, r.amountCents, m?.payments ?? 0, m?.amountCents ?? 0, r.shortCents];
          }),
        },
      });
    }
    if (want.has('budget')) {
      sections.push({
        id: 'budget',
        title: zh ? '六、预算执行' : '6. Budget execution',
        note: zh ? '预期进度 = 预算 × 已过月数 / 12；偏离超过 10% 标注为超支或滞后；全年预测按月均发放推算。' : 'Expected = budget × months elapsed / 12; more than 10 % off pace is marked; the forecast extends the monthly run rate.',
        table: {
          columns: [
            { label: zh ? '区划' : 'Division', unit: 'text' },
            { label: zh ? '救助业务' : 'Programme', unit: 'text' },
            { label: zh ? '预算' : 'Budget', unit: 'cents' },
            { label: zh ? '已发放' : 'Paid', unit: 'cents' },
            { label: zh ? '预期' : 'Expected', unit: 'cents' },
            { label: zh ? '进度' : 'Pace', unit: 'percent' },
            { label: zh ? '全年预测' : 'Forecast', unit: 'cents' },
            { label: zh ? '状态' : 'Status', unit: 'text' },
          ],
          rows: spend.budget.map((b) => [
            divisionLabel(snapshot, b.divisionPrefix, zh),
            programName(b.program, o.language),
            b.budgetCents,
            b.paidCents,
            b.expectedCents,
            b.pace === null ? null : Math.round(b.pace * 1000) / 10,
            b.forecastCents,
            zh ? { over: '超支', under: '滞后', on_pace: '正常' }[b.status] : { over: 'over pace', under: 'under pace', on_pace: 'on pace' }[b.status],
          ]),
        },
      });
    }
    if (want.has('recoveries')) {
      sections.push({
        id: 'recoveries',
        title: zh ? '七、追回情况' : '7. Recoveries',
        figures: [
          { label: zh ? '应追回' : 'To recover', value: spend.recoveries.toRecoverCents, unit: 'cents' },
          { label: zh ? '已追回' : 'Recovered', value: spend.recoveries.recoveredCents, unit: 'cents' },
          { label: zh ? '追回率' : 'Recovered share', value: spend.recoveries.toRecoverCents > 0 ? Math.round((spend.recoveries.recoveredCents / spend.recoveries.toRecoverCents) * 1000) / 10 : 0, unit: 'percent' },
          { label: zh ? '已停发人数' : 'Benefits stopped', value: spend.prevented.persons, unit: 'count' },
          { label: zh ? '估算每月少付' : 'Estimated monthly saving', value: spend.prevented.monthlyCents, unit: 'cents' },
          { label: zh ? '估算全年少付' : 'Estimated yearly saving', value: spend.prevented.annualCents, unit: 'cents' },
        ],
        note: zh
          ? '应追回、已追回为案件记录的实际金额；“估算少付”按已停发对象在数据日期有效的月发放标准推算，并非实际支付。'
          : 'To recover and recovered are the amounts recorded on cases; the estimated savings extend the stopped persons\' monthly amounts at the data date and are not payments.',
      });
    }
    if (want.has('monitoring')) sections.push(...this.monitoringSections(team, snapshot, scope, o.period, o.language));
    return {
      title: zh ? `社会救助数据比对月度报告（${o.period}）` : `Social assistance cross-check report, ${o.period}`,
      period: o.period,
      scope: [...scope],
      snapshot: { snapshotId: meta.snapshotId, asOf: meta.asOf },
      generatedAt: o.generatedAt,
      generatedBy: o.generatedBy,
      sections,
    };
  }

  /**
   * 八、动态监测: the month's monitoring figures (monitoring-figures.ts) as sections of the report — population, warnings,
   * visits, outcomes, referrals, overdue — so that every writer (PDF, xlsx, the screen's preview) shows them as it shows
   * the others. Names, never codes: signals, layers, programmes and departments in the report's language.
   */
  private monitoringSections(team: TeamDb, snapshot: SnapshotDb, scope: readonly string[], period: string, language: 'zh-CN' | 'en'): ReportSection[] {
    const zh = language === 'zh-CN';
    const t = terms(language);
    const f = monitoringFigures(team, scope, period, this.clock.now());
    const names = this.streetNames(snapshot, scope);
    const level = (l: string) => t(`monitoring.levels.${l}`);
    const signalName = (id: string) => {
      const m = signalModule(id);
      return m ? (zh ? m.definition.name.zh : m.definition.name.en) : id;
    };
    const head = zh ? '八、动态监测' : '8. Dynamic monitoring';
    const runNote = f.run
      ? zh
        ? `监测对象取自 ${formatLocalTime(f.run.finishedAt, { timeZone: DEADLINE_TIME_ZONE })} 完成的监测运行，数据截至 ${f.run.asOf}，范围：${f.run.scope?.map((p) => divisionLabel(snapshot, p)).join('、') ?? '全部'}。`
        : `Monitored population from the monitoring run finished ${formatLocalTime(f.run.finishedAt, { timeZone: DEADLINE_TIME_ZONE })} (data as of ${f.run.asOf}, scope ${f.run.scope?.join(', ') ?? 'all'}).`
      : zh
        ? '本范围内尚无监测运行：监测对象人数暂缺。'
        : 'No monitoring run in this scope yet: no population figures.';
    const layers = Object.keys({ ...(f.population?.byLayer ?? {}), ...(f.population?.personsByLayer ?? {}) });
    const order = ['tekun', 'dibao', 'dibao_edge', 'rigid_expense', 'exited', 'refused'];
    layers.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const openTotal = f.open.red + f.open.orange + f.open.yellow;
    const sections: ReportSection[] = [
      {
        id: 'monitoring',
        title: zh ? `${head}：监测对象与预警` : `${head}: population and warnings`,
        note: zh
          ? `${runNote}本期：按北京时间 ${period} 月内推送的预警；在办：尚未反馈的预警（截至报告生成时）。`
          : `${runNote} This period: warnings pushed in ${period} (Beijing time); in the loop: not yet fed back (at generation).`,
        figures: [
          { label: zh ? '监测对象（户）' : 'Monitored households', value: f.population?.households ?? 0, unit: 'count' },
          { label: zh ? '本期推送预警' : 'Warnings pushed this period', value: f.pushed.total, unit: 'count' },
          ...(['red', 'orange', 'yellow'] as const).map((l) => ({ label: zh ? `本期${level(l)}` : `Pushed: ${level(l)}`, value: f.pushed.byLevel[l], unit: 'count' as const })),
          { label: zh ? '在办预警' : 'Warnings in the loop', value: openTotal, unit: 'count' },
        ],
        table: {
          columns: [
            { label: zh ? '监测对象类别' : 'Layer', unit: 'text' },
            { label: zh ? '户数' : 'Households', unit: 'count' },
            { label: zh ? '人数' : 'Persons', unit: 'count' },
          ],
          rows: layers.map((l) => [t(`monitoring.layers.${l}`), f.population?.byLayer[l] ?? 0, f.population?.personsByLayer[l] ?? 0]),
        },
      },
      {
        id: 'monitoring-signals',
        title: zh ? `${head}：预警指标与级别` : `${head}: signals and levels`,
        note: zh ? '本期推送的预警按其指标与当前级别统计；一户有多个指标时每个指标各计一次，合计行每户只计一次。' : 'Warnings pushed this period by signal and current level; a warning with several signals counts under each, once in the total.',
        chart: { labels: f.pushed.bySignal.map((s) => signalName(s.signal)), series: (['red', 'orange', 'yellow'] as const).map((l) => ({ name: level(l), values: f.pushed.bySignal.map((s) => s[l]) })), unit: 'count' },
        table: {
          columns: [
            { label: zh ? '预警指标' : 'Signal', unit: 'text' },
            ...(['red', 'orange', 'yellow'] as const).map((l) => ({ label: level(l), unit: 'count' as const })),
            { label: zh ? '合计' : 'Total', unit: 'count' },
          ],
          rows: [
            ...f.pushed.bySignal.map((s) => [signalName(s.signal), s.red, s.orange, s.yellow, s.total]),
            [zh ? '合计（户）' : 'Total (warnings)', f.pushed.byLevel.red, f.pushed.byLevel.orange, f.pushed.byLevel.yellow, f.pushed.total],
          ],
        },
      },
      {
        id: 'monitoring-visits',
        title: zh ? `${head}：按时入户` : `${head}: visits on time`,
        note: zh
          ? '入户核查时限在本期内且已届满（或已入户）的预警：入户日期不晚于时限为按时。纳入、临时救助和转介可不经入户直接认定，单列。'
          : 'Warnings whose visit deadline fell in this period and has passed (or that were visited): on time when the visit date is not after the due date. Enrolment, temporary assistance and referral may be decided without a visit: shown apart.',
        figures: [
          { label: zh ? '本期到期' : 'Due this period', value: f.visits.due, unit: 'count' },
          { label: zh ? '按时入户' : 'Visited on time', value: f.visits.onTime, unit: 'count' },
          { label: zh ? '按时入户率' : 'On-time rate', value: f.visits.due > 0 ? Math.round((f.visits.onTime / f.visits.due) * 1000) / 10 : 0, unit: 'percent' },
          { label: zh ? '逾期入户' : 'Visited late', value: f.visits.late, unit: 'count' },
          { label: zh ? '未入户即认定' : 'Decided without a visit', value: f.visits.decidedWithoutVisit, unit: 'count' },
          { label: zh ? '未入户' : 'Not visited', value: f.visits.notVisited, unit: 'count' },
        ],
      },
      {
        id: 'monitoring-outcomes',
        title: zh ? `${head}：处置结果` : `${head}: outcomes`,
        note: zh ? '本期作出的认定，按主要结果统计。' : 'Decisions taken this period, by primary outcome.',
        table: {
          columns: [{ label: zh ? '认定结果' : 'Outcome', unit: 'text' }, { label: zh ? '户数' : 'Warnings', unit: 'count' }],
          rows: [
            ...Object.entries(f.outcomes.enrolled).map(([p, n]) => [`${t('monitoring.outcomes.enrolled')}（${t(`monitoring.programs.${p}`)}）`, n]),
            ...(['linshi', 'referred', 'not_eligible', 'no_need'] as const).map((o) => [t(`monitoring.outcomes.${o}`), f.outcomes[o]]),
            [zh ? '合计' : 'Total', f.outcomes.total],
          ],
        },
      },
      {
        id: 'monitoring-referrals',
        title: zh ? `${head}：转介部门` : `${head}: referrals`,
        note: zh ? '本期作出的认定中转介到各部门的户数（一户可转介多个部门，任何认定结果均可附转介）。' : 'Decisions this period referring to each department (several per warning, with any outcome).',
        table: {
          columns: [{ label: zh ? '部门' : 'Department', unit: 'text' }, { label: zh ? '户数' : 'Warnings', unit: 'count' }],
          rows: f.referrals.map((r) => [t(`monitoring.departments.${r.department}`), r.count]),
        },
      },
      {
        id: 'monitoring-overdue',
        title: zh ? `${head}：逾期情况` : `${head}: overdue`,
        note: zh
          ? `截至报告生成时超过处置时限的预警，按街道：逾期未入户 ${f.overdueTotal.visit} 户，逾期未认定 ${f.overdueTotal.decide} 户（两者都逾期的计入未入户）。`
          : `Overdue at generation, by street: ${f.overdueTotal.visit} not visited in time, ${f.overdueTotal.decide} not decided in time (both: counted as not visited).`,
        table: {
          columns: [
            { label: zh ? '街道' : 'Street', unit: 'text' },
            { label: zh ? '逾期未入户' : 'Not visited in time', unit: 'count' },
            { label: zh ? '逾期未认定' : 'Not decided in time', unit: 'count' },
            { label: zh ? '合计' : 'Total', unit: 'count' },
          ],
          rows: f.overdue.map((s) => [names.has(s.street) ? (zh ? `${names.get(s.street)}（${s.street}）` : `${names.get(s.street)} (${s.street})`) : s.street, s.visit, s.decide, s.visit + s.decide]),
        },
      },
    ];
    return sections;
  }
}

/** A rule's name in the report's language (the built-in library, else the id of an auditor's own rule). */
function ruleNameOf(ruleId: string, zh: boolean): string {
  const rule = ruleById(ruleId);
  return rule ? (zh ? rule.name.zh : rule.name.en) : ruleId;
}

/**
 * "顶山街道（320111002）" in a Chinese report, "顶山街道 (320111002)" in an English one: a division prefix with its name,
 * where the snapshot knows one (a 9-digit street is coded 12 digits with 000).
 */
function divisionLabel(snapshot: SnapshotDb, prefix: string, zh = true): string {
  const name = snapshot.divisionName(prefix) ?? snapshot.divisionName(prefix.padEnd(12, '0'));
  return name ? (zh ? `${name}（${prefix}）` : `${name} (${prefix})`) : prefix;
}
