/**
 * The service contract: every call the renderer can make, with its input and output schemas and who may make it.
 *
 * This module is shared by the main process (the dispatcher validates against it) and the renderer (which gets
 * its types from it). It imports only zod and pure domain code, so it runs anywhere.
 *
 * access:
 *   'public'  – no session needed (status, first-run setup, login)
 *   'session' – any logged-in role
 *   Role[]    – only these roles
 * scope: which input names the data the call reads, checked against the user's data scope by the choke point:
 *   'divisionPrefix' – input.divisionPrefix (optional; absent = the whole scope)
 *   'divisionCode'   – input.divisionCode, where an applicant household lives
 *   'personRef'      – input.personRef, an opaque person reference, decoded for the handler (input.personId) and
 *                      located by the households the person lives in (never by the ID number's address code)
 *   'finding'        – input.fingerprint, a finding in the team store, by the division it was found in
 *   'findings'       – input.fingerprints, every one of them
 *   'warning'        – input.warningId, a monitoring warning in the team store, by its household's division
 *   'warnings'       – input.warningIds, every one of them
 * audit: 'always' writes an entry for every call; 'refusals' only when the call is refused or fails.
 */
import { z } from 'zod';
import type { Role } from '../domain/roles.js';
import {
  accountSummarySchema,
  auditEntryViewSchema,
  auditFindingSchema,
  chainVerificationSchema,
  displayNameSchema,
  dateSchema,
  divisionPrefixSchema,
  homeSummarySchema,
  languageSchema,
  passwordSchema,
  roleSchema,
  checkStatusSchema,
  precheckResultSchema,
  qualityReportSchema,
  multiQuerySchema,
  multiQueryResultSchema,
  parameterOverviewSchema,
  customRuleSchema,
  savedCustomRuleSchema,
  programSchema,
  syncStatusSchema,
  scopeSchema,
  sessionInfoSchema,
  usernameSchema,
  teamMemberSchema,
  timeZoneSettingSchema,
  clientTimeZoneSchema,
} from './schemas.js';
import {
  bulkResultSchema,
  caseCommandSchema,
  caseResultSchema,
  facetsSchema,
  findingDetailSchema,
  fingerprintSchema,
  inboxFilterSchema,
  inboxRowSchema,
  inboxSortSchema,
  learningSchema,
  personFileSchema,
  personRefSchema,
  refusedCaseEventSchema,
  savedViewSchema,
} from './triage-schemas.js';
import {
  assignResultSchema,
  auditViewsSchema,
  monitorRunSummarySchema,
  monitorStatusSchema,
  warningCommandSchema,
  warningDetailSchema,
  warningFacetsSchema,
  warningFilterSchema,
  warningIdSchema,
  warningRowSchema,
} from './monitoring-schemas.js';
import { dashboardSchema, flaggedPaymentSchema, periodSchema, reportSchema, reportSectionsSchema, spendingReviewSchema } from './report-schemas.js';
import { backupRunResultSchema, backupSetSchema, backupStatusSchema, folderSchema, pieceCheckSchema, recoveryCodeSchema, restoreResultSchema } from './backup-schemas.js';
import { exportPolicySchema, exportRequestSchema, leakTraceSchema, MAX_LEAK_BASE64, registeredExportSchema } from './export-schemas.js';

export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  access: 'public' | 'session' | readonly Role[];
  scope?: 'divisionPrefix' | 'divisionCode' | 'personRef' | 'finding' | 'findings' | 'warning' | 'warnings';
  audit: 'always' | 'refusals';
  /** Allowed while the session is locked (unlock, logout). */
  whileLocked?: boolean;
  /** Allowed before a required password change is done. */
  beforePasswordChange?: boolean;
  /** Counts as user activity for the idle lock (polling calls do not). Default true. */
  activity?: boolean;
  /** Never put this input field into the audit entry (passwords). */
  secretFields?: readonly string[];
}

