/**
 * The audit chain's maths: how an entry is hashed, linked to its predecessor and MAC'd, and how a sequence of
 * stored entries is verified. Storage lives in store/workspace; this module never touches a database.
 *
 * hash_n = SHA-256(canonical(seq, ts, userId, username, action, target, outcome, detail, hash_{n-1}))
 * mac_n  = HMAC-SHA-256(auditKey, hash_n)          (the audit key never leaves the encrypted workspace)
 *
 * Editing any field breaks hash_n; recomputing hash_n after an edit breaks mac_n (the key is needed);
 * deleting or reordering entries breaks the seq run and the prev-hash link of the next entry.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditOutcome = 'ok' | 'denied' | 'failed' | 'error';

/** What a caller supplies; the chain adds seq, ts and the links. */
export interface AuditEvent {
  userId: string | null;
  username: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  /** Free-form structured detail, stored as canonical JSON. */
  detail?: Record<string, unknown> | null;
}

export interface AuditEntry {
  seq: number;
  ts: string;
  userId: string | null;
  username: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  detail: string | null;
  prevHash: string;
  hash: string;
  mac: string;
}

export type AuditBreak = {
  seq: number;
  reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'mac_mismatch' | 'anchor_mismatch' | 'truncated';
};

export interface ChainHead {
  seq: number;
  hash: string;
}

export function canonicalDetail(detail: Record<string, unknown> | null | undefined): string | null {
  if (detail === null || detail === undefined) return null;
  return JSON.stringify(sortKeys(detail));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function entryHash(e: Omit<AuditEntry, 'hash' | 'mac'>): string {
  const canonical = JSON.stringify([
    e.seq,
    e.ts,
    e.userId,
    e.username,
    e.action,
    e.target,
    e.outcome,
    e.detail,
    e.prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export function entryMac(auditKey: Uint8Array, hash: string): string {
  return createHmac('sha256', auditKey).update(hash, 'utf8').digest('hex');
}

/** Builds the next entry after `head` (null for an empty chain). */
export function sealEntry(auditKey: Uint8Array, head: ChainHead | null, event: AuditEvent, ts: string): AuditEntry {
  const base = {
    seq: (head?.seq ?? 0) + 1,
    ts,
    userId: event.userId,
    username: event.username,
    action: event.action,
    target: event.target,
    outcome: event.outcome,
    detail: canonicalDetail(event.detail),
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(base);
  return { ...base, hash, mac: entryMac(auditKey, hash) };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * Walks entries in ascending seq order and returns the first break, or null when the whole chain holds.
 * Streams: memory stays flat however long the chain is. With an `anchor` (a head recorded elsewhere earlier), a chain
 * that ends before it or differs at it is broken too: entries cut off the end cannot hide.
 */
export function verifyChain(
  auditKey: Uint8Array,
  entries: Iterable<AuditEntry>,
  anchor: ChainHead | null = null,
): { checked: number; firstBreak: AuditBreak | null } {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (const e of entries) {
    if (e.seq !== expectedSeq) return { checked, firstBreak: { seq: expectedSeq, reason: 'sequence_gap' } };
    if (e.prevHash !== prevHash) return { checked, firstBreak: { seq: e.seq, reason: 'prev_hash_mismatch' } };
    const recomputed = entryHash(e);
    if (recomputed !== e.hash) return { checked, firstBreak: { seq: e.seq, reason: 'hash_mismatch' } };
    if (!sameHex(entryMac(auditKey, e.hash), e.mac)) return { checked, firstBreak: { seq: e.seq, reason: 'mac_mismatch' } };
    if (anchor && e.seq === anchor.seq && e.hash !== anchor.hash) return { checked, firstBreak: { seq: e.seq, reason: 'anchor_mismatch' } };
    prevHash = e.hash;
    expectedSeq++;
    checked++;
  }
  if (anchor && checked < anchor.seq) return { checked, firstBreak: { seq: checked + 1, reason: 'truncated' } };
  return { checked, firstBreak: null };
}
