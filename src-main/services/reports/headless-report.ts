/**
 * The monthly report without the app (`npm run cli -- report`, for scheduling): the rule library runs over the
 * snapshot, its findings go into a team store that lives in memory only, and the same report the app writes is
 * rendered to PDF and xlsx in the output folder. There are no cases or decisions here, so those figures are zero, and
 * no export register: the files carry their id, the time and "cli" in the watermark. (On a workstation,
 * `cli report --user` writes the app's own report instead, cases included: shells/cli/report-command.ts.)
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { REPORT_SECTIONS, type ReportSectionId } from '../../domain/reports/report-model.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import { writeReportPdf, writeReportXlsx } from '../../platform/report-writers.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { TeamDb } from '../../store/team/team-db.js';
import { withSubjects } from '../checks/check-service.js';
import { runChecks } from '../checks/rule-engine.js';
import { ReportService } from './report-service.js';
import { formatLocalTime, systemTimeZone } from '../../domain/local-time.js';

export async function headlessMonthlyReport(o: {
  clock: Clock;
  snapshot: SnapshotDb;
  period: string;
  outDir: string;
  scope?: string[];
  sections?: readonly ReportSectionId[];
  language?: 'zh-CN' | 'en';
}): Promise<{ pdf: string; xlsx: string; findings: number; reportId: string }> {
  const meta = o.snapshot.meta();
  const scope = o.scope ?? meta.jurisdiction;
  const run = await runChecks(o.snapshot, { clock: o.clock, scope });
  const team = TeamDb.scratch();
  try {
    team.findings.recordRun({ ...run, runBy: 'cli' }, withSubjects(o.snapshot, run.findings));
    const instant = isoTime(o.clock);
    // Shown as the operator reads it (this machine's zone), like every time in a report.
    const at = formatLocalTime(instant, { seconds: true });
    const user = `cli:${userInfo().username}`;
    const report = new ReportService(o.clock).monthly(team, o.snapshot, scope, {
      period: o.period,
      sections: o.sections ?? REPORT_SECTIONS,
      generatedBy: user,
      generatedAt: at,
      language: o.language ?? 'zh-CN',
    });
    const reportId = randomUUID();
    const watermark = { banner: `救助审计工作站报告 · 编号 ${reportId} · ${user} · ${at} · 定时生成`, identity: { exportId: reportId, user, at, timeZone: systemTimeZone(), atUtc: instant, purpose: '定时生成' } };
    mkdirSync(o.outDir, { recursive: true, mode: 0o700 });
    const base = join(o.outDir, `月度报告-${o.period}-${reportId.slice(0, 8)}`);
    await writeReportPdf(`${base}.pdf`, report, watermark);
    await writeReportXlsx(`${base}.xlsx`, report, watermark);
    return { pdf: `${base}.pdf`, xlsx: `${base}.xlsx`, findings: run.findings.length, reportId };
  } finally {
    team.close();
  }
}
