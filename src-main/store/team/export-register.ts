/**
 * The team's export register: every file that left the workstation, and the keyed marks of its rows. All SQL for the
 * register lives here; the marks themselves are computed by the export service (it holds the key).
 */
import { randomBytes } from 'node:crypto';
import { rowMarkFromInt, rowMarkToInt } from '../../domain/export/leak-marks.js';
import type { Db } from '../sqlcipher.js';

export type ExportKind = 'findings' | 'person' | 'case' | 'report' | 'warnings';
export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

export interface ExportEntry {
  exportId: string;
  createdAt: string;
  userId: string;
  username: string;
  displayName: string;
  kind: ExportKind;
  format: ExportFormat;
  purpose: string;
  recipient: string | null;
  query: unknown;
  scope: string[];
  columns: string[];
  masking: unknown;
  tag: string;
  auditHead: string | null;
  approvalId: string | null;
}

export interface RegisteredExport extends ExportEntry {
  status: 'writing' | 'complete' | 'abandoned';
  rowCount: number | null;
  fileName: string | null;
  fileSha256: string | null;
  /** The exporter's signatures (domain/authorship.ts): over the opening facts, and over the completed file. */
  openingSignature: string | null;
  closingSignature: string | null;
}

export interface ExportRowMark {
  /** The mark as written in the file (12 Crockford characters). */
  rowMark: string;
  /** 64 bits of the keyed identity hash, as 16 hex digits. */
  identity: string;
}

/** Identities are stored as signed 64-bit integers (SQLite's INTEGER). */
const identityToInt = (hex: string) => BigInt.asIntN(64, BigInt(`0x${hex}`));
const identityFromInt = (n: bigint) => BigInt.asUintN(64, n).toString(16).padStart(16, '0');
/** A JSON array of 64-bit integers (JSON.stringify cannot write a BigInt). */
const intArray = (xs: readonly bigint[]) => `[${xs.join(',')}]`;

const MARK_KEY = 'export_mark_key';
/** SQLite's limit on bound parameters is far above this; json_each keeps one statement for any number of marks. */
const LOOKUP_BATCH = 5000;

export class ExportRegister {
  constructor(private readonly db: Db) {}

  /** The team's secret for marking exports (made on first use; it never leaves the encrypted team store). */
  markKey(): Buffer {
    const row = this.db.prepare('SELECT value FROM team_setting WHERE key = ?').get(MARK_KEY) as { value: string } | undefined;
    if (row) return Buffer.from(row.value, 'hex');
    const key = randomBytes(32);
    this.db.prepare('INSERT INTO team_setting (key, value) VALUES (?, ?)').run(MARK_KEY, key.toString('hex'));
    return key;
  }

  /** The row limit above which an export needs approval, when a supervisor has set one. */
  rowLimit(): number | null {
    const row = this.db.prepare(`SELECT value FROM team_setting WHERE key = 'export_row_limit'`).get() as { value: string } | undefined;
    return row ? Number(row.value) : null;
  }

