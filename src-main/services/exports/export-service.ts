/**
 * Exports: the only way data leaves the workstation. Each one states a purpose (and a recipient when it leaves the
 * team), follows the role's masking, is refused above a size, and carries watermarks a leaked copy is traced by:
 *
 * - visible: a banner row, the xlsx page header and footer, document properties, a very-hidden sheet with the export's
 *   identity and the exporter's audit head;
 * - keyed, and so unforgeable: a per-export mark naming every row (线索编号) and an invisible export tag inside
 *   descriptive text cells (domain/export/leak-marks.ts). Names, ID numbers, amounts and dates are never altered.
 *
 * The export is entered in the team's register before its first row is written and its rows' marks as they go, so a
 * file is traceable even if the workstation dies half-way; the entry is completed with the file's hash, or marked
 * abandoned when the file is removed.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CallError } from '../../contract/errors.js';
import type { InboxFilterInput } from '../../contract/triage-schemas.js';
import { exportTagFromDigest, rowMarkFromDigest, withZeroWidthTag, zeroWidthTag } from '../../domain/export/leak-marks.js';
import { applyIdMasking, applyNameMasking, exportMaskingFor, type ExportMasking } from '../../domain/export/masking.js';
import { ruleById } from '../../domain/rules/rule-library.js';
import { openExportWriter, type Cell } from '../../platform/export-writer.js';
import { sha256File } from '../../platform/file-hash.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import type { ExportFormat, ExportKind, RegisteredExport } from '../../store/team/export-register.js';
import type { InboxRow, InboxSort } from '../../store/team/inbox-queries.js';
import type { TeamDb } from '../../store/team/team-db.js';
import type { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import type { SessionUser } from '../sessions.js';
import { divisionNames, maskIdsInText } from '../triage/triage-service.js';

export interface FindingsExportRequest {
  format: 'csv' | 'xlsx';
  purpose: string;
  recipient?: string;
  filter: InboxFilterInput;
  divisionPrefix?: string;
  sort: InboxSort;
}

export interface ExportResult {
  exportId: string;
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** One row to export: who or what it is about (for the keyed identity mark) and its cells. */
export interface ExportRow {
  identity: string;
  cells: Cell[];
}

/** A table to export: its columns, which one holds the row mark, and which hold descriptive text to tag. */
export interface ExportTable {
  kind: ExportKind;
  title: string;
  columns: readonly string[];
  markColumn: number;
  taggedColumns: readonly number[];
  query: unknown;
  masking: ExportMasking;
  rows: Iterable<ExportRow>;
}

const MARK_BATCH = 2000;
const PAGE = 2000;

export const FINDINGS_COLUMNS = ['线索编号', '规则编号', '规则名称', '类别', '对象姓名', '身份证号', '区划代码', '区划名称', '涉及金额（元）', '变化', '案件状态', '经办人', '期限'];
/** 规则名称, 类别, 区划名称, 变化: descriptive text that carries the invisible tag (with 线索编号, five carriers). */
const FINDINGS_TAGGED = [2, 3, 7, 9];

const keyed = (key: Buffer, ...parts: string[]) => createHmac('sha256', key).update(parts.join('\n')).digest();

export class ExportService {
  constructor(private readonly d: { dir: string; now: () => string; maxRowsWithoutApproval: number }) {}

  async exportFindings(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, workspace: WorkspaceDb, req: FindingsExportRequest): Promise<ExportResult> {
    const filter = { ...(req.filter.assignee === 'me' ? { ...req.filter, assignee: user.id } : req.filter), divisionPrefix: req.divisionPrefix };
    const total = team.inbox.count(user.scope, filter);
    if (total === 0) throw new CallError('INVALID_INPUT', 'nothing to export: no finding matches the filter');
    this.checkSize(total);
    const masking = exportMaskingFor(user.role);
    const names = divisionNames(snapshot, user.scope);
    function* rows(): Generator<ExportRow> {
      for (let offset = 0; offset < total; offset += PAGE) {
        for (const row of team.inbox.page(user.scope, filter, req.sort, offset, PAGE).rows) yield { identity: `finding:${row.fingerprint}`, cells: findingCells(row, names, masking) };
      }
    }
    return this.write(team, user, workspace, req, {
      kind: 'findings',
      title: '救助线索',
      columns: FINDINGS_COLUMNS,
      markColumn: 0,
      taggedColumns: FINDINGS_TAGGED,
      query: { filter: req.filter, divisionPrefix: req.divisionPrefix ?? null, sort: req.sort },
      masking,
      rows: rows(),
    });
  }

