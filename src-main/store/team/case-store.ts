/**
 * Cases in the team store: append-only events and the case row that is their fold. Every query on cases lives here;
 * the inbox's reads that join findings and cases live in inbox-queries.ts.
 */
import { emptyCase, foldCase, type CaseEvent, type CaseEventBody, type CasePolicy, type CaseView } from '../../domain/cases/case-workflow.js';
import type { Db } from '../sqlcipher.js';
import type { Revision } from './inbox-queries.js';

interface EventRow {
  event_id: string;
  fingerprint: string;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  at: string;
  parent: string | null;
  body: string;
  signature: string | null;
}

const toEvent = (r: EventRow): CaseEvent => ({
  eventId: r.event_id,
  fingerprint: r.fingerprint,
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorRole: r.actor_role,
  at: r.at,
  parent: r.parent,
  body: JSON.parse(r.body) as CaseEventBody,
  ...(r.signature ? { signature: r.signature } : {}),
});

export const DEFAULT_CASE_POLICY: CasePolicy = { approvalThresholdCents: 200_000 };

export class CaseStore {
  constructor(
    private readonly db: Db,
    private readonly revision: Revision = { value: 0 },
  ) {}

  view(fingerprint: string): CaseView {
    const row = this.db.prepare('SELECT view FROM case_file WHERE fingerprint = ?').get(fingerprint) as { view: string } | undefined;
    return row ? (JSON.parse(row.view) as CaseView) : emptyCase(fingerprint);
  }

  views(fingerprints: readonly string[]): Map<string, CaseView> {
    const out = new Map<string, CaseView>();
    const rows = this.db.prepare('SELECT fingerprint, view FROM case_file WHERE fingerprint IN (SELECT value FROM json_each(?))').all(JSON.stringify(fingerprints)) as {
      fingerprint: string;
      view: string;
    }[];
    for (const r of rows) out.set(r.fingerprint, JSON.parse(r.view) as CaseView);
    return out;
  }

  events(fingerprint: string): CaseEvent[] {
    return (this.db.prepare('SELECT * FROM case_event WHERE fingerprint = ? ORDER BY at, event_id').all(fingerprint) as EventRow[]).map(toEvent);
  }

  /**
   * Appends events made here (in one transaction, all or none) and refolds their cases. `expectHeads` guards against
   * deciding on a stale view: each case's last event must still be the one the person saw.
   */
  appendLocal(events: readonly CaseEvent[], expectHeads: ReadonlyMap<string, string | null>): Map<string, CaseView> {
    return this.db.transaction(() => {
      for (const [fingerprint, head] of expectHeads) {
        const current = this.view(fingerprint).head;
        if (current !== head) throw new StaleCaseError(fingerprint);
      }
      this.insert(events, 'local');
      return this.refold(new Set(events.map((e) => e.fingerprint)));
    })();
  }

  /** Merges events from another workstation: unknown ones are added, known ones ignored; nothing is ever replaced. */
  merge(events: readonly CaseEvent[]): { added: number; cases: Map<string, CaseView> } {
    return this.db.transaction(() => {
      const known = this.db.prepare('SELECT 1 FROM case_event WHERE event_id = ?');
      const fresh = events.filter((e) => !known.get(e.eventId));
      this.insert(fresh, 'remote');
      return { added: fresh.length, cases: this.refold(new Set(fresh.map((e) => e.fingerprint))) };
    })();
  }

  /**
   * Local events not yet uploaded, oldest first (the triage part of the sync outbox). Only signed ones: an event made
   * before events were signed would be refused by every colleague, so it stays on this workstation.
   */
  unsent(limit = 5000): CaseEvent[] {
    return (
      this.db.prepare(`SELECT * FROM case_event WHERE origin = 'local' AND uploaded_at IS NULL AND signature IS NOT NULL ORDER BY received LIMIT ?`).all(limit) as EventRow[]
    ).map(toEvent);
  }

  /** Keeps aside events from the feed that did not verify (once each, by digest): never applied, shown to supervisors. */
  refuse(refused: readonly RefusedEventInput[], at: string): void {
    const stmt = this.db.prepare(
      `INSERT OR IGNORE INTO case_event_refused (digest, event_id, fingerprint, actor_id, actor_name, actor_role, at, event, reason, first_seen)
       VALUES (@digest, @eventId, @fingerprint, @actorId, @actorName, @actorRole, @at, @event, @reason, @firstSeen)`,
    );
    for (const r of refused) stmt.run({ ...r, firstSeen: at });
  }

