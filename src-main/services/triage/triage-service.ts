/**
 * Triage: the findings inbox, a finding's "why it fired", cases and their workflow, one person one file.
 *
 * The choke point has already checked role and scope (a finding or person inside the caller's scope); this service
 * still reads only inside the scope — every inbox query takes it — and turns store rows into what screens may see:
 * ID numbers masked, persons named by opaque references, names of divisions attached.
 */
import { randomUUID } from 'node:crypto';
import { parameterByName, resolveParameter, sourceTexts } from '../../domain/rules/parameters.js';
import { parameterTexts } from '../checks/parameter-text.js';
import { CallError } from '../../contract/errors.js';
import type { CaseCommandInput, InboxFilterInput, InboxRowView } from '../../contract/triage-schemas.js';
import { CaseCommandError, decide, nextStates, rulePrecision, type Actor, type CaseCommand, type CaseEvent, type CaseView } from '../../domain/cases/case-workflow.js';
import { caseEventMessage } from '../../domain/authorship.js';
import { isWithinScope } from '../../domain/division.js';
import { columnLabel, tableLabel } from '../../domain/exchange/vocabulary.js';
import { applyNameMasking, exportMaskingFor } from '../../domain/export/masking.js';
import type { Role } from '../../domain/roles.js';
import { maskIdNumber, maskIdsInText } from '../../domain/id-number.js';
import { ruleById } from '../../rules/index.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { PersonRefs } from '../../platform/person-refs.js';
import type { RegistryDb } from '../../store/registry/registry-db.js';
import type { SnapshotDb } from '../../store/snapshot/snapshot-db.js';
import { StaleCaseError } from '../../store/team/case-store.js';
import type { InboxRow, InboxSort } from '../../store/team/inbox-queries.js';
import type { TeamDb } from '../../store/team/team-db.js';
import type { MemberSigner } from '../member-signing.js';
import { terms, type TermsLanguage } from '../../platform/terms.js';
import { describeCaseEvent, explainEvidence } from '../evidence/explain-evidence.js';
import type { SessionUser } from '../sessions.js';

/** A finding as the audit trail names it (TriageService.findingLabels). */
export interface FindingLabel {
  ruleId: string;
  ruleName: { zh: string; en: string };
  subjectName: string | null;
  subjectLabel: string;
  divisionName: string | null;
  title: string | null;
}

const CASE_WORKER_ROLES = new Set(['auditor', 'supervisor']);

/** A rule is flagged for review once enough of its findings were judged and most were dismissed. */
export const REVIEW_FLAG = { minDecided: 5, dismissedShare: 0.6 };

export class TriageService {
  constructor(private readonly d: { registry: RegistryDb; refs: PersonRefs; clock: Clock }) {}

  /** A label for a finding's subject that never shows a whole ID number. */
  subjectLabel(row: Pick<InboxRow, 'personId' | 'subjectId' | 'subjectKind'>, language: TermsLanguage = 'zh-CN'): string {
    // A record subject names its row ("enrollment:EN0000000705", "person:<ID>.gender"): the table by its Chinese name,
    // the record's key with any ID number masked, a checked column's suffix dropped.
    if (row.subjectKind === 'record') {
      const [table, key = ''] = row.subjectId.split(/:(.*)/s);
      return `${tableLabel(table ?? '', language)} ${maskIdsInText(key.replace(/\.[a-z_]+$/, '')).replaceAll('|', ' · ')}`;
    }
    return row.personId ? maskIdNumber(row.personId) : maskIdsInText(row.subjectId);
  }

