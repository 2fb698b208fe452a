/**
 * Parameters are policy (rules.md §P). National documents fix the structure; provinces and cities set almost every
 * number. This is the one catalogue of the thresholds the rule library reads: each with its type, its policy default
 * and the document that default rests on, and its `v1` preset (the values under which every v1 rule returns exactly
 * its v1 findings, §E). A region sets its own value from a date on, with its own source (parameter-file.ts); which value
 * applies to a household is resolveParameter's answer.
 *
 * Values inside the workstation: integers, decimals (at most 4 places), money in cents, lists as below. The file a
 * region exchanges writes money in 元 (parameter-file.ts converts).
 */

export type ParameterType =
  | 'integer'
  | 'decimal'
  | 'money'
  | 'boolean'
  | 'programPairs'
  | 'codeList'
  | 'certList'
  | 'sourceList'
  | 'urbanRuralMoney';

/** A certificate condition: a disability type ('*' any type) at one of these levels. */
export interface CertCondition {
  type: string;
  levels: number[];
}

/** An income source left out of counted income; a dated one only between its dates (inclusive). */
export type ExcludedSource = string | { source: string; from: string; to: string | null };

export interface ParameterDefinition {
  name: string;
  label: { zh: string; en: string };
  type: ParameterType;
  /** The unit a screen shows after the value (月, 天, 岁 …), empty when none. */
  unit: { zh: string; en: string };
  /** May the value be empty (null), meaning "no limit" or "not set here"? */
  nullable: boolean;
  /** The policy default, and where it comes from (the Chinese citation, recorded by runs) and that said in English. */
  default: unknown;
  source: string;
  sourceEn: string;
  /** The v1 preset (§E), when it differs from the policy default. */
  v1?: unknown;
  /** Bounds for integers and decimals. */
  min?: number;
  max?: number;
}

const NONE = { zh: '', en: '' };
const MONTHS = { zh: '个月', en: 'months' };
const DAYS = { zh: '天', en: 'days' };
const YEARS = { zh: '岁', en: 'years' };
const TIMES = { zh: '倍', en: 'times' };

const DIBAO = '《最低生活保障审核确认办法》（民发〔2021〕57号）';
const TEKUN = '《特困人员认定办法》（民发〔2021〕43号）';
const LOW_INCOME = '民政部《关于加强低收入人口认定和动态监测工作的通知》（2024年）';
const RIGID = '《刚性支出困难家庭认定办法》（民发〔2024〕57号）';
const SEED = '江北新区社会救助规则库（v1 规则目录）';
const LOCAL = '地方规定（国家文件未规定具体数值）';
const MONITORING = '《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》（国办发〔2023〕39号）';
// The same documents for English readers (a translated title beside the Chinese citation, which stays the reference).
const DIBAO_EN = 'Measures for Reviewing and Confirming Minimum Living Guarantees (MCA 2021 No. 57)';
const TEKUN_EN = 'Measures for Identifying Persons in Extreme Poverty (MCA 2021 No. 43)';
const LOW_INCOME_EN = 'Ministry of Civil Affairs, Notice on Identifying and Dynamically Monitoring the Low-Income Population (2024)';
const RIGID_EN = 'Measures for Identifying Households in Hardship from Rigid Expenditure (MCA 2024 No. 57)';
const SEED_EN = 'Jiangbei New Area social-assistance rule library (v1 rule catalogue)';
const LOCAL_EN = 'Local rules (national documents set no figure)';
const MONITORING_EN = 'Opinions on Dynamic Monitoring of the Low-Income Population and Tiered, Classified Social Assistance (General Office of the State Council 2023 No. 39)';

export const V1_MUTEX_PAIRS: readonly (readonly [string, string])[] = [
  ['dibao', 'tekun'],
  ['tekun', 'disability_living'],
  ['child_difficulty', 'disability_living'],
  ['dibao', 'child_severe'],
];

