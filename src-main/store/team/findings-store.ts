/**
 * Findings in the team store: recording a run (new / persisting / resolved, all in one transaction) and reading
 * summaries. The inbox's queries over findings and cases live beside it (inbox-queries.ts).
 */
import { caseKeyFor } from '../../domain/cases/case-key.js';
import type { RegionalValue } from '../../domain/rules/parameters.js';
import { ownCaseAmount, refreshCaseGroups } from './case-groups.js';
import type { Db } from '../sqlcipher.js';
import { scopeSql } from '../scope-sql.js';
import { isWithinScope } from '../../domain/division.js';
import type { Revision } from './inbox-queries.js';

export interface FindingInput {
  fingerprint: string;
  ruleId: string;
  ruleVersion: number;
  /** The rule's family and severity (its definition: rules/index.ts ruleClass); absent: an own rule's (custom, medium). */
  family?: string;
  severity?: string;
  subjectKind: string;
  subjectId: string;
  householdId: string | null;
  divisionCode: string | null;
  amountCents: number | null;
  /** The evidence, JSON text (Finding.evidenceJson). */
  evidenceJson: string;
  /** Parameter values of the pass that produced it. */
  parameters?: Record<string, unknown>;
  /** Who the finding is about, for the inbox: the person (a household's head for household rules) and the name. */
  personId?: string | null;
  subjectName?: string | null;
  /** The payments behind amountCents and what each contributes (rules with money). */
  payments?: readonly (readonly [paymentId: string, cents: number])[];
}

export interface RunInput {
  runBy: string;
  snapshotId: string;
  asOf: string;
  scope: string[] | null;
  /** The rules the run covered; one with `missingFeeds` did not run (its findings are neither new nor resolved). */
  rules: { id: string; version: number; parameters: Record<string, unknown>; count: number; ms: number; missingFeeds?: string[]; missingParameters?: string[]; storedAtBuild?: true }[];
  startedAt: string;
  finishedAt: string;
  /** The regional parameter values in force at the run's date, with their sources (rules.md §P). */
  parameterValues?: readonly RegionalValue[];
}

export interface RunSummary {
  runId: number;
  snapshotId: string;
  asOf: string;
  startedAt: string;
  finishedAt: string;
  newCount: number;
  persistingCount: number;
  resolvedCount: number;
  rules: RunInput['rules'];
  parameterValues: RegionalValue[];
}

/** A run as stored, with who ran it (their username) and over which scope (`null`: the whole snapshot). */
export interface StoredRun extends RunSummary {
  runBy: string;
  scope: string[] | null;
}

interface RunRow {
  run_id: number;
  run_by: string;
  scope: string | null;
  snapshot_id: string;
  as_of: string;
  started_at: string;
  finished_at: string;
  new_count: number;
  persisting_count: number;
  resolved_count: number;
  rules: string;
  parameter_values: string;
}

function summaryOf(r: RunRow): RunSummary {
  return {
    runId: r.run_id,
    snapshotId: r.snapshot_id,
    asOf: r.as_of,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    newCount: r.new_count,
    persistingCount: r.persisting_count,
    resolvedCount: r.resolved_count,
    rules: JSON.parse(r.rules) as RunInput['rules'],
    parameterValues: JSON.parse(r.parameter_values) as RegionalValue[],
  };
}

export interface RuleSummary {
  ruleId: string;
  open: number;
  new: number;
  persisting: number;
  resolved: number;
  amountCents: number;
}

export class FindingsStore {
  constructor(
    private readonly db: Db,
    private readonly revision: Revision = { value: 0 },
  ) {}

