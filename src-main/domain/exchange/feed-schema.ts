/**
 * The feed files of exchange-schema.md, column by column: the English key, the Chinese label a department may use
 * instead, the kind of value (which decides how a dirty cell is repaired), and the dictionary of coded values.
 * The platform's importer and the generator's feed writer both read this table; nothing else spells out columns.
 *
 * Money columns carry yuan in feeds (`amount`) and integer cents in snapshots (`amount_cents`): `snapshotColumn`.
 * Tables and columns of exchange-schema.md's "Schema v2" carry `since: 2`: a v1 snapshot lacks them, and the v1 rules
 * and checks never read them.
 */
import type { TableName } from './rows.js';

export type ValueKind = 'id' | 'text' | 'date' | 'month' | 'money' | 'int' | 'decimal' | 'division' | 'prefix' | 'code';

/** Coded values with the Chinese words a feed may carry instead of the code. */
export type Dictionary = Readonly<Record<string, readonly string[]>>;

export interface FeedColumn {
  key: string;
  label?: string;
  kind: ValueKind;
  required?: boolean;
  dictionary?: Dictionary;
  /** The snapshot column, when it differs from the key (money in cents). */
  snapshotColumn?: string;
  /** The schema version that added the column (absent: v1). */
  since?: 2;
  /** Bounds of a number (money: in cents), inclusive: a value outside them is refused, never clamped. */
  min?: number;
  max?: number;
}

export interface FeedTable {
  /** A snapshot table, or `applicant` (the list a batch pre-check reads; it never becomes a snapshot table). */
  table: TableName | 'applicant';
  label: string;
  /** Columns that identify a row; a second row with the same key is rejected as a duplicate. */
  key: readonly string[];
  columns: readonly FeedColumn[];
  /** The schema version that added the table (absent: v1). */
  since?: 2;
}

export const PROGRAM_DICTIONARY: Dictionary = {
  dibao: ['最低生活保障', '低保'],
  tekun: ['特困人员救助供养', '特困'],
  linshi: ['临时救助'],
  dibao_edge: ['低保边缘家庭', '低边'],
  child_difficulty: ['困境儿童基本生活补贴', '困境儿童'],
  child_severe: ['重病重残困境儿童补贴'],
  disability_living: ['困难残疾人生活补贴'],
  disability_care: ['重度残疾人护理补贴'],
  elderly_alone: ['高龄独居老人补贴'],
  rigid_expense: ['刚性支出困难家庭'],
};

const d = (entries: Record<string, string[]>): Dictionary => entries;

