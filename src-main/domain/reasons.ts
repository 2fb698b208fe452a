/**
 * A refusal's particular cause, said in the user's language by the renderer: a key under `reasons.` in resources/i18n
 * (both languages) and its parameters, carried in `details.reason` / `details.params`. A parameter may itself be a
 * reason (the cause inside a cause: 无法连接… because 对方拒绝连接). The error's `message` stays for logs and the CLI;
 * the renderer never shows it.
 */
export const ERROR_REASONS = [
  'backupFolderMissing',
  'folderMissing',
  'notBackupSet',
  'backupSetDamaged',
  'backupSetFormat',
  'recoveryCodeMalformed',
  'recoveryCodeWrong',
  'backupPasswordWrong',
  'backupSetNotOwn',
  'restoreOtherWindow',
  'platformTokenRefused',
  'platformMissingFile',
  'platformNoKey',
  'platformKeyDiffers',
  'manifestDamaged',
  'manifestSignature',
  'fingerprintMismatch',
  'notEnrolled',
  'syncRunning',
  'syncFailed',
  'syncRefused',
  'auditRolledBack',
  'platformUrlInvalid',
  'plainHttp',
  'httpsOnly',
  'pinsNeedHttps',
  'tlsFingerprintFormat',
  'caFormat',
  'caUnreadable',
  'tlsNotPinnedCa',
  'tlsFingerprintMismatch',
  'tlsUnverified',
  'noCertificate',
  'platformUnreachable',
  'platformUnreachableOther',
  'unreachable.ECONNREFUSED',
  'unreachable.ENOTFOUND',
  'unreachable.EAI_AGAIN',
  'unreachable.ETIMEDOUT',
  'unreachable.ECONNRESET',
  'unreachable.EHOSTUNREACH',
  'unreachable.badPort',
  'nothingToRestore',
  'pieceProblems.not_a_piece',
  'pieceProblems.damaged',
  'pieceProblems.truncated',
  'pieceProblems.wrong_key',
  'pieceProblems.renamed',
  'pieceProblems.does_not_fit',
  'pieceProblems.missing',
  'pieceProblems.no_intact_full',
  'pieceProblems.no_full',
  'pieceProblems.no_workspace',
  'syncRefusals.PLATFORM_KEY_CHANGED',
  'syncRefusals.BAD_SIGNATURE',
  'syncRefusals.UNKNOWN_FORMAT',
  'syncRefusals.UNKNOWN_SCHEMA',
  'syncRefusals.WRONG_JURISDICTION',
  'syncRefusals.ROLLBACK',
  'syncRefusals.NOT_ENROLLED',
  'syncRefusals.HASH_MISMATCH',
  'syncRefusals.INTEGRITY',
  'syncRefusals.DIGEST_MISMATCH',
  'syncRefusals.DELTA_MISMATCH',
  'syncRefusals.NETWORK',
  'syncRefusals.PLATFORM_TLS',
  'syncRefusals.AUDIT_ROLLED_BACK',
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];
export type ReasonDetail = {
  reason: ErrorReason;
  params?: Record<string, string | number | ReasonDetail>;
};

/** `details` of a CallError whose cause the user is told in their own words (see ERROR_REASONS). */
export function because(reason: ErrorReason, params?: ReasonDetail['params']): ReasonDetail {
  return params ? { reason, params } : { reason };
}