  private checkSize(rows: number): void {
    if (rows > this.d.maxRowsWithoutApproval) {
      throw new CallError('EXPORT_TOO_LARGE', `${rows} rows: exports above ${this.d.maxRowsWithoutApproval} rows need a supervisor's approval`, { rows, limit: this.d.maxRowsWithoutApproval });
    }
  }

  /** Writes, marks and registers one export table. */
  async write(team: TeamDb, user: SessionUser, workspace: WorkspaceDb, req: { format: ExportFormat; purpose: string; recipient?: string }, table: ExportTable): Promise<ExportResult> {
    if (req.format === 'pdf') throw new CallError('INVALID_INPUT', 'PDF is not available for this export');
    const key = team.exports.markKey();
    const at = this.d.now();
    const head = workspace.auditHead();
    const auditHead = head ? `${head.seq}:${head.hash}` : null;
    const { exportId, tag } = this.begin(team, key, {
      createdAt: at,
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      kind: table.kind,
      format: req.format,
      purpose: req.purpose,
      recipient: req.recipient ?? null,
      query: table.query,
      scope: user.scope,
      columns: [...table.columns],
      masking: table.masking,
      auditHead,
      approvalId: null,
    });
    const invisible = zeroWidthTag(tag);
    const banner = `救助审计工作站导出 · 编号 ${exportId} · ${user.displayName}（${user.username}） · ${at} · 用途：${req.purpose}${req.recipient ? ` · 接收方：${req.recipient}` : ''}`;
    const dir = join(this.d.dir, user.username);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${table.title}-${at.slice(0, 19).replace(/[:T-]/g, '')}-${exportId.slice(0, 8)}.${req.format}`);
    const writer = openExportWriter(file, req.format, table.columns, {
      banner,
      identity: { exportId, user: user.username, at, purpose: req.purpose, recipient: req.recipient ?? '', auditHead: auditHead ?? '' },
    });
    let written = 0;
    let batch: { rowMark: string; identity: string }[] = [];
    try {
      for (const row of table.rows) {
        const cells = [...row.cells];
        const rowMark = rowMarkFromDigest(keyed(key, 'row', exportId, row.identity));
        cells[table.markColumn] = rowMark;
        for (const c of table.taggedColumns) if (typeof cells[c] === 'string') cells[c] = withZeroWidthTag(cells[c], invisible);
        writer.addRow(cells);
        batch.push({ rowMark, identity: keyed(key, 'identity', row.identity).toString('hex', 0, 16) });
        written++;
        if (batch.length >= MARK_BATCH) {
          team.exports.addRows(exportId, batch);
          batch = [];
        }
      }
      team.exports.addRows(exportId, batch);
      await writer.close();
    } catch (error) {
      await writer.abort();
      team.exports.abandon(exportId, written);
      throw error;
    }
    try {
      const sha256 = sha256File(file);
      team.exports.complete(exportId, { rowCount: written, fileName: file, fileSha256: sha256 });
      return { exportId, file, rows: written, bytes: statSync(file).size, sha256 };
    } catch (error) {
      // Every file that left is complete in the register: one that cannot be recorded does not stay behind.
      rmSync(file, { force: true });
      team.exports.abandon(exportId, written);
      throw error;
    }
  }

  /** Enters the export in the register under a fresh id whose tag no other export has. */
  private begin(team: TeamDb, key: Buffer, entry: Omit<RegisteredExport, 'exportId' | 'tag' | 'status' | 'rowCount' | 'fileName' | 'fileSha256'>) {
    for (let attempt = 0; ; attempt++) {
      const exportId = randomUUID();
      const tag = exportTagFromDigest(keyed(key, 'tag', exportId));
      try {
        team.exports.begin({ ...entry, exportId, tag });
        return { exportId, tag };
      } catch (error) {
        // A 40-bit tag collides with another export's about once in 10⁸ exports: draw again.
        if (attempt >= 3 || !/UNIQUE/.test(String(error))) throw error;
      }
    }
  }
}

function findingCells(row: InboxRow, names: ReadonlyMap<string, string>, masking: ExportMasking): Cell[] {
  const rule = ruleById(row.ruleId);
  return [
    '',
    row.ruleId,
    rule?.name.zh ?? row.ruleId,
    row.family,
    applyNameMasking(row.subjectName, masking),
    row.personId ? applyIdMasking(row.personId) : maskIdsInText(row.subjectId),
    row.divisionCode,
    names.get(row.divisionCode) ?? '',
    row.amountCents === null ? null : row.amountCents / 100,
    row.change,
    row.caseState,
    row.assigneeName ?? '',
    row.dueDate ?? '',
  ];
}
