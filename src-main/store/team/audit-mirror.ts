/** The team's copy of its members' audit entries, for supervisors to search. All its SQL lives here. */
import type { AuditEntry } from '../../domain/audit-chain.js';
import type { Db } from '../sqlcipher.js';

export interface MirroredEntry {
  userId: string;
  seq: number;
  ts: string;
  username: string | null;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
}

export interface AuditQuery {
  /** Only these members (the supervisor's choice). */
  userIds?: readonly string[];
  /**
   * Who may see what: entries made inside `scope` (by the member's scope when the entry was copied), and, for entries
   * copied before that was recorded, those of `legacyUserIds` (members inside the scope today).
   */
  visibleTo: { scope: readonly string[]; legacyUserIds: readonly string[] };
  actionPrefix?: string;
  target?: string;
  from?: string;
  to?: string;
  /** Entries older than this timestamp (paging backwards). */
  before?: string;
  limit: number;
}

export class AuditMirror {
  constructor(private readonly db: Db) {}

  /** The highest sequence number copied for a user (0 when none). */
  lastSeq(userId: string): number {
    return (this.db.prepare('SELECT coalesce(max(seq), 0) FROM audit_mirror WHERE user_id = ?').pluck().get(userId) as number) ?? 0;
  }

  /** Copies entries (ignoring ones already there), with the member's data scope at the time. */
  add(userId: string, entries: Iterable<AuditEntry>, scope: readonly string[]): number {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO audit_mirror (user_id, seq, ts, username, action, target, outcome, detail, hash, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const scopeJson = JSON.stringify(scope);
    let added = 0;
    this.db.transaction(() => {
      for (const e of entries) added += insert.run(userId, e.seq, e.ts, e.username, e.action, e.target, e.outcome, e.detail, e.hash, scopeJson).changes;
    })();
    return added;
  }

  /** Newest first. */
  search(q: AuditQuery): MirroredEntry[] {
    return (
      this.db
        .prepare(
          `SELECT user_id, seq, ts, username, action, target, outcome, detail FROM audit_mirror
            WHERE (@users IS NULL OR user_id IN (SELECT value FROM json_each(@users)))
              AND (CASE WHEN scope IS NULL THEN user_id IN (SELECT value FROM json_each(@legacy))
                        ELSE json_array_length(scope) > 0 AND NOT EXISTS (
                          SELECT 1 FROM json_each(scope) j
                           WHERE NOT EXISTS (SELECT 1 FROM json_each(@within) w WHERE substr(j.value, 1, length(w.value)) = w.value)) END)
              AND (@action IS NULL OR (action >= @action AND action < @action || '~'))
              AND (@target IS NULL OR target = @target)
              AND (@from IS NULL OR ts >= @from) AND (@to IS NULL OR ts <= @to) AND (@before IS NULL OR ts < @before)
            ORDER BY ts DESC, user_id, seq DESC LIMIT @limit`,
        )
        .all({
          users: q.userIds ? JSON.stringify(q.userIds) : null,
          legacy: JSON.stringify(q.visibleTo.legacyUserIds),
          within: JSON.stringify(q.visibleTo.scope),
          action: q.actionPrefix ?? null,
          target: q.target ?? null,
          from: q.from ?? null,
          to: q.to ?? null,
          before: q.before ?? null,
          limit: q.limit,
        }) as { user_id: string; seq: number; ts: string; username: string | null; action: string; target: string | null; outcome: string; detail: string | null }[]
    ).map((r) => ({ userId: r.user_id, seq: r.seq, ts: r.ts, username: r.username, action: r.action, target: r.target, outcome: r.outcome, detail: r.detail }));
  }
}