export const DICTIONARIES = {
  gender: d({ '1': ['男'], '2': ['女'] }),
  urbanRural: d({ '1': ['城市'], '2': ['农村'] }),
  relation: d({ '01': ['户主'], '02': ['配偶'], '03': ['子女'], '04': ['父母'], '05': ['孙子女'], '06': ['兄弟姐妹'], '99': ['其他'] }),
  enrollmentStatus: d({ active: ['在保'], stopped: ['停保'] }),
  supportMode: d({ '1': ['集中'], '2': ['分散'] }),
  cause: d({ illness: ['疾病'], disability: ['残疾'], no_labor: ['缺乏劳动力'], disaster: ['灾害'], education: ['学业'], unemployment: ['失业'], other: ['其他'] }),
  eventType: d({ move_out: ['迁出'], move_in: ['迁入'] }),
  disabilityType: d({ '1': ['视力'], '2': ['听力'], '3': ['言语'], '4': ['肢体'], '5': ['智力'], '6': ['精神'], '7': ['多重'] }),
  disabilityLevel: d({ '1': ['一级'], '2': ['二级'], '3': ['三级'], '4': ['四级'] }),
  incomeSource: d({
    wage: ['工资'],
    pension: ['养老金'],
    unemployment: ['失业金'],
    business: ['经营'],
    provident_fund: ['公积金缴存'],
    basic_pension: ['城乡居民基础养老金', '基础养老金'],
    disability_subsidy: ['残疾人两项补贴'],
    orphan_allowance: ['孤儿/事实无人抚养儿童基本生活费', '孤儿基本生活费'],
    elderly_allowance: ['高龄津贴'],
    special_care: ['优待抚恤金'],
    award: ['奖学金/见义勇为等奖励', '奖励'],
    family_planning: ['计划生育奖励扶助金'],
    maintenance: ['赡养/抚养/扶养费', '赡养费'],
    work_injury_care: ['工伤生活护理费'],
    other: ['其他'],
  }),
  vehicleType: d({ car: ['小型汽车'], truck: ['货车'], motorcycle: ['摩托车'], disabled_mobility: ['残疾人专用车'] }),
  usage: d({ residential: ['住宅'], commercial: ['商业'], other: ['其他'] }),
  role: d({ legal_rep: ['法定代表人'], shareholder: ['股东'] }),
  businessStatus: d({ active: ['存续'], closed: ['注销'] }),
  visitOutcome: d({ normal: ['正常'], changed: ['情况有变化'], not_found: ['未见到本人'] }),
  // Schema v2
  exemptReason: d({ medical: ['就医'], rehabilitation: ['康复'], livelihood: ['生计'] }),
  coverage: d({ household: ['整户保'], single: ['单人保'] }),
  childCategory: d({ orphan: ['孤儿'], unsupported: ['事实无人抚养儿童'], hiv: ['感染艾滋病病毒儿童'], other: ['其他'] }),
  endReason: d({ death: ['死亡'], moved: ['迁出'], income: ['收入超标'], assets: ['财产超标'], voluntary: ['主动退出'], imprisoned: ['服刑'], other: ['其他'] }),
  assetKind: d({ deposit: ['存款'], securities: ['证券'], fund: ['基金'], insurance: ['商业保险'], online: ['互联网金融'] }),
  gradualReason: d({ employment: ['就业增收'], pension: ['养老金'], other: ['其他'] }),
  schoolLevel: d({ compulsory: ['义务教育'], high_school: ['普通高中'], vocational: ['中职'], college: ['高职专科'], undergraduate: ['本科'], postgraduate: ['研究生'] }),
  yesNo: d({ '1': ['是'], '0': ['否'] }),
  schoolStatus: d({ enrolled: ['在读'], suspended: ['休学'], graduated: ['毕业'], dropped: ['退学'] }),
  custodyKind: d({ prison: ['服刑'], detention: ['羁押'], rehab: ['强制隔离戒毒'] }),
  disasterKind: d({ flood: ['洪涝'], fire: ['火灾'], earthquake: ['地震'], accident: ['意外'], other: ['其他'] }),
  reviewResult: d({ unchanged: ['维持'], adjusted: ['调整'], stopped: ['停保'] }),
  consentRole: d({ member: ['家庭成员'], obligor: ['法定赡养/抚养/扶养人'], guardian: ['监护人'], proxy: ['委托代理人'] }),
  signMethod: d({ paper: ['纸质'], esign: ['电子签名'] }),
  applicationOutcome: d({ approved: ['批准'], refused: ['不予批准'], pending: ['办理中'] }),
  ethnicity: d(Object.fromEntries(Array.from({ length: 56 }, (_, i) => [String(i + 1).padStart(2, '0'), []]).concat([['97', []], ['98', []]]))),
  program: PROGRAM_DICTIONARY,
} as const;

const id = (key = 'person_id', label?: string): FeedColumn => ({ key, label, kind: 'id', required: true });
/** A column schema v2 added to a v1 table: never required (a v1 feed does not have it). */
const v2 = (c: FeedColumn): FeedColumn => ({ ...c, since: 2 });
/** Money that cannot be below zero (a value, a loss, a medical bill): a negative one is refused. */
const nonNegativeMoney = (key: string, label?: string, required = false): FeedColumn => ({ key, label, kind: 'money', required, snapshotColumn: `${key}_cents`, min: 0 });


