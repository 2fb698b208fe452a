/**
 * Runs rules over one snapshot and turns their rows into findings with fingerprints. Each rule is one SQL statement
 * (set-oriented); between rules the engine yields to the event loop, reports progress and honours cancellation.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { BUILTIN_RULES, findingFingerprint, resolveParameters, type SubjectKind } from '../../domain/rules/rule-library.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';

export interface Finding {
  ruleId: string;
  ruleVersion: number;
  subjectKind: SubjectKind;
  subjectId: string;
  householdId: string | null;
  divisionCode: string | null;
  amountCents: number | null;
  facts: string | null;
  evidence: unknown;
  fingerprint: string;
}

export interface RuleRunInfo {
  id: string;
  version: number;
  parameters: Record<string, unknown>;
  count: number;
  ms: number;
}

export interface CheckRun {
  snapshotId: string;
  asOf: string;
  startedAt: string;
  finishedAt: string;
  scope: string[] | null;
  rules: RuleRunInfo[];
  findings: Finding[];
  cancelled: boolean;
}

export interface CheckOptions {
  ruleIds?: readonly string[];
  /** Division prefixes; null or absent: the whole snapshot. */
  scope?: readonly string[] | null;
  /** Parameter overrides per rule id (recorded in the run). */
  overrides?: Record<string, Record<string, unknown>>;
  onProgress?: (p: { ruleId: string; done: number; total: number }) => void;
  isCancelled?: () => boolean;
}

export async function runChecks(snapshot: SnapshotDb, o: CheckOptions = {}): Promise<CheckRun> {
  const meta = snapshot.meta();
  snapshot.startRun();
  const rules = o.ruleIds ? BUILTIN_RULES.filter((r) => o.ruleIds!.includes(r.id)) : BUILTIN_RULES;
  const unknown = (o.ruleIds ?? []).filter((id) => !BUILTIN_RULES.some((r) => r.id === id));
  if (unknown.length) throw new Error(`unknown rule(s): ${unknown.join(', ')}`);
  const run: CheckRun = {
    snapshotId: meta.snapshotId,
    asOf: meta.asOf,
    startedAt: new Date().toISOString(),
    finishedAt: '',
    scope: o.scope ? [...o.scope] : null,
    rules: [],
    findings: [],
    cancelled: false,
  };
  for (const [i, rule] of rules.entries()) {
    if (o.isCancelled?.()) {
      run.cancelled = true;
      break;
    }
    o.onProgress?.({ ruleId: rule.id, done: i, total: rules.length });
    const parameters = resolveParameters(rule, o.overrides?.[rule.id]);
    const started = performance.now();
    const rows = snapshot.runRule(rule.id, parameters, o.scope ?? null);
    for (const r of rows) {
      run.findings.push({
        ruleId: rule.id,
        ruleVersion: rule.version,
        subjectKind: rule.subjectKind,
        subjectId: r.subject_id,
        householdId: r.household_id,
        divisionCode: r.division_code,
        amountCents: r.amount_cents,
        facts: r.facts,
        evidence: JSON.parse(r.evidence) as unknown,
        fingerprint: findingFingerprint(rule.id, rule.subjectKind, r.subject_id, r.facts),
      });
    }
    run.rules.push({ id: rule.id, version: rule.version, parameters, count: rows.length, ms: Math.round(performance.now() - started) });
    await yieldToEventLoop();
  }
  o.onProgress?.({ ruleId: '', done: run.rules.length, total: rules.length });
  run.finishedAt = new Date().toISOString();
  return run;
}

/** The JSON written by `npm run cli -- check` (its shape is documented in the README). */
export function checkReport(snapshot: SnapshotDb, run: CheckRun) {
  return {
    format: 'audit-workstation/check-report@1',
    snapshot: snapshot.meta(),
    run: { startedAt: run.startedAt, finishedAt: run.finishedAt, scope: run.scope, rules: run.rules },
    findings: run.findings.map((f) => ({
      rule: f.ruleId,
      ruleVersion: f.ruleVersion,
      subjectKind: f.subjectKind,
      subject: f.subjectId,
      household: f.householdId,
      division: f.divisionCode,
      amountCents: f.amountCents,
      fingerprint: f.fingerprint,
      evidence: f.evidence,
    })),
  };
}
