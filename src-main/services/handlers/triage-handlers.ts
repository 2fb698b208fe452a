/** The findings inbox, finding detail, cases, learning from outcomes and one person one file. */
import { CallError } from '../../contract/errors.js';
import type { CaseEventRefusal } from '../../domain/authorship.js';
import { isWithinScope } from '../../domain/division.js';
import { maskIdNumber } from '../../domain/id-number.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { PersonRefs } from '../../platform/person-refs.js';
import { codeLabel } from '../../domain/exchange/vocabulary.js';
import { applyNameMasking, exportMaskingFor } from '../../domain/export/masking.js';
import { terms } from '../../platform/terms.js';
import { describeRecord } from '../evidence/explain-evidence.js';
import { memberSigner } from '../member-signing.js';
import type { SnapshotProvider } from '../snapshots.js';
import type { TeamAccess } from '../team-access.js';
import { divisionNames, type TriageService } from '../triage/triage-service.js';
import { activeSession, type HandlerContext, type Handlers } from './types.js';

type TriageCalls =
  | 'inbox.page'
  | 'inbox.facets'
  | 'inbox.divisions'
  | 'divisions.tree'
  | 'inbox.views'
  | 'inbox.saveView'
  | 'inbox.deleteView'
  | 'finding.detail'
  | 'case.act'
  | 'case.bulk'
  | 'case.policy'
  | 'case.refusedEvents'
  | 'case.setPolicy'
  | 'team.members'
  | 'learning.stats'
  | 'person.file'
  | 'person.reveal'
  | 'person.find';

/** The person a `personRef` stands for: the choke point decoded it while checking the scope. */
function personOf(input: object): string {
  const personId = (input as { personId?: unknown }).personId;
  if (typeof personId !== 'string') throw new Error('handler reached without a decoded person reference');
  return personId;
}

