/**
 * What the services build — a rule's description, a parameter value, the sentences of 触发原因 and the evidence — reads
 * in English for a user who switched to English, and exactly as before in Chinese (switching back changes nothing).
 * Only the data's own Chinese (names, a region's source typed by a supervisor) may remain.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import rExit from '../../src-main/rules/r-exit/definition.json' with { type: 'json' };
import { serveApp, type ServedApp } from './serve-fixture';
import { choose, createUser, firstLogin, pickDivision, runAllRules, setUpAdmin } from './steps';

let app: ServedApp;
test.beforeAll(async () => {
  app = await serveApp(1);
});
test.afterAll(async () => {
  await app.stop();
});

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
/** The region's own source, in the supervisor's words: data, shown as typed in both languages. */
const SOURCE = '某市最低生活保障实施细则 第十二条';

const texts = (l: Locator) => l.allInnerTexts();

/** Photographs the finding's detail for review at 1366×768: its top, its parameters, its sentences and its evidence. */
async function shoot(page: Page, language: string) {
  const detail = page.getByTestId('finding-detail');
  await page.screenshot({ path: `test-results/english/finding-${language}.png` });
  for (const part of ['rule-parameters', 'why', 'evidence']) {
    await detail.getByTestId(part).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/english/finding-${language}-${part}.png` });
  }
}

async function openExitFinding(page: Page, filterName: RegExp) {
  const rows = page.getByRole('rowgroup').nth(1).locator('[role=row][data-fingerprint]');
  await page.getByRole('checkbox', { name: filterName }).check();
  await rows.first().click();
  await expect(page.getByTestId('finding-detail')).toBeVisible();
}

test('a rule description, a parameter value and the evidence sentences read in English, and unchanged in Chinese', async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await (await browser.newContext()).newPage();
  await setUpAdmin(page, app.urls[0]!, '王管理', 'admin-pass-e2e-1');
  await createUser(page, { username: 'wang.sup', name: '王主管', role: 'supervisor', scope: '320111' });
  await page.getByRole('button', { name: '退出' }).click();
  await firstLogin(page, 'wang.sup', 'wang-own-pass-9');

  // A regional employment deduction of 0.5 (said 0.5 倍), then a run that uses it.
  await page.getByRole('button', { name: '规则核查' }).click();
  const params = page.getByRole('region', { name: '规则参数（政策依据）' });
  await params.getByRole('combobox', { name: '参数' }).click();
  await page.getByTitle(/就业成本扣减比例/).click();
  await pickDivision(page, params.getByLabel('地区', { exact: true }), '320111');
  await params.getByLabel('生效日期').fill('2020-01-01');
  await params.getByLabel('生效日期').press('Enter');
  await params.getByLabel('取值').fill('0.5');
  await params.getByLabel('依据', { exact: true }).fill(SOURCE);
  await params.getByRole('button', { name: '设定' }).click();
  const values = params.getByRole('table', { name: '已设定的地区参数' });
  await expect(values).toContainText('0.5 倍');
  // The region's name is the data's (浦口区), said with the code as each language writes it.
  const regionZh = await values.locator('tbody tr td').first().innerText();
  const regionName = regionZh.replace('（320111）', '');
  expect(regionZh).toBe(`${regionName}（320111）`);
  await runAllRules(page);

  // Chinese: the finding of 应退未退 as it always read.
  await page.getByRole('button', { name: '核查线索' }).click();
  await openExitFinding(page, /应退未退/);
  const detail = page.getByTestId('finding-detail');
  await expect(detail.getByTestId('rule-description')).toHaveText(rExit.description.zh);
  const ratioZh = detail.getByTestId('rule-parameters').getByRole('listitem').filter({ hasText: '就业成本扣减比例' });
  await expect(ratioZh).toHaveText(`就业成本扣减比例（占低保标准）：0.5 倍（依据：${SOURCE}）`);
  const countedZh = detail.getByTestId('why').getByRole('listitem').filter({ hasText: '收入按规定核算' });
  await expect(countedZh).toHaveText(/^收入按规定核算：各项收入合计 [\d,]+\.\d{2} 元，扣除就业成本 [\d,]+\.\d{2} 元（每人每月以当月工资为限，至多低保标准的 0\.5 倍）；不计入家庭收入的项目：公积金缴存、.*城乡居民基础养老金（2021-07-01 至 2025-12-31）。$/);
  const chinese = { why: await texts(detail.getByTestId('why').getByRole('listitem')), evidence: await detail.getByTestId('evidence').innerText(), parameters: await detail.getByTestId('rule-parameters').innerText() };
  await shoot(page, 'zh');

  // English: the open detail is said again in English.
  await choose(page.getByRole('banner'), '界面语言', 'English', { stays: false });
  await expect(detail.getByTestId('rule-description')).toHaveText(rExit.description.en);
  expect(rExit.description.en).not.toMatch(CJK);
  const ratioEn = detail.getByTestId('rule-parameters').getByRole('listitem').filter({ hasText: 'Employment cost deduction' });
  await expect(ratioEn).toHaveText(`Employment cost deduction (share of the standard): 0.5 times (source: ${SOURCE})`);
  // Every other value used, and the document behind it, in English.
  for (const item of await texts(detail.getByTestId('rule-parameters').getByRole('listitem'))) expect(item.replace(SOURCE, '')).not.toMatch(CJK);
  const countedEn = detail.getByTestId('why').getByRole('listitem').filter({ hasText: 'Income counted as the policy says' });
  await expect(countedEn).toHaveText(/^Income counted as the policy says: [\d,]+\.\d{2} yuan in all, less [\d,]+\.\d{2} yuan of employment costs \(per member and month, up to that month's wage and 0\.5 × the standard\); not counted: Housing-fund contributions, .*Residents' basic pension \(2021-07-01 to 2025-12-31\)\.$/);
  expect(await countedEn.innerText()).not.toMatch(CJK);
  // The evidence names its records and columns in English (values such as a person's name stay as the data has them).
  for (const source of await texts(detail.getByTestId('evidence').locator('tbody tr td:first-child'))) expect(source).not.toMatch(CJK);
  const household = detail.getByTestId('evidence').locator('tbody tr').filter({ hasText: 'Household income as counted' });
  await expect(household).toContainText(/Months: \d{4}-\d{2} to \d{4}-\d{2}/);
  expect(await household.innerText()).not.toMatch(CJK);
  await shoot(page, 'en');
  // The snapshots the finding was seen in: the demo district's by its English name.
  await expect(detail.getByTestId('finding-seen')).toHaveText(/^Demo data \d{4}-\d{2}-\d{2} → Demo data \d{4}-\d{2}-\d{2} · New$/);

  // The rule checks screen: the value set, the defaults and their documents in English.
  await page.getByRole('navigation').getByRole('button', { name: 'Rule checks', exact: true }).click();
  const paramsEn = page.getByRole('region', { name: 'Rule parameters (policy basis)' });
  const valuesEn = paramsEn.getByRole('table', { name: 'Regional values set' });
  await expect(valuesEn).toContainText('0.5 times');
  await expect(valuesEn.locator('tbody tr td').first()).toHaveText(`${regionName} (320111)`);
  expect((await valuesEn.innerText()).replace(SOURCE, '').replace(regionName, '')).not.toMatch(CJK);
  const catalogue = paramsEn.getByRole('table', { name: 'Parameter catalogue' });
  await expect(catalogue).toContainText('Measures for Reviewing and Confirming Minimum Living Guarantees (MCA 2021 No. 57)');
  expect(await catalogue.innerText()).not.toMatch(CJK);
  await expect(page.getByTestId('run-parameters')).toContainText('0.5 times');
  await valuesEn.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/english/checks-en.png' });
  await catalogue.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/english/checks-en-catalogue.png' });

  // Back in Chinese, everything reads exactly as before.
  await choose(page.getByRole('banner'), 'Language', '简体中文', { stays: false });
  await expect(values).toContainText('0.5 倍');
  await expect(params.getByRole('table', { name: '参数目录' })).toContainText('民发〔2021〕57号');
  await params.getByRole('table', { name: '参数目录' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/english/checks-zh-catalogue.png' });
  await page.getByRole('navigation').getByRole('button', { name: '核查线索', exact: true }).click();
  await expect(detail.getByTestId('rule-description')).toHaveText(rExit.description.zh);
  await expect(countedZh).toBeVisible();
  expect({ why: await texts(detail.getByTestId('why').getByRole('listitem')), evidence: await detail.getByTestId('evidence').innerText(), parameters: await detail.getByTestId('rule-parameters').innerText() }).toEqual(chinese);

  // A data-quality finding is about a record, named by its table: 救助享受信息 EN… in Chinese, Enrolment EN… in English.
  await page.getByRole('checkbox', { name: /应退未退/ }).uncheck();
  await page.getByRole('checkbox', { name: /代码不在字典内/ }).check();
  const first = page.getByRole('rowgroup').nth(1).locator('[role=row][data-fingerprint]').first();
  await expect(first.locator('.col-rule')).toHaveText(/代码不在字典内/);
  const subjectZh = await first.locator('.col-subject').innerText();
  expect(subjectZh).toMatch(CJK);
  await choose(page.getByRole('banner'), '界面语言', 'English', { stays: false });
  await expect(first.locator('.col-rule')).toHaveText(/Coded value outside its dictionary/);
  await expect(first.locator('.col-subject')).not.toHaveText(subjectZh);
  // (The person's name the record belongs to, when it has one, is the data's.)
  const subjectEn = await first.locator('.col-subject').innerText();
  const name = subjectZh.split(' ')[0]!;
  expect(subjectEn.startsWith(name) ? subjectEn.slice(name.length) : subjectEn).not.toMatch(CJK);
  await choose(page.getByRole('banner'), 'Language', '简体中文', { stays: false });
  await expect(first.locator('.col-subject')).toHaveText(subjectZh);
});
