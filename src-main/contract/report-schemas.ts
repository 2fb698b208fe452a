/** Schemas of the report calls (report.*): the dashboard, the spending review and the monthly report. */
import { z } from 'zod';
import { PERIOD, REPORT_SECTIONS } from '../domain/reports/report-model.js';

const n = z.number();
const int = z.number().int();

export const dashboardSchema = z.object({
  snapshot: z.object({ snapshotId: z.string(), asOf: z.string(), ageDays: int, source: z.string() }),
  lastRun: z.object({ runId: int, at: z.string() }).nullable(),
  byFamilyStreet: z.array(z.object({ family: z.string(), street: z.string(), streetName: z.string(), count: int, amountCents: int })),
  byRule: z.array(z.object({ ruleId: z.string(), family: z.string(), count: int, amountCents: int })),
  changes: z.object({ new: int, persisting: int, resolved: int }),
  funnel: z.array(z.object({ stage: z.string(), states: z.array(z.string()), count: int })),
  ageing: z.array(z.object({ bucket: z.string(), count: int, firstRunFrom: int.nullable(), firstRunTo: int.nullable() })),
  workload: z.array(z.object({ assigneeId: z.string().nullable(), assigneeName: z.string().nullable(), open: int, overdue: int })),
  precision: z.array(z.object({ ruleId: z.string(), confirmed: int, dismissed: int, precision: n.nullable() })),
  money: z.object({ atRiskCents: int, confirmedCents: int, toRecoverCents: int, recoveredCents: int }),
  monitoring: z.object({
    period: z.string(),
    open: z.object({ red: int, orange: int, yellow: int }),
    overdueTotal: z.object({ visit: int, decide: int }),
    visits: z.object({ due: int, onTime: int, late: int, decidedWithoutVisit: int, notVisited: int }),
  }),
});

/** amountCents: paid that should not have been; shortCents: F-AMOUNT's shortfall against the enrolled amount (少发). */
const spendingCell = { rule: z.string(), payments: int, amountCents: int, shortCents: int };
export const spendingReviewSchema = z.object({
  asOf: z.string(),
  byRule: z.array(z.object(spendingCell)),
  /** All F-rules together, each payment once. */
  totalOnce: z.object({ payments: int, amountCents: int }),
  byProgram: z.array(z.object({ ...spendingCell, program: z.string() })),
  byStreet: z.array(z.object({ ...spendingCell, street: z.string(), streetName: z.string() })),
  byMonth: z.array(z.object({ ...spendingCell, period: z.string() })),
  budget: z.array(
    z.object({
      divisionPrefix: z.string(),
      program: z.string(),
      year: int,
      budgetCents: int,
      paidCents: int,
      monthsElapsed: int,
      expectedCents: int,
      pace: n.nullable(),
      forecastCents: int,
      status: z.enum(['over', 'under', 'on_pace']),
    }),
  ),
  prevented: z.object({ persons: int, monthlyCents: int, annualCents: int }),
  recoveries: z.object({
    toRecoverCents: int,
    recoveredCents: int,
    cases: z.array(z.object({ fingerprint: z.string(), ruleId: z.string(), divisionCode: z.string(), state: z.string(), toRecoverCents: int, recoveredCents: int })),
  }),
});

export const periodSchema = z.string().regex(PERIOD, 'a month as YYYY-MM');

export const flaggedPaymentSchema = z.object({
  rule: z.string(),
  paymentId: z.string(),
  personRef: z.string(),
  personLabel: z.string(),
  program: z.string(),
  period: z.string(),
  paidCents: int,
  flaggedCents: int,
  shortCents: int,
  divisionCode: z.string(),
});

export const reportSectionsSchema = z.array(z.enum(REPORT_SECTIONS)).min(1).max(REPORT_SECTIONS.length);

/** A report as data (domain/reports/report-model.ts): what the screen's preview shows and the writers render. */
const cell = z.union([z.string(), z.number(), z.null()]);
export const reportSchema = z.object({
  title: z.string(),
  period: z.string(),
  scope: z.array(z.string()),
  snapshot: z.object({ snapshotId: z.string(), asOf: z.string() }),
  generatedAt: z.string(),
  generatedBy: z.string(),
  sections: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      note: z.string().optional(),
      figures: z.array(z.object({ label: z.string(), value: n, unit: z.enum(['count', 'cents', 'percent']) })).optional(),
      chart: z.object({ labels: z.array(z.string()), series: z.array(z.object({ name: z.string(), values: z.array(n) })), unit: z.enum(['count', 'cents']) }).optional(),
      table: z.object({ columns: z.array(z.object({ label: z.string(), unit: z.enum(['text', 'count', 'cents', 'percent']) })), rows: z.array(z.array(cell)) }).optional(),
    }),
  ),
});
