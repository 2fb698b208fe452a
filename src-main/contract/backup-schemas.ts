/** Schemas of the backup calls (backup.*). */
import { z } from 'zod';
import { reasonDetailSchema } from './reason-schema.js';

/** A folder on this computer (a USB drive, a network share): absolute, no control characters. */
export const folderSchema = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'give the whole path of the folder (for example /media/usb or E:\\)')
  // eslint-disable-next-line no-control-regex
  .refine((p) => !/[\u0000-\u001f]/.test(p), 'the path contains control characters');

const pieceSchema = z.object({
  piece: z.number().int(),
  kind: z.enum(['full', 'incremental']),
  createdAt: z.string().nullable(),
  auditHeadSeq: z.number().int().nullable(),
  bytes: z.number().int(),
  problem: z.string().nullable(),
  /** The problem in the user's words (reasons.pieceProblems.*). */
  why: reasonDetailSchema.nullable(),
});

export const backupSetSchema = z.object({
  dir: z.string(),
  setId: z.string(),
  username: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  escrow: z.boolean(),
  pieces: z.array(pieceSchema),
});

export const backupStatusSchema = z.object({
  last: z.object({ at: z.string(), piece: z.number().int(), kind: z.string(), pages: z.number().int(), bytes: z.number().int(), dir: z.string() }).nullable(),
  escrow: z.boolean(),
});

export const backupRunResultSchema = z.object({
  setId: z.string(),
  dir: z.string(),
  piece: z.number().int(),
  kind: z.enum(['full', 'incremental']),
  pages: z.number().int(),
  bytes: z.number().int(),
  ms: z.number(),
  auditHeadSeq: z.number().int(),
  escrow: z.boolean(),
});

export const pieceCheckSchema = z.object({
  piece: z.number().int(),
  kind: z.enum(['full', 'incremental']),
  createdAt: z.string().nullable(),
  ok: z.boolean(),
  problem: z.string().nullable(),
  why: reasonDetailSchema.nullable(),
});

export const restoreResultSchema = z.object({
  setId: z.string(),
  restoredPiece: z.number().int(),
  backedUpAt: z.string(),
  piecesInSet: z.number().int(),
  stoppedAt: z.object({ piece: z.number().int(), reason: z.string(), why: reasonDetailSchema }).nullable(),
  team: z.enum(['restored', 'kept', 'not_in_backup', 'no_access']),
  teamMessage: z.string().nullable(),
  auditEntries: z.number().int(),
  reenrolRequired: z.boolean(),
});

export const recoveryCodeSchema = z.string().trim().min(52).max(80);
