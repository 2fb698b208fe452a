/**
 * A day's work in its own process, for the kill -9 test: logs in as the auditor on an existing data folder, then runs
 * the rules, acts on cases and exports, over and over, until the parent kills it. Prints "ready" once logged in.
 * With KILL_MID_EXPORT set it kills itself in the middle of writing an export instead. With BACKUP_FOLDER set it backs
 * up to that folder over and over (a note between two backups).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createWorkstation } from '../../src-main/services/workstation.js';
import { TEST_KDF } from './workstation.js';

const [dataDir, password] = process.argv.slice(2) as [string, string];
const ws = createWorkstation({ dataDir, transport: 'http', kdfCost: TEST_KDF, maxExportRows: 1_000_000 });
const call = async (name: string, input: unknown) => {
  const r = await ws.dispatch('child', name, input);
  if (!r.ok && !['CONFLICT', 'CASE_REFUSED'].includes(r.error.code)) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return (r.ok ? r.value : null) as unknown;
};
await call('auth.login', { username: 'auditor1', password });
console.log('ready');
const sort = { column: 'priority', direction: 'desc' };
if (process.env.KILL_MID_EXPORT) {
  // Die while an export is being written: as soon as its half-written file exists (the register entry is open).
  const dir = join(dataDir, 'exports', 'auditor1');
  setInterval(() => {
    if (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.part'))) process.kill(process.pid, 'SIGKILL');
  }, 1);
  await call('export.findings', { format: 'xlsx', purpose: '崩溃测试', filter: {}, sort });
  throw new Error('the export finished before the kill');
}
if (process.env.BACKUP_FOLDER) {
  const folder = process.env.BACKUP_FOLDER;
  for (let round = 0; ; round++) {
    const page = (await call('inbox.page', { filter: {}, sort, offset: 0, limit: 5 })) as { rows: { fingerprint: string }[] };
    await call('case.act', { fingerprint: page.rows[round % 5]!.fingerprint, expectedHead: null, command: { kind: 'note', text: `备份第${round}轮` } });
    const piece = (await call('backup.run', { folder, password })) as { piece: number };
    console.log(`piece ${piece.piece}`);
  }
}
for (let round = 0; ; round++) {
  const page = (await call('inbox.page', { filter: {}, sort, offset: 0, limit: 50 })) as { rows: { fingerprint: string }[] };
  for (const row of page.rows.slice(0, 10)) {
    await call('case.act', { fingerprint: row.fingerprint, expectedHead: null, command: { kind: 'note', text: `第${round}轮备注` } });
  }
  await call('export.findings', { format: round % 2 ? 'csv' : 'xlsx', purpose: '崩溃测试', filter: {}, sort });
  await call('checks.run', {});
  for (let i = 0; i < 200; i++) {
    const s = (await call('checks.status', {})) as { running: boolean };
    if (!s.running) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  console.log(`round ${round}`);
}
