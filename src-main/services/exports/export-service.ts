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
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CallError } from '../../contract/errors.js';
import type { InboxFilterInput } from '../../contract/triage-schemas.js';
import { exportClosingMessage, exportOpeningMessage } from '../../domain/authorship.js';
import { isWithinScope } from '../../domain/division.js';
import { formatLocalTime, localDate, localFileStamp } from '../../domain/local-time.js';
import { exportTagFromDigest, rowMarkFromDigest, withZeroWidthTag, zeroWidthTag } from '../../domain/export/leak-marks.js';
import { applyIdMasking, applyNameMasking, exportMaskingFor, type ExportMasking } from '../../domain/export/masking.js';
import { ruleById } from '../../rules/index.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import { openExportWriter, type Cell } from '../../platform/export-writer.js';
import type { Report } from '../../domain/reports/report-model.js';
import { writeReportPdf, writeReportXlsx } from '../../platform/report-writers.js';
import { sha256File } from '../../platform/file-hash.js';
import { terms } from '../../platform/terms.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import type { ExportEntry, ExportFormat, ExportKind } from '../../store/team/export-register.js';
import type { InboxRow, InboxSort } from '../../store/team/inbox-queries.js';
import type { TeamDb } from '../../store/team/team-db.js';
import type { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import { memberSigner, type MemberSigner } from '../member-signing.js';
import { timeZoneOf, type SessionUser } from '../sessions.js';
import { maskIdsInText } from '../../domain/id-number.js';
import { divisionNames, type TriageService } from '../triage/triage-service.js';
import { caseDossier, personDossier } from './dossier-exports.js';
import type { MonitoringFilterInput, MonitoringService } from '../monitoring/monitoring-service.js';
import { signalModule } from '../../rules/signals/index.js';

export interface FindingsExportRequest {
  format: ExportFormat;
  purpose: string;
  recipient?: string;
  filter: InboxFilterInput;
  divisionPrefix?: string;
  sort: InboxSort;
  /** A supervisor's approval, for an export above the size limit. */
  approvalId?: string;
}

export interface WarningsExportRequest {
  format: ExportFormat;
  purpose: string;
  recipient?: string;
  filter: MonitoringFilterInput;
}

export interface DossierRequest {
  format: ExportFormat;
  purpose: string;
  recipient?: string;
}

/** Approvals are for exports made soon after: a week, then ask again. */
const APPROVAL_VALID_MS = 7 * 24 * 3600 * 1000;

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
  /** Relative column widths in a PDF (equal when absent). */
  pdfWidths?: readonly number[];
  query: unknown;
  masking: ExportMasking;
  rows: Iterable<ExportRow>;
  /** The approval this export spends (above the size limit). */
  approvalId?: string | null;
}

const MARK_BATCH = 2000;
const PAGE = 2000;

export const FINDINGS_COLUMNS = ['线索编号', '规则编号', '规则名称', '类别', '对象姓名', '身份证号', '区划代码', '区划名称', '涉及金额（元）', '变化', '案件状态', '经办人', '期限'];
export const WARNINGS_COLUMNS = ['线索编号', '预警级别', '预警指标', '户主姓名', '户主身份证号', '区划代码', '区划名称', '处置环节', '经办人', '推送时间', '处置时限', '认定结果'];

/** 规则名称, 类别, 区划名称, 变化: descriptive text, one of which carries the invisible tag in each row. */
const FINDINGS_TAGGED = [2, 3, 7, 9];

/**
 * Half-written exports (`*.part`) are what a crash mid-export leaves: personal data that never became a registered
 * file. They go when the workstation starts (no export can be running then).
 */
function removeUnfinishedFiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const user of readdirSync(dir, { withFileTypes: true })) {
    if (!user.isDirectory()) continue;
    for (const f of readdirSync(join(dir, user.name))) if (f.endsWith('.part')) rmSync(join(dir, user.name, f), { force: true });
  }
}

/** What an approval is bound to: the kind, query, format, purpose and recipient of the export. */
function requestHash(kind: ExportKind, req: { format: string; purpose: string; recipient?: string }, query: unknown): string {
  return createHash('sha256').update(JSON.stringify([kind, req.format, req.purpose, req.recipient ?? null, query])).digest('hex');
}