  /**
   * Records a run: findings it produced are new (first time, or reappearing after being resolved) or persisting;
   * open findings of the rules it ran, inside its scope, that it no longer produced are resolved.
   */
  recordRun(run: RunInput, findings: readonly FindingInput[]): RunSummary {
    this.revision.value++;
    return this.db.transaction(() => {
      const runId = Number(
        this.db
          .prepare(
            `INSERT INTO rule_run (run_by, snapshot_id, as_of, scope, rules, started_at, finished_at, new_count, persisting_count, resolved_count, parameter_values)
             VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)`,
          )
          .run(run.runBy, run.snapshotId, run.asOf, run.scope ? JSON.stringify(run.scope) : null, JSON.stringify(run.rules), run.startedAt, run.finishedAt, JSON.stringify(run.parameterValues ?? []))
          .lastInsertRowid,
      );
      const existing = this.db.prepare(
        `SELECT state, case_key, case_amount_cents, case_key = fingerprint AND EXISTS (SELECT 1 FROM case_file c WHERE c.fingerprint = finding.fingerprint) AS legacy
           FROM finding WHERE fingerprint = ?`,
      );
      const insert = this.db.prepare(
        `INSERT INTO finding (fingerprint, rule_id, rule_version, family, severity, subject_kind, subject_id, subject_name, person_id, household_id,
           division_code, amount_cents, state, change, first_run_id, last_run_id, first_snapshot, last_snapshot, case_key, case_amount_cents)
         VALUES (@fingerprint, @ruleId, @ruleVersion, @family, @severity, @subjectKind, @subjectId, @subjectName, @personId, @householdId,
           @divisionCode, @amountCents, 'open', 'new', @runId, @runId, @snapshotId, @snapshotId, @caseKey, @ownCaseAmount)`,
      );
      const updateSql = (reopen: boolean) =>
        `UPDATE finding SET rule_version = @ruleVersion, subject_name = @subjectName, person_id = @personId, household_id = @householdId,
           division_code = @divisionCode, amount_cents = @amountCents, change = @change, ${reopen ? "state = 'open'," : ''}
           last_run_id = @runId, last_snapshot = @snapshotId
         WHERE fingerprint = @fingerprint`;
      // A column named in SET costs a write to every index holding it, changed or not: `state` (in four indexes) is set
      // only on the findings that come back.
      const update = this.db.prepare(updateSql(false));
      const reopen = this.db.prepare(updateSql(true));
      // Written only when they change (a case column is in every inbox index: rewriting it costs every index a write).
      const moveCase = this.db.prepare('UPDATE finding SET case_key = ?, case_lead = 1, case_rule_first = 1, case_family_first = 1 WHERE fingerprint = ?');
      // A finding alone in its case carries its own amount; a shared case's amount is refreshCaseGroups' to write.
      const ownAmount = this.db.prepare(
        `UPDATE finding SET case_amount_cents = ? WHERE fingerprint = ? AND NOT EXISTS (SELECT 1 FROM finding g WHERE g.case_key = finding.case_key AND g.fingerprint <> finding.fingerprint)`,
      );
      const detail = this.db.prepare(
        `INSERT INTO finding_detail (fingerprint, evidence, parameters) VALUES (@fingerprint, @evidence, @parameters)
         ON CONFLICT (fingerprint) DO UPDATE SET evidence = excluded.evidence, parameters = excluded.parameters`,
      );
      const clearPayments = this.db.prepare('DELETE FROM finding_payment WHERE fingerprint = ?');
      const addPayment = this.db.prepare('INSERT OR REPLACE INTO finding_payment (fingerprint, payment_id, cents) VALUES (?, ?, ?)');
      let created = 0;
      let persisting = 0;
      const leftKeys: string[] = [];
      for (const f of findings) {
        const personId = f.personId ?? (f.subjectKind === 'person' ? f.subjectId : null);
        const row = {
          ...f,
          family: f.family ?? 'custom',
          severity: f.severity ?? 'medium',
          subjectName: f.subjectName ?? null,
          personId,
          caseKey: caseKeyFor(personId, f.fingerprint),
          // Right while the finding is alone in its case; refreshCaseGroups works out cases with several.
          ownCaseAmount: ownCaseAmount(f.amountCents, f.payments),
          divisionCode: f.divisionCode ?? '',
          evidence: f.evidenceJson,
          parameters: JSON.stringify(f.parameters ?? {}),
          runId,
          snapshotId: run.snapshotId,
        };
        const before = existing.get(f.fingerprint) as { state: string; case_key: string; case_amount_cents: number | null; legacy: number } | undefined;
        if (!before) {
          insert.run(row);
          created++;
        } else {
          const change = before.state === 'resolved' ? 'new' : 'persisting';
          (change === 'new' ? reopen : update).run({ ...row, change });
          if (change === 'new') created++;
          else persisting++;
          // A case opened on this finding before cases were kept per person keeps its key (migration 009).
          if (before.case_key !== row.caseKey && !before.legacy) {
            moveCase.run(row.caseKey, f.fingerprint);
            leftKeys.push(before.case_key);
          }
          if (before.case_amount_cents !== row.ownCaseAmount) ownAmount.run(row.ownCaseAmount, f.fingerprint);
        }
        detail.run(row);
        if (f.payments) {
          clearPayments.run(f.fingerprint);
          for (const [paymentId, cents] of f.payments) if (cents > 0) addPayment.run(f.fingerprint, paymentId, cents);
        }
      }
      const scope = scopeSql('division_code', run.scope);
      const resolved = this.db
        .prepare(
          `UPDATE finding SET state = 'resolved', change = 'resolved', last_run_id = ?
            WHERE state = 'open' AND last_run_id <> ? AND rule_id IN (SELECT value FROM json_each(?)) AND ${scope.sql}`,
        )
        .run(runId, runId, JSON.stringify(run.rules.filter((r) => !r.missingFeeds?.length).map((r) => r.id)), ...scope.params).changes;
      refreshCaseGroups(this.db, leftKeys);
      this.db.prepare('UPDATE rule_run SET new_count = ?, persisting_count = ?, resolved_count = ? WHERE run_id = ?').run(created, persisting, resolved, runId);
      // The inbox's plans depend on the table's shape (a covering index beats the division index by 10×): refresh
      // the statistics after every run, which is when the shape changes.
      this.db.exec('ANALYZE finding');
      return {
        runId,
        snapshotId: run.snapshotId,
        asOf: run.asOf,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        newCount: created,
        persistingCount: persisting,
        resolvedCount: resolved,
        rules: run.rules,
        parameterValues: [...(run.parameterValues ?? [])],
      };
    })();
  }