  /** Refused events whose author was not known when they arrived: looked at again once the roster has grown. */
  heldForUnknownMember(): { digest: string; event: string }[] {
    return this.db.prepare(`SELECT digest, event FROM case_event_refused WHERE reason = 'unknown_member' AND merged_at IS NULL ORDER BY first_seen, rowid`).all() as {
      digest: string;
      event: string;
    }[];
  }

  markMergedLater(digests: readonly string[], at: string): void {
    const stmt = this.db.prepare('UPDATE case_event_refused SET merged_at = ? WHERE digest = ?');
    for (const d of digests) stmt.run(at, d);
  }

  /** Refused events, newest first, with the division and rule of the finding each names (null when none is known). */
  refused(limit = 200): (RefusedEvent & { divisionCode: string | null; ruleId: string | null })[] {
    return this.db
      .prepare(
        `SELECT r.digest, r.event_id AS eventId, r.fingerprint, r.actor_id AS actorId, r.actor_name AS actorName, r.actor_role AS actorRole, r.at, r.reason,
                r.first_seen AS firstSeen, r.merged_at AS mergedAt, f.division_code AS divisionCode, f.rule_id AS ruleId
           FROM case_event_refused r LEFT JOIN finding f ON f.case_key = r.fingerprint AND f.case_lead = 1
          ORDER BY r.first_seen DESC, r.rowid DESC LIMIT ?`,
      )
      .all(limit) as (RefusedEvent & { divisionCode: string | null; ruleId: string | null })[];
  }

  countRefused(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM case_event_refused WHERE merged_at IS NULL').get() as { n: number }).n;
  }

  markUploaded(eventIds: readonly string[], at: string): void {
    this.db.prepare('UPDATE case_event SET uploaded_at = ? WHERE event_id IN (SELECT value FROM json_each(?))').run(at, JSON.stringify(eventIds));
  }

  policy(): CasePolicy {
    const row = this.db.prepare(`SELECT value FROM team_setting WHERE key = 'case_policy'`).get() as { value: string } | undefined;
    return row ? { ...DEFAULT_CASE_POLICY, ...(JSON.parse(row.value) as Partial<CasePolicy>) } : DEFAULT_CASE_POLICY;
  }