/** The cumulative cap: a user's exports without approval over 7 days stay within five times the row limit. */
const CUMULATIVE_WINDOW_MS = 7 * 86_400_000;
const CUMULATIVE_FACTOR = 5;

const keyed = (key: Buffer, ...parts: string[]) => createHmac('sha256', key).update(parts.join('\n')).digest();

export class ExportService {
  constructor(private readonly d: { dir: string; clock: Clock; maxRowsWithoutApproval: number }) {
    removeUnfinishedFiles(d.dir);
  }

  async exportFindings(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, workspace: WorkspaceDb, req: FindingsExportRequest): Promise<ExportResult> {
    const { filter, total, query } = this.findingsQuery(team, user, req);
    const approvalId = this.checkSize(team, user, total, 'findings', req, query);
    const masking = exportMaskingFor(user.role);
    const names = divisionNames(snapshot, user.scope);
    // The list is fixed when the export starts; its rows are read a page at a time as the file is written.
    const order = team.inbox.order(user.scope, filter, req.sort);
    function* rows(): Generator<ExportRow> {
      for (let i = 0; i < order.length; i += PAGE) {
        const page = team.inbox.rows(user.scope, order.slice(i, i + PAGE));
        for (const fingerprint of order.slice(i, i + PAGE)) {
          const row = page.get(fingerprint);
          if (row) yield { identity: `finding:${fingerprint}`, cells: findingCells(row, names, masking) };
        }
      }
    }
    return this.write(team, user, workspace, req, {
      kind: 'findings',
      title: '救助线索',
      columns: FINDINGS_COLUMNS,
      markColumn: 0,
      taggedColumns: FINDINGS_TAGGED,
      pdfWidths: [1.3, 1.1, 2, 0.8, 0.8, 1.4, 1.1, 1.4, 0.9, 0.8, 0.9, 0.8, 0.9],
      query,
      masking,
      rows: rows(),
      approvalId,
    });
  }

  /**
   * The 监测预警 list as filtered on screen (an audit view included): the same purpose, masking, size limit, marks and
   * register as the findings list — only the rows differ. Above the limit it is refused (no approval flow for warnings
   * yet: narrow the filter).
   */
  async exportWarnings(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, workspace: WorkspaceDb, monitoring: MonitoringService, req: WarningsExportRequest): Promise<ExportResult> {
    const total = monitoring.count(team, snapshot, user, req.filter);
    if (total === 0) throw new CallError('INVALID_INPUT', 'nothing to export: no warning matches the filter');
    const query = { filter: req.filter };
    this.checkSize(team, user, total, 'warnings', { format: req.format, purpose: req.purpose, ...(req.recipient ? { recipient: req.recipient } : {}) }, query);
    const masking = exportMaskingFor(user.role);
    const t = terms('zh-CN');
    const zone = timeZoneOf(workspace, user);
    function* rows(): Generator<ExportRow> {
      for (const w of monitoring.views(team, snapshot, user, req.filter)) {
        yield {
          identity: `warning:${w.warningId}`,
          cells: [
            '',
            t(`monitoring.levels.${w.level}`),
            w.signals.map((s) => signalModule(s)?.definition.name.zh ?? s).join('、'),
            // Names as the list shows them (masked for finance staff); ID numbers masked for everyone.
            applyNameMasking(w.headName ?? '', masking),
            w.headLabel ?? '',
            w.divisionCode,
            w.divisionName ?? '',
            t(`monitoring.states.${w.state}`),
            w.assigneeName ?? '',
            w.pushedAt ? formatLocalTime(w.pushedAt, { timeZone: zone }) : '',
            (w.state === 'pushed' || w.state === 'assigned' ? w.visitDue : w.decideDue) ?? '',
            w.outcome ? t(`monitoring.outcomes.${w.outcome}`) : '',
          ],
        };
      }
    }
    return this.write(team, user, workspace, req, {
      kind: 'warnings',
      title: '监测预警',
      columns: WARNINGS_COLUMNS,
      markColumn: 0,
      taggedColumns: [2, 6, 7],
      pdfWidths: [1.3, 0.8, 2, 0.8, 1.4, 1.1, 1.4, 0.9, 0.8, 1.1, 0.9, 0.9],
      query,
      masking,
      rows: rows(),
    });
  }

