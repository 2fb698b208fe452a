/**
 * The supervisor's and finance's screens in English, taking turns on one tab at 1366×768 (screens.spec walks every role
 * in Chinese): photographed in test-results/screens-en/ for review, and none may show a dictionary key, an unfilled
 * placeholder, JSON, a missing value, Chinese punctuation, a detail of the audit trail under the catch-all label or the
 * demo snapshot's Chinese name.
 */
import { expect, test, type Page } from '@playwright/test';
import { serveApp, type ServedApp } from './serve-fixture';
import { choose, clippedHeaders, createUser, firstLogin, login, runAllRules, setUpAdmin } from './steps';

let app: ServedApp;
test.beforeAll(async () => {
  app = await serveApp(1);
});
test.afterAll(async () => {
  await app.stop();
});

const SCREENS: Record<string, string[]> = {
  supervisor: ['Home', 'Findings', 'Monitoring', 'Dashboard', 'Spending review', 'Rule outcomes', 'Audit search', 'Exports', 'Rule checks', 'Pre-check', 'Query', 'Data quality', 'Sync', 'My audit trail', 'Backup', 'Settings'],
  finance: ['Home', 'Findings', 'Spending review', 'Exports', 'Rule checks', 'Pre-check', 'Query', 'Data quality', 'Sync', 'My audit trail', 'Backup', 'Settings'],
};

async function walk(page: Page, role: string, problems: string[]) {
  for (const label of SCREENS[role]!) {
    await page.getByRole('navigation').getByRole('button', { name: label, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `test-results/screens-en/${role}-${label}.png` });
    const text = await page.locator('main').innerText();
    if (/\{\{|\b[a-z]+\.[a-z]+[A-Z]?[a-zA-Z]*\.[a-zA-Z]+\b/.test(text)) problems.push(`${role} · ${label}: a dictionary key or placeholder`);
    if (/[{}]|":/.test(text)) problems.push(`${role} · ${label}: JSON`);
    if (/\bundefined\b|\bnull\b|\bNaN\b/.test(text)) problems.push(`${role} · ${label}: a missing value`);
    // Chinese punctuation around English words (浦口区（320111）, a：b, a、b): the data's names stay Chinese, the marks do not.
    for (const mark of new Set(text.match(/[（）【】、：；，。]/g) ?? [])) problems.push(`${role} · ${label}: Chinese punctuation "${mark}"`);
    // A detail of the audit trail named by the catch-all label instead of its own.
    if (/Other parameter/.test(text)) problems.push(`${role} · ${label}: an unnamed detail`);
    // The demo snapshot is named in English (演示数据-… is the app's own words, not data).
    if (text.includes('演示数据')) problems.push(`${role} · ${label}: the demo snapshot in Chinese`);
    // English words are longer than Chinese ones: every column header fits its column (Amount at risk was cut).
    for (const header of await clippedHeaders(page)) problems.push(`${role} · ${label}: a clipped column header "${header}"`);
  }
}

test('the supervisor and finance screens in English', async ({ browser }) => {
  test.setTimeout(200_000);
  const page = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  await setUpAdmin(page, app.urls[0]!, '王管理', 'admin-pass-e2e-1');
  await createUser(page, { username: 'zhao.sup', name: '赵科长', role: 'supervisor', scope: '320111' });
  await createUser(page, { username: 'qian.fin', name: '钱财务', role: 'finance', scope: '320111004' });
  await page.getByRole('button', { name: '退出' }).click();

  await firstLogin(page, 'zhao.sup', 'zhao-own-pass-9');
  await runAllRules(page);
  await choose(page.getByRole('banner'), '界面语言', 'English', { stays: false });
  await walk(page, 'supervisor', problems);
  // The inbox sorted by amount (its header gains an arrow), and beside an open finding (narrower columns).
  await page.getByRole('navigation').getByRole('button', { name: 'Findings', exact: true }).click();
  await page.getByRole('columnheader', { name: /^Amount at risk/ }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: 'Amount at risk ▼' })).toBeVisible();
  await page.getByRole('rowgroup').nth(1).locator('[role=row][data-fingerprint]').first().click();
  await expect(page.getByTestId('finding-detail')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens-en/supervisor-Findings-by-amount.png' });
  for (const header of await clippedHeaders(page)) problems.push(`supervisor · Findings by amount: a clipped column header "${header}"`);
  await page.getByRole('button', { name: 'Log out' }).click();
  // English was the supervisor's choice, not the machine's: the next person's login screen is in Chinese.
  await expect(page.getByRole('heading', { name: '登录', level: 1 })).toBeVisible();

  // The language is the user's own: finance starts in Chinese, switches, and walks.
  await firstLogin(page, 'qian.fin', 'qian-own-pass-9');
  await expect(page.getByRole('heading', { name: '首页', level: 1 })).toBeVisible();
  await choose(page.getByRole('banner'), '界面语言', 'English', { stays: false });
  await walk(page, 'finance', problems);
  await page.getByRole('button', { name: 'Log out' }).click();
  // …and the supervisor's own choice comes back with their session.
  await login(page, 'zhao.sup', 'zhao-own-pass-9');
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();

  expect([...new Set(problems)]).toEqual([]);
});
