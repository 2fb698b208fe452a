/**
 * The platform's receipt for an audit chain head: which device (one user on one workstation) had which head when.
 * Signed with the platform's key, so a workstation can keep it as proof and a rolled-back workspace cannot forge one.
 */
export interface AuditReceiptBody {
  deviceId: string;
  seq: number;
  hash: string;
  receivedAt: string;
}

export interface SignedAuditReceipt {
  body: AuditReceiptBody;
  /** Ed25519 over canonicalReceipt(body), base64. */
  signature: string;
}

export function canonicalReceipt(body: AuditReceiptBody): Buffer {
  return Buffer.from(JSON.stringify(['aw-audit-receipt-v1', body.deviceId, body.seq, body.hash, body.receivedAt]), 'utf8');
}

export function isReceiptBody(value: unknown): value is AuditReceiptBody {
  const v = value as Partial<AuditReceiptBody> | null;
  return !!v && typeof v.deviceId === 'string' && Number.isInteger(v.seq) && (v.seq ?? 0) > 0 && typeof v.hash === 'string' && /^[0-9a-f]{64}$/.test(v.hash) && typeof v.receivedAt === 'string';
}