  /**
   * A row as a screen may show it to this role: ID numbers masked, names masked for finance (domain/export/masking.ts).
   * `team`, where given, lets a finding of money owed (应享未享) name its reasons — from its evidence, a lookup per owed
   * finding on the page, never a column of the inbox's scan.
   */
  toView(row: InboxRow, names: ReadonlyMap<string, string>, role: Role = 'auditor', team?: TeamDb, language: TermsLanguage = 'zh-CN'): InboxRowView {
    return {
      fingerprint: row.fingerprint,
      ruleId: row.ruleId,
      family: row.family,
      severity: row.severity,
      subjectKind: row.subjectKind,
      subjectLabel: this.subjectLabel(row, language),
      subjectName: row.subjectName === null ? null : applyNameMasking(row.subjectName, exportMaskingFor(role)),
      personRef: row.personId ? this.d.refs.toRef(row.personId) : null,
      householdId: row.householdId,
      divisionCode: row.divisionCode,
      divisionName: names.get(row.divisionCode) ?? null,
      amountCents: row.amountCents,
      caseKey: row.caseKey,
      caseAmountCents: row.caseAmountCents,
      caseRuleIds: row.caseRuleIds,
      findingState: row.findingState,
      change: row.change,
      caseState: row.caseState as InboxRowView['caseState'],
      assigneeId: row.assigneeId,
      assigneeName: row.assigneeName,
      dueDate: row.dueDate,
      pendingTo: row.pendingTo,
      conflict: row.conflict,
      priority: row.priority,
      owedReasons: team && ruleById(row.ruleId)?.owed ? owedReasons(team.inbox.detail(row.fingerprint)?.evidence) : null,
    };
  }

  page(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, filter: InboxFilterInput, divisionPrefix: string | undefined, sort: InboxSort, offset: number, limit: number, language: TermsLanguage = 'zh-CN') {
    const { rows, total } = team.inbox.page(user.scope, { ...this.resolveFilter(filter, user), divisionPrefix }, sort, offset, limit);
    const names = divisionNames(snapshot, user.scope);
    return { rows: rows.map((r) => this.toView(r, names, user.role, team, language)), total };
  }

  facets(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, filter: InboxFilterInput, divisionPrefix: string | undefined) {
    const facets = team.inbox.facets(user.scope, { ...this.resolveFilter(filter, user), divisionPrefix });
    const names = divisionNames(snapshot, user.scope);
    const members = new Map(this.members().map((m) => [m.id, m.displayName]));
    return {
      ...facets,
      division: facets.division.map((f) => ({ ...f, label: names.get(f.value.padEnd(12, '0')) ?? names.get(f.value) ?? f.value })),
      assignee: facets.assignee.map((f) => ({ ...f, label: f.value === 'none' ? '' : (members.get(f.value) ?? f.value) })),
    };
  }

  /** "me" in a filter is the caller. */
  private resolveFilter(filter: InboxFilterInput, user: SessionUser): InboxFilterInput {
    return filter.assignee === 'me' ? { ...filter, assignee: user.id } : filter;
  }

