/**
 * Rule parameters are policy (rules.md §P): a supervisor reads every default with the document behind it, sets a
 * region's value from a date on with its source (refused without one), and the next run records the value and source.
 */
import { expect, test } from '@playwright/test';
import { serveApp, type ServedApp } from './serve-fixture';
import { choose, createUser, firstLogin, pickDivision, runAllRules, setUpAdmin } from './steps';

let app: ServedApp;
test.beforeAll(async () => {
  app = await serveApp(1);
});
test.afterAll(async () => {
  await app.stop();
});

test('a supervisor sets a regional parameter with its source; the next run uses and records it', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await setUpAdmin(page, app.urls[0]!, '王管理', 'admin-pass-e2e-1');
  await createUser(page, { username: 'wang.sup', name: '王主管', role: 'supervisor', scope: '320111' });
  await page.getByRole('button', { name: '退出' }).click();
  await firstLogin(page, 'wang.sup', 'wang-own-pass-9');
  await page.getByRole('button', { name: '规则核查' }).click();
  const params = page.getByRole('region', { name: '规则参数（政策依据）' });
  // Every default names the document it rests on.
  await expect(params.getByRole('table', { name: '参数目录' })).toContainText('民发〔2021〕57号');
  await params.getByRole('combobox', { name: '参数' }).click();
  await page.getByTitle(/儿童补贴最大年龄/).click();
  await pickDivision(page, params.getByLabel('地区', { exact: true }), '320111002');
  await params.getByLabel('生效日期').fill('2024-01-01');
  await params.getByLabel('生效日期').press('Enter');
  await params.getByLabel('取值').fill('18');
  // No source, no value.
  await expect(params.getByRole('button', { name: '设定' })).toBeDisabled();
  await params.getByLabel('依据', { exact: true }).fill('某区困境儿童保障实施办法 第五条');
  await params.getByRole('button', { name: '设定' }).click();
  await expect(page.getByText('已设定“儿童补贴最大年龄”（顶山街道（320111002））')).toBeVisible();
  const values = params.getByRole('table', { name: '已设定的地区参数' });
  await expect(values).toContainText('顶山街道（320111002）');
  await expect(values).toContainText('18 岁');
  await expect(values).toContainText('某区困境儿童保障实施办法 第五条');
  await page.screenshot({ path: 'test-results/parameters-1366x768.png', fullPage: true });
  // The next run records the values and sources it used.
  await runAllRules(page);
  await expect(page.getByTestId('run-parameters')).toContainText('某区困境儿童保障实施办法 第五条');
  // Rules whose values are all the defaults read what the snapshot's build computed, and the screen says how many.
  const storedCount = async () => Number(/其中 (\d+) 条规则/.exec((await page.getByTestId('run-stored').textContent()) ?? '')?.[1] ?? NaN);
  const storedFirst = await storedCount();
  expect(storedFirst).toBeGreaterThan(10);

  // A regional employment deduction lifts wage-earning 低保 households back under the line: fewer 应退未退 after the run.
  const exitOpen = async () => Number(await page.getByRole('table', { name: '规则核查' }).getByRole('row', { name: /R-EXIT/ }).getByRole('cell').nth(2).textContent());
  const before = await exitOpen();
  expect(before).toBeGreaterThan(0);
  await params.getByRole('combobox', { name: '参数' }).click();
  await page.getByTitle(/就业成本扣减比例/).click();
  await pickDivision(page, params.getByLabel('地区', { exact: true }), '320111');
  await params.getByLabel('生效日期').fill('2020-01-01');
  await params.getByLabel('生效日期').press('Enter');
  await params.getByLabel('取值').fill('0.5');
  await params.getByLabel('依据', { exact: true }).fill('某市最低生活保障实施细则 第十二条');
  await params.getByRole('button', { name: '设定' }).click();
  await expect(values).toContainText('0.5 倍');
  await page.getByRole('button', { name: '运行全部规则' }).click();
  await expect(page.getByTestId('run-parameters')).toContainText('某市最低生活保障实施细则 第十二条', { timeout: 30_000 });
  await expect.poll(exitOpen).toBeLessThan(before);
  // The household judgement's rules now run live for the region that set its own deduction.
  await expect.poll(storedCount).toBeLessThan(storedFirst);
  await page.screenshot({ path: 'test-results/parameters-after-run-1366x768.png', fullPage: true });

  // A bad parameter file: each problem where it is in the file, said in the user's language (the parameter by its name).
  const bad = { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ region: '320111', effectiveFrom: '2024-01-01', parameters: { childMaxAge: { value: 'x', source: '某文件' } } })) };
  await params.getByLabel('导入地区参数文件').setInputFiles(bad);
  await expect(params.getByTestId('problems')).toHaveText('parameters.childMaxAge.value：儿童补贴最大年龄应为整数，实际为 "x"');
  await choose(page.getByRole('banner'), '界面语言', 'English', { stays: false });
  const paramsEn = page.getByRole('region', { name: 'Rule parameters (policy basis)' });
  await paramsEn.getByLabel('Import a region parameter file').setInputFiles({ ...bad, name: 'bad-again.json' });
  await expect(paramsEn.getByTestId('problems')).toHaveText('parameters.childMaxAge.value: Oldest age for child allowances: must be a whole number, found "x"');
  // A rule that ran only in part names the parameter it lacked in English too.
  await expect(page.getByTestId('rule-partly-run').first()).toContainText('Partly not run: no value for “');
  for (const badge of await page.getByTestId('rule-partly-run').allInnerTexts()) expect(badge).not.toMatch(/[\u4e00-\u9fff]/);
  await page.screenshot({ path: 'test-results/parameters-bad-file-en-1366x768.png' });
  await choose(page.getByRole('banner'), 'Language', '简体中文', { stays: false });
});