  /** One person's file (一人一档), as far as the user's scope reaches. */
  async exportPerson(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, workspace: WorkspaceDb, personId: string, req: DossierRequest): Promise<ExportResult> {
    if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
    const dossier = personDossier(snapshot, team, user, personId, exportMaskingFor(user.role));
    if (!dossier) throw new CallError('OUT_OF_SCOPE', 'no such person in your data scope');
    return this.write(team, user, workspace, req, dossier);
  }

  /** One case file: the finding, its rule and evidence, and the case's history. */
  async exportCase(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, workspace: WorkspaceDb, triage: TriageService, fingerprint: string, req: DossierRequest): Promise<ExportResult> {
    const dossier = caseDossier(triage, team, snapshot, user, fingerprint, workspace.customRules(), exportMaskingFor(user.role), timeZoneOf(workspace, user));
    return this.write(team, user, workspace, req, dossier);
  }

  /**
   * The team's audit trail as a supervisor filtered it, watermarked and registered like any export. The rows come in
   * words (team-audit-handlers: time, member, action, target, outcome, details), under `columns` in the reader's
   * language; the first column is left for the row mark. ID numbers are masked once more here, whatever the caller did.
   */
  async exportAudit(team: TeamDb, user: SessionUser, workspace: WorkspaceDb, table: { columns: readonly string[]; rows: readonly { identity: string; cells: readonly string[] }[] }, query: unknown, req: DossierRequest): Promise<ExportResult> {
    const limit = this.rowLimit(team);
    const entries = table.rows.length;
    if (entries > limit) throw new CallError('EXPORT_TOO_LARGE', `${entries} entries: narrow the search to ${limit} or fewer`, { rows: entries, limit });
    return this.write(team, user, workspace, req, {
      kind: 'report',
      title: '审计记录',
      columns: table.columns,
      markColumn: 0,
      taggedColumns: [3, 5],
      pdfWidths: [1.2, 1.4, 1, 1.3, 1.6, 0.6, 3],
      query,
      masking: exportMaskingFor(user.role),
      rows: table.rows.map((r) => ({ identity: r.identity, cells: ['', ...r.cells.map((c) => maskIdsInText(c))] })),
    });
  }

  /** Rows an export may have without approval: the team's setting, else the workstation's default. */
  /** The exports that contained a finding: its identity mark is keyed exactly as when the rows were written. */
  exportsOfFinding(team: TeamDb, fingerprint: string): string[] {
    return team.exports.exportsOfIdentity(keyed(team.exports.markKey(), 'identity', `finding:${fingerprint}`).toString('hex', 0, 8));
  }

  rowLimit(team: TeamDb): number {
    return team.exports.rowLimit() ?? this.d.maxRowsWithoutApproval;
  }

  /**
   * The row limit, changed with four eyes where it matters: lowering it (stricter) takes effect at once; raising it is
   * a proposal until another supervisor asks for the same value, which applies it.
   */
  setRowLimit(team: TeamDb, supervisor: SessionUser, rows: number): { applied: boolean } {
    const current = this.rowLimit(team);
    if (rows <= current) {
      team.exports.setRowLimit(rows);
      team.exports.setRowLimitProposal(null);
      return { applied: true };
    }
    const proposal = team.exports.rowLimitProposal();
    if (proposal && proposal.rows === rows && proposal.by !== supervisor.id) {
      team.exports.setRowLimit(rows);
      team.exports.setRowLimitProposal(null);
      return { applied: true };
    }
    team.exports.setRowLimitProposal({ rows, by: supervisor.id, byName: supervisor.displayName, at: isoTime(this.d.clock) });
    return { applied: false };
  }

  policy(team: TeamDb) {
    const p = team.exports.rowLimitProposal();
    return { maxRowsWithoutApproval: this.rowLimit(team), proposal: p ? { rows: p.rows, byName: p.byName, at: p.at } : null };
  }

