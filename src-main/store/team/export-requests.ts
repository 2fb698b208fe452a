/** Requests to export above the size limit, and supervisors' decisions on them. All their SQL lives here. */
import type { Db } from '../sqlcipher.js';

export type ExportRequestState = 'pending' | 'approved' | 'rejected' | 'used';

export interface ExportRequest {
  requestId: string;
  requestedAt: string;
  userId: string;
  username: string;
  displayName: string;
  scope: string[];
  kind: string;
  format: string;
  purpose: string;
  recipient: string | null;
  query: unknown;
  queryHash: string;
  rows: number;
  state: ExportRequestState;
  decidedBy: string | null;
  decidedName: string | null;
  decidedAt: string | null;
  note: string | null;
  exportId: string | null;
}

export class ExportRequests {
  constructor(private readonly db: Db) {}

  create(r: Omit<ExportRequest, 'state' | 'decidedBy' | 'decidedName' | 'decidedAt' | 'note' | 'exportId'>): void {
    this.db
      .prepare(
        `INSERT INTO export_request (request_id, requested_at, user_id, username, display_name, scope, kind, format, purpose, recipient, query, query_hash, rows, state)
         VALUES (@requestId, @requestedAt, @userId, @username, @displayName, @scope, @kind, @format, @purpose, @recipient, @query, @queryHash, @rows, 'pending')`,
      )
      .run({ ...r, scope: JSON.stringify(r.scope), query: JSON.stringify(r.query) });
  }

  get(requestId: string): ExportRequest | null {
    const row = this.db.prepare('SELECT * FROM export_request WHERE request_id = ?').get(requestId) as Record<string, unknown> | undefined;
    return row ? fromRow(row) : null;
  }

  list(o: { userId?: string; states?: readonly ExportRequestState[]; limit?: number }): ExportRequest[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM export_request WHERE (@userId IS NULL OR user_id = @userId) AND (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
         ORDER BY requested_at DESC, rowid DESC LIMIT @limit`,
      )
      .all({ userId: o.userId ?? null, states: o.states ? JSON.stringify(o.states) : null, limit: o.limit ?? 200 }) as Record<string, unknown>[];
    return rows.map(fromRow);
  }

  /** A supervisor's decision; false when the request was no longer pending. */
  decide(requestId: string, d: { approve: boolean; by: string; byName: string; at: string; note: string | null }): boolean {
    return (
      this.db
        .prepare(`UPDATE export_request SET state = ?, decided_by = ?, decided_name = ?, decided_at = ?, note = ? WHERE request_id = ? AND state = 'pending'`)
        .run(d.approve ? 'approved' : 'rejected', d.by, d.byName, d.at, d.note, requestId).changes === 1
    );
  }

  /** Spends an approval on one export; false when it was already spent. */
  spend(requestId: string, exportId: string): boolean {
    return this.db.prepare(`UPDATE export_request SET state = 'used', export_id = ? WHERE request_id = ? AND state = 'approved'`).run(exportId, requestId).changes === 1;
  }
}

function fromRow(r: Record<string, unknown>): ExportRequest {
  return {
    requestId: r.request_id as string,
    requestedAt: r.requested_at as string,
    userId: r.user_id as string,
    username: r.username as string,
    displayName: r.display_name as string,
    scope: JSON.parse(r.scope as string) as string[],
    kind: r.kind as string,
    format: r.format as string,
    purpose: r.purpose as string,
    recipient: (r.recipient as string | null) ?? null,
    query: JSON.parse(r.query as string) as unknown,
    queryHash: r.query_hash as string,
    rows: r.rows as number,
    state: r.state as ExportRequestState,
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedName: (r.decided_name as string | null) ?? null,
    decidedAt: (r.decided_at as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    exportId: (r.export_id as string | null) ?? null,
  };
}
