/**
 * `npm run cli -- report --user SUPERVISOR --period YYYY-MM --out DIR`: the monthly report exactly as the app writes
 * it — the user's snapshot, the team's case work and decisions, the user's scope — for scheduled runs on the
 * workstation. It goes through the service contract (login, role check, export register, audit entry) like the
 * screen does, and copies the two files into DIR. (`--snapshot FILE` instead runs without a workstation and without
 * cases: services/reports/headless-report.ts.)
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPORT_SECTIONS } from '../../domain/reports/report-model.js';
import { noProtection } from '../../platform/key-protector.js';
import { createWorkstation } from '../../services/workstation.js';

export async function reportAsUser(o: { dataDir: string; username: string; password: string; period: string; outDir: string; divisionPrefix?: string }): Promise<{ pdf: string; xlsx: string; exportIds: string[] }> {
  const workstation = createWorkstation({ dataDir: o.dataDir, transport: 'http', protector: noProtection });
  const client = 'cli';
  try {
    const login = await workstation.dispatch(client, 'auth.login', { username: o.username, password: o.password });
    if (!login.ok) throw new Error(`${o.username} cannot log in: ${login.error.message}`);
    mkdirSync(o.outDir, { recursive: true, mode: 0o700 });
    const written: Record<'pdf' | 'xlsx', string> = { pdf: '', xlsx: '' };
    const exportIds: string[] = [];
    for (const format of ['pdf', 'xlsx'] as const) {
      const input = { period: o.period, sections: [...REPORT_SECTIONS], format, purpose: '定时生成（命令行）', ...(o.divisionPrefix ? { divisionPrefix: o.divisionPrefix } : {}) };
      const result = await workstation.dispatch(client, 'report.monthly', input);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      const file = (result.value as { file: string; exportId: string }).file;
      written[format] = join(o.outDir, basename(file));
      copyFileSync(file, written[format]);
      exportIds.push((result.value as { exportId: string }).exportId);
    }
    return { ...written, exportIds };
  } finally {
    await workstation.dispatch(client, 'auth.logout', {});
    workstation.close();
  }
}
