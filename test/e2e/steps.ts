/** Steps several end-to-end tests take, written once: log in, create an account, the first login's password change. */
import { expect, type Locator, type Page } from '@playwright/test';

export const INITIAL_PASSWORD = 'initial-pass-1';

const ROLE_NAMES = { auditor: '审计核查人员', supervisor: '主管', finance: '财务人员' } as const;

export async function login(page: Page, username: string, password: string) {
  // The login form itself: right after 退出 the previous screen (用户管理 has a 用户名 field too) may still be showing.
  await expect(page.getByRole('heading', { name: '登录', exact: true })).toBeVisible();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** The first run: the first administrator is created and logged in. */
export async function setUpAdmin(page: Page, url: string, name: string, password: string) {
  await page.goto(url);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByLabel('确认密码').fill(password);
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
}

/** An antd Select (components/Choice.tsx) by its name: the whole widget, whose text is the option chosen. */
export function choice(scope: Page | Locator, name: string): Locator {
  return scope.locator('.ant-select').filter({ has: pageOf(scope).getByRole('combobox', { name, exact: true }) });
}

const pageOf = (scope: Page | Locator): Page => ('page' in scope && typeof scope.page === 'function' ? scope.page() : (scope as Page));

/** Opens an antd Select by its name and picks an option by its text, as a user does; waits for the list to close. */
export async function choose(scope: Page | Locator, name: string, option: string, o: { stays?: boolean } = {}) {
  const page = pageOf(scope);
  await choice(scope, name).click();
  // (A list closed with Escape may linger in the page, invisible: only the visible one is this one.)
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').filter({ visible: true });
  await open.getByTitle(option, { exact: true }).click();
  await expect(open).toHaveCount(0);
  // (A language switch renames the widget itself: `stays: false`.)
  if (o.stays !== false) await expect(choice(scope, name)).toContainText(option);
}

/** As a logged-in administrator: creates an account with the initial password and waits for the confirmation. */
export async function createUser(page: Page, u: { username: string; name: string; scope: string; role?: 'auditor' | 'supervisor' | 'finance' }) {
  await page.getByRole('button', { name: '用户管理' }).first().click();
  const form = page.getByRole('form', { name: '新建用户' });
  await form.getByLabel('用户名').fill(u.username);
  await form.getByLabel('姓名').fill(u.name);
  if (u.role) await choose(form, '角色', ROLE_NAMES[u.role]);
  await pickDivisions(page, form.getByLabel('数据范围'), u.scope.split(',').map((c) => c.trim()));
  await form.getByLabel('初始密码').fill(INITIAL_PASSWORD);
  await form.getByRole('button', { name: '新建用户' }).click();
  await expect(page.getByRole('status')).toHaveText(`已创建用户 ${u.username}。`);
}

/** A new account's first login: the initial password, then the forced change to the user's own. */
export async function firstLogin(page: Page, username: string, ownPassword: string) {
  await login(page, username, INITIAL_PASSWORD);
  await expect(page.getByText('首次登录须修改管理员设置的初始密码。')).toBeVisible();
  await page.getByLabel('当前密码').fill(INITIAL_PASSWORD);
  await page.getByLabel('新密码').fill(ownPassword);
  await page.getByLabel('确认密码').fill(ownPassword);
  await page.getByRole('button', { name: '修改密码' }).click();
}

/** 规则核查: runs the whole rule library and waits until the run is recorded. */
export async function runAllRules(page: Page) {
  await page.getByRole('button', { name: '规则核查' }).click();
  await page.getByRole('button', { name: '运行全部规则' }).click();
  await expect(page.getByTestId('last-run')).toContainText('新增', { timeout: 30_000 });
}

/** The demo district's date: the last day of last month, by Beijing's calendar (services/workstation.ts). */
export function demoAsOf(): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  const lastDay = new Date(Date.UTC(Number(p.year), Number(p.month) - 1, 0));
  return lastDay.toISOString().slice(0, 10);
}

/** Picks divisions in a 数据范围 picker (antd Cascader, several allowed) by their codes: county, then street or community. */
export async function pickDivisions(page: Page, picker: Locator, codes: string[]) {
  await picker.click();
  const menu = page.locator('.ant-cascader-dropdown:not(.ant-cascader-dropdown-hidden)');
  for (const code of codes) {
    const county = menu.locator('.ant-cascader-menu').first().locator('li', { hasText: `（${code.slice(0, 6)}）` });
    if (code.length === 6) {
      await county.locator('.ant-cascader-checkbox').click();
      continue;
    }
    await county.click();
    const street = menu.locator('.ant-cascader-menu').nth(1).locator('li', { hasText: `（${code.slice(0, 9)}）` });
    if (code.length === 9) {
      await street.locator('.ant-cascader-checkbox').click();
      continue;
    }
    await street.click();
    await menu.locator('.ant-cascader-menu').nth(2).locator('li', { hasText: `（${code}）` }).locator('.ant-cascader-checkbox').click();
  }
  await page.keyboard.press('Escape');
}

/** Picks one division in a single-choice picker (antd Cascader) by its code: county, then street, then community. */
export async function pickDivision(page: Page, picker: Locator, code: string) {
  await picker.click();
  const menu = page.locator('.ant-cascader-dropdown:not(.ant-cascader-dropdown-hidden)');
  const levels = [code.slice(0, 6), code.slice(0, 9), code].slice(0, code.length === 6 ? 1 : code.length === 9 ? 2 : 3);
  for (const [i, prefix] of levels.entries()) await menu.locator('.ant-cascader-menu').nth(i).locator('li', { hasText: `（${prefix}）` }).click();
  await page.keyboard.press('Escape');
}

/**
 * Opens the finding under the inbox's cursor with Enter, as a keyboard user does. The list re-reads its rows when the
 * screen is shown again; an Enter pressed while it does may find no row under the cursor yet (a loaded machine), so
 * the key is pressed again until the detail opens.
 */
export async function openFindingUnderCursor(page: Page): Promise<Locator> {
  await expect(page.getByRole('rowgroup').nth(1).getByRole('row').first()).toBeVisible();
  const detail = page.getByTestId('finding-detail');
  await expect(async () => {
    await page.getByTestId('inbox-scroller').focus();
    await page.keyboard.press('Enter');
    await expect(detail).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  return detail;
}

/**
 * The column headers on screen whose text does not fit (cut off or hidden under the next column): the header cells of
 * tables and of the inbox's grid, and a sort button inside one. Empty when every header reads whole.
 */
export async function clippedHeaders(scope: Page | Locator): Promise<string[]> {
  const cells = ('locator' in scope ? scope : pageOf(scope)).locator('[role=columnheader], th');
  return cells.evaluateAll((headers) =>
    headers
      .filter((h) => h.getClientRects().length > 0)
      .filter((h) => [h, ...h.querySelectorAll('button')].some((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
      .map((h) => (h as HTMLElement).innerText.trim()),
  );
}
