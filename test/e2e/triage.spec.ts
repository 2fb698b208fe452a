/**
 * The auditor's day on the demo district, in a real Chromium against browser mode: filter the findings inbox, open a
 * finding and read its evidence, open the person's file, take the case through verification to a confirmation with an
 * outcome; a supervisor approves it (four eyes); both audit trails show each step. Screenshots of the inbox, the
 * finding detail and the person file are kept in test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { serveApp, type ServedApp } from './serve-fixture';
import { choose, createUser, firstLogin, runAllRules, setUpAdmin } from './steps';

let app: ServedApp;
test.beforeAll(async () => {
  app = await serveApp(3);
});
test.afterAll(async () => {
  await app.stop();
});
test.describe.configure({ mode: 'serial' });

const ADMIN_PASSWORD = 'admin-pass-e2e-1';
const STREET = '320111004';

async function auditEntries(page: Page, label: string) {
  await page.getByRole('button', { name: '我的审计记录' }).click();
  const table = page.getByRole('table', { name: '我的审计记录' });
  await expect(table).toBeVisible();
  return table.getByRole('cell', { name: label, exact: true });
}

test('auditor triages a finding to a confirmation; a supervisor approves it', async ({ browser }) => {
  test.setTimeout(120_000);
  // An administrator sets up the workstation and the two colleagues.
  const admin = await (await browser.newContext()).newPage();
  await setUpAdmin(admin, app.urls[0]!, '王管理', ADMIN_PASSWORD);
  await createUser(admin, { username: 'li.audit', name: '李审计', scope: STREET });
  await createUser(admin, { username: 'zhao.sup', name: '赵科长', role: 'supervisor', scope: '320111' });
  await admin.getByRole('button', { name: '退出' }).click();

  // The auditor runs the rule library over their street.
  const page = await (await browser.newContext()).newPage();
  await page.goto(app.urls[1]!);
  await firstLogin(page, 'li.audit', 'li-own-pass-9');
  await runAllRules(page);

  // The inbox: filter by rule, sort by amount, move with the keyboard.
  await page.getByRole('button', { name: '核查线索' }).click();
  await expect(page.getByTestId('inbox-total')).toContainText('共');
  const filters = page.getByRole('complementary', { name: '筛选' });
  await filters.getByRole('checkbox', { name: /死亡未停保/ }).check();
  await expect(page.getByTestId('inbox-total')).toHaveText(/共 [1-9]\d* 条/);
  const found = Number(/共 (\d+) 条/.exec((await page.getByTestId('inbox-total').textContent()) ?? '')![1]);
  // …kept as a saved view of the auditor's own.
  await filters.getByLabel('视图名称').fill('死亡未停保');
  await filters.getByRole('button', { name: '保存视图' }).click();
  await expect(filters.getByRole('list', { name: '已保存的视图' })).toContainText('死亡未停保');
  await page.getByRole('button', { name: /涉及金额/ }).click();
  const rows = page.getByRole('rowgroup').nth(1).getByRole('row');
  await expect(rows.first()).toContainText('死亡未停保');
  const count = await rows.count();
  for (let i = 0; i < count; i++) await expect(rows.nth(i)).toContainText('死亡未停保');
  await expect(rows.first()).toContainText('*');
  // Bulk: both findings to me, previewed first.
  await rows.nth(0).getByRole('checkbox', { name: '选择' }).check();
  await rows.nth(1).getByRole('checkbox', { name: '选择' }).check();
  const bulk = page.getByRole('region', { name: '批量处理' });
  await choose(bulk, '操作', '分给我');
  await bulk.getByRole('button', { name: '预览' }).click();
  await expect(bulk.getByTestId('bulk-preview')).toContainText('2 条中 2 条可执行');
  await bulk.getByRole('button', { name: '执行' }).click();
  await expect(page.getByTestId('bulk-applied')).toContainText('已处理 2 条');
  await expect(rows.first()).toContainText('李审计');
  // The filtered list leaves only as a watermarked, registered export with a stated purpose.
  await page.getByRole('button', { name: '导出…' }).click();
  const exportForm = page.getByRole('form', { name: '导出当前筛选的线索' });
  await exportForm.getByLabel('用途（必填）').fill('死亡未停保专项核查');
  await exportForm.getByRole('button', { name: '导出', exact: true }).click();
  await expect(exportForm.getByTestId('export-result')).toContainText(`已导出 ${found} 行`);
  await exportForm.getByRole('button', { name: '取消' }).click();
  await page.getByTestId('inbox-scroller').focus();
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('Enter');
  await page.screenshot({ path: 'test-results/triage-inbox-1366x768.png' });

  // Why it fired: the rule, its policy text, the death record in the evidence.
  const detail = page.getByTestId('finding-detail');
  await expect(detail.getByRole('heading', { name: /R-DEATH 死亡未停保/ })).toBeVisible();
  // …said in words: what the rule checks, the policy it rests on, and why it fired, with the figures.
  await expect(detail.getByTestId('rule-description')).toContainText('死亡');
  await expect(detail.getByTestId('rule-basis')).toContainText('《最低生活保障审核确认办法》（民发〔2021〕57号）');
  await expect(detail.getByTestId('why')).toContainText(/登记死亡（来源：.+），.+仍在享受；死亡当月之后已发放 [\d,]+\.\d{2} 元/);
  await expect(detail.getByTestId('evidence')).toContainText('死亡登记');
  // 一人一案: the person's 死亡后发放 is in the same case, the shared payments counted once.
  await expect(detail.getByTestId('case-findings')).toContainText('死亡未停保');
  await expect(detail.getByTestId('case-findings')).toContainText('死亡后发放');
  await expect(detail.getByTestId('case-amount')).toContainText('同一笔发放只计一次');
  expect(await detail.innerText()).not.toMatch(/death_date|_cents|enrollment|\bactive\b|[{}]/);
  await page.screenshot({ path: 'test-results/triage-detail-1366x768.png' });

  // One person, one file: masked ID, the household, and the death among the other departments' events.
  await detail.getByRole('button', { name: '一人一档' }).click();
  const file = page.getByTestId('person-file');
  await expect(file.getByTestId('person-id')).toContainText('*');
  await expect(file.getByTestId('person-events')).toContainText('死亡');
  await expect(file.getByRole('table', { name: '家庭成员' })).toBeVisible();
  // The person's findings say their amounts in 元.
  await expect(file.getByTestId('person-findings')).toContainText(/ · [\d,]+\.\d{2} 元 · /);
  await page.screenshot({ path: 'test-results/triage-person-file-1366x768.png', fullPage: true });
  await file.getByRole('button', { name: '查看完整号码' }).click();
  await page.getByLabel('查询事由').fill('核对户籍信息');
  await page.getByRole('button', { name: '查看', exact: true }).click();
  await expect(file.getByTestId('person-id')).not.toContainText('*');
  await file.getByRole('button', { name: '返回' }).first().click();

  // The case: review, verification, then a confirmation that waits for a second person (amount above 2,000 元).
  const panel = page.getByTestId('case-panel');
  await expect(panel.getByTestId('case-state')).toHaveText('新线索');
  await panel.getByRole('button', { name: '开始核查' }).click();
  await expect(panel.getByTestId('case-state')).toHaveText('核查中');
  // No confirmation before a verification confirms the finding…
  await expect(panel.getByRole('button', { name: '确认问题' })).toHaveCount(0);
  const verification = panel.getByTestId('verification-form');
  await choose(verification, '核实方式', '入户核查');
  await verification.getByLabel('核实人').fill('社区网格员 王五');
  await verification.getByRole('button', { name: '记录核实' }).click();
  await expect(panel.getByRole('list', { name: '核实记录' })).toContainText('入户核查');
  // …and once one does, the decision is offered at once (no detour through 提交待核实).
  await panel.getByRole('button', { name: '确认问题' }).click();
  await expect(panel.getByTestId('case-state')).toHaveText('待审批');
  await expect(panel).toContainText('拟确认问题（李审计提出）');
  await expect(page.getByText(/的决定已提交审批/)).toBeVisible();
  const outcome = panel.getByTestId('outcome-form');
  await choose(outcome, '待遇处理', '停发');
  await outcome.getByRole('button', { name: '记录结果' }).click();
  await expect(panel.getByTestId('case-outcome')).toContainText('停发');
  // The history's amounts are grouped like everywhere else (2,100.00, not 2100.00).
  await expect(panel.getByTestId('case-history')).toContainText(/处理结果：停发 · 应追回 \d{1,3}(,\d{3})*\.\d{2} 元/);
  await expect(panel.getByTestId('case-history')).toContainText('提请审批');

  // Every step is in the auditor's audit trail.
  // The table fills after it appears: wait for the rows rather than count the first paint.
  const caseEntries = await auditEntries(page, '处理案件');
  await expect.poll(() => caseEntries.count()).toBeGreaterThanOrEqual(4);
  await expect((await auditEntries(page, '查看一人一档')).first()).toBeVisible();
  await expect((await auditEntries(page, '查看完整身份证号')).first()).toBeVisible();
  await expect((await auditEntries(page, '查看线索详情')).first()).toBeVisible();
  await expect((await auditEntries(page, '导出登记')).first()).toBeVisible();

  // The supervisor approves: the decision was someone else's, so four eyes are satisfied.
  const sup = await (await browser.newContext()).newPage();
  await sup.goto(app.urls[2]!);
  await firstLogin(sup, 'zhao.sup', 'zhao-own-pass-9');
  await sup.getByRole('button', { name: '核查线索' }).click();
  await sup.getByRole('complementary', { name: '筛选' }).getByRole('button', { name: '待我审批' }).click();
  await expect(sup.getByTestId('inbox-total')).toHaveText('共 1 条');
  await sup.getByRole('rowgroup').nth(1).getByRole('row').first().click();
  const supPanel = sup.getByTestId('case-panel');
  await expect(supPanel).toContainText('李审计');
  await supPanel.getByRole('button', { name: '批准' }).click();
  await expect(supPanel.getByTestId('case-state')).toHaveText('已确认问题');
  await expect(supPanel.getByTestId('case-history')).toContainText('批准');
  const supCaseEntries = await auditEntries(sup, '处理案件');
  await expect.poll(() => supCaseEntries.count()).toBeGreaterThanOrEqual(1);

  // The supervisor's rule outcomes count the confirmation.
  await sup.getByRole('button', { name: '规则成效' }).click();
  await expect(sup.getByTestId('learning-rules').getByRole('row', { name: /死亡未停保/ })).toContainText('1');
});
