/**
 * The team store's side of the case exchange (sync-engine.ts): what goes up, and how what comes down is checked before
 * it is merged. Events from the platform come from other workstations, and the platform's storage is not trusted with
 * their authorship: each is validated field by field and applied only when its author's signature verifies under a key
 * of the team's roster (member-signers.ts) with the name and role the event claims. Anything else is kept aside as
 * refused — never half-applied — and shown to supervisors; an event whose author the roster did not know yet is looked at
 * again after the roster grows.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CaseEventRefusal } from '../../domain/authorship.js';
import { BENEFIT_OUTCOMES, CASE_STATES, DISMISS_REASONS, VERIFICATION_METHODS, VERIFICATION_RESULTS, type CaseEvent } from '../../domain/cases/case-workflow.js';
import { caseEventRefusal, certifiedMembers } from '../../platform/authorship-check.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import { isCanonicalBase64 } from '../../platform/device-keys.js';
import type { RefusedEventInput } from '../../store/team/case-store.js';
import type { MemberSigners } from '../../store/team/member-signers.js';
import type { TeamDb } from '../../store/team/team-db.js';
import type { CaseExchange } from './sync-engine.js';
import { decisionSchema, visitSchema } from '../../contract/monitoring-schemas.js';
import { fromCarrier, toCarrier, WARNING_LEVELS, type WarningEvent } from '../../domain/monitoring/warning-loop.js';
import { foldHooks } from '../monitoring/monitoring-service.js';

/**
 * Merges checked events from the feed: warnings' into the warnings (idempotent, by event id), cases' with the page's
 * refusals and the cursor in one transaction. A crash between the two repeats the page, and the warnings' part merges
 * nothing new the second time.
 */
function mergeChecked(team: TeamDb, events: readonly CaseEvent[], commit: (cases: CaseEvent[]) => number): number {
  const warnings: WarningEvent[] = [];
  const cases: CaseEvent[] = [];
  for (const e of events) {
    const w = fromCarrier(e);
    if (w) warnings.push(w);
    else cases.push(e);
  }
  const merged = warnings.length ? team.warnings.merge(warnings, foldHooks(team)) : 0;
  return merged + commit(cases);
}

const text = (max: number) => z.string().max(max);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const level = z.enum(WARNING_LEVELS);
const warningEventBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pushed'), level }).strict(),
  z.object({ kind: z.literal('level_raised'), level }).strict(),
  z.object({ kind: z.literal('assigned'), assigneeId: text(64), assigneeName: text(64) }).strict(),
  z.object({ kind: z.literal('visited'), visit: visitSchema }).strict(),
  z.object({ kind: z.literal('decided'), decision: decisionSchema }).strict(),
  z.object({ kind: z.literal('fed_back'), to: text(100), note: text(2000).optional() }).strict(),
]);
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
  // A monitoring warning's event riding in the case feed (warning-loop.ts toCarrier): checked field by field too.
  z.object({ kind: z.literal('warning'), event: warningEventBodySchema }).strict(),
]);

export const caseEventSchema = z
  .object({
    eventId: z.string().regex(/^[0-9a-f-]{36}$/),
    fingerprint: z.string().regex(/^[0-9a-f]{16,64}$/),
    actorId: text(64),
    actorName: text(64),
    actorRole: z.enum(['auditor', 'supervisor']),
    // One spelling of time (events are ordered by comparing it as text); never in the future: checkFeedEvent.
    at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    parent: text(64).nullable(),
    body: bodySchema,
    signature: z.string().refine((v) => isCanonicalBase64(v, 64), 'an Ed25519 signature').optional(),
  })
  .strict();

/** A day's leeway for clocks that disagree; an event stamped later than that is refused as malformed. */
const FUTURE_LEEWAY_MS = 86_400_000;

/** Whether an event from the feed may be applied, as of `now`: the event, or why not. */
export function checkFeedEvent(raw: unknown, signers: MemberSigners, now: number): { event: CaseEvent } | { refused: CaseEventRefusal } {
  const parsed = caseEventSchema.safeParse(raw);
  if (!parsed.success || Date.parse(parsed.data.at) > now + FUTURE_LEEWAY_MS) return { refused: 'malformed' };
  const event = parsed.data as CaseEvent;
  const refused = caseEventRefusal(event, signers.signersOf(event.actorId));
  return refused ? { refused } : { event };
}

