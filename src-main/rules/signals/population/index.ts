/**
 * The monitored population (监测对象, monitoring.md): who is monitored and in which layer. Not a signal — every signal is
 * evaluated for every household — but each warning records whether its household is monitored and its layers, and
 * reports count both. Its parameters are resolved per region like a signal's.
 */
import type { RuleParameter } from '../../../domain/rules/rule-library.js';
import { plant } from './plants.js';
import { sql } from './sql.js';
import { LAYERS, populationTruth, type Layer } from './truth.js';

export { LAYERS, populationTruth, type Layer };

export const POPULATION = {
  /** Named like a signal so that regional values plan their passes the same way (planRulePasses). */
  id: 'MONITORED',
  name: { zh: '监测对象范围', en: 'Monitored population' },
  parameters: [
    { name: 'exitedMonths', type: 'integer', default: 24, label: { zh: '退出不满期限（月）', en: 'Exited within' } },
    { name: 'refusedMonths', type: 'integer', default: 12, label: { zh: '申请未通过监测期限（月）', en: 'Refused applicants monitored for' } },
  ] as RuleParameter[],
  /** One row per (household, layer): household_id, division_code, layer, persons. */
  sql,
  plant,
};

/** 监测对象类别, in Chinese first. */
export const LAYER_NAMES: Record<Layer, { zh: string; en: string }> = {
  tekun: { zh: '特困人员', en: 'Extremely poor (tekun)' },
  dibao: { zh: '低保对象', en: 'Minimum living guarantee (dibao)' },
  dibao_edge: { zh: '低保边缘人口', en: 'Low-income margin' },
  rigid_expense: { zh: '刚性支出困难人口', en: 'Rigid-expense hardship' },
  exited: { zh: '退出不满两年人员', en: 'Exited within two years' },
  refused: { zh: '申请救助未通过人员', en: 'Refused applicants' },
};