  /** Asks a supervisor to approve a findings export above the size limit. */
  requestFindingsApproval(team: TeamDb, user: SessionUser, req: FindingsExportRequest): { requestId: string; rows: number } {
    const { total, query } = this.findingsQuery(team, user, req);
    if (!this.needsApproval(team, user, total)) throw new CallError('INVALID_INPUT', `${total} rows: an export this size needs no approval`);
    const requestId = randomUUID();
    team.exportRequests.create({
      requestId,
      requestedAt: isoTime(this.d.clock),
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      scope: user.scope,
      kind: 'findings',
      format: req.format,
      purpose: req.purpose,
      recipient: req.recipient ?? null,
      query,
      queryHash: requestHash('findings', req, query),
      rows: total,
    });
    return { requestId, rows: total };
  }

  /**
   * A supervisor's decision on a request: never their own (four eyes), and only for a colleague whose data scope lies
   * within theirs (anything else reads as not found).
   */
  decide(team: TeamDb, supervisor: SessionUser, requestId: string, approve: boolean, note: string | undefined) {
    const request = team.exportRequests.get(requestId);
    if (!request || !request.scope.every((prefix) => isWithinScope(prefix, supervisor.scope))) throw new CallError('NOT_FOUND', 'no such export request');
    if (request.userId === supervisor.id) throw new CallError('EXPORT_NOT_APPROVED', 'an export request is decided by another supervisor');
    if (!team.exportRequests.decide(requestId, { approve, by: supervisor.id, byName: supervisor.displayName, at: isoTime(this.d.clock), note: note ?? null })) {
      throw new CallError('CONFLICT', `the request is already ${request.state}`);
    }
    return team.exportRequests.get(requestId)!;
  }

  private findingsQuery(team: TeamDb, user: SessionUser, req: FindingsExportRequest) {
    const filter = { ...(req.filter.assignee === 'me' ? { ...req.filter, assignee: user.id } : req.filter), divisionPrefix: req.divisionPrefix };
    const total = team.inbox.count(user.scope, filter);
    if (total === 0) throw new CallError('INVALID_INPUT', 'nothing to export: no finding matches the filter');
    return { filter, total, query: { filter: req.filter, divisionPrefix: req.divisionPrefix ?? null, sort: req.sort } };
  }

  /**
   * Whether an export of `rows` needs approval: above the row limit, or when it would take the user's exports of the
   * last 7 days without approval above five times the limit (many exports just under the limit add up).
   */
  private needsApproval(team: TeamDb, user: SessionUser, rows: number): { limit: number; recent: number; reason: string } | null {
    const limit = this.rowLimit(team);
    const recent = team.exports.unapprovedRowsSince(user.id, new Date(this.d.clock.now() - CUMULATIVE_WINDOW_MS).toISOString());
    if (rows > limit) return { limit, recent, reason: `${rows} rows: exports above ${limit} rows need a supervisor's approval` };
    if (recent + rows > limit * CUMULATIVE_FACTOR) {
      return { limit, recent, reason: `${recent} rows exported in the last 7 days without approval; ${rows} more would pass ${limit * CUMULATIVE_FACTOR}: this export needs a supervisor's approval` };
    }
    return null;
  }

  /**
   * Within the limits: no approval needed. Beyond them: the approval named must be this user's, approved by a
   * supervisor within the week, for the same query, format, purpose and recipient, not yet used, and for at least as
   * many rows.
   */
  private checkSize(team: TeamDb, user: SessionUser, rows: number, kind: ExportKind, req: { format: string; purpose: string; recipient?: string; approvalId?: string }, query: unknown): string | null {
    const needed = this.needsApproval(team, user, rows);
    if (!needed) return null;
    const { limit } = needed;
    if (!req.approvalId) throw new CallError('EXPORT_TOO_LARGE', needed.reason, { rows, limit, recentRows: needed.recent });
    const approval = team.exportRequests.get(req.approvalId);
    const problem = !approval || approval.userId !== user.id
      ? 'no such approval for you'
      : approval.state !== 'approved'
        ? `the request is ${approval.state}`
        : approval.queryHash !== requestHash(kind, req, query)
          ? 'the approval was for another query, format, purpose or recipient'
          : rows > approval.rows
            ? `the export has grown to ${rows} rows; ${approval.rows} were approved`
            : this.d.clock.now() - Date.parse(approval.decidedAt!) > APPROVAL_VALID_MS
              ? 'the approval is more than a week old'
              : null;
    if (problem) throw new CallError('EXPORT_NOT_APPROVED', problem, { rows, limit });
    return approval!.requestId;
  }