/** The tables of exchange-schema.md "Schema v2". Labels are the contract's; a column it leaves unlabelled has none. */
const V2_TABLES: readonly FeedTable[] = (
  [
  {
    table: 'financial_asset',
    label: '金融资产',
    key: ['person_id', 'kind', 'institution', 'as_of_date'],
    columns: [
      id(),
      { key: 'kind', label: '类别', kind: 'code', required: true, dictionary: DICTIONARIES.assetKind },
      { key: 'institution', label: '机构', kind: 'text', required: true },
      // An overdraft is a negative balance: kept as delivered (rules.md counts it as 0).
      { key: 'balance', label: '余额', kind: 'money', required: true, snapshotColumn: 'balance_cents' },
      { key: 'as_of_date', label: '查询日期', kind: 'date', required: true },
    ],
  },
  {
    table: 'gradual_exit',
    label: '渐退记录',
    key: ['enrollment_id', 'start_period'],
    columns: [
      { key: 'enrollment_id', kind: 'text', required: true },
      { key: 'household_id', kind: 'text' },
      { key: 'start_period', label: '渐退起始月', kind: 'month', required: true },
      // Required: a 渐退 without an end would exempt a household from R-EXIT for ever (rules.md v2, R-EXIT).
      { key: 'end_period', label: '渐退截止月', kind: 'month', required: true },
      { key: 'pay_ratio', label: '发放比例', kind: 'decimal', min: 0, max: 1 },
      { key: 'reason', kind: 'code', dictionary: DICTIONARIES.gradualReason },
      { key: 'approved_by', label: '批准单位', kind: 'text' },
    ],
  },
  {
    table: 'school_enrollment',
    label: '学籍',
    key: ['person_id', 'school_level', 'start_date'],
    columns: [
      id(),
      { key: 'school_level', label: '学段', kind: 'code', required: true, dictionary: DICTIONARIES.schoolLevel },
      { key: 'full_time', label: '全日制', kind: 'code', dictionary: DICTIONARIES.yesNo },
      { key: 'start_date', kind: 'date', required: true },
      { key: 'expected_end_date', label: '预计毕业日期', kind: 'date' },
      { key: 'status', kind: 'code', required: true, dictionary: DICTIONARIES.schoolStatus },
    ],
  },
  {
    table: 'medical_settlement',
    label: '医保结算',
    key: ['settlement_id'],
    columns: [
      { key: 'settlement_id', kind: 'text', required: true },
      id(),
      { key: 'settle_date', label: '结算日期', kind: 'date', required: true },
      nonNegativeMoney('total', '总费用', true),
      nonNegativeMoney('fund_paid', '基金支付', true),
      nonNegativeMoney('self_paid', '个人自付'),
      { key: 'serious_illness', label: '重特大疾病', kind: 'code', dictionary: DICTIONARIES.yesNo },
    ],
  },
  {
    table: 'unemployment_registration',
    label: '失业登记',
    key: ['person_id', 'registered_date'],
    columns: [
      id(),
      { key: 'registered_date', label: '登记日期', kind: 'date', required: true },
      { key: 'ended_date', label: '终止日期', kind: 'date' },
    ],
  },
  {
    table: 'imprisonment',
    label: '服刑/羁押',
    key: ['person_id', 'start_date'],
    columns: [
      id(),
      { key: 'start_date', label: '收监日期', kind: 'date', required: true },
      { key: 'end_date', label: '释放日期', kind: 'date' },
      { key: 'kind', kind: 'code', required: true, dictionary: DICTIONARIES.custodyKind },
    ],
  },
  {
    table: 'disaster_victim',
    label: '受灾人员',
    key: ['person_id', 'event_date', 'kind'],
    columns: [
      id(),
      { key: 'event_date', label: '受灾日期', kind: 'date', required: true },
      { key: 'kind', kind: 'code', required: true, dictionary: DICTIONARIES.disasterKind },
      nonNegativeMoney('loss', '损失金额'),
    ],
  },
  {
    table: 'review',
    label: '定期核查记录',
    key: ['household_id', 'review_date'],
    columns: [
      { key: 'household_id', kind: 'text', required: true },
      { key: 'review_date', label: '核查日期', kind: 'date', required: true },
      { key: 'reviewer', label: '核查人', kind: 'text' },
      { key: 'result', kind: 'code', required: true, dictionary: DICTIONARIES.reviewResult },
    ],
  },
  {
    table: 'consent',
    label: '核对授权书',
    key: ['consent_id'],
    columns: [
      { key: 'consent_id', label: '授权书编号', kind: 'text', required: true },
      { key: 'household_id', kind: 'text', required: true },
      id('person_id', '签署人'),
      { key: 'for_person_id', label: '代签对象', kind: 'id' },
      { key: 'role', kind: 'code', required: true, dictionary: DICTIONARIES.consentRole },
      { key: 'signed_date', label: '签署日期', kind: 'date', required: true },
      { key: 'method', kind: 'code', dictionary: DICTIONARIES.signMethod },
      { key: 'valid_to', label: '有效期至', kind: 'date' },
    ],
  },
  {
    table: 'application',
    label: '救助申请',
    key: ['application_id'],
    columns: [
      { key: 'application_id', label: '申请编号', kind: 'text', required: true },
      { key: 'household_id', kind: 'text', required: true },
      id('person_id', '申请人'),
      { key: 'program', kind: 'code', required: true, dictionary: DICTIONARIES.program },
      { key: 'applied_date', label: '申请日期', kind: 'date', required: true },
      { key: 'decided_date', label: '审批日期', kind: 'date' },
      { key: 'outcome', kind: 'code', required: true, dictionary: DICTIONARIES.applicationOutcome },
      { key: 'refusal_reason', label: '不予批准原因', kind: 'text' },
    ],
  },
  ] satisfies FeedTable[]
).map((t) => ({ ...t, since: 2 as const }));