  setPolicy(policy: CasePolicy): void {
    this.db.prepare(`INSERT INTO team_setting (key, value) VALUES ('case_policy', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(policy));
  }

  /** How far this workstation has read the platform's case feed (per platform address). */
  feedCursor(platformUrl: string): number {
    const row = this.db.prepare('SELECT value FROM team_setting WHERE key = ?').get(`case_feed:${platformUrl}`) as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  setFeedCursor(platformUrl: string, cursor: number, eventId: string | null = null): void {
    const set = this.db.prepare('INSERT INTO team_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    set.run(`case_feed:${platformUrl}`, String(cursor));
    // The event read at the cursor: the platform must still hold it there (sync-engine.ts checks before each exchange).
    if (eventId) set.run(`case_feed_at:${platformUrl}`, eventId);
    else this.db.prepare('DELETE FROM team_setting WHERE key = ?').run(`case_feed_at:${platformUrl}`);
  }

  /** The cursor with the id of the event read at it (null before the first read, or for a cursor kept before ids were). */
  feedMark(platformUrl: string): { cursor: number; eventId: string } | null {
    const cursor = this.feedCursor(platformUrl);
    const row = this.db.prepare('SELECT value FROM team_setting WHERE key = ?').get(`case_feed_at:${platformUrl}`) as { value: string } | undefined;
    return cursor > 0 && row ? { cursor, eventId: row.value } : null;
  }

  /** The platform lost what it had acknowledged: every signed local event goes up again; returns how many. */
  markUnsentAgain(): number {
    return this.db.prepare(`UPDATE case_event SET uploaded_at = NULL WHERE origin = 'local' AND uploaded_at IS NOT NULL AND signature IS NOT NULL`).run().changes;
  }

  /**
   * Merges a page of the feed, keeps its refused events aside and moves the cursor, in one transaction: a crash repeats
   * the page, never skips it.
   */
  mergeFeedPage(events: readonly CaseEvent[], refused: readonly RefusedEventInput[], platformUrl: string, next: number, at: string, nextEventId: string | null = null): number {
    return this.db.transaction(() => {
      const { added } = this.merge(events);
      this.refuse(refused, at);
      this.setFeedCursor(platformUrl, next, nextEventId);
      return added;
    })();
  }

  private insert(events: readonly CaseEvent[], origin: 'local' | 'remote'): void {
    this.revision.value++;
    let received = (this.db.prepare('SELECT coalesce(max(received), 0) AS n FROM case_event').get() as { n: number }).n;
    const stmt = this.db.prepare(
      `INSERT INTO case_event (event_id, fingerprint, actor_id, actor_name, actor_role, at, parent, body, origin, received, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const e of events) stmt.run(e.eventId, e.fingerprint, e.actorId, e.actorName, e.actorRole, e.at, e.parent, JSON.stringify(e.body), origin, ++received, e.signature ?? null);
  }

  private refold(fingerprints: ReadonlySet<string>): Map<string, CaseView> {
    const upsert = this.db.prepare(
      `INSERT INTO case_file (fingerprint, rule_id, state, decision, reason_code, assignee_id, assignee_name, due_date, pending_to, pending_by, conflict,
         outcome_benefit, to_recover_cents, recovered_cents, view, updated_at)
       VALUES (@fingerprint, (SELECT rule_id FROM finding WHERE case_key = @fingerprint ORDER BY case_lead DESC LIMIT 1), @state, @decision, @reasonCode, @assigneeId, @assigneeName, @dueDate, @pendingTo, @pendingBy, @conflict,
         @benefit, @toRecover, @recovered, @view, @updatedAt)
       ON CONFLICT (fingerprint) DO UPDATE SET rule_id = coalesce(excluded.rule_id, case_file.rule_id), state = excluded.state, decision = excluded.decision, reason_code = excluded.reason_code,
         assignee_id = excluded.assignee_id, assignee_name = excluded.assignee_name, due_date = excluded.due_date, pending_to = excluded.pending_to,
         pending_by = excluded.pending_by, conflict = excluded.conflict, outcome_benefit = excluded.outcome_benefit,
         to_recover_cents = excluded.to_recover_cents, recovered_cents = excluded.recovered_cents, view = excluded.view, updated_at = excluded.updated_at`,
    );
    const out = new Map<string, CaseView>();
    for (const fingerprint of fingerprints) {
      const view = foldCase(fingerprint, this.events(fingerprint));
      // The head a command must name is the last event to *arrive*, not the latest in time: an older event merged in
      // from another workstation (a verification that refutes, made offline) must still make a stale view stale.
      view.head = (this.db.prepare('SELECT event_id FROM case_event WHERE fingerprint = ? ORDER BY received DESC LIMIT 1').pluck().get(fingerprint) as string | undefined) ?? null;
      upsert.run({
        fingerprint,
        state: view.state,
        decision: view.decision,
        reasonCode: view.reasonCode,
        assigneeId: view.assigneeId,
        assigneeName: view.assigneeName,
        dueDate: view.dueDate,
        pendingTo: view.pending?.to ?? null,
        pendingBy: view.pending?.byId ?? null,
        conflict: view.conflict ? 1 : 0,
        benefit: view.outcome?.benefit ?? null,
        toRecover: view.outcome?.toRecoverCents ?? null,
        recovered: view.outcome?.recoveredCents ?? null,
        view: JSON.stringify(view),
        updatedAt: view.updatedAt ?? '',
      });
      out.set(fingerprint, view);
    }
    return out;
  }
}

/** An event from the feed that was not applied, as recorded (`event` is the JSON as received). */
export interface RefusedEventInput {
  digest: string;
  eventId: string | null;
  fingerprint: string | null;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  at: string | null;
  event: string;
  reason: string;
}

export interface RefusedEvent extends Omit<RefusedEventInput, 'event'> {
  firstSeen: string;
  mergedAt: string | null;
}

export class StaleCaseError extends Error {
  constructor(readonly fingerprint: string) {
    super(`case ${fingerprint} changed since it was read`);
  }
}
