/**
 * Exports: the only way data leaves the workstation. Each one states a purpose (and a recipient when it leaves the
 * team), follows the role's masking, is refused above a size, carries a visible watermark, and is written into the
 * exporter's register with a keyed mark of every row (for tracing a leaked copy back to this export).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CallError } from '../../contract/errors.js';
import type { InboxFilterInput } from '../../contract/triage-schemas.js';
import { applyIdMasking, applyNameMasking, exportMaskingFor } from '../../domain/export/masking.js';
import { ruleById } from '../../domain/rules/rule-library.js';
import { openExportWriter, type Cell } from '../../platform/export-writer.js';
import { sha256File } from '../../platform/file-hash.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
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

const EXPORT_MARK_KEY = 'export_mark_key';
const PAGE = 2000;

export const FINDINGS_COLUMNS = ['线索编号', '规则编号', '规则名称', '类别', '对象姓名', '身份证号', '区划代码', '区划名称', '涉及金额（元）', '变化', '案件状态', '经办人', '期限'];

export class ExportService {
  constructor(private readonly d: { dir: string; now: () => string; maxRowsWithoutApproval: number }) {}

  async exportFindings(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, workspace: WorkspaceDb, req: FindingsExportRequest): Promise<ExportResult> {
    const filter = { ...(req.filter.assignee === 'me' ? { ...req.filter, assignee: user.id } : req.filter), divisionPrefix: req.divisionPrefix };
    const total = team.inbox.count(user.scope, filter);
    if (total === 0) throw new CallError('INVALID_INPUT', 'nothing to export: no finding matches the filter');
    if (total > this.d.maxRowsWithoutApproval) {
      throw new CallError('EXPORT_TOO_LARGE', `${total} rows: exports above ${this.d.maxRowsWithoutApproval} rows need a supervisor's approval`, { rows: total, limit: this.d.maxRowsWithoutApproval });
    }
    const masking = exportMaskingFor(user.role);
    const exportId = randomUUID();
    const at = this.d.now();
    const head = workspace.auditHead();
    const banner = `救助审计工作站导出 · 编号 ${exportId} · ${user.displayName}（${user.username}） · ${at} · 用途：${req.purpose}${req.recipient ? ` · 接收方：${req.recipient}` : ''}`;
    const dir = join(this.d.dir, user.username);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `救助线索-${at.slice(0, 19).replace(/[:T]/g, '')}-${exportId.slice(0, 8)}.${req.format}`);
    const writer = openExportWriter(file, req.format, FINDINGS_COLUMNS, {
      banner,
      identity: { exportId, user: user.username, at, purpose: req.purpose, recipient: req.recipient ?? '', auditHead: head ? `${head.seq}:${head.hash}` : '' },
    });
    const names = divisionNames(snapshot, user.scope);
    const markKey = exportMarkKey(workspace);
    const marks: string[] = [];
    try {
      for (let offset = 0; offset < total; offset += PAGE) {
        for (const row of team.inbox.page(user.scope, filter, req.sort, offset, PAGE).rows) {
          // The row is named by its keyed mark, not its fingerprint (an unkeyed hash of the ID number).
          const mark = rowMark(markKey, row.fingerprint);
          writer.addRow(this.cells(mark, row, names, masking));
          marks.push(mark);
        }
      }
      await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    // A file that could not be registered does not stay behind: every file that left is in the register.
    let sha256: string;
    try {
      sha256 = sha256File(file);
      workspace.registerExport(
        {
          exportId,
          createdAt: at,
          userId: user.id,
          username: user.username,
          kind: 'findings',
          format: req.format,
          purpose: req.purpose,
          recipient: req.recipient ?? null,
          query: { filter: req.filter, divisionPrefix: req.divisionPrefix ?? null, sort: req.sort },
          scope: user.scope,
          columns: FINDINGS_COLUMNS,
          masking,
          rowCount: marks.length,
          fileName: file,
          fileSha256: sha256,
          auditHead: head ? `${head.seq}:${head.hash}` : null,
        },
        marks,
      );
    } catch (error) {
      rmSync(file, { force: true });
      throw error;
    }
    return { exportId, file, rows: marks.length, bytes: statSync(file).size, sha256 };
  }

  private cells(mark: string, row: InboxRow, names: ReadonlyMap<string, string>, masking: ReturnType<typeof exportMaskingFor>): Cell[] {
    const rule = ruleById(row.ruleId);
    return [
      mark,
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
}

/** This workspace's secret for marking exported rows (made on first use, never leaves the encrypted workspace). */
function exportMarkKey(workspace: WorkspaceDb): Buffer {
  let key = workspace.getSecret(EXPORT_MARK_KEY);
  if (!key) {
    key = randomBytes(32);
    workspace.setSecret(EXPORT_MARK_KEY, key);
  }
  return key;
}

/** A keyed mark of a row's identity: the same row in another export has another mark only under another key. */
export function rowMark(key: Buffer, identity: string): string {
  return createHmac('sha256', key).update(identity).digest('hex').slice(0, 32);
}
