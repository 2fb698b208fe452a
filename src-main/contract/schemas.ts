/** Shared value schemas: one definition of what a username, a scope or an ID number looks like. */
import { z } from 'zod';
import { reasonDetailSchema } from './reason-schema.js';
import { isKnownTimeZone } from '../domain/local-time.js';
import { isDivisionPrefix } from '../domain/division.js';
import { isValidIdNumber } from '../domain/id-number.js';
import { PROGRAM_CODES } from '../domain/programs.js';
import { ROLES } from '../domain/roles.js';

export const roleSchema = z.enum(ROLES);

/** A text the service says in both languages, for the screen to show in its user's (switching needs no new call). */
export const bilingualSchema = z.object({ zh: z.string(), en: z.string() });
export const languageSchema = z.enum(['zh-CN', 'en']);
export const timeZoneSettingSchema = z.string().max(64).refine((v) => v === 'system' || isKnownTimeZone(v), 'not a known time zone');
/** The zone of the client's machine at login (what 跟随系统 follows there); an unknown name is ignored, not refused. */
export const clientTimeZoneSchema = z.string().max(64).optional();
export const programSchema = z.enum(PROGRAM_CODES);

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '3–32 letters, digits, dot, dash or underscore');
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(256);
export const displayNameSchema = z.string().trim().min(1).max(64);

export const divisionPrefixSchema = z
  .string()
  .refine(isDivisionPrefix, 'a division prefix of 2, 4, 6, 9 or 12 digits');
export const scopeSchema = z.array(divisionPrefixSchema).max(200);

export const personIdSchema = z.string().refine(isValidIdNumber, 'a valid 18-character resident ID number');

export const sessionInfoSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  scope: z.array(z.string()),
  state: z.enum(['active', 'locked']),
  mustChangePassword: z.boolean(),
  idleLockMinutes: z.number().int(),
  language: languageSchema,
  /** The zone times are shown in (resolved), and what the user chose ('system' = the OS's). */
  timeZone: z.string(),
  timeZoneSetting: z.string(),
  /** The zone the workstation's OS is in (what 跟随系统 means): the service's, which stamps exports and reports. */
  systemTimeZone: z.string(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const accountSummarySchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  scope: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  mustChangePassword: z.boolean(),
  failedLogins: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

/** A holder of the team key as the team store records it (where an administrator cannot write). */
export const teamMemberSchema = z.object({
  account: accountSummarySchema,
  kind: z.enum(['founding', 'activated']),
  /** The supervisor who activated the member (null for founders). */
  byDisplayName: z.string().nullable(),
  at: z.string(),
});
export type TeamMemberView = z.infer<typeof teamMemberSchema>;

/**
 * When an audit entry's call was about a finding (its target is the fingerprint): the finding named as the inbox names
 * it, the subject masked for the viewer's role — `label` null when it lies outside the viewer's scope or is gone.
 */
export const auditFindingSchema = z.object({
  fingerprint: z.string(),
  label: z
    .object({
      ruleId: z.string(),
      ruleName: z.object({ zh: z.string(), en: z.string() }),
      subjectName: z.string().nullable(),
      subjectLabel: z.string(),
      divisionName: z.string().nullable(),
      title: z.string().nullable(),
    })
    .nullable(),
});

export const auditEntryViewSchema = z.object({
  seq: z.number().int(),
  ts: z.string(),
  username: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['ok', 'denied', 'failed', 'error']),
  /** What the entry records, in words (services/audit-presentation.ts). */
  details: z.array(z.object({ label: z.string(), value: z.string() })),
  finding: auditFindingSchema.nullable().optional(),
});
export type AuditEntryView = z.infer<typeof auditEntryViewSchema>;

export const chainVerificationSchema = z.object({
  checked: z.number().int(),
  firstBreak: z
    .object({ seq: z.number().int(), reason: z.enum(['sequence_gap', 'prev_hash_mismatch', 'hash_mismatch', 'mac_mismatch', 'signature_mismatch', 'anchor_mismatch', 'truncated']) })
    .nullable(),
});