  setRowLimit(rows: number): void {
    this.db.prepare(`INSERT INTO team_setting (key, value) VALUES ('export_row_limit', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(rows));
  }

  /** A raise of the row limit one supervisor proposed, waiting for another's confirmation. */
  rowLimitProposal(): { rows: number; by: string; byName: string; at: string } | null {
    const row = this.db.prepare(`SELECT value FROM team_setting WHERE key = 'export_row_limit_proposal'`).get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as { rows: number; by: string; byName: string; at: string }) : null;
  }

  setRowLimitProposal(p: { rows: number; by: string; byName: string; at: string } | null): void {
    if (p === null) this.db.prepare(`DELETE FROM team_setting WHERE key = 'export_row_limit_proposal'`).run();
    else this.db.prepare(`INSERT INTO team_setting (key, value) VALUES ('export_row_limit_proposal', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(p));
  }

  /** Opens an entry before the first row is written, signed by the exporter. */
  begin(e: ExportEntry, openingSignature: string): void {
    this.db
      .prepare(
        `INSERT INTO export_register (export_id, created_at, user_id, username, display_name, kind, format, purpose, recipient, query, scope, columns,
           masking, tag, audit_head, approval_id, status, opening_signature)
         VALUES (@exportId, @createdAt, @userId, @username, @displayName, @kind, @format, @purpose, @recipient, @query, @scope, @columns,
           @masking, @tag, @auditHead, @approvalId, 'writing', @openingSignature)`,
      )
      .run({ ...e, query: JSON.stringify(e.query), scope: JSON.stringify(e.scope), columns: JSON.stringify(e.columns), masking: JSON.stringify(e.masking), openingSignature });
  }

  /** Records the marks of rows just written (one transaction per batch; a mark already known — one chance in 10¹² — stays with its first export). */
  addRows(exportId: string, rows: readonly ExportRowMark[]): void {
    const exportNo = this.exportNo(exportId);
    const insert = this.db.prepare('INSERT OR IGNORE INTO export_row (row_mark, export_no, identity) VALUES (?, ?, ?)');
    // In mark order: neighbouring inserts land on the same pages of the register's b-tree.
    const sorted = rows.map((r) => ({ mark: rowMarkToInt(r.rowMark)!, identity: identityToInt(r.identity) })).sort((a, b) => (a.mark < b.mark ? -1 : 1));
    this.db.transaction(() => {
      for (const r of sorted) insert.run(r.mark, exportNo, r.identity);
    })();
  }

  private exportNo(exportId: string): number {
    const row = this.db.prepare('SELECT export_no FROM export_register WHERE export_id = ?').get(exportId) as { export_no: number } | undefined;
    if (!row) throw new Error(`export ${exportId} is not registered`);
    return row.export_no;
  }

  complete(exportId: string, d: { rowCount: number; fileName: string; fileSha256: string }, closingSignature: string): void {
    this.settle(exportId, 'complete', d, closingSignature);
  }

  /** The file was never finished or was removed; the entry and the marks written so far stay. */
  abandon(exportId: string, rowCount: number): void {
    this.settle(exportId, 'abandoned', { rowCount, fileName: null, fileSha256: null });
  }

  private settle(
    exportId: string,
    status: 'complete' | 'abandoned',
    d: { rowCount: number; fileName: string | null; fileSha256: string | null },
    closingSignature: string | null = null,
  ): void {
    const changed = this.db
      .prepare(`UPDATE export_register SET status = ?, row_count = ?, file_name = ?, file_sha256 = ?, closing_signature = ? WHERE export_id = ? AND status = 'writing'`)
      .run(status, d.rowCount, d.fileName, d.fileSha256, closingSignature, exportId).changes;
    if (changed !== 1) throw new Error(`export ${exportId} is not being written`);
  }

  /**
   * Entries left `writing` by a process that died: marked abandoned with the rows recorded so far (their marks stay,
   * so a half-written file that escaped is still traceable). Only called when no export can be running.
   */
  abandonInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE export_register SET status = 'abandoned', row_count = (SELECT count(*) FROM export_row r WHERE r.export_no = export_register.export_no)
          WHERE status = 'writing'`,
      )
      .run().changes;
  }

  /** Rows a user exported since a time without an approval (complete, or still being written): the cumulative cap. */
  unapprovedRowsSince(userId: string, since: string): number {
    return this.db
      .prepare(`SELECT coalesce(sum(row_count), 0) FROM export_register WHERE user_id = ? AND created_at >= ? AND approval_id IS NULL AND status IN ('complete', 'writing') AND kind IN ('findings', 'warnings')`)
      .pluck()
      .get(userId, since) as number;
  }

  get(exportId: string): RegisteredExport | null {
    const row = this.db.prepare('SELECT * FROM export_register WHERE export_id = ?').get(exportId) as Record<string, unknown> | undefined;
    return row ? fromRow(row) : null;
  }

  /** Newest first; optionally one user's. */
  list(o: { userId?: string; limit?: number } = {}): RegisteredExport[] {
    const rows = o.userId
      ? this.db.prepare('SELECT * FROM export_register WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(o.userId, o.limit ?? 100)
      : this.db.prepare('SELECT * FROM export_register ORDER BY created_at DESC, rowid DESC LIMIT ?').all(o.limit ?? 100);
    return (rows as Record<string, unknown>[]).map(fromRow);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM export_register').get() as { n: number }).n;
  }

  /** Which of these marks the register knows, and the export each was written in. */
  lookupRowMarks(marks: readonly string[]): Map<string, { exportId: string; identity: string }> {
    const out = new Map<string, { exportId: string; identity: string }>();
    const ints = marks.map(rowMarkToInt).filter((n): n is bigint => n !== null);
    const q = this.db
      .prepare('SELECT r.row_mark, e.export_id, r.identity FROM json_each(?) j JOIN export_row r ON r.row_mark = j.value JOIN export_register e ON e.export_no = r.export_no')
      .safeIntegers(true);
    for (let i = 0; i < ints.length; i += LOOKUP_BATCH) {
      for (const r of q.all(intArray(ints.slice(i, i + LOOKUP_BATCH))) as { row_mark: bigint; export_id: string; identity: bigint }[]) {
        out.set(rowMarkFromInt(r.row_mark), { exportId: r.export_id, identity: identityFromInt(r.identity) });
      }
    }
    return out;
  }

  lookupTags(tags: readonly string[]): Map<string, string> {
    const q = this.db.prepare('SELECT e.tag, e.export_id FROM json_each(?) j JOIN export_register e ON e.tag = j.value');
    return new Map((q.all(JSON.stringify(tags)) as { tag: string; export_id: string }[]).map((r) => [r.tag, r.export_id]));
  }

  // ---- upload to the platform ------------------------------------------------------------------------------

  /**
   * Settled exports the platform has not acknowledged yet, oldest first. Only signed ones: the platform refuses an entry
   * its exporter did not sign (one registered before entries were signed stays here).
   */
  unsent(limit = 50): RegisteredExport[] {
    return (
      this.db
        .prepare(`SELECT * FROM export_register WHERE status <> 'writing' AND uploaded_at IS NULL AND opening_signature IS NOT NULL ORDER BY created_at, rowid LIMIT ?`)
        .all(limit) as Record<string, unknown>[]
    ).map(fromRow);
  }

  /** A page of an export's row marks, in mark order after `after` (for uploads in parts). */
  marksOf(exportId: string, after: string, limit: number): ExportRowMark[] {
    const rows = this.db
      .prepare('SELECT row_mark, identity FROM export_row WHERE export_no = ? AND row_mark > ? ORDER BY row_mark LIMIT ?')
      .safeIntegers(true)
      .all(this.exportNo(exportId), after ? rowMarkToInt(after)! : -1n, limit) as { row_mark: bigint; identity: bigint }[];
    return rows.map((r) => ({ rowMark: rowMarkFromInt(r.row_mark), identity: identityFromInt(r.identity) }));
  }

  /** The platform lost what it had acknowledged: every settled, signed export goes up again (all its parts); returns how many. */
  markUnsentAgain(): number {
    return this.db.prepare(`UPDATE export_register SET uploaded_at = NULL WHERE uploaded_at IS NOT NULL AND opening_signature IS NOT NULL`).run().changes;
  }

  markUploaded(exportId: string, at: string): void {
    this.db.prepare('UPDATE export_register SET uploaded_at = ? WHERE export_id = ? AND uploaded_at IS NULL').run(at, exportId);
  }

  /** The exports that contained a finding or fact (by its identity hash). */
  exportsOfIdentity(identity: string): string[] {
    return this.db
      .prepare('SELECT DISTINCT e.export_id FROM export_row r JOIN export_register e ON e.export_no = r.export_no WHERE r.identity = ? ORDER BY e.export_id')
      .pluck()
      .all(identityToInt(identity)) as string[];
  }
}

function fromRow(r: Record<string, unknown>): RegisteredExport {
  return {
    exportId: r.export_id as string,
    createdAt: r.created_at as string,
    userId: r.user_id as string,
    username: r.username as string,
    displayName: r.display_name as string,
    kind: r.kind as ExportKind,
    format: r.format as ExportFormat,
    purpose: r.purpose as string,
    recipient: (r.recipient as string | null) ?? null,
    query: JSON.parse(r.query as string) as unknown,
    scope: JSON.parse(r.scope as string) as string[],
    columns: JSON.parse(r.columns as string) as string[],
    masking: JSON.parse(r.masking as string) as unknown,
    tag: r.tag as string,
    auditHead: (r.audit_head as string | null) ?? null,
    approvalId: (r.approval_id as string | null) ?? null,
    status: r.status as RegisteredExport['status'],
    rowCount: (r.row_count as number | null) ?? null,
    fileName: (r.file_name as string | null) ?? null,
    fileSha256: (r.file_sha256 as string | null) ?? null,
    openingSignature: (r.opening_signature as string | null) ?? null,
    closingSignature: (r.closing_signature as string | null) ?? null,
  };
}
