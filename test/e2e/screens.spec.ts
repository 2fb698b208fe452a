/**
 * Every main screen, as each role sees it, at 1366×768 in Beijing time: a screenshot of each in test-results/screens/,
 * and the visible text of each checked for what a user must never read — internal codes, English words in the Chinese
 * UI, JSON, whole ID numbers. No screen may log a Content-Security-Policy violation: the strict CSP (style-src 'self')
 * refuses inline <style> elements and style="…" markup, so a component that writes them loses its styling.
 */
import { expect, test, type Page } from '@playwright/test';
import { humanTextProblems } from '../helpers/human-text';
import { serveApp, type ServedApp } from './serve-fixture';
import { choice, choose, clippedHeaders, createUser, firstLogin, runAllRules, setUpAdmin } from './steps';

let app: ServedApp;
test.beforeAll(async () => {
  app = await serveApp(1);
});
test.afterAll(async () => {
  await app.stop();
});

/** The usernames the administrator typed: the users' data, not the app's words. */
const USERNAMES = ['admin', 'li', 'audit', 'zhao', 'sup', 'qian', 'fin'];

const SCREENS: Record<string, string[]> = {
  admin: ['首页', '用户管理', '我的审计记录', '备份与恢复', '设置'],
  auditor: ['首页', '核查线索', '监测预警', '导出管理', '规则核查', '申请预审', '多维查询', '数据质检', '数据同步', '我的审计记录', '备份与恢复', '设置'],
  supervisor: ['首页', '核查线索', '监测预警', '统计看板', '资金审核', '规则成效', '审计查询', '导出管理', '规则核查', '申请预审', '多维查询', '数据质检', '数据同步', '我的审计记录', '备份与恢复', '设置'],
  finance: ['首页', '核查线索', '资金审核', '导出管理', '规则核查', '申请预审', '多维查询', '数据质检', '数据同步', '我的审计记录', '备份与恢复', '设置'],
};

/** Where the walk is, to name the screen a CSP violation came from. */
let here = '登录';

async function walk(page: Page, role: string, problems: string[]) {
  for (const label of SCREENS[role]!) {
    here = `${role} · ${label}`;
    await page.getByRole('navigation').getByRole('button', { name: label, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    // Let the screen's data arrive (charts, tables) before reading and photographing it.
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `test-results/screens/${role}-${label}.png` });
    const text = await page.locator('body').innerText();
    for (const p of humanTextProblems(text, USERNAMES)) problems.push(`${role} · ${label}: ${p}`);
    for (const header of await clippedHeaders(page)) problems.push(`${role} · ${label}: a clipped column header "${header}"`);
  }
}

