/**
 * The overdue view with warnings past their deadlines (issue 17), without moving the served app's clock: a colleague's
 * workstation — headless, in its own process (test/helpers/overdue-colleague.ts), with its clock injected DAYS days back —
 * synced the platform's snapshot, ran monitoring, worked a few warnings the next day (assigned; visited; visited and
 * decided by a second auditor) and uploaded the signed events. The browser workstation (`npm run serve`, system clock)
 * enrols with the same platform, syncs the same snapshot and the team's feed, and its supervisor runs monitoring: the
 * warnings are the same (same snapshot, same ids) and their push is the colleague's (the first writer wins), so their
 * deadlines ran out days ago. The 超过处置时限 audit view's count, the 处置时限 facet, the view's drill-down and the monthly
 * report's overdue-by-street figures are held to what is worked out here from the pushed times, levels and states with
 * the contract's default deadlines.
 */
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { humanTextProblems } from '../helpers/human-text';
import { servePlatform, type ServedPlatform } from './platform-fixture';
import { serveApp, type ServedApp } from './serve-fixture';
import { createUser, firstLogin, setUpAdmin } from './steps';

const DAYS = 12;
/** The contract's default deadlines (rules.setParameter's defaults): days to visit and to decide, per level. */
const DEADLINES = { red: { visit: 3, decide: 10 }, orange: { visit: 7, decide: 20 }, yellow: { visit: 15, decide: 30 } } as const;

interface Pushed {
  warningId: string;
  level: 'red' | 'orange' | 'yellow';
  pushedAt: string;
  state: 'pushed' | 'assigned' | 'visited' | 'decided' | 'fed_back';
  headName: string | null;
  division: string;
}
let app: ServedApp;
let platform: ServedPlatform;
let pushed: Pushed[];
let sent: number;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  [app, platform] = await Promise.all([serveApp(2), servePlatform()]);
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/helpers/overdue-colleague.ts', platform.url, platform.token, String(DAYS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const colleague = JSON.parse(out.trim().split('\n').at(-1)!) as { warnings: Pushed[]; cases: { sent: number } };
  pushed = colleague.warnings;
  sent = colleague.cases.sent;
});
test.afterAll(async () => {
  await Promise.all([app?.stop(), platform?.stop()]);
});

/** A Beijing calendar date + n days. */
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const beijingDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
/** Past a due date from 00:00 Beijing time of the day after it. */
const passed = (due: string, now: number) => now >= Date.parse(`${addDays(due, 1)}T00:00:00+08:00`);
/** Overdue at `now`, worked out here: to visit while pushed or assigned, else to decide while not decided. */
function overdue(w: Pushed, now: number): 'visit' | 'decide' | null {
  const start = beijingDate(w.pushedAt);
  if ((w.state === 'pushed' || w.state === 'assigned') && passed(addDays(start, DEADLINES[w.level].visit), now)) return 'visit';
  if (w.state !== 'decided' && w.state !== 'fed_back' && passed(addDays(start, DEADLINES[w.level].decide), now)) return 'decide';
  return null;
}