export const FEED_TABLES: readonly FeedTable[] = [
  {
    table: 'division',
    label: '区划名称',
    key: ['division_code'],
    columns: [
      { key: 'division_code', label: '区划代码', kind: 'division', required: true },
      { key: 'name', label: '名称', kind: 'text', required: true },
      { key: 'level', label: '级别', kind: 'int', required: true },
    ],
  },
  {
    table: 'person',
    label: '人员基本信息',
    key: ['person_id'],
    columns: [
      id('person_id', '公民身份号码'),
      { key: 'name', label: '姓名', kind: 'text', required: true },
      { key: 'gender', label: '性别', kind: 'code', required: true, dictionary: DICTIONARIES.gender },
      { key: 'birth_date', label: '出生日期', kind: 'date', required: true },
      { key: 'ethnicity', label: '民族', kind: 'code', dictionary: DICTIONARIES.ethnicity },
      { key: 'hukou_division', label: '户籍地区划', kind: 'division' },
      { key: 'phone', label: '联系电话', kind: 'text' },
    ],
  },
  {
    table: 'household',
    label: '家庭',
    key: ['household_id'],
    columns: [
      { key: 'household_id', label: '家庭编号', kind: 'text', required: true },
      id('head_person_id', '户主身份号码'),
      { key: 'division_code', label: '居住地区划', kind: 'division', required: true },
      { key: 'address', label: '地址', kind: 'text' },
      { key: 'urban_rural', label: '城乡类别', kind: 'code', dictionary: DICTIONARIES.urbanRural },
    ],
  },
  {
    table: 'household_member',
    label: '家庭成员',
    key: ['household_id', 'person_id'],
    columns: [
      { key: 'household_id', kind: 'text', required: true },
      id(),
      { key: 'relation', label: '与户主关系', kind: 'code', dictionary: DICTIONARIES.relation },
    ],
  },
  {
    table: 'enrollment',
    label: '救助享受信息',
    key: ['enrollment_id'],
    columns: [
      { key: 'enrollment_id', label: '业务编号', kind: 'text', required: true },
      id(),
      { key: 'household_id', kind: 'text' },
      { key: 'program', label: '救助业务', kind: 'code', required: true, dictionary: DICTIONARIES.program },
      { key: 'status', kind: 'code', required: true, dictionary: DICTIONARIES.enrollmentStatus },
      { key: 'start_date', label: '起始日期', kind: 'date', required: true },
      { key: 'end_date', label: '终止日期', kind: 'date' },
      { key: 'monthly_amount', label: '月救助金额', kind: 'money', required: true, snapshotColumn: 'monthly_amount_cents' },
      { key: 'support_mode', label: '供养方式', kind: 'code', dictionary: DICTIONARIES.supportMode },
      { key: 'cause', label: '致贫原因', kind: 'code', dictionary: DICTIONARIES.cause },
      v2({ key: 'coverage', label: '保障方式', kind: 'code', dictionary: DICTIONARIES.coverage }),
      v2({ key: 'category', label: '对象类别', kind: 'code', dictionary: DICTIONARIES.childCategory }),
      v2({ key: 'end_reason', label: '终止原因', kind: 'code', dictionary: DICTIONARIES.endReason }),
    ],
  },
  {
    table: 'payment',
    label: '发放明细',
    key: ['payment_id'],
    columns: [
      { key: 'payment_id', kind: 'text', required: true },
      { key: 'enrollment_id', kind: 'text' },
      id(),
      { key: 'program', kind: 'code', required: true, dictionary: DICTIONARIES.program },
      { key: 'period', label: '所属月份', kind: 'month', required: true },
      { key: 'amount', label: '金额', kind: 'money', required: true, snapshotColumn: 'amount_cents' },
      { key: 'paid_date', label: '发放日期', kind: 'date' },
    ],
  },
  {
    table: 'budget',
    label: '预算',
    key: ['division_prefix', 'program', 'year'],
    columns: [
      { key: 'division_prefix', label: '区划前缀', kind: 'prefix', required: true },
      { key: 'program', kind: 'code', required: true, dictionary: DICTIONARIES.program },
      { key: 'year', label: '年度', kind: 'int', required: true },
      { key: 'amount', label: '预算金额', kind: 'money', required: true, snapshotColumn: 'amount_cents' },
    ],
  },
  {
    table: 'death_record',
    label: '死亡登记',
    key: ['person_id'],
    columns: [
      id('person_id', '公民身份号码'),
      { key: 'death_date', label: '死亡日期', kind: 'date', required: true },
      { key: 'source', label: '来源', kind: 'text' },
    ],
  },
  {
    table: 'hukou_event',
    label: '户籍变动',
    key: ['person_id', 'event_date', 'event_type'],
    columns: [
      id('person_id', '公民身份号码'),
      { key: 'event_type', label: '变动类型', kind: 'code', required: true, dictionary: DICTIONARIES.eventType },
      { key: 'event_date', label: '变动日期', kind: 'date', required: true },
      { key: 'from_division', label: '迁出地区划', kind: 'division' },
      { key: 'to_division', label: '迁入地区划', kind: 'division' },
    ],
  },
  {
    table: 'disability_cert',
    label: '残疾人证',
    key: ['person_id'],
    columns: [
      id(),
      { key: 'disability_type', label: '残疾类别', kind: 'code', dictionary: DICTIONARIES.disabilityType },
      { key: 'disability_level', label: '残疾等级', kind: 'code', required: true, dictionary: DICTIONARIES.disabilityLevel },
      { key: 'valid_from', kind: 'date', required: true },
      { key: 'valid_to', kind: 'date' },
      v2({ key: 'first_issued_date', label: '首次发证日期', kind: 'date' }),
    ],
  },
  {
    table: 'income_record',
    label: '收入信息',
    key: ['person_id', 'period', 'source'],
    columns: [
      id(),
      { key: 'source', kind: 'code', required: true, dictionary: DICTIONARIES.incomeSource },
      { key: 'period', kind: 'month', required: true },
      { key: 'amount', label: '月金额', kind: 'money', required: true, snapshotColumn: 'amount_cents' },
    ],
  },
  {
    table: 'vehicle',
    label: '机动车登记',
    key: ['plate'],
    columns: [
      id('person_id', '所有人身份号码'),
      { key: 'plate', label: '号牌', kind: 'text', required: true },
      { key: 'vehicle_type', label: '车辆类型', kind: 'code', required: true, dictionary: DICTIONARIES.vehicleType },
      { key: 'registered_date', label: '登记日期', kind: 'date', required: true },
      { key: 'deregistered_date', label: '注销日期', kind: 'date' },
      v2(nonNegativeMoney('value', '评估价值')),
      v2({ key: 'exempt_reason', label: '豁免原因', kind: 'code', dictionary: DICTIONARIES.exemptReason }),
    ],
  },
  {
    table: 'real_estate',
    label: '不动产登记',
    key: ['property_id'],
    columns: [
      { key: 'property_id', label: '不动产单元号', kind: 'text', required: true },
      id('person_id', '权利人'),
      { key: 'usage', kind: 'code', required: true, dictionary: DICTIONARIES.usage },
      { key: 'area_sqm', label: '面积', kind: 'decimal' },
      { key: 'registered_date', kind: 'date', required: true },
      { key: 'deregistered_date', kind: 'date' },
    ],
  },
  {
    table: 'business_registration',
    label: '市场主体登记',
    key: ['entity_id', 'person_id'],
    columns: [
      { key: 'entity_id', label: '统一社会信用代码', kind: 'text', required: true },
      { key: 'entity_name', kind: 'text' },
      id(),
      { key: 'role', kind: 'code', required: true, dictionary: DICTIONARIES.role },
      { key: 'registered_capital', label: '注册资本', kind: 'money', snapshotColumn: 'registered_capital_cents' },
      { key: 'status', kind: 'code', required: true, dictionary: DICTIONARIES.businessStatus },
      { key: 'established_date', kind: 'date' },
    ],
  },
  {
    table: 'grid_visit',
    label: '网格走访',
    key: ['visit_id'],
    columns: [
      { key: 'visit_id', kind: 'text', required: true },
      id(),
      { key: 'visit_date', kind: 'date', required: true },
      { key: 'visitor', label: '走访人', kind: 'text' },
      { key: 'outcome', kind: 'code', dictionary: DICTIONARIES.visitOutcome },
      { key: 'note', kind: 'text' },
    ],
  },
  {
    table: 'policy',
    label: '政策参数',
    key: ['division_prefix', 'program', 'effective_from'],
    columns: [
      { key: 'division_prefix', kind: 'prefix', required: true },
      { key: 'program', kind: 'code', required: true, dictionary: DICTIONARIES.program },
      { key: 'effective_from', kind: 'date', required: true },
      { key: 'standard_monthly', label: '救助标准', kind: 'money', required: true, snapshotColumn: 'standard_monthly_cents' },
      v2({ key: 'urban_rural', label: '城乡类别', kind: 'code', dictionary: DICTIONARIES.urbanRural }),
    ],
  },
  ...V2_TABLES,
];

