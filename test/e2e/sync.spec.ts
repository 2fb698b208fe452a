/** An auditor enrols the workstation with a real platform (checking its fingerprint), syncs, and works on the synced data. */
import { expect, test } from '@playwright/test';
import { servePlatform, type ServedPlatform } from './platform-fixture';
import { serveApp, type ServedApp } from './serve-fixture';
import { createUser, firstLogin, setUpAdmin } from './steps';

let app: ServedApp;
let platform: ServedPlatform;
test.beforeAll(async () => {
  [app, platform] = await Promise.all([serveApp(2), servePlatform()]);
});
test.afterAll(async () => {
  await Promise.all([app.stop(), platform.stop()]);
});

test('enrol with the platform, confirm the fingerprint, sync with progress, and see the data age everywhere', async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await setUpAdmin(admin, app.urls[0]!, '管理员', 'admin-pass-e2e-2');
  await createUser(admin, { username: 'li.audit', name: '李审计', scope: '320111, 320116' });

  const page = await (await browser.newContext()).newPage();
  await page.goto(app.urls[1]!);
  await firstLogin(page, 'li.audit', 'li-own-pass-77');
  await expect(page.getByTestId('as-of-banner')).toContainText('演示数据');

  await page.getByRole('button', { name: '数据同步' }).click();
  // A platform that does not answer: said in Chinese, with the address, the reason and what to check.
  await page.getByLabel('数据中台地址').fill('http://127.0.0.1:59998');
  await page.getByLabel('访问令牌').fill(platform.token);
  await page.getByRole('button', { name: '连接' }).click();
  await expect(page.getByRole('alert')).toHaveText('无法连接数据中台 http://127.0.0.1:59998：对方拒绝连接（地址或端口有误，或数据中台未运行）。请核对数据中台地址和网络连接后重试。');
  await page.getByLabel('数据中台地址').fill(platform.url);
  await page.getByLabel('访问令牌').fill(platform.token);
  await page.getByRole('button', { name: '连接' }).click();
  await expect(page.getByTestId('fingerprint')).toHaveText(/^([0-9A-F]{4} ){9}[0-9A-F]{4}$/);
  await page.getByRole('button', { name: '指纹一致，确认登记' }).click();
  await expect(page.getByText('已登记', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(page.getByTestId('last-sync')).toContainText('已更新', { timeout: 30_000 });
  await expect(page.getByTestId('last-sync')).toContainText('完整快照');
  // The triage part of the outbox went too (nothing to send yet on a fresh workstation).
  await expect(page.getByTestId('case-exchange')).toContainText('案件：已发送 0 条，已接收 0 条');
  await expect(page.getByTestId('as-of-banner')).toContainText('数据截至 2024-06-30');
  await expect(page.getByTestId('as-of-banner')).toContainText('中台快照 gen-8-3000');
  await page.screenshot({ path: 'test-results/sync-1366x768.png' });

  await page.getByRole('button', { name: '首页' }).click();
  await expect(page.getByText('数据中台同步')).toBeVisible();
});
