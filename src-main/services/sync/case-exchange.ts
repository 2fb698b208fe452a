/**
 * The team store's side of the case exchange (sync-engine.ts): what goes up, and how what comes down is checked before
 * it is merged. Events from the platform come from other workstations: each is validated field by field, and one that
 * does not fit is skipped (and counted), never half-applied.
 */
import { z } from 'zod';
import { BENEFIT_OUTCOMES, CASE_STATES, DISMISS_REASONS, VERIFICATION_METHODS, VERIFICATION_RESULTS, type CaseEvent } from '../../domain/cases/case-workflow.js';
import type { TeamDb } from '../../store/team/team-db.js';
import type { CaseExchange } from './sync-engine.js';

const text = (max: number) => z.string().max(max);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const bodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('transition'), to: z.enum(CASE_STATES), reasonCode: z.enum(DISMISS_REASONS).optional(), note: text(2000).optional() }).strict(),
  z.object({ kind: z.literal('decision_requested'), to: z.enum(['confirmed', 'dismissed']), reasonCode: z.enum(DISMISS_REASONS).optional(), note: text(2000).optional() }).strict(),
  z.object({ kind: z.literal('decision_approved'), requestId: text(64), note: text(2000).optional() }).strict(),
  z.object({ kind: z.literal('decision_rejected'), requestId: text(64), note: text(2000) }).strict(),
  z.object({ kind: z.literal('assigned'), assigneeId: text(64).nullable(), assigneeName: text(64).nullable() }).strict(),
  z.object({ kind: z.literal('due_set'), dueDate: date.nullable() }).strict(),
  z.object({ kind: z.literal('note'), text: text(4000) }).strict(),
  z
    .object({
      kind: z.literal('verification'),
      verification: z.object({ method: z.enum(VERIFICATION_METHODS), date, verifiedBy: text(64), result: z.enum(VERIFICATION_RESULTS), note: text(2000) }).strict(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('outcome'),
      outcome: z.object({ benefit: z.enum(BENEFIT_OUTCOMES), toRecoverCents: z.number().int().min(0), recoveredCents: z.number().int().min(0), date }).strict(),
    })
    .strict(),
  z.object({ kind: z.literal('conflict_resolved'), state: z.enum(CASE_STATES), note: text(2000) }).strict(),
]);

export const caseEventSchema = z
  .object({
    eventId: z.string().regex(/^[0-9a-f-]{36}$/),
    fingerprint: z.string().regex(/^[0-9a-f]{16,64}$/),
    actorId: text(64),
    actorName: text(64),
    actorRole: z.enum(['auditor', 'supervisor']),
    // One spelling of time (events are ordered by comparing it as text), and never in the future.
    at: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
      .refine((at) => Date.parse(at) <= Date.now() + 86_400_000, 'in the future'),
    parent: text(64).nullable(),
    body: bodySchema,
  })
  .strict();

export function teamCaseExchange(team: TeamDb, platformUrl: string): CaseExchange {
  return {
    unsent: () => team.cases.unsent(),
    markUploaded: (ids) => team.cases.markUploaded(ids, new Date().toISOString()),
    cursor: () => team.cases.feedCursor(platformUrl),
    receive(events, next) {
      const valid: CaseEvent[] = [];
      let skipped = 0;
      for (const e of events) {
        const parsed = caseEventSchema.safeParse(e);
        if (parsed.success) valid.push(parsed.data as CaseEvent);
        else skipped++;
      }
      return { added: team.cases.mergeFeedPage(valid, platformUrl, next), skipped };
    },
  };
}