export const FEED_TABLE_BY_NAME = new Map(FEED_TABLES.map((t) => [t.table, t]));

/** An applicant list for the batch pre-check: one row per member, grouped into households by application_id. */
export const APPLICANT_LIST: FeedTable = {
  table: 'applicant',
  label: '申请名单',
  key: ['application_id', 'person_id'],
  columns: [
    { key: 'application_id', label: '申请编号', kind: 'text', required: true },
    { key: 'person_id', label: '公民身份号码', kind: 'text', required: true },
    { key: 'program', label: '救助业务', kind: 'code', required: true, dictionary: DICTIONARIES.program },
    { key: 'division_code', label: '居住地区划', kind: 'division', required: true },
  ],
};

export function snapshotColumnOf(c: FeedColumn): string {
  return c.snapshotColumn ?? c.key;
}

/**
 * How 多维查询 joins a table's rows to the persons it lists: by person_id, else by household_id (the household table
 * itself too), else not at all. The metadata dictionary offers exactly the joinable tables.
 */
export function queryJoin(t: FeedTable): 'person' | 'household' | null {
  if (t.table === 'applicant') return null;
  if (t.table === 'household') return 'household';
  if (t.columns.some((c) => c.key === 'person_id')) return 'person';
  return t.columns.some((c) => c.key === 'household_id') ? 'household' : null;
}
