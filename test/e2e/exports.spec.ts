/**
 * Exports in a real Chromium against browser mode: a supervisor sets the export limit; an auditor's larger export is
 * refused and sent for approval; the supervisor approves it; the auditor exports it as approved; then a leaked excerpt
 * of that file (row-mark column dropped, re-saved) is traced back to it on the supervisor's 泄露溯源 panel, while rows
 * typed by hand are attributed to nobody. Screenshot: test-results/exports-trace-1366x768.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { serveApp, type ServedApp } from './serve-fixture';
import { choose, createUser, firstLogin, openFindingUnderCursor, runAllRules, setUpAdmin } from './steps';

let app: ServedApp;
let scratch: string;
test.beforeAll(async () => {
  app = await serveApp(3);
  scratch = mkdtempSync(join(tmpdir(), 'aw-e2e-leak-'));
});
test.afterAll(async () => {
  await app.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const ADMIN_PASSWORD = 'admin-pass-e2e-1';

test('a large export waits for approval, and a leaked excerpt is traced back to it', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await (await browser.newContext()).newPage();
  await setUpAdmin(admin, app.urls[0]!, '王管理', ADMIN_PASSWORD);
  await createUser(admin, { username: 'li.audit', name: '李审计', scope: '320111' });
  await createUser(admin, { username: 'zhao.sup', name: '赵科长', role: 'supervisor', scope: '320111' });
  await admin.getByRole('button', { name: '退出' }).click();

  // The auditor runs the checks (the first member to log in creates the team store).
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await page.goto(app.urls[1]!);
  await firstLogin(page, 'li.audit', 'li-own-pass-9');
  await runAllRules(page);

  // The supervisor lowers the limit to 10 rows.
  const sup = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await sup.goto(app.urls[2]!);
  await firstLogin(sup, 'zhao.sup', 'zhao-own-pass-9');
  await sup.getByRole('button', { name: '导出管理' }).click();
  await sup.getByLabel('无需审批的导出上限（行）').fill('10');
  await sup.getByRole('button', { name: '保存' }).click();

  // The auditor's export of the whole inbox is refused, and goes to the supervisor instead.
  await page.getByRole('button', { name: '核查线索' }).click();
  await expect(page.getByTestId('inbox-total')).toHaveText(/共 \d{2,} 条/);
  await page.getByRole('button', { name: '导出…' }).click();
  const exportForm = page.getByRole('form', { name: '导出当前筛选的线索' });
  await exportForm.getByLabel('用途（必填）').fill('全区季度核查');
  await exportForm.getByRole('button', { name: '导出', exact: true }).click();
  await expect(exportForm.getByRole('alert')).toContainText('导出行数超过上限');
  await exportForm.getByTestId('request-approval').click();
  await expect(exportForm.getByTestId('approval-requested')).toContainText('已提交审批申请');

  await sup.getByRole('button', { name: '核查线索' }).click();
  await sup.getByRole('button', { name: '导出管理' }).click();
  const toDecide = sup.getByTestId('requests-decide');
  await expect(toDecide).toContainText('李审计');
  await expect(toDecide).toContainText('全区季度核查');
  await sup.getByLabel('审批意见（可选）').fill('同意，仅限内部使用');
  await toDecide.getByRole('button', { name: '批准' }).click();
  await expect(sup.getByText('暂无。').first()).toBeVisible();

  // The auditor exports exactly what was approved.
  await page.getByRole('button', { name: '导出管理' }).click();
  // The auditor reads the limit the supervisor set; no box that looks editable and saves nothing.
  await expect(page.getByTestId('export-limit')).toHaveText('无需审批的导出上限（行）：10');
  await expect(page.getByLabel('无需审批的导出上限（行）')).toHaveCount(0);
  const mine = page.getByTestId('requests-mine');
  await expect(mine).toContainText('已批准');
  await mine.getByRole('button', { name: '按批准内容导出' }).click();
  const status = page.getByTestId('approved-export-result');
  await expect(status).toContainText('已导出');
  const file = /：(.+\.xlsx)（/.exec((await status.textContent()) ?? '')![1]!;

  // Someone leaks twenty rows, without the 线索编号 and 规则编号 columns, re-saved as a new workbook.
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const rows: (string | number)[][] = [];
  workbook.getWorksheet('导出')!.eachRow((row, n) => {
    if (n > 1) rows.push((row.values as (string | number | null)[]).slice(3).map((v) => v ?? ''));
  });
  const leak = new ExcelJS.Workbook();
  const sheet = leak.addWorksheet('名单');
  for (const r of rows.slice(0, 21)) sheet.addRow(r);
  const leakFile = join(scratch, '名单.xlsx');
  await leak.xlsx.writeFile(leakFile);

  await sup.getByRole('button', { name: '核查线索' }).click();
  await sup.getByRole('button', { name: '导出管理' }).click();
  await expect(sup.getByTestId('export-register')).toContainText('李审计');
  await expect(sup.getByTestId('export-register')).toContainText('经审批');
  const trace = sup.getByRole('region', { name: '泄露溯源' });
  await trace.getByLabel('疑似泄露的文件').setInputFiles(leakFile);
  await trace.getByRole('button', { name: '溯源文件' }).click();
  const result = trace.getByTestId('trace-result');
  await expect(result).toContainText('共 20 行数据，其中 0 行没有');
  const top = result.getByRole('table', { name: '候选导出' }).getByRole('row').nth(1);
  await expect(top).toContainText('认定来源');
  await expect(top).toContainText('李审计');
  await expect(top).toContainText('全区季度核查');
  await expect(top).toContainText('隐藏标记 20');
  await sup.screenshot({ path: 'test-results/exports-trace-1366x768.png', fullPage: true });

  // Rows typed by hand carry no keyed mark: nobody is named.
  await trace.getByLabel('或粘贴表格行（制表符或逗号分隔）').fill('张三\t死亡人员仍在享受救助\t320111004\t1200.00\n李四\t户籍迁出\t320111004\t800.00');
  await trace.getByRole('button', { name: '溯源粘贴内容' }).click();
  await expect(result).toContainText('不能认定来自任何已登记的导出');

  // The auditor exports one case file as PDF from the finding's detail, and the person's file from 一人一档.
  await page.getByRole('button', { name: '核查线索' }).click();
  const detail = await openFindingUnderCursor(page);
  await detail.getByRole('button', { name: '导出案件档案…' }).click();
  const caseForm = detail.getByRole('form', { name: '导出案件档案…' });
  await caseForm.getByLabel('用途（必填）').fill('案卷归档');
  await caseForm.getByRole('button', { name: '导出', exact: true }).click();
  await expect(caseForm.getByTestId('dossier-export-result')).toContainText('.pdf');
  await detail.getByRole('button', { name: '一人一档', exact: true }).click();
  await page.getByRole('button', { name: '导出一人一档…' }).click();
  const personForm = page.getByRole('form', { name: '导出一人一档…' });
  await choose(personForm, '格式', 'Excel (.xlsx)');
  await personForm.getByLabel('用途（必填）').fill('入户核查准备');
  await personForm.getByRole('button', { name: '导出', exact: true }).click();
  await expect(personForm.getByTestId('dossier-export-result')).toContainText('.xlsx');

  // The supervisor reads the team's trail, and who accessed this person.
  await sup.getByRole('button', { name: '审计查询' }).click();
  const auditFilters = sup.getByRole('form', { name: '筛选' });
  await choose(auditFilters, '成员', '李审计（li.audit）');
  await auditFilters.getByRole('button', { name: '查询' }).click();
  await expect(sup.getByTestId('team-audit-entries')).toContainText('导出一人一档');
  await sup.getByRole('button', { name: '核查线索' }).click();
  await openFindingUnderCursor(sup);
  // Which exports held this finding: the approved export of the whole inbox did.
  const held = sup.getByTestId('finding-exports');
  await held.getByRole('button', { name: '导出记录（哪些导出含此线索）' }).click();
  await expect(held.getByTestId('export-register')).toContainText('全区季度核查');
  await expect(held.getByTestId('export-register')).toContainText('李审计');
  await sup.getByTestId('finding-detail').getByRole('button', { name: '一人一档', exact: true }).click();
  await sup.getByRole('button', { name: '谁查看或导出过此人' }).click();
  const history = sup.getByRole('table', { name: '访问记录' });
  // Members by name, as everywhere else: the login code only in the tooltip.
  await expect(history).toContainText('李审计');
  await expect(history).not.toContainText('li.audit');
  await expect(history).toContainText('导出一人一档');
});