const MAX_KEPT_EVENT = 16 * 1024;

function refusalOf(raw: unknown, reason: CaseEventRefusal): RefusedEventInput {
  const json = JSON.stringify(raw) ?? 'null';
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : null);
  return {
    digest: createHash('sha256').update(json).digest('hex'),
    eventId: str(o.eventId),
    fingerprint: str(o.fingerprint),
    actorId: str(o.actorId),
    actorName: str(o.actorName),
    actorRole: str(o.actorRole),
    at: str(o.at),
    event: json.slice(0, MAX_KEPT_EVENT),
    reason,
  };
}

/**
 * The platform no longer holds what it had acknowledged (its database was restored from an earlier copy): everything
 * this workstation authored — case events, warning events, settled exports with all their parts — goes up again, and
 * the feed is read again from its start. The workstation cannot tell how far back the copy goes, so "since the
 * platform's last known point" is since the beginning; the platform keeps each event, export and part once by its id,
 * and the team store merges by event id, so nothing is doubled. One transaction: all of it is marked, or none.
 */
export function resendAfterPlatformLoss(team: TeamDb, platformUrl: string): { events: number; exports: number } {
  return team.transaction(() => {
    const events = team.cases.markUnsentAgain() + team.warnings.markUnsentAgain();
    const exports = team.exports.markUnsentAgain();
    team.cases.setFeedCursor(platformUrl, 0);
    return { events, exports };
  });
}

export function teamCaseExchange(team: TeamDb, platformUrl: string, clock: Clock): CaseExchange {
  const now = () => isoTime(clock);
  return {
    // The outbox: cases' events, then warnings' (as their carriers); each store marks the ids it holds.
    unsent: () => [...team.cases.unsent(), ...team.warnings.unsent().map(toCarrier)],
    markUploaded: (ids) => {
      team.cases.markUploaded(ids, now());
      team.warnings.markUploaded(ids, now());
    },
    cursor: () => team.cases.feedCursor(platformUrl),
    feedMark: () => team.cases.feedMark(platformUrl),
    platformLost: () => resendAfterPlatformLoss(team, platformUrl),
    unannouncedMembers: () => team.signers.unannounced(),
    membersAnnounced: (cards) => team.signers.markAnnounced(cards, now()),
    rosterReceived(entries, platformKey) {
      const { members, refused } = certifiedMembers(entries, platformKey);
      for (const m of members) team.signers.recordCertified(m, now());
      // Events kept aside because their author was unknown: applied now if the roster vouches for them.
      const later: CaseEvent[] = [];
      const digests: string[] = [];
      for (const held of team.cases.heldForUnknownMember()) {
        const checked = checkFeedEvent(JSON.parse(held.event) as unknown, team.signers, clock.now());
        if ('event' in checked) {
          later.push(checked.event);
          digests.push(held.digest);
        }
      }
      if (later.length) {
        mergeChecked(team, later, (cases) => team.cases.merge(cases).added);
        team.cases.markMergedLater(digests, now());
      }
      return { members: members.length, refused };
    },
    receive(events, next) {
      const valid: CaseEvent[] = [];
      const refused: RefusedEventInput[] = [];
      for (const e of events) {
        const checked = checkFeedEvent(e, team.signers, clock.now());
        if ('event' in checked) valid.push(checked.event);
        else refused.push(refusalOf(e, checked.refused));
      }
      // The page's last event sits at `next`: its id is kept with the cursor, for the check that the platform still holds it.
      const last = events.at(-1) as { eventId?: unknown } | null | undefined;
      const lastId = typeof last?.eventId === 'string' ? last.eventId.slice(0, 64) : null;
      return { added: mergeChecked(team, valid, (cases) => team.cases.mergeFeedPage(cases, refused, platformUrl, next, now(), lastId)), skipped: refused.length };
    },
  };
}
