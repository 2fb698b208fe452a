/**
 * Traces a suspected leak against the team's export register: reads the file (or pasted rows), finds the keyed marks
 * in it, and ranks the exports they belong to with the evidence (domain/export/leak-trace.ts).
 */
import { createHash } from 'node:crypto';
import { traceLeak } from '../../domain/export/leak-trace.js';
import { readLeak } from '../../platform/leak-reader.js';
import type { RegisteredExport } from '../../store/team/export-register.js';
import type { TeamDb } from '../../store/team/team-db.js';
import { FINDINGS_COLUMNS } from './export-service.js';

const EXPORT_COLUMN_TITLES: ReadonlySet<string> = new Set(FINDINGS_COLUMNS);

export async function traceLeakedData(team: TeamDb, data: Buffer, fileName?: string) {
  const table = await readLeak(data, fileName);
  const trace = traceLeak(
    table.rows,
    { rowMarks: (marks) => team.exports.lookupRowMarks(marks), tags: (tags) => team.exports.lookupTags(tags) },
    { statedText: table.statements, columnTitles: EXPORT_COLUMN_TITLES },
  );
  const entry = (id: string) => team.exports.get(id);
  return {
    format: table.format,
    fileSha256: createHash('sha256').update(data).digest('hex'),
    dataRows: trace.dataRows,
    unexplainedRows: trace.unexplainedRows,
    candidates: trace.candidates.map((c) => ({ ...registerView(entry(c.exportId)!), ...c })),
    stated: trace.stated.map((exportId) => ({ exportId, known: entry(exportId) !== null })),
  };
}

/** What the register shows of an export (the query and row marks stay in the register). */
export function registerView(e: RegisteredExport) {
  return {
    exportId: e.exportId,
    createdAt: e.createdAt,
    userId: e.userId,
    username: e.username,
    displayName: e.displayName,
    kind: e.kind,
    format: e.format,
    purpose: e.purpose,
    recipient: e.recipient,
    status: e.status,
    rowCount: e.rowCount,
    fileName: e.fileName,
    fileSha256: e.fileSha256,
    approvalId: e.approvalId,
  };
}