export const snapshotInfoSchema = z.object({
  snapshotId: z.string(),
  asOf: z.string(),
  jurisdiction: z.array(z.string()),
  createdAt: z.string(),
  source: z.enum(['demo', 'synced']),
});
export type SnapshotInfo = z.infer<typeof snapshotInfoSchema>;

export const homeSummarySchema = z.object({
  snapshot: snapshotInfoSchema.nullable(),
  divisionPrefix: z.string().nullable(),
  effectiveScope: z.array(z.string()),
  divisions: z.array(z.object({ code: z.string(), name: z.string() })),
  /** The snapshot's counties by name, those outside the user's scope too (a name is not personal data): 六合区, not 320116. */
  jurisdictionNames: z.array(z.object({ prefix: z.string(), name: z.string() })),
  counts: z.object({
    persons: z.number().int(),
    households: z.number().int(),
    activeEnrollments: z.number().int(),
    byProgram: z.array(z.object({ program: programSchema, persons: z.number().int() })),
  }),
});
export type HomeSummary = z.infer<typeof homeSummarySchema>;


export const syncStatusSchema = z.object({
  enrolled: z.boolean(),
  platformUrl: z.string().nullable(),
  fingerprint: z.string().nullable(),
  platformTls: z.object({ caSubject: z.string().nullable(), certificateFingerprint: z.string().nullable() }).nullable(),
  jurisdiction: z.array(z.string()),
  deviceId: z.string().nullable(),
  devicePublicKey: z.string().nullable(),
  enrolment: z.enum(['online', 'pending', 'manual']).nullable(),
  running: z.boolean(),
  progress: z
    .object({
      phase: z.enum(['checking', 'downloading', 'assembling', 'verifying', 'installing', 'uploading', 'done']),
      bytesDone: z.number(),
      bytesTotal: z.number(),
      file: z.string().optional(),
    })
    .nullable(),
  lastSync: z
    .object({
      at: z.string(),
      outcome: z.enum(['installed', 'up_to_date', 'refused', 'failed']),
      message: z.string(),
      /** The cause in the user's words (contract/errors.ts: ERROR_REASONS), translated by the renderer. */
      reason: reasonDetailSchema.optional(),
      snapshotId: z.string().nullable(),
      via: z.string().nullable(),
      cases: z
        .object({
          status: z.enum(['done', 'unsupported', 'failed']),
          sent: z.number(),
          received: z.number(),
          skipped: z.number(),
          // The platform had lost what it acknowledged (restored from an earlier copy): what this sync sent again.
          resent: z.object({ events: z.number(), exports: z.number() }).optional(),
        })
        .optional(),
      exports: z.object({ status: z.enum(['done', 'unsupported', 'failed']), exports: z.number() }).optional(),
    })
    .nullable(),
  snapshot: snapshotInfoSchema.nullable(),
});
export type SyncStatusView = z.infer<typeof syncStatusSchema>;

