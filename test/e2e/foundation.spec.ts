/**
 * first run → log in → lock → unlock → own audit history, in Chinese, in a real Chromium against browser mode.
 * Then an administrator creates an auditor, who must change the initial password and sees the demo district.
 */
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { serveApp, type ServedApp } from './serve-fixture';
import { choice, choose, createUser, firstLogin, login, pickDivisions, runAllRules, demoAsOf } from './steps';

let app: ServedApp;
test.beforeAll(async () => {
  app = await serveApp(4);
});
test.afterAll(async () => {
  await app.stop();
});

const ADMIN_PASSWORD = 'admin-pass-e2e-1';


test.describe.configure({ mode: 'serial' });

test('first run, login, lock, unlock and the own audit history', async ({ page }) => {
  await page.goto(app.urls[0]!);
  await expect(page.getByRole('heading', { name: '首次使用：创建系统管理员' })).toBeVisible();

  await page.getByLabel('姓名').fill('王管理');
  // The browser's own check of a too-short password speaks Chinese, not the browser's "Please lengthen this text…".
  await page.getByLabel('密码', { exact: true }).fill('short');
  await page.getByLabel('确认密码').fill('short');
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  expect(await page.getByLabel('密码', { exact: true }).evaluate((e) => (e as HTMLInputElement).validationMessage)).toBe('至少需要 10 个字符（目前 5 个）。');
  await page.getByLabel('密码', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByLabel('确认密码').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  await expect(page.getByTestId('current-user')).toHaveText('王管理 · 系统管理员');

  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await login(page, 'admin', 'wrong-password-1');
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误。');
  await page.waitForTimeout(1100); // the first failure's back-off is one second
  await login(page, 'admin', ADMIN_PASSWORD);
  await expect(page.getByTestId('current-user')).toBeVisible();
  // The administrator's system log has headed columns and says why a login failed, in words (not wrong_password).
  await expect(page.getByTestId('system-log').getByRole('columnheader', { name: '详情' })).toBeVisible();
  await expect(page.getByTestId('system-log')).toContainText('事由：密码错误');
  await expect(page.getByTestId('system-log')).not.toContainText('wrong_password');

  await page.keyboard.press('Control+Shift+L');
  await expect(page.getByRole('heading', { name: '会话已锁定' })).toBeVisible();
  // There is no username on the lock screen: a wrong password is called that.
  await page.getByLabel('密码').fill('wrong-password-2');
  await page.getByRole('button', { name: '解锁' }).click();
  await expect(page.getByRole('alert')).toHaveText('密码错误，请重新输入。');
  await page.waitForTimeout(1100);
  await page.getByLabel('密码').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: '解锁' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();

  await page.getByRole('button', { name: '我的审计记录' }).click();
  const table = page.getByRole('table', { name: '我的审计记录' });
  for (const action of ['创建管理员', '退出登录', '登录失败', '登录', '锁定', '解锁']) {
    await expect(table.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
  }
  await page.getByRole('button', { name: '验证审计链' }).click();
  await expect(page.getByRole('status')).toContainText('审计链完整');
  await page.screenshot({ path: 'test-results/audit-history-1366x768.png' });
});

test('an administrator creates an auditor, who changes the initial password and sees the demo district', async ({ browser }) => {
  const adminPage = await (await browser.newContext()).newPage();
  await adminPage.goto(app.urls[1]!);
  await login(adminPage, 'admin', ADMIN_PASSWORD);
  await createUser(adminPage, { username: 'zhang.audit', name: '张审计', scope: '320111002' });
  await expect(adminPage.getByRole('cell', { name: 'zhang.audit' })).toBeVisible();
  // A username already taken is named as such, with what to do; the last 已创建用户 … is gone.
  const form = adminPage.getByRole('form', { name: '新建用户' });
  await form.getByLabel('用户名').fill('zhang.audit');
  await form.getByLabel('姓名').fill('张审计二');
  await pickDivisions(adminPage, form.getByLabel('数据范围'), ['320111002']);
  await form.getByLabel('初始密码').fill('initial-pass-1');
  await form.getByRole('button', { name: '新建用户' }).click();
  await expect(form.getByRole('alert')).toHaveText('用户名 zhang.audit 已被使用（包括已停用的账号）：请换一个用户名。');
  await expect(adminPage.getByText('已创建用户 zhang.audit。')).toHaveCount(0);

  const page = await (await browser.newContext()).newPage();
  await page.goto(app.urls[2]!);
  await firstLogin(page, 'zhang.audit', 'zhang-own-pass-9');

  await expect(page.getByTestId('current-user')).toHaveText('张审计 · 审计核查人员');
  await expect(page.getByTestId('snapshot-as-of')).toHaveText(demoAsOf());
  // Both counties of the snapshot by name, the one outside the auditor's scope too (六合区, not a bare 320116)…
  await expect(page.getByText('浦口区（320111）、六合区（320116）')).toBeVisible();
  // …and the data's age in calendar days, by Beijing's calendar (统计看板 counts the same way).
  const todayBeijing = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const days = Math.round((Date.parse(todayBeijing) - Date.parse(demoAsOf())) / 86_400_000);
  await expect(page.getByTestId('as-of-banner')).toContainText(`${days} 天前`);
  await expect(page.getByText('内置演示数据').first()).toBeVisible();
  await expect(page.getByText('最低生活保障')).toBeVisible();
  await page.screenshot({ path: 'test-results/home-auditor-1366x768.png' });

  // A backup to a folder (a USB drive): the password confirms it is the user; the set lists and verifies.
  const usb = `${app.dataDir}-usb`;
  mkdirSync(usb, { recursive: true });
  await page.getByRole('button', { name: '备份与恢复' }).click();
  await expect(page.getByText('尚未备份。')).toBeVisible();
  await page.getByTestId('backup-folder').fill(usb);
  await page.getByTestId('backup-password').fill('zhang-own-pass-9');
  await page.getByRole('button', { name: '开始备份' }).click();
  await expect(page.getByTestId('backup-result')).toContainText('已写入第 1 份（完整）');
  // A folder that is not there (the drive not plugged in) is said in Chinese, with what to do.
  await page.getByTestId('backup-folder').fill(`${usb}-missing`);
  await page.getByTestId('backup-password').fill('zhang-own-pass-9');
  await page.getByRole('button', { name: '开始备份' }).click();
  await expect(page.getByRole('alert')).toHaveText(`备份文件夹 ${usb}-missing 不存在：请插入U盘或移动硬盘，或先建好该文件夹，再重试。`);
  await page.getByTestId('backup-folder').fill(usb);
  await page.getByRole('button', { name: '查看文件夹中的备份集' }).click();
  const set = page.getByTestId('backup-set');
  await expect(set).toContainText('zhang.audit');
  await set.getByRole('button', { name: '校验' }).click();
  await expect(set.getByRole('cell', { name: '✓' })).toBeVisible();
  await page.screenshot({ path: 'test-results/backup-1366x768.png' });
  await page.getByRole('button', { name: '首页' }).click();

  // Rule checks over the demo district, inside the auditor's scope.
  await runAllRules(page);
  await expect(page.getByRole('cell', { name: 'R-DEATH 死亡未停保' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: '耗时（毫秒）' })).toBeVisible();
  await page.screenshot({ path: 'test-results/checks-1366x768.png' });

  // Pre-check of an applicant household: a mistyped ID is reported as input and nothing is judged…
  await page.getByRole('button', { name: '申请预审' }).click();
  await page.getByLabel('家庭成员身份号码（每行一个）').fill('110105194912310021\n11010519491231002X');
  await page.getByRole('button', { name: '预审', exact: true }).click();
  await expect(page.getByTestId('precheck-result')).toContainText('输入有误，未预审');
  await expect(page.getByTestId('precheck-result')).toContainText('第 1 个号码（110***********0021）：校验位错误');
  // …and a household the platform has no record of cannot be decided, never passed.
  await page.getByLabel('家庭成员身份号码（每行一个）').fill('11010519491231002X');
  await page.getByRole('button', { name: '预审', exact: true }).click();
  await expect(page.getByTestId('precheck-result')).toContainText('无法判定（需人工核对）');
  await expect(page.getByTestId('precheck-result')).toContainText('数据中台无此人记录');
  await expect(page.getByTestId('precheck-result')).not.toContainText('11010519491231002X');

  // 多维查询: the example from the seed paper, counted by street.
  await page.getByRole('button', { name: '多维查询' }).click();
  await page.getByRole('button', { name: '示例：低保户中二级残疾的困境儿童' }).click();
  await expect(page.getByTestId('query-result')).toContainText('共');
  await page.getByRole('checkbox', { name: '最低生活保障' }).check();
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByTestId('query-result')).toContainText('320111002');
  // …and the query becomes a rule of the auditor's own, with a condition on a column from the dictionary.
  await page.getByRole('button', { name: '添加条件' }).click();
  const own = page.getByRole('region', { name: '保存为自定义规则' });
  await own.getByLabel('规则编号（U-开头，如 U-DIBAO-CAR）').fill('U-DEMO');
  await own.getByLabel('规则名称').fill('低保对象名下有车');
  await own.getByRole('button', { name: '预览命中' }).click();
  await expect(own.getByTestId('rule-hits')).toContainText('命中');
  await own.getByRole('button', { name: '保存规则' }).click();
  await expect(own.getByTestId('own-rules')).toContainText('U-DEMO 低保对象名下有车 · v1');

  // 跟随系统 names the zone times are shown in (the service's; here Beijing, like the browser: nothing to warn about)…
  await page.getByRole('navigation').getByRole('button', { name: '设置', exact: true }).click();
  const settings = page.getByRole('region', { name: '设置' });
  await expect(choice(settings, '时区')).toHaveText('跟随系统（北京时间（UTC+8））');
  await expect(page.getByTestId('zone-mismatch')).toHaveCount(0);
  // …and a chosen zone is named in the audit trail as people say it, not as Asia/Shanghai.
  await choose(settings, '时区', '北京时间（UTC+8）');
  await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeVisible();
  await page.getByRole('navigation').getByRole('button', { name: '我的审计记录', exact: true }).click();
  await expect(page.getByRole('table', { name: '我的审计记录' })).toContainText('时区：北京时间（UTC+8）');

  // English is one switch away, and the choice follows the user.
  await choose(page.getByRole('banner'), '界面语言', 'English', { stays: false });
  await page.getByRole('button', { name: 'Home' }).click();
  await expect(page.getByRole('heading', { name: 'Data snapshot' })).toBeVisible();
  await expect(page.getByText('Minimum living allowance (dibao)')).toBeVisible();
  // A service's refusal follows the language too: the folder that is not there, said in English, with what to do.
  await page.getByRole('navigation').getByRole('button', { name: 'Backup', exact: true }).click();
  await page.getByTestId('backup-folder').fill(`${usb}-missing`);
  await page.getByTestId('backup-password').fill('zhang-own-pass-9');
  await page.getByRole('button', { name: 'Back up', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(`The backup folder ${usb}-missing does not exist: plug in the USB drive or external disk, or create the folder, then try again.`);
  await page.screenshot({ path: 'test-results/backup-error-en-1366x768.png' });
});

test('a used one-time link does not open the app again', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  const response = await page.goto(app.urls[0]!);
  expect(response?.status()).toBe(403);
});
