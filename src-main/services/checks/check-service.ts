/**
 * Rule runs for a user: over their current snapshot, inside their data scope, in the background with progress per
 * rule and cancellation, recorded into their workspace (new / persisting / resolved).
 */
import { CallError } from '../../contract/errors.js';
import type { FindingInput, RunSummary, StoredRun } from '../../store/team/findings-store.js';
import type { TeamDb } from '../../store/team/team-db.js';
import type { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { isWithinScope } from '../../domain/division.js';
import { tableLabel } from '../../domain/exchange/vocabulary.js';
import { parameterByName } from '../../domain/rules/parameters.js';
import { describeRunValue, regionalForRules } from './parameter-service.js';
import { runChecks, type CheckRun } from './rule-engine.js';
import { findingFingerprint } from '../../domain/rules/rule-library.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { MultiQuery } from '../../store/snapshot/snapshot-db.js';

interface Running {
  progress: { ruleId: string; done: number; total: number };
  cancel: boolean;
}

export class CheckService {
  private readonly running = new Map<string, Running>();

  /**
   * `clock`: the workstation's, for the run's stamps and the audit entry written when it completes. `displayNameOf`:
   * a member's display name by username (runs record who ran them by username), null for one no longer registered.
   */
  constructor(
    private readonly clock: Clock,
    private readonly displayNameOf: (username: string) => string | null = () => null,
  ) {}
  private readonly lastError = new Map<string, string>();

  /**
   * What 规则核查 shows `user`: the latest run that checked their whole scope — theirs or a colleague's over a wider
   * area — told only inside their scope (a supervisor's run over the district reports what it found in the auditor's
   * street, not in the district); the runs since that checked part of it; and the open findings per rule.
   */
  status(user: { id: string; username: string; scope: readonly string[] | null }, team: TeamDb | null, snapshot: SnapshotDb | null = null) {
    const r = this.running.get(user.id);
    const last = team?.findings.lastRun(user.scope) ?? null;
    // A run's area by name — 浦口区, even for an auditor whose division tree holds only their street (a name is not
    // personal data; the snapshot names a county by its 12-digit code).
    const area = (scope: string[] | null) => scope?.map((prefix) => ({ prefix, name: snapshot?.divisionName(prefix.padEnd(12, '0')) ?? null })) ?? null;
    return {
      running: r !== undefined,
      progress: r?.progress ?? null,
      lastRun: last && team ? { ...describeRun(this.withinScope(last, team, user.scope), user.username, this.displayNameOf), scope: area(last.scope) } : null,
      // With no run over the whole scope yet, every run over part of it (a colleague's street): the results below are theirs.
      partialRunsSince:
        team && user.scope
          ? team.findings
              .partialRunsSince(last?.runId ?? 0, user.scope)
              .map((p) => ({ finishedAt: p.finishedAt, runByName: this.displayNameOf(p.runBy), byMe: p.runBy === user.username, scope: area(p.scope) }))
          : [],
      byRule: team?.findings.summaryByRule(user.scope) ?? [],
      error: this.lastError.get(user.id) ?? null,
    };
  }

  /** A run over a wider area than `scope`, cut down to it: its counts and parameter values inside the scope only. */
  private withinScope(run: StoredRun, team: TeamDb, scope: readonly string[] | null): StoredRun {
    if (scope === null || (run.scope !== null && run.scope.every((p) => isWithinScope(p, scope)))) return run;
    const counts = team.findings.runCountsWithin(run.runId, scope);
    const n = (change: string, ruleId?: string) => counts.filter((c) => c.change === change && (ruleId === undefined || c.ruleId === ruleId)).reduce((sum, c) => sum + c.n, 0);
    return {
      ...run,
      newCount: n('new'),
      persistingCount: n('persisting'),
      resolvedCount: n('resolved'),
      rules: run.rules.map((rule) => ({ ...rule, count: n('new', rule.id) + n('persisting', rule.id) })),
      parameterValues: run.parameterValues.filter((v) => appliesWithin(v.divisionPrefix, scope)),
    };
  }

  start(
    userId: string,
    username: string,
    workspace: WorkspaceDb,
    team: TeamDb,
    snapshot: SnapshotDb,
    scope: readonly string[],
    ruleIds: readonly string[] | undefined,
    onDone?: (summary: RunSummary) => void,
  ): void {
    if (this.running.has(userId)) throw new CallError('CONFLICT', 'a rule run is already in progress');
    const state: Running = { progress: { ruleId: '', done: 0, total: 0 }, cancel: false };
    this.running.set(userId, state);
    this.lastError.delete(userId);
    // The team's parameter values as the run starts; those in force at the snapshot's date are recorded with it.
    const values = team.parameters.list();
    void runChecks(snapshot, { clock: this.clock, ruleIds, scope, regional: regionalForRules(values), onProgress: (p) => (state.progress = p), isCancelled: () => state.cancel })
      .then((run) => {
        if (workspace.isOpen && !run.cancelled && !ruleIds) addCustomRules(run, snapshot, workspace, scope);
        if (!workspace.isOpen || !team.isOpen) {
          this.lastError.set(userId, 'the session locked during the run; its results were discarded');
          return;
        }
        if (run.cancelled) return;
        const parameterValues = values
          .filter((v) => v.effectiveFrom <= run.asOf && appliesWithin(v.divisionPrefix, scope))
          .map(({ name, divisionPrefix, effectiveFrom, value, source }) => ({ name, divisionPrefix, effectiveFrom, value, source }));
        const summary = team.findings.recordRun({ ...run, runBy: username, parameterValues }, withSubjects(snapshot, run.findings));
        workspace.appendAudit(
          {
            userId,
            username,
            action: 'checks.completed',
            target: run.snapshotId,
            outcome: 'ok',
            detail: { runId: summary.runId, new: summary.newCount, persisting: summary.persistingCount, resolved: summary.resolvedCount, rules: run.rules.map((r) => r.id) },
          },
          isoTime(this.clock),
        );
        onDone?.(summary);
      })
      .catch((error: unknown) => this.lastError.set(userId, error instanceof Error ? error.message : String(error)))
      .finally(() => this.running.delete(userId));
  }

  cancel(userId: string): void {
    const r = this.running.get(userId);
    if (r) r.cancel = true;
  }
}

/** Adds who each finding is about (name; a household's head), so the inbox can search and show them. */
export function withSubjects(snapshot: SnapshotDb, findings: CheckRun['findings']): FindingInput[] {
  // A record finding about a person names them inside its subject ("person:<ID>.gender", "household_member:HH…|<ID>").
  const personOf = (f: CheckRun['findings'][number]): string | null =>
    f.subjectKind === 'person' ? f.subjectId : f.subjectKind === 'record' ? (/(?<![0-9])[0-9]{17}[0-9X](?![0-9])/.exec(f.subjectId)?.[0] ?? null) : null;
  const persons = findings.map(personOf).filter((p): p is string => p !== null);
  const households = findings.filter((f) => f.subjectKind !== 'person' && !personOf(f) && f.householdId).map((f) => f.householdId!);
  const names = snapshot.profiles().subjects([...new Set(persons)], [...new Set(households)]);
  return findings.map((f) => {
    const personId = personOf(f);
    if (personId) return { ...f, personId, subjectName: names.persons.get(personId) ?? null };
    const head = f.householdId ? names.heads.get(f.householdId) : undefined;
    return { ...f, personId: head?.personId ?? null, subjectName: head?.name ?? null };
  });
}

/**
 * The user's own rules run after the library: each is one query over the snapshot (the building blocks of 多维查询),
 * each hit a finding on a person, fingerprinted like any other.
 */
function addCustomRules(run: CheckRun, snapshot: SnapshotDb, workspace: WorkspaceDb, scope: readonly string[]): void {
  for (const saved of workspace.customRules()) {
    const rule = saved.definition as { id: string; query: MultiQuery; name: { zh: string } };
    const started = performance.now();
    const hits = snapshot.multiQuery(rule.query, scope, 1_000_000).persons;
    const seen = new Set<string>();
    for (const p of hits) {
      if (seen.has(p.personId)) continue;
      seen.add(p.personId);
      run.findings.push({
        ruleId: rule.id,
        ruleVersion: saved.version,
        family: 'custom',
        severity: 'medium',
        subjectKind: 'person',
        subjectId: p.personId,
        householdId: p.householdId,
        divisionCode: p.divisionCode,
        amountCents: null,
        facts: null,
        evidenceJson: JSON.stringify({ rows: [{ table: 'person', key: p.personId, values: { name: p.name, birth_date: p.birthDate } }], comparisons: [], conditions: rule.query }),
        fingerprint: findingFingerprint(rule.id, 'person', p.personId, null),
      });
    }
    run.rules.push({ id: rule.id, version: saved.version, parameters: {}, count: seen.size, ms: Math.round(performance.now() - started) });
  }
}

/** A regional value set for `prefix` bears on `scope`: it lies inside the scope, or the scope lies inside its region. */
function appliesWithin(prefix: string, scope: readonly string[]): boolean {
  return isWithinScope(prefix, scope) || scope.some((p) => p.startsWith(prefix));
}

/**
 * A run as 规则核查 shows it: who ran it by display name (a login name means nothing to a colleague), whether the viewer
 * did, the parameter values it used named and said in words, with their sources.
 */
function describeRun(stored: StoredRun, viewer: string, displayNameOf: (username: string) => string | null) {
  const { runBy, ...run } = stored;
  return {
    ...run,
    runByName: displayNameOf(runBy),
    byMe: runBy === viewer,
    rules: run.rules.map((r) => ({
      ...r,
      ...(r.missingFeeds?.length ? { missingFeedNames: r.missingFeeds.map((table) => ({ zh: tableLabel(table), en: tableLabel(table, 'en') })) } : {}),
      ...(r.missingParameters?.length
        ? {
            missingParameterNames: r.missingParameters.map((name) => parameterByName(name)?.label.zh ?? name),
            missingParameterLabels: r.missingParameters.map((name) => parameterByName(name)?.label ?? { zh: name, en: name }),
          }
        : {}),
    })),
    parameterValues: run.parameterValues.map(describeRunValue),
  };
}