export const PARAMETERS: readonly ParameterDefinition[] = [
  // ---- v1 thresholds (their defaults are v1's) ----
  { name: 'incomeMonths', label: { zh: '收入核算月数', en: 'Income window (months)' }, type: 'integer', unit: MONTHS, nullable: false, default: 12, source: `${DIBAO}（按上一年度收入核算）`, sourceEn: `${DIBAO_EN} (income of the previous year)`, min: 1, max: 36 },
  { name: 'childMaxAge', label: { zh: '儿童补贴最大年龄', en: 'Oldest age for child allowances' }, type: 'integer', unit: YEARS, nullable: false, default: 17, source: SEED, sourceEn: SEED_EN, min: 0, max: 30 },
  { name: 'careMaxLevel', label: { zh: '护理补贴最低残疾等级', en: 'Lowest disability level for the care subsidy' }, type: 'integer', unit: { zh: '级', en: '' }, nullable: false, default: 2, source: '《关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）', sourceEn: 'Opinions on Establishing the Living Subsidy for Persons with Disabilities in Hardship and the Care Subsidy for Persons with Severe Disabilities (State Council 2015 No. 52)', min: 1, max: 4 },
  { name: 'tekunWorkingAgeFrom', label: { zh: '特困劳动年龄下限', en: 'Working age from (tekun)' }, type: 'integer', unit: YEARS, nullable: false, default: 18, source: TEKUN, sourceEn: TEKUN_EN, min: 0, max: 100 },
  { name: 'tekunWorkingAgeTo', label: { zh: '特困劳动年龄上限', en: 'Working age to (tekun)' }, type: 'integer', unit: YEARS, nullable: false, default: 59, source: TEKUN, sourceEn: TEKUN_EN, min: 0, max: 100 },
  {
    name: 'exclusivePairs',
    label: { zh: '互斥业务组合', en: 'Mutually exclusive programmes' },
    type: 'programPairs',
    unit: NONE,
    nullable: false,
    default: [...V1_MUTEX_PAIRS, ['tekun', 'disability_care']],
    source: `${SEED}；${TEKUN}（特困供养与两项补贴不重复享受）`, sourceEn: `${SEED_EN}; ${TEKUN_EN} (tekun support and the two disability subsidies are not received together)`,
    v1: V1_MUTEX_PAIRS,
  },
  // ---- v2: income ----
  {
    name: 'excludedSources',
    label: { zh: '不计入家庭收入的项目', en: 'Income not counted' },
    type: 'sourceList',
    unit: NONE,
    nullable: false,
    default: [
      'provident_fund',
      'disability_subsidy',
      'orphan_allowance',
      'elderly_allowance',
      'special_care',
      'award',
      'family_planning',
      'work_injury_care',
      { source: 'basic_pension', from: '2021-07-01', to: '2025-12-31' },
    ],
    source: `${DIBAO}（不计入家庭收入的项目；基础养老金在“十四五”期间不计入）`, sourceEn: `${DIBAO_EN} (items not counted as household income; the basic pension is not counted during the 14th Five-Year Plan)`,
    v1: ['provident_fund'],
  },
  { name: 'employmentDeductionRatio', label: { zh: '就业成本扣减比例（占低保标准）', en: 'Employment cost deduction (share of the standard)' }, type: 'decimal', unit: TIMES, nullable: false, default: 0, source: `${DIBAO}（必要的就业成本可扣减，比例由地方规定，如赣州 0.30）`, sourceEn: `${DIBAO_EN} (necessary employment costs may be deducted at a locally set ratio, e.g. Ganzhou 0.30)`, min: 0, max: 10 },
  // ---- v2: assets ----
  { name: 'vehicleExemptValue', label: { zh: '车辆豁免价值上限', en: 'Vehicle value exempt up to' }, type: 'money', unit: { zh: '元', en: 'yuan' }, nullable: true, default: null, source: `${LOCAL}；未设置时所有小汽车、货车均计入`, sourceEn: `${LOCAL_EN}; not set, every car and truck counts` },
  { name: 'businessExemptCapital', label: { zh: '经营主体豁免注册资本上限', en: 'Business capital exempt up to' }, type: 'money', unit: { zh: '元', en: 'yuan' }, nullable: true, default: null, source: `${LOCAL}；未设置时所有存续经营主体均计入`, sourceEn: `${LOCAL_EN}; not set, every active business counts` },
  { name: 'residentialLimit', label: { zh: '住房套数上限', en: 'Homes allowed' }, type: 'integer', unit: { zh: '套', en: '' }, nullable: false, default: 1, source: `${DIBAO}；${SEED}`, sourceEn: `${DIBAO_EN}; ${SEED_EN}`, min: 0, max: 10 },
  { name: 'financialAssetMonths', label: { zh: '金融资产上限（低保标准×月数×人数）', en: 'Financial assets up to (standard × months × members)' }, type: 'integer', unit: MONTHS, nullable: true, default: null, source: `${LOCAL}（如 24 个月）；未设置时不作限制`, sourceEn: `${LOCAL_EN} (e.g. 24 months); not set, no limit`, min: 1, max: 240 },
  // ---- v2: changed and new rules ----
  { name: 'gradualExitMaxMonths', label: { zh: '渐退期最长月数', en: 'Longest gradual exit' }, type: 'integer', unit: MONTHS, nullable: false, default: 12, source: `${DIBAO}（渐退期由地方规定）`, sourceEn: `${DIBAO_EN} (the gradual exit period is set locally)`, min: 1, max: 36 },
  {
    name: 'childStudyExemptCategories',
    label: { zh: '在校就读可延续补贴的儿童类别', en: 'Child categories kept while in full-time study' },
    type: 'codeList',
    unit: NONE,
    nullable: false,
    default: ['orphan', 'unsupported', 'hiv'],
    source: '《关于进一步加强事实无人抚养儿童保障工作的意见》（民发〔2019〕62号）等：年满18周岁仍在校就读的孤儿、事实无人抚养儿童、感染艾滋病病毒儿童可继续保障', sourceEn: 'Opinions on Further Strengthening Protection for Children without De Facto Support (MCA 2019 No. 62) and others: orphans, children without de facto support and children with HIV still in school at 18 stay covered',
  },
  {
    name: 'tekunUnableToWorkCerts',
    label: { zh: '特困“无劳动能力”认定的残疾类别与等级', en: 'Certificates that make a person unable to work (tekun)' },
    type: 'certList',
    unit: NONE,
    nullable: false,
    default: [
      { type: '5', levels: [1, 2, 3] },
      { type: '6', levels: [1, 2, 3] },
      { type: '4', levels: [1, 2] },
      { type: '1', levels: [1] },
    ],
    source: `${TEKUN}第五条`, sourceEn: `${TEKUN_EN}, art. 5`,
    v1: [{ type: '*', levels: [1, 2] }],
  },
  { name: 'edgeMultiple', label: { zh: '低保边缘收入倍数', en: 'Low-income margin (multiple of the standard)' }, type: 'decimal', unit: TIMES, nullable: false, default: 1.5, source: `${LOW_INCOME}（一般为低保标准的1.5倍，部分地区2倍）`, sourceEn: `${LOW_INCOME_EN} (usually 1.5 times the dibao standard, 2 times in some regions)`, min: 1, max: 5 },
  { name: 'seriousIllnessMonths', label: { zh: '重病认定回溯月数', en: 'Serious illness looked for in the last' }, type: 'integer', unit: MONTHS, nullable: false, default: 12, source: DIBAO, sourceEn: DIBAO_EN, min: 1, max: 60 },
  { name: 'careCerts', label: { zh: '护理补贴应享的残疾等级', en: 'Certificates that qualify for the care subsidy' }, type: 'certList', unit: NONE, nullable: false, default: [{ type: '*', levels: [1, 2] }], source: '《关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）', sourceEn: 'Opinions on Establishing the Living Subsidy for Persons with Disabilities in Hardship and the Care Subsidy for Persons with Severe Disabilities (State Council 2015 No. 52)' },
  { name: 'linshiCapMonths', label: { zh: '临时救助单次上限（低保标准×月数×人数）', en: 'Temporary assistance cap (standard × months × members)' }, type: 'integer', unit: MONTHS, nullable: false, default: 6, source: `《关于进一步加强和改进临时救助工作的意见》（民发〔2018〕23号）；${LOCAL}`, sourceEn: `Opinions on Further Strengthening and Improving Temporary Assistance (MCA 2018 No. 23); ${LOCAL_EN}`, min: 1, max: 60 },
  { name: 'linshiTownshipLimitMonths', label: { zh: '乡镇（街道）审批额度（低保标准×月数×人数）', en: 'Township approval limit (standard × months × members)' }, type: 'integer', unit: MONTHS, nullable: false, default: 3, source: `《关于进一步加强和改进临时救助工作的意见》（民发〔2018〕23号）；${LOCAL}`, sourceEn: `Opinions on Further Strengthening and Improving Temporary Assistance (MCA 2018 No. 23); ${LOCAL_EN}`, min: 1, max: 60 },
  { name: 'linshiSplitDays', label: { zh: '拆分审批识别天数', en: 'Split awards within' }, type: 'integer', unit: DAYS, nullable: false, default: 30, source: LOCAL, sourceEn: LOCAL_EN, min: 1, max: 365 },
  { name: 'reviewMonths', label: { zh: '定期核查周期', en: 'Review every' }, type: 'integer', unit: MONTHS, nullable: false, default: 12, source: `${DIBAO}（特困、收入固定家庭每年核查）`, sourceEn: `${DIBAO_EN} (tekun and households with stable income are reviewed every year)`, min: 1, max: 36 },
  { name: 'reviewMonthsWorking', label: { zh: '收入不固定家庭核查周期', en: 'Review households with unstable income every' }, type: 'integer', unit: MONTHS, nullable: false, default: 6, source: `${DIBAO}（有劳动能力、收入不固定的家庭每半年核查）`, sourceEn: `${DIBAO_EN} (households with a member able to work and irregular income are reviewed every six months)`, min: 1, max: 36 },
  { name: 'consentGraceDays', label: { zh: '核对授权补签宽限天数', en: 'Consent grace period' }, type: 'integer', unit: DAYS, nullable: false, default: 30, source: DIBAO, sourceEn: DIBAO_EN, min: 0, max: 365 },
  { name: 'aliveMonths', label: { zh: '生存迹象回溯月数', en: 'Signs of life looked for in the last' }, type: 'integer', unit: MONTHS, nullable: false, default: 12, source: LOCAL, sourceEn: LOCAL_EN, min: 1, max: 60 },
  { name: 'aliveExcludeInstitutional', label: { zh: '集中供养特困人员不作生存核查', en: 'Skip institutionally supported tekun' }, type: 'boolean', unit: NONE, nullable: false, default: false, source: LOCAL, sourceEn: LOCAL_EN },
  { name: 'rigidValidityMonths', label: { zh: '刚性支出认定有效月数', en: 'Rigid-expense recognition valid for' }, type: 'integer', unit: MONTHS, nullable: false, default: 12, source: RIGID, sourceEn: RIGID_EN, min: 1, max: 60 },
  {
    name: 'disposableIncomeAnnual',
    label: { zh: '上年度居民人均可支配收入（城镇/农村）', en: 'Per-capita disposable income last year (urban / rural)' },
    type: 'urbanRuralMoney',
    unit: { zh: '元/人·年', en: 'yuan per person per year' },
    nullable: true,
    default: null,
    source: `${RIGID}；数值以当地统计公报为准，未设置时刚性支出“收入”条件不运行`, sourceEn: `${RIGID_EN}; the figure is the local statistical bulletin's; not set, the rigid-expense income condition does not run`,
  },
  // ---- dynamic monitoring (monitoring.md): the signals M-*, the monitored population and the closed loop ----
  { name: 'windowMonths', label: { zh: '预警观察期（月）', en: 'Warning window' }, type: 'integer', unit: MONTHS, nullable: false, default: 3, source: `${MONITORING}；观察期长度由地方规定`, sourceEn: `${MONITORING_EN}; the length of the window is set locally`, min: 1, max: 12 },
  { name: 'medicalThreshold', label: { zh: '因病预警自付医疗费用线（救助对象）', en: 'Medical burden threshold (assisted households)' }, type: 'money', unit: { zh: '元/人·年', en: 'yuan per person per year' }, nullable: false, default: 1_000_000, source: `${MONITORING}；${LOCAL}（西安示例：低收入人口年自付超过1万元）`, sourceEn: `${MONITORING_EN}; ${LOCAL_EN} (Xi'an's example: low-income persons paying over 10,000 yuan a year themselves)` },
  { name: 'medicalThresholdOthers', label: { zh: '因病预警自付医疗费用线（其他家庭）', en: 'Medical burden threshold (other households)' }, type: 'money', unit: { zh: '元/人·年', en: 'yuan per person per year' }, nullable: false, default: 2_600_000, source: `${MONITORING}；${LOCAL}（西安示例：其他人员年自付超过2.6万元）`, sourceEn: `${MONITORING_EN}; ${LOCAL_EN} (Xi'an's example: other persons paying over 26,000 yuan a year themselves)` },
  { name: 'wageMonthsMin', label: { zh: '因失业预警：观察期前9个月中有工资的月数下限', en: 'Months with wages before the window (of 9)' }, type: 'integer', unit: MONTHS, nullable: false, default: 6, source: LOCAL, sourceEn: LOCAL_EN, min: 1, max: 9 },
  { name: 'studentsThreshold', label: { zh: '因学预警：非义务教育在读人数', en: 'Students outside compulsory education' }, type: 'integer', unit: { zh: '人', en: 'persons' }, nullable: false, default: 2, source: `${MONITORING}；${LOCAL}`, sourceEn: `${MONITORING_EN}; ${LOCAL_EN}`, min: 1, max: 10 },
  { name: 'disasterLossMonths', label: { zh: '因灾红色预警损失线（低保标准×月数×人数）', en: 'Disaster loss for red (standard × months × members)' }, type: 'integer', unit: MONTHS, nullable: false, default: 12, source: `${LOCAL}（本系统的分级口径，可按地方规定调整）`, sourceEn: `${LOCAL_EN} (this system's grading, adjustable to local rules)`, min: 1, max: 120 },
  { name: 'priorMonths', label: { zh: '收入骤降比较期（月）', en: 'Months compared before the window' }, type: 'integer', unit: MONTHS, nullable: false, default: 3, source: LOCAL, sourceEn: LOCAL_EN, min: 1, max: 12 },
  { name: 'exitedMonths', label: { zh: '退出不满期限（月）', en: 'Exited within' }, type: 'integer', unit: MONTHS, nullable: false, default: 24, source: `${LOW_INCOME}（退出低保、特困不满两年的人员纳入监测）`, sourceEn: `${LOW_INCOME_EN} (persons who left dibao or tekun less than two years ago are monitored)`, min: 1, max: 60 },
  { name: 'refusedMonths', label: { zh: '申请未通过监测期限（月）', en: 'Refused applicants monitored for' }, type: 'integer', unit: MONTHS, nullable: false, default: 12, source: `${LOW_INCOME}（申请救助未通过的人员纳入监测）`, sourceEn: `${LOW_INCOME_EN} (applicants refused assistance are monitored)`, min: 1, max: 60 },
  { name: 'rewarnMonths', label: { zh: '同一事项重复预警间隔（月）', en: 'Re-warn the same event after' }, type: 'integer', unit: MONTHS, nullable: false, default: 12, source: LOCAL, sourceEn: LOCAL_EN, min: 1, max: 60 },
  { name: 'deadlineVisitRed', label: { zh: '红色预警入户核查时限', en: 'Red: visit within' }, type: 'integer', unit: DAYS, nullable: false, default: 3, source: `${LOCAL}（国家未规定处置时限）`, sourceEn: `${LOCAL_EN} (no national deadline for handling)`, min: 1, max: 365 },
  { name: 'deadlineDecideRed', label: { zh: '红色预警认定时限', en: 'Red: decide within' }, type: 'integer', unit: DAYS, nullable: false, default: 10, source: `${LOCAL}（国家未规定处置时限）`, sourceEn: `${LOCAL_EN} (no national deadline for handling)`, min: 1, max: 365 },
  { name: 'deadlineVisitOrange', label: { zh: '橙色预警入户核查时限', en: 'Orange: visit within' }, type: 'integer', unit: DAYS, nullable: false, default: 7, source: `${LOCAL}（国家未规定处置时限）`, sourceEn: `${LOCAL_EN} (no national deadline for handling)`, min: 1, max: 365 },
  { name: 'deadlineDecideOrange', label: { zh: '橙色预警认定时限', en: 'Orange: decide within' }, type: 'integer', unit: DAYS, nullable: false, default: 20, source: `${LOCAL}（国家未规定处置时限）`, sourceEn: `${LOCAL_EN} (no national deadline for handling)`, min: 1, max: 365 },
  { name: 'deadlineVisitYellow', label: { zh: '黄色预警入户核查时限', en: 'Yellow: visit within' }, type: 'integer', unit: DAYS, nullable: false, default: 15, source: `${LOCAL}（国家未规定处置时限）`, sourceEn: `${LOCAL_EN} (no national deadline for handling)`, min: 1, max: 365 },
  { name: 'deadlineDecideYellow', label: { zh: '黄色预警认定时限', en: 'Yellow: decide within' }, type: 'integer', unit: DAYS, nullable: false, default: 30, source: `${LOCAL}（国家未规定处置时限）`, sourceEn: `${LOCAL_EN} (no national deadline for handling)`, min: 1, max: 365 },
  { name: 'fourEyesLevels', label: { zh: '需另一人认定的预警级别', en: 'Levels decided by a second person' }, type: 'codeList', unit: NONE, nullable: false, default: ['red'], source: `${LOCAL}（大数据比对＋入户核查＋复核）`, sourceEn: `${LOCAL_EN} (data matching + home visit + second review)` },
];