  detail(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, fingerprint: string, customRules: { ruleId: string; definition: unknown }[], language: TermsLanguage = 'zh-CN') {
    const row = team.inbox.row(user.scope, fingerprint);
    const stored = team.inbox.detail(fingerprint);
    if (!row || !stored) throw new CallError('OUT_OF_SCOPE', 'no such finding in your data scope');
    const builtin = ruleById(row.ruleId);
    const custom = customRules.find((r) => r.ruleId === row.ruleId)?.definition as { name?: { zh: string; en?: string } } | undefined;
    const t = terms(language);
    const rule = {
      id: row.ruleId,
      name: builtin?.name ?? { zh: custom?.name?.zh ?? row.ruleId, en: custom?.name?.en ?? custom?.name?.zh ?? row.ruleId },
      description: builtin?.description ?? { zh: terms('zh-CN')('explain.custom'), en: terms('en')('explain.custom') },
      basis: builtin?.basis ?? [],
      family: row.family,
      severity: row.severity,
      version: stored.ruleVersion,
      // Each value the finding was judged with, in words, and the document it rests on: the region's source as the run
      // recorded it, else the default's.
      parameters: (builtin?.parameters ?? []).map((p) => {
        const value = stored.parameters[p.name] ?? p.default;
        const catalogued = parameterByName(p.name);
        const applied = catalogued ? resolveParameter(catalogued, stored.runValues, row.divisionCode, stored.asOf) : null;
        const text = catalogued ? parameterTexts(catalogued, value) : { zh: String(value), en: String(value) };
        return { name: p.name, label: p.label, value, text, source: sourceTexts(catalogued, applied?.source ?? '') };
      }),
    };
    const names = divisionNames(snapshot, user.scope);
    const parameters = Object.fromEntries(rule.parameters.map((p) => [p.name, p.value]));
    const explanation = explainEvidence(row.ruleId, stored.evidence, {
      t,
      language,
      asOf: snapshot?.meta().asOf ?? '',
      amountCents: row.amountCents,
      parameters,
      divisionName: (code) => names.get(code) ?? snapshot?.divisionName(code) ?? null,
    });
    const masking = exportMaskingFor(user.role);
    // A person's name is masked by role whatever the language its label is said in.
    const nameLabel = columnLabel('name', 'person', language);
    for (const r of explanation.rows) for (const f of r.fields) if (f.label === nameLabel) f.value = applyNameMasking(f.value, masking);
    const head = row.householdId && snapshot ? snapshot.profiles().subjects([], [row.householdId]).heads.get(row.householdId) : undefined;
    return {
      row: this.toView(row, names, user.role, team, language),
      rule,
      explanation,
      // 一人一案: the case lists every finding about the person; the household's other cases are shown beside it.
      caseFindings: team.inbox.caseFindings(user.scope, row.caseKey).map((r) => this.toView(r, names, user.role, team, language)),
      related: row.personId
        ? team.inbox
            .aboutPerson(user.scope, row.personId, row.householdId)
            .filter((r) => r.caseKey !== row.caseKey)
            .map((r) => this.toView(r, names, user.role, team, language))
        : [],
      firstSnapshot: stored.firstSnapshot,
      lastSnapshot: stored.lastSnapshot,
      householdRef: head ? this.d.refs.toRef(head.personId) : null,
      ...this.caseOf(team, row.caseKey, language),
      approvalThresholdCents: team.cases.policy().approvalThresholdCents,
    };
  }

  /**
   * Findings named for a reader of the audit trail, who knows a finding by its rule, whom it is about and why it fired,
   * not by its fingerprint: the rule, the subject as the inbox shows it to this role (ID number masked, names masked
   * for finance), the street, and the first sentence of "why it fired" as its title. Only findings inside the user's
   * scope are named; any other fingerprint is left out and stays a fingerprint on screen.
   */
  findingLabels(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser, fingerprints: readonly string[], language: TermsLanguage = 'zh-CN'): Map<string, FindingLabel> {
    const rows = team.inbox.rows(user.scope, [...new Set(fingerprints)]);
    const names = divisionNames(snapshot, user.scope);
    const t = terms(language);
    return new Map(
      [...rows.values()].map((row) => {
        const stored = team.inbox.detail(row.fingerprint);
        const title = stored
          ? (explainEvidence(row.ruleId, stored.evidence, {
              t,
              language,
              asOf: stored.asOf,
              amountCents: row.amountCents,
              parameters: stored.parameters,
              divisionName: (code) => names.get(code) ?? snapshot?.divisionName(code) ?? null,
            }).summary[0] ?? null)
          : null;
        const view = this.toView(row, names, user.role);
        const rule = ruleById(row.ruleId)?.name ?? { zh: row.ruleId, en: row.ruleId };
        return [row.fingerprint, { ruleId: row.ruleId, ruleName: rule, subjectName: view.subjectName, subjectLabel: view.subjectLabel, divisionName: view.divisionName, title: title && maskIdsInText(title) }];
      }),
    );
  }

