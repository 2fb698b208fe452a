/**
 * Schema v2 through cleansing: each new table and each new column on a v1 table is repaired or refused by the same
 * rules as v1 (ID numbers, dates, months, codes, money in cents), every refusal naming file, line, column and check;
 * the snapshot records what was delivered in `meta.feeds`, and a feed left out is absent, not empty.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src-main/data-platform/build.js';
import { openEncrypted } from '../../src-main/store/sqlcipher.js';
import { SnapshotDb } from '../../src-main/store/snapshot/snapshot-db.js';

const root = mkdtempSync(join(tmpdir(), 'aw-v2-feeds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GOOD = '320111199001011239';
const BAD_CHECK = '320111199001011238';
const CHILD = '32011120100101005X';

/** One feed per v2 table: a good row (with a dirty but repairable cell), then one refused row per defect. */
const FEEDS: Record<string, string> = {
  'financial_asset.csv':
    'person_id,类别,机构,余额,查询日期\n' +
    `${GOOD},存款,南京银行,"12,000.50元",2024年6月1日\n` + // 2: repaired (label, separators, 元, date format)
    `${GOOD},deposit,江苏银行,-35.00,2024-06-01\n` + // 3: an overdraft is kept as delivered
    `${BAD_CHECK},deposit,南京银行,1.00,2024-06-01\n` + // 4: Q-ID
    `${GOOD},gold,南京银行,1.00,2024-06-01\n` + // 5: Q-DICT (required code)
    `${GOOD},deposit,南京银行,1.005,2024-06-02\n`, // 6: format (three decimals)
  'gradual_exit.csv':
    'enrollment_id,household_id,渐退起始月,渐退截止月,发放比例,reason,批准单位\n' +
    'EN1,HH1,2024-01,2024年6月,0.5,就业增收,顶山街道办事处\n' + // 2
    'EN2,HH1,2024-01,,,employment,\n' + // 3: end_period required
    'EN3,HH1,2024-13,2024-06,,employment,\n' + // 4: no such month
    'EN4,HH1,2024-01,2024-06,1.5,employment,\n', // 5: ratio above 1
  'school_enrollment.csv':
    'person_id,学段,全日制,start_date,预计毕业日期,status\n' +
    `${CHILD},义务教育,是,2016/9/1,20250630,在读\n` + // 2
    `${CHILD},kindergarten,1,2013-09-01,2016-06-30,graduated\n` + // 3: Q-DICT
    `${CHILD},high_school,1,2025-02-30,,enrolled\n`, // 4: no such day
  'medical_settlement.csv':
    'settlement_id,person_id,结算日期,总费用,基金支付,个人自付,重特大疾病\n' +
    `YB1,${GOOD},2024-03-05,"1,000.00",800.00,200.00,否\n` + // 2
    `YB2,${GOOD},2024-03-05,-100.00,0,,0\n` + // 3: a negative bill
    `YB3,${GOOD},2024-03-05,100.00,,,0\n`, // 4: fund_paid required
  'unemployment_registration.csv': 'person_id,登记日期,终止日期\n' + `${GOOD},2023-01-10,\n` + `${GOOD.slice(0, 17)}x,2023-01-10,\n`, // 3: lower-case x on a wrong check character: Q-ID
  'imprisonment.csv':
    'person_id,收监日期,释放日期,kind\n' + `${GOOD},2022-05-01,2023-05-01,prison\n` + `${GOOD},2023-06-01,,exile\n`, // 3: Q-DICT
  'disaster_victim.csv': 'person_id,受灾日期,kind,损失金额\n' + `${GOOD},2024-04-01,洪涝,5000\n` + `${GOOD},2024-04-02,fire,-1.00\n`, // 3: negative loss
  'review.csv': 'household_id,核查日期,核查人,result\n' + 'HH1,2024-05-01,社工周婷,维持\n' + 'HH1,45000,社工周婷,unchanged\n' + 'HH1,2024-05-02,社工周婷,\n', // 3: Excel serial (repaired); 4: result required
  'consent.csv':
    '授权书编号,household_id,签署人,代签对象,role,签署日期,method,有效期至\n' +
    `CS1,HH1,${GOOD},,member,2023-01-01,paper,\n` +
    `CS2,HH1,${GOOD},${CHILD.toLowerCase()},guardian,2023-01-01,esign,2026-01-01\n` + // 3: lower-case x repaired
    `CS3,HH1,${GOOD},${BAD_CHECK},guardian,2023-01-01,esign,\n`, // 4: an optional ID number is checked too
  'application.csv':
    '申请编号,household_id,申请人,program,申请日期,审批日期,outcome,不予批准原因\n' +
    `SQ1,HH1,${GOOD},刚性支出困难家庭,2024-01-01,2024-01-20,批准,\n` +
    `SQ2,HH1,${GOOD},dibao,2024-01-01,,rejected,\n`, // 3: Q-DICT
  // v2 columns on v1 tables: checked like the rest, and optional.
  'vehicle.csv':
    '所有人身份号码,号牌,车辆类型,登记日期,评估价值,豁免原因\n' +
    `${GOOD},苏A00001,car,2020-01-01,"80,000元",生计\n` +
    `${GOOD},苏A00002,car,2020-01-01,-1.00,\n` + // 3: negative value
    `${GOOD},苏A00003,truck,2020-01-01,,farming\n`, // 4: kept, an unknown optional code is a Q-DICT warning
  'person.csv': 'person_id,name,gender,birth_date\n' + `${GOOD},李四,1,1990-01-01\n`,
};