export function triageHandlers(d: { triage: TriageService; team: TeamAccess; snapshots: SnapshotProvider; refs: PersonRefs; clock: Clock }): Pick<Handlers, TriageCalls> {
  const context = (ctx: HandlerContext) => {
    const session = activeSession(ctx);
    const team = d.team.forUser(session.user.id);
    const snapshot = d.snapshots.forUser(session.user.id, session.workspace);
    return { ...session, team, snapshot };
  };
  return {
    'inbox.page': (input, ctx) => {
      const { user, team, snapshot, prefs } = context(ctx);
      return d.triage.page(team, snapshot, user, input.filter, input.divisionPrefix, input.sort, input.offset, input.limit, prefs.language);
    },
    'inbox.facets': (input, ctx) => {
      const { user, team, snapshot } = context(ctx);
      return d.triage.facets(team, snapshot, user, input.filter, input.divisionPrefix);
    },
    // Administrators pick scopes from the whole tree; everyone else sees their own scope's part of it.
    'divisions.tree': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      return d.snapshots.forUser(user.id, workspace)?.divisionTree(user.role === 'admin' ? [] : user.scope) ?? [];
    },
    'inbox.divisions': (_input, ctx) => {
      const { user, workspace } = activeSession(ctx);
      return d.snapshots.forUser(user.id, workspace)?.divisionsWithin(user.scope) ?? [];
    },
    'inbox.views': (_input, ctx) => activeSession(ctx).workspace.inboxViews() as never,
    'inbox.saveView': (input, ctx) => {
      const { workspace } = activeSession(ctx);
      workspace.saveInboxView(input.view.name, input.view, isoTime(d.clock));
      return workspace.inboxViews() as never;
    },
    'inbox.deleteView': (input, ctx) => {
      const { workspace } = activeSession(ctx);
      workspace.deleteInboxView(input.name);
      return workspace.inboxViews() as never;
    },
    'finding.detail': (input, ctx) => {
      const { user, team, snapshot, workspace, prefs } = context(ctx);
      return d.triage.detail(team, snapshot, user, input.fingerprint, workspace.customRules(), prefs.language) as never;
    },
    'case.act': (input, ctx) => {
      const { user, team, workspace, prefs } = context(ctx);
      return d.triage.act(team, user, memberSigner(workspace, user), input.fingerprint, input.expectedHead, input.command, prefs.language) as never;
    },
    'case.bulk': (input, ctx) => {
      const { user, team, workspace } = context(ctx);
      return d.triage.bulk(team, user, memberSigner(workspace, user), input.fingerprints, input.command, input.apply);
    },
    'case.policy': (_input, ctx) => context(ctx).team.cases.policy(),
    // Events from other workstations that were not applied: those naming a finding in the supervisor's scope, and those
    // naming none known here (a forgery need not name a real case).
    'case.refusedEvents': (_input, ctx) => {
      const { user, team } = context(ctx);
      return team.cases
        .refused()
        .filter((r) => r.divisionCode === null || isWithinScope(r.divisionCode, user.scope))
        .map((r) => ({
          eventId: r.eventId,
          fingerprint: r.fingerprint,
          ruleId: r.ruleId,
          actorName: r.actorName,
          actorRole: r.actorRole,
          at: r.at,
          reason: r.reason as CaseEventRefusal,
          firstSeen: r.firstSeen,
          mergedAt: r.mergedAt,
        }));
    },
    'case.setPolicy': (input, ctx) => {
      const { team } = context(ctx);
      team.cases.setPolicy({ ...team.cases.policy(), approvalThresholdCents: input.approvalThresholdCents });
      return team.cases.policy();
    },
    'team.members': () => d.triage.members(),
    'learning.stats': (_input, ctx) => {
      const { user, team, snapshot } = context(ctx);
      return d.triage.learning(team, snapshot, user);
    },
    'person.file': (input, ctx) => {
      const { user, team, snapshot, prefs } = context(ctx);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      const describe = { t: terms(prefs.language), language: prefs.language, divisionName: (code: string) => snapshot.divisionName(code) };
      const personId = personOf(input);
      const asOf = snapshot.meta().asOf;
      const file = snapshot.profiles().personFile(personId, user.scope, asOf);
      if (!file) throw new CallError('OUT_OF_SCOPE', 'no such person in your data scope');
      const names = divisionNames(snapshot, user.scope);
      const findings = team.inbox.aboutPerson(user.scope, personId, file.households[0]?.householdId ?? null).map((r) => d.triage.toView(r, names, user.role));
      // One name policy, applied here for every screen: names are masked for finance staff (as in their exports).
      const masking = exportMaskingFor(user.role);
      return {
        personRef: d.refs.toRef(personId),
        idLabel: maskIdNumber(personId),
        revealed: false,
        name: applyNameMasking(file.person.name, masking),
        gender: file.person.gender,
        birthDate: file.person.birthDate,
        ethnicity: file.person.ethnicity,
        phone: file.person.phone ? maskPhone(file.person.phone) : null,
        households: file.households.map((h) => ({
          householdId: h.householdId,
          divisionCode: h.divisionCode,
          divisionName: names.get(h.divisionCode) ?? null,
          address: h.address,
          relation: h.relation,
          members: h.members.map((m) => ({
            personRef: d.refs.toRef(m.personId),
            idLabel: maskIdNumber(m.personId),
            name: applyNameMasking(m.name, masking),
            relation: m.relation,
            birthDate: m.birthDate,
            deathDate: m.deathDate,
            activePrograms: m.activePrograms,
            self: m.personId === personId,
          })),
        })),
        enrollments: file.enrollments.map((e) => ({ ...e, statusLabel: codeLabel('status', e.status, 'enrollment', prefs.language) ?? e.status })),
        payments: file.payments,
        // Department records in the data's own words (no column names, no codes).
        events: file.events.map((e) => ({ date: e.date, kind: e.kind, fields: describeRecord(e.table, e.values, describe) })),
        findings,
        asOf,
      };
    },
    'person.reveal': (input) => ({ idNumber: personOf(input) }),
    'person.find': (input, ctx) => {
      const { user, snapshot } = context(ctx);
      if (!snapshot) throw new CallError('NO_SNAPSHOT', 'no snapshot is loaded');
      // A whole ID number (18 characters, as typed: full-width digits and a lower-case x allowed) or a name.
      const typed = input.query.normalize('NFKC').toUpperCase();
      const query = /^\d{17}[\dX]$/.test(typed) ? { idNumber: typed } : { name: input.query };
      const masking = exportMaskingFor(user.role);
      return snapshot
        .profiles()
        .findPersons(query, user.scope, 10)
        .map((p) => ({ personRef: d.refs.toRef(p.personId), name: applyNameMasking(p.name, masking), idLabel: maskIdNumber(p.personId), divisionName: snapshot.divisionName(p.divisionCode) }));
    },
  };
}

/** Phone numbers are masked like ID numbers: the first three and last four digits. */
function maskPhone(phone: string): string {
  return phone.length < 8 ? '*'.repeat(phone.length) : phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}