/** Photographs the screen and holds its text to the users' words ("gen": the platform fixture's snapshot id, shown as published). */
async function photograph(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png` });
  expect(humanTextProblems(await page.locator('body').innerText(), ['admin', 'zhao', 'sup', 'gen'])).toEqual([]);
}

test('warnings a colleague pushed 12 days ago: the overdue view, the facet, the drill-down and the report count exactly those past their deadlines', async ({ browser }) => {
  test.setTimeout(240_000);
  // The colleague's pushes are all DAYS days back, and its work covers each case: overdue to visit, to decide, neither.
  expect(pushed.length).toBeGreaterThan(0);
  expect(new Set(pushed.map((w) => beijingDate(w.pushedAt)))).toEqual(new Set([addDays(beijingDate(new Date().toISOString()), -DAYS)]));
  const now = Date.now();
  const expected = pushed.map((w) => ({ ...w, overdue: overdue(w, now) }));
  const late = expected.filter((w) => w.overdue);
  const visit = late.filter((w) => w.overdue === 'visit');
  const decide = late.filter((w) => w.overdue === 'decide');
  expect(visit.length).toBeGreaterThan(0);
  expect(decide.length).toBeGreaterThan(0);
  expect(late.length).toBeLessThan(pushed.length);

  const admin = await (await browser.newContext()).newPage();
  await setUpAdmin(admin, app.urls[0]!, '王管理', 'admin-pass-e2e-7');
  await createUser(admin, { username: 'zhao.sup', name: '赵科长', role: 'supervisor', scope: '320111' });
  await admin.getByRole('button', { name: '退出' }).click();

  // The supervisor enrols this workstation with the platform and syncs: the snapshot and the colleague's events.
  const sup = await (await browser.newContext()).newPage();
  await sup.goto(app.urls[1]!);
  await firstLogin(sup, 'zhao.sup', 'zhao-own-pass-9');
  await sup.getByRole('button', { name: '数据同步' }).click();
  await sup.getByLabel('数据中台地址').fill(platform.url);
  await sup.getByLabel('访问令牌').fill(platform.token);
  await sup.getByRole('button', { name: '连接' }).click();
  await sup.getByRole('button', { name: '指纹一致，确认登记' }).click();
  await expect(sup.getByText('已登记', { exact: true })).toBeVisible();
  await sup.getByRole('button', { name: '立即同步' }).click();
  await expect(sup.getByTestId('last-sync')).toContainText('已更新', { timeout: 60_000 });
  await expect(sup.getByTestId('case-exchange')).toContainText(`已接收 ${sent} 条`);
  // (This screen shows the platform's address and snapshot id as typed and published: not held to the users' words.)
  await sup.screenshot({ path: 'test-results/screens/supervisor-同步同事预警.png' });

  // 监测预警: the supervisor's run on the same snapshot finds the same warnings, pushed by the colleague 12 days ago.
  await sup.getByRole('navigation').getByRole('button', { name: '监测预警', exact: true }).click();
  await expect(sup.getByRole('heading', { name: '监测预警' })).toBeVisible();
  await sup.getByRole('button', { name: '运行动态监测' }).click();
  await expect(sup.getByTestId('warnings-total')).toHaveText(`共 ${pushed.length} 条预警`, { timeout: 90_000 });
  const chip = sup.getByRole('button', { name: /超过处置时限/ });
  await expect(chip.locator('strong')).toHaveText(String(late.length));
  const facet = (label: string) => sup.locator('label.facet', { hasText: label }).locator('.count');
  await expect(facet('逾期未入户')).toHaveText(String(visit.length));
  await expect(facet('逾期未认定')).toHaveText(String(decide.length));
  await expect(facet('未逾期')).toHaveText(String(pushed.length - late.length));
  await photograph(sup, 'supervisor-监测预警-逾期');

  // The drill-down: exactly the overdue warnings.
  await chip.click();
  await expect(sup.getByTestId('warnings-total')).toHaveText(`共 ${late.length} 条预警`);
  const rows = sup.getByTestId('warnings-table').locator('tbody tr');
  await expect(rows).toHaveCount(late.length);
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-warning')));
  expect(new Set(ids)).toEqual(new Set(late.map((w) => w.warningId)));
  // Each row says what is late and by how many Beijing days.
  const today = beijingDate(new Date().toISOString());
  const one = visit[0]!;
  const daysLate = (Date.parse(today) - Date.parse(addDays(beijingDate(one.pushedAt), DEADLINES[one.level].visit))) / 86_400_000;
  await expect(sup.locator(`tr[data-warning="${one.warningId}"]`)).toContainText(`已逾期 ${daysLate} 天`);
  await photograph(sup, 'supervisor-超过处置时限');
  // Within the view, 逾期未认定: the colleague's visited red warning, its visitor's name, late to decide.
  await sup.getByLabel('筛选').getByRole('checkbox', { name: /逾期未认定/ }).check();
  await expect(sup.getByTestId('warnings-total')).toHaveText(`共 ${decide.length} 条预警`);
  await expect(rows).toHaveCount(decide.length);
  expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-warning'))))).toEqual(new Set(decide.map((w) => w.warningId)));
  const d = decide[0]!;
  const decideLate = (Date.parse(today) - Date.parse(addDays(beijingDate(d.pushedAt), DEADLINES[d.level].decide))) / 86_400_000;
  await expect(sup.locator(`tr[data-warning="${d.warningId}"]`)).toContainText(`认定已逾期 ${decideLate} 天`);
  await expect(sup.locator(`tr[data-warning="${d.warningId}"]`)).toContainText('周审计');
  await expect(sup.locator(`tr[data-warning="${d.warningId}"]`)).toContainText('已入户核查');
  await sup.locator(`tr[data-warning="${d.warningId}"]`).click();
  await expect(sup.getByTestId('visit-record')).toContainText('入户了解家庭情况');
  await photograph(sup, 'supervisor-逾期未认定');

  // The monthly report's 动态监测 section: overdue by street.
  await sup.getByRole('navigation').getByRole('button', { name: '统计看板', exact: true }).click();
  const builder = sup.getByRole('article', { name: '生成报告' });
  await builder.getByLabel('统计月份').fill(today.slice(0, 7));
  await builder.getByLabel('统计月份').press('Enter');
  for (const s of ['总体情况', '各类异常', '分街道', '案件办理', '资金审核', '预算执行', '追回情况']) await builder.getByRole('checkbox', { name: s }).uncheck();
  await builder.getByRole('button', { name: '预览' }).click();
  const section = builder.getByTestId('report-preview').getByTestId('report-section-monitoring-overdue');
  await expect(section).toContainText(`逾期未入户 ${visit.length} 户，逾期未认定 ${decide.length} 户`);
  const streets = new Map<string, { visit: number; decide: number }>();
  for (const w of late) {
    const s = streets.get(w.division.slice(0, 9)) ?? { visit: 0, decide: 0 };
    s[w.overdue!]++;
    streets.set(w.division.slice(0, 9), s);
  }
  const body = section.locator('tbody tr');
  await expect(body).toHaveCount(streets.size);
  for (const [street, n] of streets) {
    const cells = await body.filter({ hasText: `（${street}）` }).locator('td').allInnerTexts();
    expect(cells.slice(1).map((c) => c.trim())).toEqual([String(n.visit), String(n.decide), String(n.visit + n.decide)]);
  }
  await section.scrollIntoViewIfNeeded();
  await photograph(sup, 'supervisor-月度报告-逾期情况');
});
