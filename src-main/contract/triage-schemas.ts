/** Schemas of the triage calls: the findings inbox, finding detail, cases and the one-person-one-file profile. */
import { z } from 'zod';
import { CASE_EVENT_REFUSALS } from '../domain/authorship.js';
import { BENEFIT_OUTCOMES, CASE_STATES, DISMISS_REASONS, VERIFICATION_METHODS, VERIFICATION_RESULTS } from '../domain/cases/case-workflow.js';
import { bilingualSchema } from './schemas.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const fingerprint = z.string().regex(/^[0-9a-f]{16,64}$/, 'a finding fingerprint');
/** An opaque reference to a person, valid while this app runs: screens never hold an ID number they did not reveal. */
export const personRefSchema = z.string().regex(/^p_[A-Za-z0-9_-]{20,120}$/, 'a person reference');
export const fingerprintSchema = fingerprint;

export const inboxFilterSchema = z
  .object({
    ruleIds: z.array(z.string().max(40)).max(50).optional(),
    families: z.array(z.string().max(20)).max(10).optional(),
    caseStates: z.array(z.enum(CASE_STATES)).max(7).optional(),
    assignee: z.string().max(40).optional(),
    minAmountCents: z.number().int().min(0).optional(),
    maxAmountCents: z.number().int().min(0).optional(),
    changes: z.array(z.enum(['new', 'persisting', 'resolved'])).max(3).optional(),
    findingState: z.enum(['open', 'resolved', 'all']).optional(),
    text: z.string().max(40).optional(),
    pendingApproval: z.boolean().optional(),
    conflict: z.boolean().optional(),
    firstRunFrom: z.number().int().min(0).optional(),
    firstRunTo: z.number().int().min(0).optional(),
  })
  .strict();
export type InboxFilterInput = z.infer<typeof inboxFilterSchema>;

export const inboxSortSchema = z
  .object({
    column: z.enum(['priority', 'amount', 'rule', 'division', 'name', 'state', 'change', 'due', 'assignee', 'updated']),
    direction: z.enum(['asc', 'desc']),
  })
  .strict();

export const inboxRowSchema = z.object({
  fingerprint: z.string(),
  ruleId: z.string(),
  family: z.string(),
  severity: z.string(),
  subjectKind: z.string(),
  /** Masked unless the subject is not a person. */
  subjectLabel: z.string(),
  subjectName: z.string().nullable(),
  personRef: z.string().nullable(),
  householdId: z.string().nullable(),
  divisionCode: z.string(),
  divisionName: z.string().nullable(),
  /** This finding's own amount at risk. */
  amountCents: z.number().nullable(),
  /** 一人一案: the case the finding belongs to, its amount at risk (each payment once) and every rule it lists. */
  caseKey: z.string(),
  caseAmountCents: z.number().nullable(),
  caseRuleIds: z.array(z.string()),
  findingState: z.enum(['open', 'resolved']),
  change: z.enum(['new', 'persisting', 'resolved']),
  caseState: z.enum(CASE_STATES),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  dueDate: z.string().nullable(),
  pendingTo: z.string().nullable(),
  conflict: z.boolean(),
  priority: z.number(),
  /**
   * A finding of money owed to the person (应享未享): its reasons, keys of the rule definition's `owed`, which name the
   * benefits that seem missing; null for every other finding.
   */
  owedReasons: z.array(z.string()).nullable(),
});
export type InboxRowView = z.infer<typeof inboxRowSchema>;

const facetValues = z.array(z.object({ value: z.string(), count: z.number(), label: z.string().optional() }));
export const facetsSchema = z.object({
  rule: facetValues,
  family: facetValues,
  caseState: facetValues,
  change: facetValues,
  assignee: facetValues,
  division: facetValues,
});

export const savedViewSchema = z.object({
  name: z.string().trim().min(1).max(60),
  filter: inboxFilterSchema,
  divisionPrefix: z.string().optional(),
  sort: inboxSortSchema,
});

const verificationSchema = z
  .object({
    method: z.enum(VERIFICATION_METHODS),
    date: isoDate,
    verifiedBy: z.string().trim().min(1).max(64),
    result: z.enum(VERIFICATION_RESULTS),
    note: z.string().max(2000),
  })
  .strict();
const outcomeSchema = z
  .object({
    benefit: z.enum(BENEFIT_OUTCOMES),
    toRecoverCents: z.number().int().min(0).max(1e12),
    recoveredCents: z.number().int().min(0).max(1e12),
    date: isoDate,
  })
  .strict();

export const caseCommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('transition'), to: z.enum(CASE_STATES), reasonCode: z.enum(DISMISS_REASONS).optional(), note: z.string().max(2000).optional() }).strict(),
  z.object({ kind: z.literal('approve'), note: z.string().max(2000).optional() }).strict(),
  z.object({ kind: z.literal('reject'), note: z.string().trim().min(1).max(2000) }).strict(),
  z.object({ kind: z.literal('assign'), assigneeId: z.string().uuid().nullable() }).strict(),
  z.object({ kind: z.literal('set_due'), dueDate: isoDate.nullable() }).strict(),
  z.object({ kind: z.literal('note'), text: z.string().trim().min(1).max(4000) }).strict(),
  z.object({ kind: z.literal('verify'), verification: verificationSchema }).strict(),
  z.object({ kind: z.literal('record_outcome'), outcome: outcomeSchema }).strict(),
  z.object({ kind: z.literal('resolve_conflict'), state: z.enum(CASE_STATES), note: z.string().trim().min(1).max(2000) }).strict(),
]);
export type CaseCommandInput = z.infer<typeof caseCommandSchema>;