function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}

const empty = z.object({}).strict();

/** What a supervisor narrows the team's audit trail to: one member, an action prefix, a date range. */
const teamAuditFilter = z.object({
  userId: z.string().max(64).optional(),
  actionPrefix: z.string().max(64).optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});

/** One entry of a member's trail as supervisors see it: ids only (a person's ID number shown masked). */
const teamAuditEntrySchema = z.object({
  userId: z.string(),
  username: z.string().nullable(),
  /** The member's display name (李审计, not li.audit); null for an account no longer registered here. */
  memberName: z.string().nullable(),
  seq: z.number(),
  ts: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.string(),
  /** What the entry records, in the reader's words (services/audit-presentation.ts): never the JSON the chain hashes. */
  details: z.array(z.object({ label: z.string(), value: z.string() })),
  /** The finding a fingerprint target stands for (null: the entry is about no finding). */
  finding: auditFindingSchema.nullable(),
});

/** What a dossier export (a person's file, a case file) asks for besides its subject. */
const dossierExportInput = z.object({
  format: z.enum(['csv', 'xlsx', 'pdf']),
  purpose: z.string().trim().min(2, 'state the purpose').max(200),
  recipient: z.string().trim().max(100).optional(),
});
const exportResultSchema = z.object({ exportId: z.string(), file: z.string(), rows: z.number(), bytes: z.number(), sha256: z.string() });

/** What a findings export (or a request to approve one) asks for: the inbox's filter and order, a purpose, a recipient. */
const findingsExportInput = z.object({
  format: z.enum(['csv', 'xlsx', 'pdf']),
  purpose: z.string().trim().min(2, 'state the purpose').max(200),
  recipient: z.string().trim().max(100).optional(),
  filter: inboxFilterSchema,
  divisionPrefix: divisionPrefixSchema.optional(),
  sort: inboxSortSchema,
});
const ok = z.object({ ok: z.literal(true) });
const PERSONAL_DATA: readonly Role[] = ['auditor', 'supervisor', 'finance'];
/** Who works cases: finance staff read findings and profiles but do not decide cases. */
const CASE_WORKERS: readonly Role[] = ['auditor', 'supervisor'];