  /** The case, and its history in words (the same as the case file export): no state or reason codes on screen. */
  caseOf(team: TeamDb, caseKey: string, language: TermsLanguage = 'zh-CN') {
    const t = terms(language);
    const view = team.cases.view(caseKey);
    return {
      case: view,
      next: [...nextStates(view)],
      events: team.cases.events(caseKey).map((e) => ({
        eventId: e.eventId,
        actorName: e.actorName,
        actorRole: e.actorRole,
        at: e.at,
        kind: e.body.kind,
        body: { ...e.body },
        text: describeCaseEvent(e.body as unknown as Record<string, unknown>, t).replace(/^：/, ''),
      })),
    };
  }

  /**
   * One command on the case of a finding (the person's one case), refused with the workflow's reason or when someone
   * changed the case meanwhile. The event is signed by the member who made it (colleagues on other workstations apply
   * it only if the signature verifies).
   */
  act(team: TeamDb, user: SessionUser, signer: MemberSigner, fingerprint: string, expectedHead: string | null, input: CaseCommandInput, language: TermsLanguage = 'zh-CN') {
    const row = team.inbox.row(user.scope, fingerprint);
    if (!row) throw new CallError('OUT_OF_SCOPE', 'no such finding in your data scope');
    const view = team.cases.view(row.caseKey);
    const event = this.eventFor(team, user, signer, row, view, input);
    try {
      team.cases.appendLocal([event], new Map([[row.caseKey, expectedHead]]));
    } catch (error) {
      if (error instanceof StaleCaseError) throw new CallError('CONFLICT', `this case was changed by ${view.updatedBy ?? 'someone'} since you opened it; reload it and try again`);
      throw error;
    }
    return this.caseOf(team, row.caseKey, language);
  }

  /**
   * A command on many cases: a preview says which would be refused and why; applying records all the others at once.
   * Two findings of one case are one case: it gets one event.
   */
  bulk(team: TeamDb, user: SessionUser, signer: MemberSigner, fingerprints: readonly string[], input: CaseCommandInput, apply: boolean) {
    const rows = team.inbox.rows(user.scope, [...new Set(fingerprints)]);
    const refused: { fingerprint: string; reason: string }[] = [];
    const byCase = new Map<string, InboxRow>();
    for (const fingerprint of new Set(fingerprints)) {
      const row = rows.get(fingerprint);
      if (!row) refused.push({ fingerprint, reason: 'out_of_scope' });
      else if (!byCase.has(row.caseKey)) byCase.set(row.caseKey, row);
    }
    const views = team.cases.views([...byCase.keys()]);
    const events: CaseEvent[] = [];
    const heads = new Map<string, string | null>();
    for (const [caseKey, row] of byCase) {
      const view = views.get(caseKey) ?? team.cases.view(caseKey);
      try {
        events.push(this.eventFor(team, user, signer, row, view, input));
        heads.set(caseKey, view.head);
      } catch (error) {
        if (!(error instanceof CallError)) throw error;
        refused.push({ fingerprint: row.fingerprint, reason: String((error.details as { refusal?: string } | undefined)?.refusal ?? error.code) });
      }
    }
    if (apply && events.length > 0) team.cases.appendLocal(events, heads);
    const byReason: Record<string, number> = {};
    for (const r of refused) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    return { total: byCase.size + refused.filter((r) => r.reason === 'out_of_scope').length, applicable: events.length, refused: refused.slice(0, 100), byReason, applied: apply ? events.length : 0 };
  }

