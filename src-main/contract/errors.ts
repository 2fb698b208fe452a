/** Error codes every transport carries unchanged to the renderer, which shows a translated message per code. */
export const ERROR_CODES = [
  'UNKNOWN_CALL',
  'INVALID_INPUT',
  'NO_SESSION',
  'LOCKED',
  'PASSWORD_CHANGE_REQUIRED',
  'FORBIDDEN_ROLE',
  'OUT_OF_SCOPE',
  'BAD_CREDENTIALS',
  'THROTTLED',
  'ACCOUNT_DISABLED',
  'ACCOUNT_TAMPERED',
  'ALREADY_INITIALIZED',
  'CONFLICT',
  'NOT_FOUND',
  'NO_SNAPSHOT',
  'NO_TEAM_ACCESS',
  'CASE_REFUSED',
  'WARNING_REFUSED',
  'EXPORT_TOO_LARGE',
  'EXPORT_NOT_APPROVED',
  'AUDIT_ROLLED_BACK',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class CallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** The service already wrote a more specific audit entry; the choke point need not add another. */
    readonly audited = false,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

export { because, ERROR_REASONS, type ErrorReason, type ReasonDetail } from '../domain/reasons.js';

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };
