/**
 * A supervisor's rule run over the district is the auditor's street's last check too: the auditor's 规则核查 says when,
 * by whom (by name) and that its figures are those of the street. And the supervisor's 审计查询 names the finding an
 * auditor opened — rule, masked subject, why it fired — with the fingerprint kept small and copyable.
 * One browser tab, people taking turns, at 1366×768 in Beijing time.
 */
import { expect, test, type Page } from '@playwright/test';
import { humanTextProblems } from '../helpers/human-text';
import { serveApp, type ServedApp } from './serve-fixture';
import { createUser, firstLogin, login, openFindingUnderCursor, runAllRules, setUpAdmin } from './steps';

let app: ServedApp;
test.beforeAll(async () => {
  app = await serveApp(1);
});
test.afterAll(async () => {
  await app.stop();
});

const FULL_ID = /(?<![0-9])[0-9]{17}[0-9X](?![0-9])/;

async function logout(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
}

test("the district's run counts for the street; the trail names findings, not hashes", async ({ browser }) => {
  test.setTimeout(150_000);
  const page = await (await browser.newContext()).newPage();
  await setUpAdmin(page, app.urls[0]!, '王管理', 'admin-pass-e2e-1');
  await createUser(page, { username: 'li.audit', name: '李审计', scope: '320111004' });
  await createUser(page, { username: 'zhao.sup', name: '赵科长', role: 'supervisor', scope: '320111' });
  await logout(page);

  // Before anyone ran the rules: an empty state that says what to do.
  await firstLogin(page, 'li.audit', 'li-own-pass-9');
  await page.getByRole('button', { name: '规则核查' }).click();
  await expect(page.getByTestId('last-run')).toContainText('您的数据范围尚未核查过：点击“运行全部规则”，按当前数据快照核查。');
  await logout(page);

  await firstLogin(page, 'zhao.sup', 'zhao-own-pass-9');
  await runAllRules(page);
  await expect(page.getByTestId('last-run')).toContainText('您本人');
  await expect(page.getByTestId('run-by-colleague')).toHaveCount(0);
  await logout(page);

  await login(page, 'li.audit', 'li-own-pass-9');
  await page.getByRole('button', { name: '规则核查' }).click();
  const last = page.getByTestId('last-run');
  await expect(last).toContainText('赵科长');
  await expect(last).not.toContainText('zhao.sup');
  await expect(last).toContainText('浦口区（320111）');
  await expect(page.getByTestId('run-by-colleague')).toHaveText('这次核查由赵科长运行，覆盖了您的数据范围；下表中的结果来自这次核查，只计您范围内的发现。');
  // The figures are the street's: the new findings equal what the table shows open.
  const opened = await page.getByRole('table', { name: '规则核查' }).locator('tbody tr td:nth-child(3)').allInnerTexts();
  const open = opened.reduce((n, v) => n + Number(v || 0), 0);
  expect(open).toBeGreaterThan(0);
  await expect(last).toContainText(`新增 ${open} ·`);
  expect(humanTextProblems(await page.locator('main').innerText(), ['li', 'audit', 'zhao', 'sup'])).toEqual([]);
  await page.screenshot({ path: 'test-results/shared-checks-auditor-规则核查.png' });

  // The auditor opens a finding; the supervisor reads it in the trail by its words.
  await page.getByRole('button', { name: '核查线索' }).click();
  const detail = await openFindingUnderCursor(page);
  const heading = (await detail.getByRole('heading', { level: 2 }).innerText()).trim();
  // Her own trail names it the same way.
  await page.getByRole('button', { name: '我的审计记录' }).click();
  const own = page.getByRole('table', { name: '我的审计记录' }).getByTestId('audit-finding').first();
  await expect(own).toContainText(heading);
  await expect(page.getByRole('table', { name: '我的审计记录' })).not.toContainText('li.audit');
  await page.screenshot({ path: 'test-results/shared-checks-auditor-我的审计记录.png' });
  await logout(page);

  await login(page, 'zhao.sup', 'zhao-own-pass-9');
  await page.getByRole('button', { name: '审计查询' }).click();
  const entries = page.getByTestId('team-audit-entries');
  const finding = entries.getByTestId('audit-finding').first();
  await expect(finding).toBeVisible();
  await expect(finding).toContainText(heading);
  await expect(finding).toContainText('线索指纹');
  const text = await entries.innerText();
  expect(text).not.toMatch(/[0-9a-f]{32}/); // the fingerprint whole only in the tooltip and the copy
  expect(text).not.toMatch(FULL_ID);
  await expect(entries).toContainText('李审计');
  await page.screenshot({ path: 'test-results/shared-checks-supervisor-审计查询.png' });
});
