import type { RuleDefinition } from '../../domain/rules/rule-library.js';
import type { RuleModule } from '../types.js';
import definition from './definition.json' with { type: 'json' };
import { plant } from './plants.js';
import { reference } from './reference.js';
import { ATTR_BASES, sql } from './sql.js';
import { truth } from './truth.js';

/**
 * No feed is required: on a snapshot without 学籍 or 服刑/羁押 data (every v1 snapshot) the rule judges as v1 did — no
 * study exemption, no `imprisoned` — which is what rules.md §E asks of it. The reference (v1's semantics) still writes
 * the generator's truth for the district's own households and judges the pre-check; the rule's own truth (truth.ts) is
 * rules.md v2. What the enrollees' certificates, schools and imprisonments say at D is made at build (ATTR_BASES).
 */
const rule: RuleModule = {
  definition: definition as RuleDefinition,
  sql,
  bases: ATTR_BASES,
  reference,
  plant,
  truth,
  precheck: (f) => ({ code: 'ATTRIBUTES', details: { birthDate: f.person.birth_date, certificateLevel: f.cert?.disability_level ?? null, certificateValidTo: f.cert?.valid_to ?? null } }),
};
export default rule;