  private eventFor(team: TeamDb, user: SessionUser, signer: MemberSigner, row: InboxRow, view: CaseView, input: CaseCommandInput): CaseEvent {
    const actor: Actor = { id: user.id, name: user.displayName, role: user.role };
    let command: CaseCommand;
    if (input.kind === 'assign') {
      const assignee = input.assigneeId ? this.d.registry.findById(input.assigneeId) : null;
      if (input.assigneeId && (!assignee || assignee.status !== 'active' || !CASE_WORKER_ROLES.has(assignee.role))) {
        throw new CallError('INVALID_INPUT', 'cases are assigned to active auditors or supervisors', { refusal: 'not_a_case_worker' });
      }
      if (assignee && !isWithinScope(row.divisionCode, assignee.scope)) {
        throw new CallError('CASE_REFUSED', `${assignee.displayName} cannot see this finding (outside their data scope)`, { refusal: 'assignee_out_of_scope' });
      }
      command = { kind: 'assign', assigneeId: assignee?.id ?? null, assigneeName: assignee?.displayName ?? null };
    } else {
      command = input as CaseCommand;
    }
    let body;
    try {
      body = decide(view, command, actor, row.caseAmountCents ?? row.amountCents, team.cases.policy());
    } catch (error) {
      if (error instanceof CaseCommandError) throw new CallError('CASE_REFUSED', error.message, { refusal: error.refusal });
      throw error;
    }
    if (signer.card.accountId !== actor.id) throw new Error('a case event is signed by its own author');
    const event: CaseEvent = {
      eventId: randomUUID(),
      fingerprint: row.caseKey,
      actorId: actor.id,
      actorName: actor.name,
      actorRole: actor.role,
      at: after(view.updatedAt, isoTime(this.d.clock)),
      parent: view.stateHead,
      body,
    };
    return { ...event, signature: signer.sign(caseEventMessage(event)) };
  }

  members(): { id: string; displayName: string; role: 'auditor' | 'supervisor' | 'finance' | 'admin' }[] {
    return this.d.registry
      .listAccounts()
      .filter((a) => a.status === 'active' && a.role !== 'admin')
      .map((a) => ({ id: a.id, displayName: a.displayName, role: a.role }));
  }

  learning(team: TeamDb, snapshot: SnapshotDb | null, user: SessionUser) {
    const names = divisionNames(snapshot, user.scope);
    const rows = team.inbox.outcomesByRule(user.scope).map((r) => ({ ...r, streetName: names.get(r.street.padEnd(12, '0')) ?? names.get(r.street) ?? null }));
    const byRule = new Map<string, { ruleId: string; findings: number; confirmed: number; dismissed: number; amountConfirmedCents: number }>();
    for (const r of rows) {
      const t = byRule.get(r.ruleId) ?? { ruleId: r.ruleId, findings: 0, confirmed: 0, dismissed: 0, amountConfirmedCents: 0 };
      t.findings += r.findings;
      t.confirmed += r.confirmed;
      t.dismissed += r.dismissed;
      t.amountConfirmedCents += r.amountConfirmedCents;
      byRule.set(r.ruleId, t);
    }
    const rules = [...byRule.values()].map((t) => {
      const decided = t.confirmed + t.dismissed;
      return {
        ...t,
        precision: ((p) => (p === null ? null : Math.round(p * 1000) / 1000))(rulePrecision(t.confirmed, t.dismissed)),
        flagged: decided >= REVIEW_FLAG.minDecided && t.dismissed / decided >= REVIEW_FLAG.dismissedShare,
      };
    });
    return { rows, rules };
  }
}


/** Events of one case are ordered by time: a new one is never stamped before (or with) the one it follows. */
export function after(previous: string | null, now: string): string {
  if (!previous || now > previous) return now;
  return new Date(Date.parse(previous) + 1).toISOString();
}

/** Division names inside the scope (streets, communities), for labels. */
export function divisionNames(snapshot: SnapshotDb | null, scope: readonly string[]): Map<string, string> {
  return new Map((snapshot?.divisionsWithin(scope) ?? []).map((d) => [d.code, d.name]));
}

/** The reasons of a finding of money owed (R-MISSED's living, care, single): the labels of its evidence's comparisons. */
function owedReasons(evidence: unknown): string[] {
  const comparisons = (evidence as { comparisons?: { label?: unknown }[] } | undefined)?.comparisons ?? [];
  return comparisons.map((x) => x.label).filter((l): l is string => typeof l === 'string');
}