test('every screen, for every role, reads as Chinese for people', async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${here}: ${m.text()}`);
  });
  await setUpAdmin(page, app.urls[0]!, '王管理', 'admin-pass-e2e-1');
  await createUser(page, { username: 'li.audit', name: '李审计', scope: '320111004' });
  await createUser(page, { username: 'zhao.sup', name: '赵科长', role: 'supervisor', scope: '320111' });
  await createUser(page, { username: 'qian.fin', name: '钱财务', role: 'finance', scope: '320111' });
  await walk(page, 'admin', problems);

  // 用户管理 says it is loading while the list is on its way (a slow disk): antd Table's spinner, never "no data".
  here = 'admin · 用户管理（载入中）';
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/call', async (route) => {
    if ((route.request().postDataJSON() as { name?: string } | null)?.name === 'users.list') await held;
    await route.continue().catch(() => undefined);
  });
  await page.getByRole('navigation').getByRole('button', { name: '首页', exact: true }).click();
  await page.getByRole('navigation').getByRole('button', { name: '用户管理', exact: true }).click();
  const users = page.getByRole('table', { name: '用户管理' });
  await expect(page.locator('.ant-spin-spinning')).toBeVisible();
  await expect(page.getByText('正在载入用户列表…')).toBeVisible();
  await expect(page.getByText('暂无数据')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/admin-用户管理-载入中.png' });
  release();
  await expect(users.getByRole('cell', { name: 'qian.fin' })).toBeVisible();
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);

  // The antd Select dropdowns (角色, 界面语言, 时区) open without a runtime <style> element the CSP would refuse.
  here = 'admin · 用户管理 · 角色下拉';
  const form = page.getByRole('form', { name: '新建用户' });
  await choice(form, '角色').click();
  await expect(page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').filter({ visible: true })).toBeVisible();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/screens/admin-用户管理-角色下拉.png' });
  await page.keyboard.press('Escape');
  here = 'admin · 设置 · 时区下拉';
  await page.getByRole('navigation').getByRole('button', { name: '设置', exact: true }).click();
  const settings = page.getByRole('region', { name: '设置' });
  await choice(settings, '时区').click();
  await expect(page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').filter({ visible: true })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/admin-设置-时区下拉.png' });
  for (const p of humanTextProblems(await page.locator('body').innerText(), USERNAMES)) problems.push(`admin · 设置 · 时区下拉: ${p}`);
  await page.keyboard.press('Escape');
  await choose(page.getByRole('banner'), '界面语言', 'English', { stays: false });
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  // In English, the touched screens (photographed for review) carry no dictionary key or unfilled placeholder.
  for (const label of ['Users', 'Backup', 'Settings']) {
    here = `admin · English · ${label}`;
    await page.getByRole('navigation').getByRole('button', { name: label, exact: true }).click();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `test-results/screens/en-admin-${label}.png` });
    expect(await page.locator('body').innerText()).not.toMatch(/\{\{|reasons\.|errors\.|users\./);
  }
  await choose(page.getByRole('banner'), 'Language', '简体中文', { stays: false });
  await expect(page.getByRole('heading', { name: '设置' })).toBeVisible();
  const logout = async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  };
  await logout();

  here = 'supervisor · 首次登录、运行全部规则';
  await firstLogin(page, 'zhao.sup', 'zhao-own-pass-9');
  await runAllRules(page);
  await walk(page, 'supervisor', problems);
  await logout();

  await firstLogin(page, 'li.audit', 'li-own-pass-9');
  await walk(page, 'auditor', problems);
  // 多维查询 with a result (the layout must hold with a table of persons).
  here = 'auditor · 多维查询结果';
  await page.getByRole('navigation').getByRole('button', { name: '多维查询', exact: true }).click();
  await page.getByRole('button', { name: '示例：低保户中二级残疾的困境儿童' }).click();
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByTestId('query-result')).toBeVisible();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/screens/auditor-多维查询-结果.png' });
  for (const p of humanTextProblems(await page.getByTestId('query-result').innerText(), USERNAMES)) problems.push(`auditor · 多维查询结果: ${p}`);
  // The finding detail and the person file, the auditor's day.
  here = 'auditor · 线索详情';
  await page.getByRole('navigation').getByRole('button', { name: '核查线索', exact: true }).click();
  // A row with its finding loaded (the virtual list shows empty rows until the page of rows arrives).
  await page.getByRole('rowgroup').nth(1).locator('[role=row][data-fingerprint]').first().click();
  await expect(page.getByTestId('finding-detail')).toBeVisible();
  await page.waitForTimeout(400);
  await page.screenshot({ path: 'test-results/screens/auditor-线索详情.png' });
  for (const p of humanTextProblems(await page.getByTestId('finding-detail').innerText(), USERNAMES)) problems.push(`auditor · 线索详情: ${p}`);
  // Beside the open detail the filter panel is narrow: the saved-view name still has a line of its own, not a sliver.
  expect((await page.getByLabel('视图名称').boundingBox())!.width).toBeGreaterThan(140);
  const personLink = page.getByTestId('finding-detail').getByRole('button', { name: '一人一档' });
  if (await personLink.count()) {
    here = 'auditor · 一人一档';
    await personLink.first().click();
    await page.waitForTimeout(400);
    await page.screenshot({ path: 'test-results/screens/auditor-一人一档.png', fullPage: true });
    for (const p of humanTextProblems(await page.locator('main').innerText(), USERNAMES)) problems.push(`auditor · 一人一档: ${p}`);
  }
  // 数据质检: every rule name on one line (身份信息与号码不一致 must not break before its last character).
  here = 'auditor · 数据质检';
  await page.getByRole('navigation').getByRole('button', { name: '数据质检', exact: true }).click();
  const ruleCells = page.getByRole('table', { name: '质检规则' }).locator('tr td:first-child');
  await expect(ruleCells.first()).toBeVisible();
  const lines = await ruleCells.evaluateAll((tds) =>
    tds.map((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return `${td.textContent}: ${new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size}`;
    }),
  );
  expect(lines.filter((l) => !l.endsWith(': 1'))).toEqual([]);
  // The auditor's screens with selects, in English (photographed for review; no raw keys).
  await choose(page.getByRole('banner'), '界面语言', 'English', { stays: false });
  for (const label of ['Home', 'Findings', 'Exports', 'Rule checks', 'Pre-check', 'Query', 'Sync']) {
    here = `auditor · English · ${label}`;
    await page.getByRole('navigation').getByRole('button', { name: label, exact: true }).click();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `test-results/screens/en-auditor-${label}.png` });
    expect(await page.locator('body').innerText()).not.toMatch(/\{\{|reasons\.|errors\.|triage\.|query\./);
    // A rule that ran only in part names the missing parameter in English.
    for (const badge of await page.getByTestId('rule-partly-run').allInnerTexts()) expect(badge).not.toMatch(/[\u4e00-\u9fff]/);
  }
  await choose(page.getByRole('banner'), 'Language', '简体中文', { stays: false });
  await logout();

  await firstLogin(page, 'qian.fin', 'qian-own-pass-9');
  await walk(page, 'finance', problems);

  expect([...new Set(problems)]).toEqual([]);
  expect(cspViolations).toEqual([]);
});