export function parameterByName(name: string): ParameterDefinition | undefined {
  return PARAMETERS.find((p) => p.name === name);
}

export type ParameterPreset = 'policy' | 'v1';

/** The value a parameter takes before any region sets it: the policy default, or the v1 preset. */
export function presetValue(p: ParameterDefinition, preset: ParameterPreset): unknown {
  return preset === 'v1' && 'v1' in p ? p.v1 : p.default;
}

/** A value a region set from a date on, with the document it rests on (§P). */
export interface RegionalValue {
  name: string;
  divisionPrefix: string;
  effectiveFrom: string;
  value: unknown;
  source: string;
}

export interface ResolvedValue {
  value: unknown;
  source: string;
  /** The region whose value applies, null for the default. */
  region: string | null;
  effectiveFrom: string | null;
}

/**
 * §P: among a parameter's rows with effective_from ≤ D whose division prefix matches the household's division code,
 * the longest prefix, then the latest effective_from; else the preset.
 */
export function resolveParameter(p: ParameterDefinition, rows: readonly RegionalValue[], divisionCode: string, asOf: string, preset: ParameterPreset = 'policy'): ResolvedValue {
  let best: RegionalValue | undefined;
  for (const r of rows) {
    if (r.name !== p.name || r.effectiveFrom > asOf || !divisionCode.startsWith(r.divisionPrefix)) continue;
    if (!best || r.divisionPrefix.length > best.divisionPrefix.length || (r.divisionPrefix.length === best.divisionPrefix.length && r.effectiveFrom > best.effectiveFrom)) best = r;
  }
  if (best) return { value: best.value, source: best.source, region: best.divisionPrefix, effectiveFrom: best.effectiveFrom };
  return { value: presetValue(p, preset), source: preset === 'v1' && 'v1' in p ? V1_PRESET_SOURCE : p.source, region: null, effectiveFrom: null };
}

