/** Schemas of the monitoring calls (monitoring.md): the warnings list, a warning's detail, the loop's commands, audit views. */
import { z } from 'zod';
import {
  AUDIT_VIEWS,
  ENROL_PROGRAMS,
  NO_NEED_REASONS,
  NOT_ELIGIBLE_REASONS,
  PRIMARY_OUTCOMES,
  REFERRAL_DEPARTMENTS,
  WARNING_LEVELS,
  WARNING_STATES,
} from '../domain/monitoring/warning-loop.js';

export const warningIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'a warning id');
const levelSchema = z.enum(WARNING_LEVELS);
const stateSchema = z.enum(WARNING_STATES);
const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const warningFilterSchema = z
  .object({
    level: z.array(levelSchema).max(3).optional(),
    signal: z.string().regex(/^M-[A-Z-]+$/).optional(),
    state: z.array(stateSchema).max(5).optional(),
    divisionPrefix: z.string().regex(/^\d{2,12}$/).optional(),
    overdue: z.enum(['visit', 'decide', 'any', 'none']).optional(),
    /** An account id, 'me' or 'none'. */
    assignee: z.string().max(64).optional(),
    auditView: z.enum(AUDIT_VIEWS).optional(),
  })
  .strict();

export const warningRowSchema = z.object({
  warningId: z.string(),
  level: levelSchema,
  signals: z.array(z.string()),
  firing: z.array(z.string()),
  householdId: z.string(),
  headName: z.string().nullable(),
  headLabel: z.string().nullable(),
  personRef: z.string().nullable(),
  divisionCode: z.string(),
  divisionName: z.string().nullable(),
  streetName: z.string().nullable(),
  monitored: z.boolean(),
  layers: z.array(z.string()),
  change: z.enum(['new', 'persisting', 'resolved']),
  state: stateSchema,
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  pushedAt: z.string().nullable(),
  visitDue: z.string().nullable(),
  decideDue: z.string().nullable(),
  /** Days from today to the due date that applies now (negative: overdue), null once decided. */
  daysLeft: z.number().nullable(),
  overdue: z.enum(['visit', 'decide']).nullable(),
  outcome: z.string().nullable(),
  flags: z.array(z.string()),
});

const facet = z.array(z.object({ value: z.string(), count: z.number(), label: z.string().optional() }));
export const warningFacetsSchema = z.object({ level: facet, state: facet, street: facet, assignee: facet, signal: facet, overdue: facet });

export const visitSchema = z
  .object({
    date: dateSchema,
    visitors: z.string().trim().min(1).max(100),
    situation: z.string().trim().min(1).max(2000),
    income: z.string().trim().max(2000),
    needs: z.string().trim().max(2000),
  })
  .strict();

export const decisionSchema = z
  .object({
    outcome: z.enum(PRIMARY_OUTCOMES),
    program: z.enum(ENROL_PROGRAMS).optional(),
    reason: z.enum([...new Set([...NOT_ELIGIBLE_REASONS, ...NO_NEED_REASONS])] as [string, ...string[]]).optional(),
    departments: z.array(z.enum(REFERRAL_DEPARTMENTS)).max(8),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export const warningCommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('visit'), visit: visitSchema }).strict(),
  z.object({ kind: z.literal('decide'), decision: decisionSchema }).strict(),
  z.object({ kind: z.literal('feed_back'), to: z.string().trim().min(1).max(100), note: z.string().trim().max(2000).optional() }).strict(),
]);

const actorStamp = { byId: z.string(), byName: z.string(), at: z.string() };
export const warningDetailSchema = z.object({
  row: warningRowSchema,
  signals: z.array(
    z.object({
      signal: z.string(),
      name: z.string(),
      cause: z.string(),
      description: z.string(),
      basis: z.array(z.string()),
      hits: z.array(z.object({ level: levelSchema, firing: z.boolean(), sentences: z.array(z.string()) })),
    }),
  ),
  head: z.string().nullable(),
  fourEyes: z.boolean(),
  visit: visitSchema.extend(actorStamp).nullable(),
  decision: decisionSchema.extend(actorStamp).nullable(),
  /** The decision in words: outcome, programme or reason, referral departments. */
  decisionText: z.string().nullable(),
  fedBack: z.object({ to: z.string(), note: z.string().nullable(), ...actorStamp }).nullable(),
  history: z.array(z.object({ at: z.string(), actorName: z.string(), kind: z.string(), text: z.string() })),
  next: z.array(z.string()),
});

export const assignResultSchema = z.object({
  total: z.number(),
  applicable: z.number(),
  applied: z.number(),
  assigneeName: z.string(),
  byReason: z.array(z.object({ reason: z.string(), count: z.number(), label: z.string() })),
  refused: z.array(z.object({ warningId: z.string(), reason: z.string() })),
});

export const monitorRunSummarySchema = z.object({
  runId: z.number(),
  snapshotId: z.string(),
  asOf: z.string(),
  finishedAt: z.string(),
  scope: z.array(z.string()).nullable(),
  newCount: z.number(),
  persistingCount: z.number(),
  resolvedCount: z.number(),
  signals: z.array(z.record(z.string(), z.unknown())),
  population: z.record(z.string(), z.unknown()),
});

export const monitorStatusSchema = z.object({ running: z.boolean(), lastRun: monitorRunSummarySchema.nullable() });
export const auditViewsSchema = z.array(z.object({ view: z.enum(AUDIT_VIEWS), count: z.number() }));
