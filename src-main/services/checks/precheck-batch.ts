/**
 * Batch pre-check: an applicant list (xlsx or CSV, one row per member, Chinese or English headers) checked household by
 * household, with one result row per application. Rows that cannot be read are reported, not dropped.
 */
import { openFeed } from '../../platform/feed-reader.js';
import { cleanCell } from '../../domain/exchange/cleanse.js';
import { APPLICANT_LIST } from '../../domain/exchange/feed-schema.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { precheck, type PrecheckResult } from './precheck.js';

export interface BatchRow {
  applicationId: string;
  program: string;
  divisionCode: string;
  personIds: string[];
  result: PrecheckResult | null;
  /** Why the application could not be checked (unreadable rows, mixed programmes). */
  problem: string | null;
}

export async function precheckList(snapshot: SnapshotDb, file: string): Promise<BatchRow[]> {
  const feed = await openFeed(file, APPLICANT_LIST);
  const applications = new Map<string, { program: string; divisionCode: string; personIds: string[]; problems: string[] }>();
  const problems: BatchRow[] = [];
  for await (const { line, cells, malformed } of feed.rows) {
    const row: Record<string, string> = {};
    let problem = malformed ?? null;
    for (const [column, position] of feed.positions) {
      const cleaned = cleanCell(column, position >= 0 ? cells[position] : null);
      if (!cleaned.ok) {
        problem ??= `line ${line}, ${column.key}: ${cleaned.reason}`;
        continue;
      }
      row[column.key] = String(cleaned.value ?? '');
    }
    if (problem && !row.application_id) {
      problems.push({ applicationId: `(line ${line})`, program: '', divisionCode: '', personIds: [], result: null, problem });
      continue;
    }
    const app = applications.get(row.application_id!) ?? { program: row.program ?? '', divisionCode: row.division_code ?? '', personIds: [], problems: [] };
    if (problem) app.problems.push(problem);
    else if (row.program !== app.program || row.division_code !== app.divisionCode) app.problems.push(`line ${line}: another programme or division than the application's first row`);
    else app.personIds.push(row.person_id!);
    applications.set(row.application_id!, app);
  }
  const results: BatchRow[] = [];
  for (const [applicationId, app] of applications) {
    const problem = app.problems.length ? app.problems.join('; ') : null;
    results.push({ applicationId, ...app, result: problem ? null : precheck(snapshot, { personIds: app.personIds, program: app.program, divisionCode: app.divisionCode }), problem });
  }
  return [...results, ...problems];
}

/** Neutralises spreadsheet formulas in text written to CSV (OWASP CSV injection guidance). */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
