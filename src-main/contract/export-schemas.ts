/** Schemas of the export calls: the register of exports and leak tracing. */
import { z } from 'zod';

/** A leaked file up to 16 MiB (bigger ones: `npm run cli -- trace FILE`). */
export const MAX_LEAK_BASE64 = Math.ceil((16 * 1024 * 1024 * 4) / 3) + 4;

/** Who asked for what, and why: common to a registered export and to a request to approve one. */
const exportAskSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  kind: z.string(),
  format: z.string(),
  purpose: z.string(),
  recipient: z.string().nullable(),
});

export const registeredExportSchema = exportAskSchema.extend({
  exportId: z.string(),
  createdAt: z.string(),
  status: z.enum(['writing', 'complete', 'abandoned']),
  rowCount: z.number().nullable(),
  fileName: z.string().nullable(),
  fileSha256: z.string().nullable(),
  approvalId: z.string().nullable(),
});

export const leakTraceSchema = z.object({
  format: z.enum(['xlsx', 'csv', 'text']),
  fileSha256: z.string(),
  dataRows: z.number(),
  unexplainedRows: z.number(),
  candidates: z.array(
    registeredExportSchema.extend({
      rowsByMark: z.number(),
      rowsByTag: z.number(),
      rows: z.number(),
      score: z.number(),
      attributed: z.boolean(),
      evidence: z.enum(['row_marks', 'tags_only']),
      sampleMarks: z.array(z.string()),
    }),
  ),
  /** Export ids the file states about itself (banner, hidden sheet): `known` when the register has them. Unverified. */
  stated: z.array(z.object({ exportId: z.string(), known: z.boolean() })),
});

export const exportRequestSchema = exportAskSchema.extend({
  requestId: z.string(),
  requestedAt: z.string(),
  /** The query as asked, for the supervisor to judge (filter, division, sort). */
  query: z.unknown(),
  rows: z.number(),
  state: z.enum(['pending', 'approved', 'rejected', 'used']),
  decidedName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
  exportId: z.string().nullable(),
});

/** The limit in force, and a raise one supervisor proposed that another must confirm (by asking for the same value). */
export const exportPolicySchema = z.object({
  maxRowsWithoutApproval: z.number(),
  proposal: z.object({ rows: z.number(), byName: z.string(), at: z.string() }).nullable(),
});