export const checkStatusSchema = z.object({
  running: z.boolean(),
  progress: z.object({ ruleId: z.string(), done: z.number(), total: z.number() }).nullable(),
  lastRun: z
    .object({
      runId: z.number(),
      snapshotId: z.string(),
      asOf: z.string(),
      startedAt: z.string(),
      finishedAt: z.string(),
      newCount: z.number(),
      persistingCount: z.number(),
      resolvedCount: z.number(),
      /**
       * Who ran it (display name; null: no longer registered here) and whether it was the viewer. It may be a colleague's
       * run over a wider area (`scope`, null: the whole snapshot) that covered the viewer's: its counts are then those
       * inside the viewer's scope.
       */
      runByName: z.string().nullable(),
      byMe: z.boolean(),
      scope: z.array(z.object({ prefix: z.string(), name: z.string().nullable() })).nullable(),
      rules: z.array(
        z.object({
          id: z.string(),
          version: z.number(),
          parameters: z.record(z.string(), z.unknown()),
          regional: z.array(z.object({ region: z.string(), parameters: z.record(z.string(), z.unknown()) })).optional(),
          count: z.number(),
          ms: z.number(),
          /** Not run for want of these feeds (rules.md §F). */
          missingFeeds: z.array(z.string()).optional(),
          /** The same, by the data's names in both languages. */
          missingFeedNames: z.array(bilingualSchema).optional(),
          /** Ran, but part of it did not for want of these parameters (no national default, none set here). */
          missingParameters: z.array(z.string()).optional(),
          missingParameterNames: z.array(z.string()).optional(),
          /** Read back from the snapshot: its build ran the rule with these same values (ms is the reading). */
          storedAtBuild: z.literal(true).optional(),
          /** The same in both languages, for the screen to say in the user's. */
          missingParameterLabels: z.array(z.object({ zh: z.string(), en: z.string() })).optional(),
        }),
      ),
      /** The regional parameter values in force at the run's date, with their sources (money in cents). */
      parameterValues: z.array(
        z.object({
          name: z.string(),
          label: z.object({ zh: z.string(), en: z.string() }),
          divisionPrefix: z.string(),
          effectiveFrom: z.string(),
          value: z.unknown(),
          text: bilingualSchema,
          source: z.string(),
          sourceText: bilingualSchema,
        }),
      ),
    })
    .nullable(),
  /** Runs after lastRun that checked part of the viewer's scope: the findings they touched are newer than lastRun's. */
  partialRunsSince: z.array(z.object({ finishedAt: z.string(), runByName: z.string().nullable(), byMe: z.boolean(), scope: z.array(z.object({ prefix: z.string(), name: z.string().nullable() })).nullable() })),
  byRule: z.array(z.object({ ruleId: z.string(), open: z.number(), new: z.number(), persisting: z.number(), resolved: z.number(), amountCents: z.number() })),
  error: z.string().nullable(),
});
export type CheckStatusView = z.infer<typeof checkStatusSchema>;

export const precheckResultSchema = z.object({
  outcome: z.enum(['pass', 'fail', 'undetermined', 'invalid_input']),
  pass: z.boolean(),
  inputProblems: z.array(z.object({ position: z.number(), masked: z.string(), problem: z.enum(['too_short', 'too_long', 'characters', 'birth_date', 'check_digit']) })),
  program: z.string(),
  asOf: z.string(),
  reasons: z.array(z.object({ code: z.string(), personId: z.string().optional(), details: z.record(z.string(), z.unknown()).optional() })),
  figures: z.object({ members: z.number(), months: z.number(), incomeCents12m: z.number(), thresholdCents: z.number() }).nullable(),
  ms: z.number(),
  /** The applicant household's open monitoring warnings in the caller's scope (auditors and supervisors; else empty). */
  warnings: z.array(
    z.object({
      warningId: z.string(),
      level: z.enum(['red', 'orange', 'yellow']),
      signals: z.array(z.string()),
      state: z.enum(['pushed', 'assigned', 'visited', 'decided', 'fed_back']),
      daysLeft: z.number().nullable(),
      overdue: z.enum(['visit', 'decide']).nullable(),
      streetName: z.string().nullable(),
    }),
  ),
});
export type PrecheckResultView = z.infer<typeof precheckResultSchema>;

export const qualityReportSchema = z.object({
  snapshotId: z.string(),
  asOf: z.string(),
  /** Tables and columns with their Chinese names (domain/exchange/vocabulary.ts). */
  tables: z.array(z.object({ table: z.string(), label: z.string(), rows: z.number(), columns: z.array(z.object({ column: z.string(), label: z.string(), empty: z.number() })) })),
  /** Each Q-rule's count and a few examples, said in words with ID numbers masked. */
  checks: z.array(z.object({ ruleId: z.string(), count: z.number(), examples: z.array(z.string()) })),
  freshness: z.array(z.object({ table: z.string(), label: z.string(), newest: z.string().nullable() })),
  uniqueness: z.literal('enforced'),
});
export type QualityReportView = z.infer<typeof qualityReportSchema>;