const V1_PRESET_SOURCE = '规则库 v1 预设（与 v1 结果一致）';
/** The source of a value moved from a supervisor's own workspace, until they give its document. */
export const MOVED_SOURCE = '由个人设置迁入，依据待补充';
/** Sources the workstation itself writes (the v1 preset; values moved from a supervisor's own workspace), in English. */
const WRITTEN_SOURCES: Readonly<Record<string, string>> = {
  [V1_PRESET_SOURCE]: 'Rule library v1 preset (same results as v1)',
  [MOVED_SOURCE]: 'Moved from a personal setting; the source is still to be given',
};

/**
 * A value's source in both languages, for a screen that speaks its user's: a default's document with its English title,
 * a source the workstation wrote in English too; a region's own source is the supervisor's words, the same in both.
 */
export function sourceTexts(p: ParameterDefinition | undefined, source: string): { zh: string; en: string } {
  if (p && source === p.source) return { zh: source, en: p.sourceEn };
  return { zh: source, en: WRITTEN_SOURCES[source] ?? source };
}

/** Sources excluded at a month (YYYY-MM): the plain ones, and the dated ones whose dates cover the month. */
export function excludedAt(list: readonly ExcludedSource[], month: string): string[] {
  return list.flatMap((e) => (typeof e === 'string' ? [e] : e.from.slice(0, 7) <= month && (e.to === null || month <= e.to.slice(0, 7)) ? [e.source] : []));
}

/** Does a certificate (type, level) meet a condition list? ('*' is any type.) */
export function certMeets(list: readonly CertCondition[], type: string, level: number): boolean {
  return list.some((c) => (c.type === '*' || c.type === type) && c.levels.includes(level));
}

/** A decimal parameter as the integer p × 10⁴ that §$ compares with (no rounding: at most 4 places are allowed). */
export function decimalTimes10k(value: number): number {
  return Math.round(value * 10_000);
}