describe('schema v2 feeds', () => {
  it('repairs and refuses v2 rows as v1 does, naming file, line, column and check', async () => {
    const feeds = join(root, 'hand', 'feeds');
    mkdirSync(feeds, { recursive: true });
    for (const [name, text] of Object.entries(FEEDS)) writeFileSync(join(feeds, name), text);
    const out = join(root, 'hand', 'snapshot.db');
    const key = randomBytes(32);
    const report = await buildSnapshot({ feedsDir: feeds, outFile: out, key, snapshotId: 'v2-hand', asOf: '2024-06-30', jurisdiction: ['320111'] });

    const refused = report.rejections.map((r) => `${r.file}:${r.line} ${r.column} ${r.check}`);
    // In the order the build reads the tables: v1's, then v2's.
    expect(refused).toEqual([
      'vehicle.csv:3 value (评估价值) format',
      'financial_asset.csv:4 person_id Q-ID',
      'financial_asset.csv:5 kind (类别) Q-DICT',
      'financial_asset.csv:6 balance (余额) format',
      'gradual_exit.csv:3 end_period (渐退截止月) completeness',
      'gradual_exit.csv:4 start_period (渐退起始月) format',
      'gradual_exit.csv:5 pay_ratio (发放比例) format',
      'school_enrollment.csv:3 school_level (学段) Q-DICT',
      'school_enrollment.csv:4 start_date format',
      'medical_settlement.csv:3 total (总费用) format',
      'medical_settlement.csv:4 fund_paid (基金支付) completeness',
      'unemployment_registration.csv:3 person_id Q-ID',
      'imprisonment.csv:3 kind Q-DICT',
      'disaster_victim.csv:3 loss (损失金额) format',
      'review.csv:4 result completeness',
      'consent.csv:4 for_person_id (代签对象) Q-ID',
      'application.csv:3 outcome Q-DICT',
    ]);
    expect(report.rejections.find((r) => r.file === 'medical_settlement.csv' && r.line === 3)!.reason).toMatch(/below the least allowed value/);
    expect(report.rejections.find((r) => r.file === 'gradual_exit.csv' && r.line === 5)!.reason).toMatch(/above the greatest allowed value/);
    expect(report.dictionaryWarnings).toEqual({ 'vehicle.exempt_reason': 1 });
    expect(report.files.find((f) => f.table === 'financial_asset')!.repairs).toMatchObject({ dictionary_label: 1, amount_format: 1, date_format: 1 });

    const db = openEncrypted(out, key, { readonly: true });
    try {
      expect(db.prepare('SELECT * FROM financial_asset ORDER BY institution').all()).toEqual([
        { person_id: GOOD, kind: 'deposit', institution: '南京银行', balance_cents: 1_200_050, as_of_date: '2024-06-01' },
        { person_id: GOOD, kind: 'deposit', institution: '江苏银行', balance_cents: -3500, as_of_date: '2024-06-01' },
      ]);
      expect(db.prepare('SELECT * FROM gradual_exit').all()).toEqual([
        { enrollment_id: 'EN1', household_id: 'HH1', start_period: '2024-01', end_period: '2024-06', pay_ratio: 0.5, reason: 'employment', approved_by: '顶山街道办事处' },
      ]);
      expect(db.prepare('SELECT * FROM school_enrollment').get()).toEqual({ person_id: CHILD, school_level: 'compulsory', full_time: '1', start_date: '2016-09-01', expected_end_date: '2025-06-30', status: 'enrolled' });
      expect(db.prepare('SELECT total_cents, fund_paid_cents, self_paid_cents, serious_illness FROM medical_settlement').get()).toEqual({ total_cents: 100_000, fund_paid_cents: 80_000, self_paid_cents: 20_000, serious_illness: '0' });
      expect(db.prepare('SELECT review_date, result FROM review ORDER BY review_date').all()).toEqual([
        { review_date: '2023-03-15', result: 'unchanged' },
        { review_date: '2024-05-01', result: 'unchanged' },
      ]);
      expect(db.prepare("SELECT for_person_id FROM consent WHERE consent_id = 'CS2'").pluck().get()).toBe(CHILD);
      expect(db.prepare('SELECT program, outcome FROM application').get()).toEqual({ program: 'rigid_expense', outcome: 'approved' });
      expect(db.prepare('SELECT plate, value_cents, exempt_reason FROM vehicle ORDER BY plate').all()).toEqual([
        { plate: '苏A00001', value_cents: 8_000_000, exempt_reason: 'livelihood' },
        { plate: '苏A00003', value_cents: null, exempt_reason: 'farming' },
      ]);
    } finally {
      db.close();
    }

    // What was delivered, with its newest date; what was not (payment, death_record…) is absent.
    const snapshot = SnapshotDb.open(out, key);
    try {
      expect(snapshot.schemaVersion()).toBe(2);
      const feedsDelivered = snapshot.deliveredFeeds();
      expect(Object.keys(feedsDelivered).sort()).toEqual(Object.keys(FEEDS).map((f) => f.replace('.csv', '')).sort());
      expect(feedsDelivered).toMatchObject({ financial_asset: '2024-06-01', gradual_exit: '2024-01-01', review: '2024-05-01', person: null });
      expect(feedsDelivered).not.toHaveProperty('payment');
    } finally {
      snapshot.close();
    }
  });

  it('refuses a v2 feed without a required column, as v1 does', async () => {
    const feeds = join(root, 'headerless', 'feeds');
    mkdirSync(feeds, { recursive: true });
    writeFileSync(join(feeds, 'gradual_exit.csv'), 'enrollment_id,start_period\nEN1,2024-01\n');
    await expect(buildSnapshot({ feedsDir: feeds, outFile: join(root, 'headerless', 's.db'), key: randomBytes(32), snapshotId: 'x', asOf: '2024-06-30', jurisdiction: ['320111'] })).rejects.toThrow(
      /gradual_exit\.csv: missing required column\(s\): end_period \(渐退截止月\)/,
    );
  });
});