export const caseViewSchema = z.object({
  fingerprint: z.string(),
  state: z.enum(CASE_STATES),
  reasonCode: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  dueDate: z.string().nullable(),
  pending: z.object({ requestId: z.string(), to: z.string(), reasonCode: z.string().nullable(), byId: z.string(), byName: z.string(), at: z.string() }).nullable(),
  verifications: z.array(verificationSchema),
  outcome: outcomeSchema.nullable(),
  conflict: z.object({ eventIds: z.array(z.string()), states: z.array(z.string()), dismissReason: z.string().nullable() }).nullable(),
  head: z.string().nullable(),
  decision: z.enum(['confirmed', 'dismissed']).nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

export const caseEventViewSchema = z.object({
  eventId: z.string(),
  actorName: z.string(),
  actorRole: z.string(),
  at: z.string(),
  kind: z.string(),
  body: z.record(z.string(), z.unknown()),
  /** What the event did, in words (states, reasons, verification, outcome named). */
  text: z.string(),
});

/** The case, its history, and the states it may move to next (the workflow still checks each request). */
export const caseResultSchema = z.object({ case: caseViewSchema, events: z.array(caseEventViewSchema), next: z.array(z.enum(CASE_STATES)) });

export const findingDetailSchema = z.object({
  row: inboxRowSchema,
  rule: z.object({
    id: z.string(),
    name: z.object({ zh: z.string(), en: z.string() }),
    description: z.object({ zh: z.string(), en: z.string() }),
    basis: z.array(z.object({ zh: z.string(), en: z.string() })),
    family: z.string(),
    severity: z.string(),
    version: z.number(),
    /** The values the finding was judged with, in words, each with the document it rests on. */
    parameters: z.array(z.object({ name: z.string(), label: z.object({ zh: z.string(), en: z.string() }), value: z.unknown(), text: bilingualSchema, source: bilingualSchema })),
  }),
  /** Why it fired, in words: sentences and the evidence records with Chinese names (services/evidence). */
  explanation: z.object({
    summary: z.array(z.string()),
    /** 应享未享: the benefits that seem missing, in words (money owed to the person, never at risk); null otherwise. */
    owed: z.string().nullable(),
    rows: z.array(z.object({ table: z.string(), key: z.string(), fields: z.array(z.object({ label: z.string(), value: z.string() })) })),
  }),
  firstSnapshot: z.string(),
  lastSnapshot: z.string(),
  /** Every finding of this case (this one included): one person, one case, every rule listed. */
  caseFindings: z.array(inboxRowSchema),
  /** Findings about the person's household that belong to other cases. */
  related: z.array(inboxRowSchema),
  householdRef: z.string().nullable(),
  case: caseViewSchema,
  events: z.array(caseEventViewSchema),
  next: z.array(z.enum(CASE_STATES)),
  approvalThresholdCents: z.number(),
});

export const bulkResultSchema = z.object({
  total: z.number(),
  applicable: z.number(),
  refused: z.array(z.object({ fingerprint: z.string(), reason: z.string() })),
  byReason: z.record(z.string(), z.number()),
  applied: z.number(),
});

export const personFileSchema = z.object({
  personRef: z.string(),
  idLabel: z.string(),
  revealed: z.boolean(),
  name: z.string(),
  gender: z.string().nullable(),
  birthDate: z.string().nullable(),
  ethnicity: z.string().nullable(),
  phone: z.string().nullable(),
  households: z.array(
    z.object({
      householdId: z.string(),
      divisionCode: z.string(),
      divisionName: z.string().nullable(),
      address: z.string().nullable(),
      relation: z.string().nullable(),
      members: z.array(
        z.object({
          personRef: z.string(),
          idLabel: z.string(),
          name: z.string(),
          relation: z.string().nullable(),
          birthDate: z.string().nullable(),
          deathDate: z.string().nullable(),
          activePrograms: z.array(z.string()),
          self: z.boolean(),
        }),
      ),
    }),
  ),
  enrollments: z.array(
    z.object({ enrollmentId: z.string(), program: z.string(), status: z.string(), statusLabel: z.string(), startDate: z.string(), endDate: z.string().nullable(), monthlyAmountCents: z.number(), active: z.boolean() }),
  ),
  payments: z.array(z.object({ period: z.string(), program: z.string(), amountCents: z.number(), paidDate: z.string().nullable() })),
  events: z.array(z.object({ date: z.string(), kind: z.string(), fields: z.array(z.object({ label: z.string(), value: z.string() })) })),
  findings: z.array(inboxRowSchema),
  asOf: z.string(),
});

export const learningSchema = z.object({
  rows: z.array(
    z.object({
      ruleId: z.string(),
      street: z.string(),
      streetName: z.string().nullable(),
      findings: z.number(),
      open: z.number(),
      confirmed: z.number(),
      dismissed: z.number(),
      amountConfirmedCents: z.number(),
      recoveredCents: z.number(),
    }),
  ),
  rules: z.array(
    z.object({
      ruleId: z.string(),
      findings: z.number(),
      confirmed: z.number(),
      dismissed: z.number(),
      amountConfirmedCents: z.number(),
      precision: z.number().nullable(),
      flagged: z.boolean(),
    }),
  ),
});

/** An event from the platform's feed that was not applied (services/sync/case-exchange.ts): what it claimed, and why. */
export const refusedCaseEventSchema = z.object({
  eventId: z.string().nullable(),
  fingerprint: z.string().nullable(),
  ruleId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  at: z.string().nullable(),
  reason: z.enum(CASE_EVENT_REFUSALS),
  firstSeen: z.string(),
  mergedAt: z.string().nullable(),
});
export type RefusedCaseEventView = z.infer<typeof refusedCaseEventSchema>;
