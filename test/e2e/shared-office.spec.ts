/**
 * A shared office PC: one browser tab, people taking turns — auditor → logout → supervisor → logout → finance. Each lands
 * on 首页 with no filters and no finding open; nothing is fetched in anyone's name that they did not ask for (their
 * own audit trail shows no finding they never opened); times show in Beijing time; and the strict CSP holds (antd injects
 * no style of its own).
 */
import { expect, test, type Page } from '@playwright/test';
import { serveApp, type ServedApp } from './serve-fixture';
import { createUser, firstLogin, runAllRules, setUpAdmin } from './steps';

let app: ServedApp;
test.beforeAll(async () => {
  app = await serveApp(1);
});
test.afterAll(async () => {
  await app.stop();
});

/** Beijing wall-clock time now, as the app shows it (to the minute). */
function beijingNow(): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

async function logout(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
}

async function expectFreshStart(page: Page, who: string) {
  await expect(page.getByTestId('current-user')).toContainText(who);
  await expect(page.getByRole('heading', { name: '首页', level: 1 })).toBeVisible();
  await expect(page.getByTestId('finding-detail')).toHaveCount(0);
}

test('people taking turns on one tab each start on 首页, with nothing of the previous user', async ({ browser }) => {
  test.setTimeout(150_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });

  await setUpAdmin(page, app.urls[0]!, '王管理', 'admin-pass-e2e-1');
  await createUser(page, { username: 'li.audit', name: '李审计', scope: '320111004' });
  await createUser(page, { username: 'zhao.sup', name: '赵科长', role: 'supervisor', scope: '320111' });
  await createUser(page, { username: 'qian.fin', name: '钱财务', role: 'finance', scope: '320111' });
  await logout(page);

  // The auditor filters the inbox and opens a finding.
  await firstLogin(page, 'li.audit', 'li-own-pass-9');
  await expectFreshStart(page, '李审计');
  await runAllRules(page);
  await page.getByRole('button', { name: '核查线索' }).click();
  const filters = page.getByRole('complementary', { name: '筛选' });
  await filters.getByRole('checkbox', { name: /死亡未停保/ }).check();
  await page.getByRole('rowgroup').nth(1).getByRole('row').first().click();
  await expect(page.getByTestId('finding-detail')).toBeVisible();
  // Her own trail: the finding she opened, at Beijing time.
  await page.getByRole('button', { name: '我的审计记录' }).click();
  const trail = page.getByRole('table', { name: '我的审计记录' });
  await expect(trail.getByRole('cell', { name: '查看线索详情', exact: true }).first()).toBeVisible();
  await expect(trail).toContainText(beijingNow().slice(0, 13)); // the hour, in UTC+8
  await page.screenshot({ path: 'test-results/shared-office-auditor-1366x768.png' });
  await logout(page);

  // The supervisor: 首页, no finding open, an unfiltered inbox.
  await firstLogin(page, 'zhao.sup', 'zhao-own-pass-9');
  await expectFreshStart(page, '赵科长');
  await page.getByRole('button', { name: '核查线索' }).click();
  await expect(page.getByRole('complementary', { name: '筛选' }).getByRole('checkbox', { name: /死亡未停保/ })).not.toBeChecked();
  await expect(page.getByTestId('finding-detail')).toHaveCount(0);
  await page.getByRole('button', { name: '我的审计记录' }).click();
  await expect(page.getByRole('table', { name: '我的审计记录' })).toBeVisible();
  await expect(page.getByRole('table', { name: '我的审计记录' }).getByRole('cell', { name: '查看线索详情', exact: true })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/shared-office-supervisor-1366x768.png' });
  await logout(page);

  // Finance: 首页 too, and no beneficiary opened in their name.
  await firstLogin(page, 'qian.fin', 'qian-own-pass-9');
  await expectFreshStart(page, '钱财务');
  await page.getByRole('button', { name: '我的审计记录' }).click();
  await expect(page.getByRole('table', { name: '我的审计记录' })).toBeVisible();
  await expect(page.getByRole('table', { name: '我的审计记录' }).getByRole('cell', { name: '查看线索详情', exact: true })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/shared-office-finance-1366x768.png' });

  expect(cspViolations).toEqual([]);
});