export const contract = {
  'system.status': call({
    input: empty,
    output: z.object({
      initialized: z.boolean(),
      keyProtection: z.enum(['none', 'safeStorage']),
      transport: z.enum(['electron', 'http']),
      appVersion: z.string(),
    }),
    access: 'public',
    audit: 'refusals',
    activity: false,
  }),
  'auth.setupAdmin': call({
    input: z.object({ username: usernameSchema, displayName: displayNameSchema, password: passwordSchema, timeZone: clientTimeZoneSchema }).strict(),
    output: sessionInfoSchema,
    access: 'public',
    audit: 'always',
    secretFields: ['password'],
  }),
  'auth.login': call({
    input: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256), timeZone: clientTimeZoneSchema }).strict(),
    output: sessionInfoSchema,
    access: 'public',
    audit: 'always',
    secretFields: ['password'],
  }),
  'auth.logout': call({
    input: empty,
    output: ok,
    access: 'session',
    audit: 'always',
    whileLocked: true,
    beforePasswordChange: true,
  }),
  'auth.lock': call({ input: empty, output: sessionInfoSchema, access: 'session', audit: 'always', beforePasswordChange: true }),
  'auth.unlock': call({
    input: z.object({ password: z.string().min(1).max(256) }).strict(),
    output: sessionInfoSchema,
    access: 'session',
    audit: 'always',
    whileLocked: true,
    secretFields: ['password'],
  }),
  'auth.changePassword': call({
    input: z.object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema }).strict(),
    output: sessionInfoSchema,
    access: 'session',
    audit: 'always',
    beforePasswordChange: true,
    secretFields: ['currentPassword', 'newPassword'],
  }),
  'session.current': call({
    input: empty,
    output: sessionInfoSchema.nullable(),
    access: 'public',
    audit: 'refusals',
    activity: false,
  }),
  'session.heartbeat': call({ input: empty, output: ok, access: 'session', audit: 'refusals', beforePasswordChange: true }),
  'settings.update': call({
    input: z
      .object({ language: languageSchema.optional(), idleLockMinutes: z.number().int().min(1).max(120).optional(), timeZone: timeZoneSettingSchema.optional() })
      .strict(),
    output: sessionInfoSchema,
    access: 'session',
    audit: 'always',
  }),
  'users.list': call({ input: empty, output: z.array(accountSummarySchema), access: ['admin'], audit: 'always' }),
  'users.create': call({
    input: z
      .object({
        username: usernameSchema,
        displayName: displayNameSchema,
        role: roleSchema,
        scope: scopeSchema,
        initialPassword: passwordSchema,
      })
      .strict(),
    output: accountSummarySchema,
    access: ['admin'],
    audit: 'always',
    secretFields: ['initialPassword'],
  }),
  'users.update': call({
    input: z
      .object({
        id: z.string().uuid(),
        displayName: displayNameSchema.optional(),
        role: roleSchema.optional(),
        scope: scopeSchema.optional(),
        status: z.enum(['active', 'disabled']).optional(),
      })
      .strict(),
    output: accountSummarySchema,
    access: ['admin'],
    audit: 'always',
  }),
  'audit.myHistory': call({
    input: z
      .object({
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(200).default(50),
        actionPrefix: z.string().max(64).optional(),
      })
      .strict(),
    output: z.object({ entries: z.array(auditEntryViewSchema), total: z.number().int() }),
    access: 'session',
    audit: 'refusals',
  }),
  'audit.team': call({
    input: teamAuditFilter.extend({ before: z.string().max(40).optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({ entries: z.array(teamAuditEntrySchema), members: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string() })) }),
    access: ['supervisor'],
    audit: 'always',
  }),
  'export.audit': call({
    input: dossierExportInput.extend(teamAuditFilter.shape).strict(),
    output: exportResultSchema,
    access: ['supervisor'],
    audit: 'always',
  }),
  'audit.person': call({
    input: z.object({ personRef: personRefSchema, limit: z.number().int().min(1).max(500).default(200) }).strict(),
    output: z.object({ entries: z.array(teamAuditEntrySchema) }),
    access: ['supervisor'],
    scope: 'personRef',
    audit: 'always',
  }),
  'audit.verifyMine': call({ input: empty, output: chainVerificationSchema, access: 'session', audit: 'always' }),
  'audit.systemLog': call({
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({ entries: z.array(auditEntryViewSchema), verification: chainVerificationSchema }),
    access: ['admin'],
    audit: 'always',
  }),
  'home.summary': call({
    input: z.object({ divisionPrefix: divisionPrefixSchema.optional() }).strict(),
    output: homeSummarySchema,
    access: PERSONAL_DATA,
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'sync.status': call({ input: empty, output: syncStatusSchema, access: PERSONAL_DATA, audit: 'refusals', activity: false }),
  'sync.enrolBegin': call({
    input: z
      .object({
        url: z.string().url().max(500).refine((u) => /^https?:\/\//.test(u), 'http(s) only'),
        token: z.string().min(1).max(500),
        // An HTTPS platform's own CA (PEM, may be a short chain) and/or its certificate's SHA-256 fingerprint; both
        // optional, checked by the service (platform-transport.ts) so that the refusal can say what is wrong.
        ca: z.string().max(32_000).optional(),
        certificateFingerprint: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({ fingerprint: z.string(), jurisdiction: z.array(z.string()), snapshotId: z.string(), asOf: z.string() }),
    access: PERSONAL_DATA,
    audit: 'always',
    // The CA's PEM is not secret but kilobytes long; the audit keeps the URL and the fingerprint.
    secretFields: ['token', 'ca'],
  }),
  'sync.enrolConfirm': call({
    input: z.object({ fingerprint: z.string().max(100) }).strict(),
    output: syncStatusSchema,
    access: PERSONAL_DATA,
    audit: 'always',
  }),
  'sync.setTls': call({
    // Replaces the enrolled platform's CA / certificate fingerprint pins (both empty: the system's CA store).
    input: z.object({ ca: z.string().max(32_000).optional(), certificateFingerprint: z.string().max(200).optional() }).strict(),
    output: syncStatusSchema,
    access: PERSONAL_DATA,
    audit: 'always',
    secretFields: ['ca'],
  }),
  'sync.run': call({ input: empty, output: syncStatusSchema, access: PERSONAL_DATA, audit: 'always' }),
  'checks.status': call({ input: empty, output: checkStatusSchema, access: PERSONAL_DATA, audit: 'refusals', activity: false }),
  'checks.run': call({
    input: z.object({ ruleIds: z.array(z.string().regex(/^[A-Z]-[A-Z-]+$/)).max(50).optional() }).strict(),
    output: checkStatusSchema,
    access: PERSONAL_DATA,
    audit: 'always',
  }),
  'checks.cancel': call({ input: empty, output: checkStatusSchema, access: PERSONAL_DATA, audit: 'always' }),
  'query.run': call({
    input: z.object({ query: multiQuerySchema, divisionPrefix: divisionPrefixSchema.optional() }).strict(),
    output: multiQueryResultSchema,
    access: PERSONAL_DATA,
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'query.save': call({
    input: z.object({ name: z.string().trim().min(1).max(60), query: multiQuerySchema }).strict(),
    output: z.array(z.object({ name: z.string(), query: multiQuerySchema, createdAt: z.string() })),
    access: PERSONAL_DATA,
    audit: 'always',
  }),
  'query.saved': call({
    input: empty,
    output: z.array(z.object({ name: z.string(), query: multiQuerySchema, createdAt: z.string() })),
    access: PERSONAL_DATA,
    audit: 'refusals',
  }),
  // Rule parameters are the team's policy (rules.md §P): the catalogue with its defaults and their sources, and the
  // values regions set from a date on, each with its source. Values travel as the region file writes them (money in 元).
  'rules.parameters': call({
    input: empty,
    output: parameterOverviewSchema,
    access: PERSONAL_DATA,
    audit: 'refusals',
  }),
  'rules.setParameter': call({
    input: z
      .object({
        name: z.string().max(40),
        divisionPrefix: divisionPrefixSchema,
        effectiveFrom: dateSchema,
        value: z.unknown(),
        source: z.string().trim().min(2).max(300),
      })
      .strict(),
    output: parameterOverviewSchema,
    // Supervisors set the thresholds their region works to; auditors run with them.
    access: ['supervisor'],
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'rules.removeParameter': call({
    input: z.object({ name: z.string().max(40), divisionPrefix: divisionPrefixSchema, effectiveFrom: dateSchema }).strict(),
    output: parameterOverviewSchema,
    access: ['supervisor'],
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  // A region's whole set at once (a province's implementing rules); the file names its region, checked by the service.
  'rules.importParameters': call({
    input: z.object({ fileName: z.string().max(200), text: z.string().max(200_000) }).strict(),
    output: parameterOverviewSchema,
    access: ['supervisor'],
    audit: 'always',
    // The trail names the file; the values it set are in the team store with who set them.
    secretFields: ['text'],
  }),
  'rules.exportParameters': call({
    input: z.object({ divisionPrefix: divisionPrefixSchema, effectiveFrom: dateSchema }).strict(),
    output: z.object({ fileName: z.string(), text: z.string() }),
    access: ['supervisor'],
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'rules.customPreview': call({
    input: z.object({ rule: customRuleSchema }).strict(),
    output: z.object({ total: z.number(), byDivision: z.array(z.object({ code: z.string(), name: z.string(), persons: z.number() })) }),
    access: ['auditor', 'supervisor'],
    audit: 'always',
  }),
  'rules.customSave': call({
    input: z.object({ rule: customRuleSchema }).strict(),
    output: z.array(savedCustomRuleSchema),
    access: ['auditor', 'supervisor'],
    audit: 'always',
  }),
  'rules.customImport': call({
    input: z.object({ rules: z.array(customRuleSchema).min(1).max(100) }).strict(),
    output: z.array(savedCustomRuleSchema),
    access: ['auditor', 'supervisor'],
    audit: 'always',
  }),
  'rules.fields': call({
    input: empty,
    output: z.array(z.object({ table: z.string(), label: z.string(), columns: z.array(z.object({ column: z.string(), label: z.string(), kind: z.string() })) })),
    access: PERSONAL_DATA,
    audit: 'refusals',
    activity: false,
  }),
  'rules.customList': call({ input: empty, output: z.array(savedCustomRuleSchema), access: PERSONAL_DATA, audit: 'refusals' }),
  'quality.report': call({ input: empty, output: qualityReportSchema, access: PERSONAL_DATA, audit: 'always' }),
  'precheck.household': call({
    input: z
      .object({
        personIds: z.array(z.string().trim().min(1).max(32)).min(1).max(20),
        program: programSchema,
        divisionCode: z.string().regex(/^\d{12}$/, 'a 12-digit division code'),
      })
      .strict(),
    output: precheckResultSchema,
    access: PERSONAL_DATA,
    scope: 'divisionCode',
    audit: 'always',
  }),

  // ---- triage: the findings inbox, finding detail, cases, one person one file -----------------------------
  'inbox.page': call({
    input: z
      .object({
        filter: inboxFilterSchema,
        divisionPrefix: divisionPrefixSchema.optional(),
        sort: inboxSortSchema,
        offset: z.number().int().min(0).max(10_000_000),
        limit: z.number().int().min(1).max(500),
      })
      .strict(),
    output: z.object({ rows: z.array(inboxRowSchema), total: z.number() }),
    access: PERSONAL_DATA,
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'inbox.facets': call({
    input: z.object({ filter: inboxFilterSchema, divisionPrefix: divisionPrefixSchema.optional() }).strict(),
    output: facetsSchema,
    access: PERSONAL_DATA,
    scope: 'divisionPrefix',
    audit: 'refusals',
    activity: false,
  }),
  // The division tree for pickers (names, no personal data): every role, administrators included (they set scopes).
  'divisions.tree': call({
    input: empty,
    output: z.array(z.object({ prefix: z.string(), name: z.string(), level: z.number().int() })),
    access: 'session',
    audit: 'refusals',
    activity: false,
  }),
  'inbox.divisions': call({
    input: empty,
    output: z.array(z.object({ code: z.string(), name: z.string() })),
    access: PERSONAL_DATA,
    audit: 'refusals',
    activity: false,
  }),
  'inbox.views': call({ input: empty, output: z.array(savedViewSchema), access: PERSONAL_DATA, audit: 'refusals' }),
  'inbox.saveView': call({ input: z.object({ view: savedViewSchema }).strict(), output: z.array(savedViewSchema), access: PERSONAL_DATA, audit: 'always' }),
  'inbox.deleteView': call({ input: z.object({ name: z.string().max(60) }).strict(), output: z.array(savedViewSchema), access: PERSONAL_DATA, audit: 'always' }),
  'finding.detail': call({
    input: z.object({ fingerprint: fingerprintSchema }).strict(),
    output: findingDetailSchema,
    access: PERSONAL_DATA,
    scope: 'finding',
    audit: 'always',
  }),
  'case.act': call({
    input: z.object({ fingerprint: fingerprintSchema, expectedHead: z.string().max(64).nullable(), command: caseCommandSchema }).strict(),
    output: caseResultSchema,
    access: CASE_WORKERS,
    scope: 'finding',
    audit: 'always',
  }),
  'case.bulk': call({
    input: z
      .object({ fingerprints: z.array(fingerprintSchema).min(1).max(5000), command: caseCommandSchema, apply: z.boolean() })
      .strict(),
    output: bulkResultSchema,
    access: CASE_WORKERS,
    scope: 'findings',
    audit: 'always',
  }),
  'case.policy': call({ input: empty, output: z.object({ approvalThresholdCents: z.number() }), access: PERSONAL_DATA, audit: 'refusals', activity: false }),
  'case.refusedEvents': call({ input: empty, output: z.array(refusedCaseEventSchema), access: ['supervisor'], audit: 'always' }),
  'case.setPolicy': call({
    input: z.object({ approvalThresholdCents: z.number().int().min(0).max(1e10) }).strict(),
    output: z.object({ approvalThresholdCents: z.number() }),
    access: ['supervisor'],
    audit: 'always',
  }),
  // ---- dynamic monitoring: warnings and their closed loop (monitoring.md) ----------------------------------
  'monitoring.status': call({ input: empty, output: monitorStatusSchema, access: PERSONAL_DATA, audit: 'refusals', activity: false }),
  'monitoring.run': call({ input: empty, output: monitorRunSummarySchema, access: CASE_WORKERS, audit: 'always' }),
  'monitoring.page': call({
    input: z.object({ filter: warningFilterSchema, offset: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(500) }).strict(),
    output: z.object({ rows: z.array(warningRowSchema), total: z.number() }),
    access: CASE_WORKERS,
    audit: 'always',
  }),
  'monitoring.facets': call({ input: z.object({ filter: warningFilterSchema }).strict(), output: warningFacetsSchema, access: CASE_WORKERS, audit: 'refusals', activity: false }),
  'monitoring.detail': call({ input: z.object({ warningId: warningIdSchema }).strict(), output: warningDetailSchema, access: CASE_WORKERS, scope: 'warning', audit: 'always' }),
  'monitoring.act': call({
    input: z.object({ warningId: warningIdSchema, expectedHead: z.string().max(64).nullable(), command: warningCommandSchema }).strict(),
    output: warningDetailSchema,
    access: CASE_WORKERS,
    scope: 'warning',
    audit: 'always',
  }),
  // Supervisors assign (and reassign), one warning or many; `apply: false` previews.
  'monitoring.assign': call({
    input: z.object({ warningIds: z.array(warningIdSchema).min(1).max(5000), assigneeId: z.string().min(1).max(64), apply: z.boolean() }).strict(),
    output: assignResultSchema,
    access: ['supervisor'],
    scope: 'warnings',
    audit: 'always',
  }),
  'monitoring.audit': call({ input: empty, output: auditViewsSchema, access: ['supervisor'], audit: 'always' }),
  'team.members': call({
    input: empty,
    output: z.array(z.object({ id: z.string(), displayName: z.string(), role: roleSchema })),
    access: PERSONAL_DATA,
    audit: 'refusals',
    activity: false,
  }),
  'learning.stats': call({ input: empty, output: learningSchema, access: ['supervisor'], audit: 'always' }),
  'person.file': call({
    input: z.object({ personRef: personRefSchema }).strict(),
    output: personFileSchema,
    access: PERSONAL_DATA,
    scope: 'personRef',
    audit: 'always',
  }),
  // 查人 in the top bar: a whole ID number or a name, inside the caller's scope (audited with what was searched).
  'person.find': call({
    input: z.object({ query: z.string().trim().min(2).max(32) }).strict(),
    output: z.array(z.object({ personRef: personRefSchema, name: z.string(), idLabel: z.string(), divisionName: z.string().nullable() })),
    access: PERSONAL_DATA,
    audit: 'always',
    // What was typed is a name or an ID number: the trail records the search, not it (opening a file is audited by person).
    secretFields: ['query'],
  }),
  'person.reveal': call({
    // The reason (查询事由) is required and goes into the audit entry with the person.
    input: z.object({ personRef: personRefSchema, reason: z.string().trim().min(2).max(200) }).strict(),
    output: z.object({ idNumber: z.string() }),
    access: CASE_WORKERS,
    scope: 'personRef',
    audit: 'always',
  }),
  // ---- exports -------------------------------------------------------------------------------------------
  /** The 监测预警 list as filtered (an audit view included), exported like the findings list. */
  'export.warnings': call({
    input: z
      .object({
        format: z.enum(['csv', 'xlsx', 'pdf']),
        purpose: z.string().trim().min(2, 'state the purpose').max(200),
        recipient: z.string().trim().max(100).optional(),
        filter: warningFilterSchema,
      })
      .strict(),
    output: exportResultSchema,
    access: CASE_WORKERS,
    audit: 'always',
  }),
  'export.findings': call({
    input: findingsExportInput.extend({ approvalId: z.string().uuid().optional() }).strict(),
    output: exportResultSchema,
    access: PERSONAL_DATA,
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'export.person': call({
    input: dossierExportInput.extend({ personRef: personRefSchema }).strict(),
    output: exportResultSchema,
    access: PERSONAL_DATA,
    scope: 'personRef',
    audit: 'always',
  }),
  'export.case': call({
    input: dossierExportInput.extend({ fingerprint: fingerprintSchema }).strict(),
    output: exportResultSchema,
    access: PERSONAL_DATA,
    scope: 'finding',
    audit: 'always',
  }),
  'export.requestApproval': call({
    input: findingsExportInput.strict(),
    output: z.object({ requestId: z.string(), rows: z.number() }),
    access: PERSONAL_DATA,
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'export.requests': call({
    input: empty,
    output: z.array(exportRequestSchema),
    access: PERSONAL_DATA,
    audit: 'refusals',
  }),
  'export.decide': call({
    input: z.object({ requestId: z.string().uuid(), approve: z.boolean(), note: z.string().trim().max(200).optional() }).strict(),
    output: exportRequestSchema,
    access: ['supervisor'],
    audit: 'always',
  }),
  'export.policy': call({ input: empty, output: exportPolicySchema, access: PERSONAL_DATA, audit: 'refusals', activity: false }),
  'export.setPolicy': call({
    input: z.object({ maxRowsWithoutApproval: z.number().int().min(1).max(10_000_000) }).strict(),
    output: exportPolicySchema,
    access: ['supervisor'],
    audit: 'always',
  }),
  'export.mine': call({
    input: empty,
    output: z.array(registeredExportSchema),
    access: PERSONAL_DATA,
    audit: 'refusals',
  }),
  'export.register': call({
    input: z.object({ userId: z.string().max(64).optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(registeredExportSchema),
    access: ['supervisor'],
    audit: 'always',
  }),
  /** Which registered exports contained a finding (by its keyed identity mark), for a supervisor looking into a leak. */
  'export.ofFinding': call({
    input: z.object({ fingerprint: fingerprintSchema }).strict(),
    output: z.array(registeredExportSchema),
    access: ['supervisor'],
    scope: 'finding',
    audit: 'always',
  }),
  'export.trace': call({
    input: z.union([
      z.object({ fileName: z.string().trim().min(1).max(260), base64: z.string().min(4).max(MAX_LEAK_BASE64, 'the file is larger than 16 MiB: trace it with `npm run cli -- trace`') }).strict(),
      z.object({ text: z.string().min(1).max(MAX_LEAK_BASE64) }).strict(),
    ]),
    output: leakTraceSchema,
    access: ['supervisor'],
    audit: 'always',
    // The leaked rows are personal data: the audit entry names the file by its hash (export.traced), never its content.
    secretFields: ['base64', 'text'],
  }),
  'team.pendingMembers': call({ input: empty, output: z.array(accountSummarySchema), access: ['supervisor'], audit: 'refusals' }),
  /** Who holds the team key (founders and activated members) within the supervisor's scope, and who let each in. */
  'team.keyHolders': call({ input: empty, output: z.array(teamMemberSchema), access: ['supervisor'], audit: 'refusals' }),
  'team.activateMember': call({
    input: z.object({ accountId: z.string().min(1).max(64) }).strict(),
    output: z.array(accountSummarySchema),
    access: ['supervisor'],
    audit: 'always',
  }),
  'report.dashboard': call({
    input: z.object({ divisionPrefix: divisionPrefixSchema.optional() }).strict(),
    output: dashboardSchema,
    access: ['supervisor'],
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'report.spending': call({
    input: z.object({ divisionPrefix: divisionPrefixSchema.optional(), through: periodSchema.optional() }).strict(),
    output: spendingReviewSchema,
    access: ['supervisor', 'finance'],
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'report.payments': call({
    input: z
      .object({
        divisionPrefix: divisionPrefixSchema.optional(),
        rule: z.enum(['F-AFTER-DEATH', 'F-AFTER-EXIT', 'F-DUPLICATE', 'F-AMOUNT', 'R-LINSHI']).optional(),
        program: z.string().max(40).optional(),
        street: z.string().regex(/^\d{9}$/).optional(),
        period: periodSchema.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    output: z.array(flaggedPaymentSchema),
    access: ['supervisor', 'finance'],
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'report.monthly': call({
    input: z
      .object({
        period: periodSchema,
        sections: reportSectionsSchema,
        format: z.enum(['pdf', 'xlsx']),
        purpose: z.string().trim().min(2, 'state the purpose').max(200),
        recipient: z.string().trim().max(100).optional(),
        divisionPrefix: divisionPrefixSchema.optional(),
      })
      .strict(),
    output: exportResultSchema,
    access: ['supervisor', 'finance'],
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  /** The monthly report on screen (the same model the PDF and xlsx are written from): aggregates only, audited. */
  'report.preview': call({
    input: z.object({ period: periodSchema, sections: reportSectionsSchema, divisionPrefix: divisionPrefixSchema.optional() }).strict(),
    output: reportSchema,
    access: ['supervisor', 'finance'],
    scope: 'divisionPrefix',
    audit: 'always',
  }),
  'backup.status': call({ input: empty, output: backupStatusSchema, access: 'session', audit: 'refusals' }),
  'backup.run': call({
    input: z.object({ folder: folderSchema, password: z.string().min(1).max(256) }).strict(),
    output: backupRunResultSchema,
    access: 'session',
    audit: 'always',
    secretFields: ['password'],
  }),
  'backup.sets': call({ input: z.object({ folder: folderSchema }).strict(), output: z.array(backupSetSchema), access: 'session', audit: 'refusals' }),
  'backup.verify': call({
    input: z.object({ dir: folderSchema, password: z.string().min(1).max(256).optional(), recoveryCode: recoveryCodeSchema.optional() }).strict(),
    output: z.array(pieceCheckSchema),
    access: 'session',
    audit: 'always',
    secretFields: ['password', 'recoveryCode'],
  }),
  'backup.restore': call({
    input: z
      .object({
        dir: folderSchema,
        password: z.string().min(1).max(256),
        backupPassword: z.string().min(1).max(256).optional(),
        recoveryCode: recoveryCodeSchema.optional(),
      })
      .strict(),
    output: restoreResultSchema,
    access: 'session',
    audit: 'always',
    secretFields: ['password', 'backupPassword', 'recoveryCode'],
  }),
} as const satisfies Record<string, CallSpec>;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<K extends CallName> = z.input<Contract[K]['input']>;
export type ParsedInput<K extends CallName> = z.output<Contract[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Contract[K]['output']>;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