  /** Writes, marks and registers one export table. */
  async write(team: TeamDb, user: SessionUser, workspace: WorkspaceDb, req: { format: ExportFormat; purpose: string; recipient?: string }, table: ExportTable): Promise<ExportResult> {
    const key = team.exports.markKey();
    const at = isoTime(this.d.clock);
    const head = workspace.auditHead();
    const auditHead = head ? `${head.seq}:${head.hash}` : null;
    const signer = memberSigner(workspace, user);
    const { exportId, tag } = this.begin(team, key, signer, {
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
      approvalId: table.approvalId ?? null,
    });
    // The approval is spent by this export, even if writing it fails (ask again then): never by two files.
    if (table.approvalId && !team.exportRequests.spend(table.approvalId, exportId)) {
      team.exports.abandon(exportId, 0);
      throw new CallError('EXPORT_NOT_APPROVED', 'the approval has already been used');
    }
    const invisible = zeroWidthTag(tag);
    const zone = timeZoneOf(workspace, user);
    const localAt = formatLocalTime(at, { seconds: true, timeZone: zone });
    const banner = `救助审计工作站导出 · 编号 ${exportId} · ${user.displayName}（${user.username}） · ${localAt} · 用途：${req.purpose}${req.recipient ? ` · 接收方：${req.recipient}` : ''}`;
    const dir = join(this.d.dir, user.username);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${table.title}-${localFileStamp(at, zone)}-${exportId.slice(0, 8)}.${req.format}`);
    const writer = openExportWriter(
      file,
      req.format,
      table.columns,
      { banner, identity: identityOf(exportId, user, at, zone, req, auditHead) },
      { title: `${table.title} · ${user.displayName} · ${localDate(at, zone)}`, widths: table.pdfWidths },
    );
    // Zero-width characters would show as boxes where a PDF font has no glyph for them: PDFs carry the row marks only.
    const tagged = req.format === 'pdf' ? [] : table.taggedColumns;
    let written = 0;
    let batch: { rowMark: string; identity: string }[] = [];
    try {
      for (const row of table.rows) {
        const cells = [...row.cells];
        const digest = keyed(key, 'row', exportId, row.identity);
        const rowMark = rowMarkFromDigest(digest);
        cells[table.markColumn] = rowMark;
        // One descriptive cell per row carries the tag, chosen by the keyed digest: spread over the columns (so dropping
        // some keeps most rows tagged) at 60 bytes a row, not 60 per tagged column.
        const carrier = tagged.length ? tagged[digest[31]! % tagged.length]! : -1;
        if (typeof cells[carrier] === 'string') cells[carrier] = withZeroWidthTag(cells[carrier], invisible);
        writer.addRow(cells);
        batch.push({ rowMark, identity: keyed(key, 'identity', row.identity).toString('hex', 0, 8) });
        written++;
        if (batch.length >= MARK_BATCH) {
          team.exports.addRows(exportId, batch);
          batch = [];
          // Let the file's stream drain and colleagues' calls run: a large export neither piles up in memory nor
          // freezes the workstation.
          await new Promise(setImmediate);
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
      const closing = { rowCount: written, fileName: file, fileSha256: sha256 };
      team.exports.complete(exportId, closing, signer.sign(exportClosingMessage({ exportId, ...closing })));
      return { exportId, file, rows: written, bytes: statSync(file).size, sha256 };
    } catch (error) {
      // Every file that left is complete in the register: one that cannot be recorded does not stay behind.
      rmSync(file, { force: true });
      team.exports.abandon(exportId, written);
      throw error;
    }
  }

  /**
   * A report (figures, charts, tables; aggregates with no names or ID numbers) as PDF or xlsx: watermarked with the
   * user, time and export id like any export, and entered in the register (kind `report`) so a copy can be traced.
   */
  async writeReport(team: TeamDb, user: SessionUser, workspace: WorkspaceDb, report: Report, req: { format: 'pdf' | 'xlsx'; purpose: string; recipient?: string }, query: unknown): Promise<ExportResult> {
    const key = team.exports.markKey();
    const at = isoTime(this.d.clock);
    const head = workspace.auditHead();
    const auditHead = head ? `${head.seq}:${head.hash}` : null;
    const signer = memberSigner(workspace, user);
    const { exportId } = this.begin(team, key, signer, {
      createdAt: at,
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      kind: 'report',
      format: req.format,
      purpose: req.purpose,
      recipient: req.recipient ?? null,
      query,
      scope: user.scope,
      columns: report.sections.map((s) => s.id),
      masking: exportMaskingFor(user.role),
      auditHead,
      approvalId: null,
    });
    const dir = join(this.d.dir, user.username);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const zone = timeZoneOf(workspace, user);
    const file = join(dir, `报告-${report.period}-${localFileStamp(at, zone)}-${exportId.slice(0, 8)}.${req.format}`);
    const watermark = {
      banner: `救助审计工作站报告 · 编号 ${exportId} · ${user.displayName}（${user.username}） · ${formatLocalTime(at, { seconds: true, timeZone: zone })} · 用途：${req.purpose}${req.recipient ? ` · 接收方：${req.recipient}` : ''}`,
      identity: identityOf(exportId, user, at, zone, req, auditHead),
    };
    try {
      await (req.format === 'pdf' ? writeReportPdf(file, report, watermark) : writeReportXlsx(file, report, watermark));
      const sha256 = sha256File(file);
      const closing = { rowCount: report.sections.length, fileName: file, fileSha256: sha256 };
      team.exports.complete(exportId, closing, signer.sign(exportClosingMessage({ exportId, ...closing })));
      return { exportId, file, rows: report.sections.length, bytes: statSync(file).size, sha256 };
    } catch (error) {
      rmSync(file, { force: true });
      team.exports.abandon(exportId, 0);
      throw error;
    }
  }

  /** Enters the export in the register under a fresh id whose tag no other export has, signed by the exporter. */
  private begin(team: TeamDb, key: Buffer, signer: MemberSigner, entry: Omit<ExportEntry, 'exportId' | 'tag'>) {
    for (let attempt = 0; ; attempt++) {
      const exportId = randomUUID();
      const tag = exportTagFromDigest(keyed(key, 'tag', exportId));
      const opening: ExportEntry = { ...entry, exportId, tag };
      try {
        team.exports.begin(opening, signer.sign(exportOpeningMessage(opening)));
        return { exportId, tag };
      } catch (error) {
        // A 40-bit tag collides with another export's about once in 10⁸ exports: draw again.
        if (attempt >= 3 || !/UNIQUE/.test(String(error))) throw error;
      }
    }
  }
}

/**
 * One case as a row of the findings export, in words (the same as on screen): no state or family codes. A person's
 * case lists every rule it holds, and its amount counts each payment once (一人一案).
 */
function findingCells(row: InboxRow, names: ReadonlyMap<string, string>, masking: ExportMasking): Cell[] {
  const ruleIds = row.caseRuleIds.length > 0 ? row.caseRuleIds : [row.ruleId];
  const t = terms('zh-CN');
  return [
    '',
    ruleIds.join('、'),
    ruleIds.map((id) => ruleById(id)?.name.zh ?? id).join('、'),
    t(`checks.families.${row.family}`),
    applyNameMasking(row.subjectName, masking),
    row.personId ? applyIdMasking(row.personId) : maskIdsInText(row.subjectId),
    row.divisionCode,
    names.get(row.divisionCode) ?? '',
    row.caseAmountCents === null ? null : row.caseAmountCents / 100,
    t(`triage.change.${row.change}`),
    row.pendingTo ? `${t('triage.case.pendingState')}（${t(`triage.case.proposed.${row.pendingTo}`)}）` : t(`triage.states.${row.caseState}`),
    row.assigneeName ?? '',
    row.dueDate ?? '',
  ];
}

/**
 * What the watermark says of the export (banner, header and footer, hidden sheet, PDF stamp): the time in the exporter's
 * zone, as they read it, and the same instant in UTC for whoever traces the file.
 */
function identityOf(exportId: string, user: SessionUser, at: string, zone: string, req: { purpose: string; recipient?: string }, auditHead: string | null): Record<string, string> {
  return {
    exportId,
    user: user.username,
    at: formatLocalTime(at, { seconds: true, timeZone: zone }),
    timeZone: zone,
    atUtc: at,
    purpose: req.purpose,
    recipient: req.recipient ?? '',
    auditHead: auditHead ?? '',
  };
}
