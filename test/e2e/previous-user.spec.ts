/**
 * Nothing of one user's screen survives into the next user's page: a supervisor reads the charts of 统计看板 and
 * 资金审核 and logs out, finance staff log in on the same tab, and the document — its whole textContent, hidden
 * elements included (recharts measures label text in an invisible span appended to <body>) — holds none of it.
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

/** The texts the charts drew (axis ticks, legends): the data of the screen being left. */
async function chartTexts(page: Page): Promise<string[]> {
  const texts = await page.locator('.recharts-wrapper').evaluateAll((charts) =>
    charts.flatMap((c) => [...c.querySelectorAll('text, .recharts-legend-item-text')].map((e) => (e.textContent ?? '').trim())),
  );
  return texts.filter((s) => s.length > 0);
}

/** What recharts keeps in its hidden measuring element, if there is one. */
const measured = (page: Page) => page.evaluate(() => document.getElementById('recharts_measurement_span')?.textContent ?? null);

test("the next user's page holds no text of the previous user's charts", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await (await browser.newContext()).newPage();
  await setUpAdmin(page, app.urls[0]!, '王管理', 'admin-pass-e2e-1');
  await createUser(page, { username: 'zhao.sup', name: '赵科长', role: 'supervisor', scope: '320111, 320116' });
  await createUser(page, { username: 'qian.fin', name: '钱会计', role: 'finance', scope: '320111004' });
  await page.getByRole('button', { name: '退出' }).click();

  await firstLogin(page, 'zhao.sup', 'zhao-own-pass-9');
  await runAllRules(page);
  const seen = new Set<string>();
  for (const screen of ['统计看板', '资金审核']) {
    await page.getByRole('navigation').getByRole('button', { name: screen, exact: true }).click();
    await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
    await page.waitForTimeout(300);
    for (const s of await chartTexts(page)) seen.add(s);
  }
  // The charts did measure their labels (the defect needs the measuring element to have been used).
  const last = await measured(page);
  expect(last).toBeTruthy();
  seen.add(last!);
  // Leaving the screen takes its measured text along; back on it, the charts measure again.
  await page.getByRole('navigation').getByRole('button', { name: '首页', exact: true }).click();
  await expect(page.getByRole('heading', { name: '首页', level: 1 })).toBeVisible();
  expect(await measured(page)).toBeNull();
  await page.getByRole('navigation').getByRole('button', { name: '统计看板', exact: true }).click();
  await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();

  await page.getByRole('banner').getByRole('button', { name: '退出', exact: true }).click();
  await expect(page.getByRole('heading', { name: '登录', exact: true })).toBeVisible();
  /** The previous screen's words in the page; on a user's own screen, those it does not show itself (its own data). */
  const leftovers = async (own = '') => {
    const body = (await page.evaluate(() => document.body.textContent)) ?? '';
    return [...seen].filter((s) => !/^[\d,.%\s-]+$/.test(s) && body.includes(s) && !own.includes(s));
  };
  expect(await leftovers()).toEqual([]);
  expect(await measured(page)).toBeNull();

  // The next user, on their own 首页: nothing of the supervisor's charts either.
  await firstLogin(page, 'qian.fin', 'qian-own-pass-9');
  await expect(page.getByRole('heading', { name: '首页', level: 1 })).toBeVisible();
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(400);
  expect(await measured(page)).toBeNull();
  expect(await leftovers(await page.locator('body').innerText())).toEqual([]);
});