export const fieldConditionSchema = z
  .object({
    table: z.string().regex(/^[a-z_]{3,30}$/),
    column: z.string().regex(/^[a-z_]{2,40}$/),
    op: z.enum(['=', '<>', '>', '<', '>=', '<=']),
    value: z.union([z.string().max(100), z.number()]),
  })
  .strict();

export const multiQuerySchema = z
  .object({
    fields: z.array(fieldConditionSchema).max(8).optional(),
    programs: z.array(programSchema).max(PROGRAM_CODES.length).optional(),
    householdProgram: programSchema.optional(),
    ageMin: z.number().int().min(0).max(130).optional(),
    ageMax: z.number().int().min(0).max(130).optional(),
    gender: z.enum(['1', '2']).optional(),
    disabilityLevels: z.array(z.number().int().min(1).max(4)).max(4).optional(),
  })
  .strict();
export type MultiQueryView = z.infer<typeof multiQuerySchema>;

export const multiQueryResultSchema = z.object({
  byDivision: z.array(z.object({ code: z.string(), name: z.string(), persons: z.number() })),
  // An opaque reference and the masked ID number, never the full number (person.reveal is the audited way to it);
  // names masked for finance staff.
  persons: z.array(
    z.object({
      personRef: z.string(),
      personLabel: z.string(),
      name: z.string(),
      gender: z.string(),
      birthDate: z.string(),
      householdId: z.string(),
      divisionCode: z.string(),
      divisionName: z.string().nullable(),
    }),
  ),
  total: z.number(),
});
export type MultiQueryResultView = z.infer<typeof multiQueryResultSchema>;

/** A rule an auditor or supervisor writes: building blocks (never SQL), with an id starting "U-". */
export const customRuleSchema = z
  .object({
    id: z.string().regex(/^U-[A-Z0-9]+(-[A-Z0-9]+)*$/).max(32),
    name: z.object({ zh: z.string().trim().min(1).max(40), en: z.string().trim().max(60) }).strict(),
    severity: z.enum(['high', 'medium', 'low']),
    policy: z.string().max(500),
    query: multiQuerySchema,
  })
  .strict();
export type CustomRuleView = z.infer<typeof customRuleSchema>;
export const savedCustomRuleSchema = z.object({ rule: customRuleSchema, version: z.number(), savedBy: z.string(), savedAt: z.string() });

/** A calendar date as YYYY-MM-DD. */
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/**
 * Rule parameters (rules.md §P) as 规则核查 shows them: the catalogue — each parameter's names, its policy default and
 * the document behind it, the rules that read it — and the values regions set, each with its source and in words.
 */
export const parameterOverviewSchema = z.object({
  catalogue: z.array(
    z.object({
      name: z.string(),
      label: z.object({ zh: z.string(), en: z.string() }),
      type: z.string(),
      unit: z.object({ zh: z.string(), en: z.string() }),
      nullable: z.boolean(),
      /** The default as the region file writes it, and in words. */
      default: z.unknown(),
      defaultText: bilingualSchema,
      source: z.string(),
      sourceText: bilingualSchema,
      rules: z.array(z.object({ id: z.string(), name: z.object({ zh: z.string(), en: z.string() }) })),
    }),
  ),
  values: z.array(
    z.object({
      name: z.string(),
      divisionPrefix: z.string(),
      effectiveFrom: z.string(),
      value: z.unknown(),
      text: bilingualSchema,
      source: z.string(),
      sourceText: bilingualSchema,
      setBy: z.string(),
      setAt: z.string(),
    }),
  ),
});