  /**
   * The latest run that checked the whole of `scope`: it had no scope (the whole snapshot) or every prefix of `scope`
   * lies inside one of its prefixes — whoever ran it. A supervisor's run over the district checked an auditor's street
   * as surely as the auditor's own run would have. `null` scope: the latest run of all.
   */
  lastRun(scope: readonly string[] | null = null): StoredRun | null {
    const found = this.scopes().find((r) => scope === null || r.scope === null || scope.every((prefix) => isWithinScope(prefix, r.scope!)));
    return found ? this.run(found.runId) : null;
  }

  /** Runs since `afterRunId` that checked part of `scope` but not all of it (their findings are newer than that run's). */
  partialRunsSince(afterRunId: number, scope: readonly string[]): StoredRun[] {
    return this.scopes(afterRunId)
      .filter((r) => r.scope !== null && r.scope.some((p) => scope.some((u) => p.startsWith(u) || u.startsWith(p))) && !scope.every((u) => isWithinScope(u, r.scope!)))
      .map((r) => this.run(r.runId));
  }

  /**
   * What run `runId` left inside `scope`, per rule: the findings it produced that are new or persisting and those it
   * resolved — the part of a wider run that the user may see. A finding a later run touched counts for that run.
   */
  runCountsWithin(runId: number, scope: readonly string[]): { ruleId: string; change: 'new' | 'persisting' | 'resolved'; n: number }[] {
    const s = scopeSql('division_code', scope);
    return this.db
      .prepare(`SELECT rule_id AS ruleId, change, count(*) AS n FROM finding WHERE last_run_id = ? AND ${s.sql} GROUP BY rule_id, change`)
      .all(runId, ...s.params) as { ruleId: string; change: 'new' | 'persisting' | 'resolved'; n: number }[];
  }

  /** Each run's scope, newest first, after `afterRunId` (a team keeps a few hundred runs: reading their scopes is cheap). */
  private scopes(afterRunId = 0): { runId: number; scope: string[] | null }[] {
    return (this.db.prepare('SELECT run_id, scope FROM rule_run WHERE run_id > ? ORDER BY run_id DESC').all(afterRunId) as { run_id: number; scope: string | null }[]).map((r) => ({
      runId: r.run_id,
      scope: r.scope === null ? null : (JSON.parse(r.scope) as string[]),
    }));
  }

  private run(runId: number): StoredRun {
    const r = this.db.prepare('SELECT * FROM rule_run WHERE run_id = ?').get(runId) as RunRow;
    return { ...summaryOf(r), runBy: r.run_by, scope: r.scope === null ? null : (JSON.parse(r.scope) as string[]) };
  }

  /**
   * Per rule: open findings, how the last run changed them, and the open amount at risk — counting only findings inside
   * `scope` (an administrator may have narrowed it since they were found).
   */
  summaryByRule(scope: readonly string[] | null = null): RuleSummary[] {
    const s = scopeSql('division_code', scope);
    return this.db
      .prepare(
        `SELECT rule_id AS ruleId, sum(state = 'open') AS open, sum(state = 'open' AND change = 'new') AS new,
                sum(state = 'open' AND change = 'persisting') AS persisting, sum(change = 'resolved') AS resolved,
                coalesce(sum(CASE WHEN state = 'open' THEN amount_cents END), 0) AS amountCents
           FROM finding
          WHERE ${s.sql}
          GROUP BY rule_id ORDER BY rule_id`,
      )
      .all(...s.params) as RuleSummary[];
  }

  byFingerprint(fingerprint: string): { fingerprint: string; state: string; change: string; first_run_id: number; last_run_id: number } | undefined {
    return this.db.prepare('SELECT fingerprint, state, change, first_run_id, last_run_id FROM finding WHERE fingerprint = ?').get(fingerprint) as never;
  }
}
