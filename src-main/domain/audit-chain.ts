/**
 * The audit chain's maths: how an entry is hashed, linked to its predecessor and MAC'd, and how a sequence of
 * stored entries is verified. Storage lives in store/workspace; this module never touches a database.
 *
 * hash_n = SHA-256(canonical(seq, ts, userId, username, action, target, outcome, detail, hash_{n-1}))
 * mac_n  = HMAC-SHA-256(auditKey, hash_n)          (the audit key never leaves the encrypted workspace)
 *
 * Editing any field breaks hash_n; recomputing hash_n after an edit breaks mac_n (the key is needed);
 * deleting or reordering entries breaks the seq run and the prev-hash link of the next entry.
 *
 * Users' chains are **forward-secure** (version 2 entries): each entry is signed (Ed25519) with a key used for that
 * entry only. The key for entry n+1 derives from the key for entry n (seed_{n+1} = HMAC(seed_n, "evolve")), entry n
 * carries the public half of key n+1 inside its hash, and the old seed is erased once entry n is written. Whoever takes
 * the laptop later holds only the key for the next entry: they cannot re-sign any earlier one, and the chain is
 * verified with public keys alone, starting from the first one pinned when the chain began — so a supervisor or the
 * platform can verify it without holding any secret. (A MAC would need its first key to verify, and a laptop that
 * kept that key could be made to rewrite everything.) The registry's system log keeps version 1 (MAC) entries.
 */
import { createHash, createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify } from 'node:crypto';

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
  /** Version 1: HMAC of the hash. Version 2: Ed25519 signature of the hash with this entry's own key. */
  mac: string;
  /** Version 2 only: the public key (raw, hex) that signs the next entry. */
  nextKey?: string | null;
}

export type AuditBreak = {
  seq: number;
  reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'mac_mismatch' | 'signature_mismatch' | 'anchor_mismatch' | 'truncated';
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
  const fields: unknown[] = [e.seq, e.ts, e.userId, e.username, e.action, e.target, e.outcome, e.detail, e.prevHash];
  // A version 2 entry binds the next entry's public key into its own hash.
  if (e.nextKey) fields.push(e.nextKey);
  return createHash('sha256').update(JSON.stringify(fields), 'utf8').digest('hex');
}

// ---- forward-secure signing keys -------------------------------------------------------------------------

/** DER prefixes of PKCS#8 (private) and SPKI (public) Ed25519 keys: the 32 raw bytes follow them. */
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

function privateKeyOf(seed: Uint8Array) {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw public key (hex) of the signing key a seed stands for. */
export function publicKeyOfSeed(seed: Uint8Array): string {
  return createPublicKey(privateKeyOf(seed)).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519.length).toString('hex');
}

/** The seed of the next entry's key. One-way: the next seed says nothing about this one. */
export function evolveSeed(seed: Uint8Array): Buffer {
  return createHmac('sha256', seed).update('aw-audit-evolve-v1').digest();
}

function verifySignature(publicKeyHex: string, hash: string, signatureHex: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, Buffer.from(publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(hash, 'hex'), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

/**
 * Builds the next version 2 entry, signed with `seed`'s key; returns it with the seed of the key after it. The caller
 * stores the entry and the next seed together and then erases `seed`.
 */
export function sealSignedEntry(seed: Uint8Array, head: ChainHead | null, event: AuditEvent, ts: string): { entry: AuditEntry; nextSeed: Buffer } {
  const nextSeed = evolveSeed(seed);
  const base = { ...unsealed(head, event, ts), nextKey: publicKeyOfSeed(nextSeed) };
  const hash = entryHash(base);
  const signature = sign(null, Buffer.from(hash, 'hex'), privateKeyOf(seed)).toString('hex');
  return { entry: { ...base, hash, mac: signature }, nextSeed };
}

export function entryMac(auditKey: Uint8Array, hash: string): string {
  return createHmac('sha256', auditKey).update(hash, 'utf8').digest('hex');
}

/** The next entry's fields after `head` (null for an empty chain), before it is hashed and sealed. */
function unsealed(head: ChainHead | null, event: AuditEvent, ts: string) {
  return {
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
}

/** Builds the next version 1 (MAC'd) entry after `head` (null for an empty chain). */
export function sealEntry(auditKey: Uint8Array, head: ChainHead | null, event: AuditEvent, ts: string): AuditEntry {
  const base = unsealed(head, event, ts);
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
  /** The public key pinned when signing began: the key of the first version 2 entry. */
  startKey: string | null = null,
  /** The first entry that must be signed (entries before it may be version 1). */
  signingFrom: number | null = null,
): { checked: number; firstBreak: AuditBreak | null } {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  // The key the next signed entry must verify under; once signing has begun, an unsigned entry is a downgrade.
  let signingKey: string | null = null;
  for (const e of entries) {
    if (e.seq !== expectedSeq) return { checked, firstBreak: { seq: expectedSeq, reason: 'sequence_gap' } };
    if (e.prevHash !== prevHash) return { checked, firstBreak: { seq: e.seq, reason: 'prev_hash_mismatch' } };
    const recomputed = entryHash(e);
    if (recomputed !== e.hash) return { checked, firstBreak: { seq: e.seq, reason: 'hash_mismatch' } };
    if (e.nextKey) {
      const key = signingKey ?? startKey;
      if (!key || !verifySignature(key, e.hash, e.mac)) return { checked, firstBreak: { seq: e.seq, reason: 'signature_mismatch' } };
      signingKey = e.nextKey;
    } else if (signingFrom !== null && e.seq >= signingFrom) {
      // An unsigned entry where signing had begun: a chain rewritten with the MAC key.
      return { checked, firstBreak: { seq: e.seq, reason: 'signature_mismatch' } };
    } else if (signingKey !== null || !sameHex(entryMac(auditKey, e.hash), e.mac)) {
      return { checked, firstBreak: { seq: e.seq, reason: 'mac_mismatch' } };
    }
    if (anchor && e.seq === anchor.seq && e.hash !== anchor.hash) return { checked, firstBreak: { seq: e.seq, reason: 'anchor_mismatch' } };
    prevHash = e.hash;
    expectedSeq++;
    checked++;
  }
  if (anchor && checked < anchor.seq) return { checked, firstBreak: { seq: checked + 1, reason: 'truncated' } };
  return { checked, firstBreak: null };
}

// ---- proof of extension (what the platform checks before it anchors a new head) -----------------------------

/** A head as the platform keeps it: with the public key that must sign the entry after it (null when unknown). */
export interface AnchoredHead extends ChainHead {
  nextKey: string | null;
}

/**
 * Checks that `entries` (oldest first) continue the chain from `from`, with public keys alone: each one links to the
 * one before, hashes to what it says, and — once a key is known — is signed by the key its predecessor named. The
 * platform runs this before it anchors a new head, so a chain rewritten with keys of one's own (which the laptop and
 * its password allow) is refused even when it is longer than the anchor. With no `from`, the entries must start the
 * chain (seq 1); the first signing key is then taken on trust, as at enrolment.
 */
export function verifyExtension(from: AnchoredHead | null, entries: readonly AuditEntry[]): { head: AnchoredHead; firstBreak: null } | { head: null; firstBreak: AuditBreak } {
  let expectedSeq = (from?.seq ?? 0) + 1;
  let prevHash = from?.hash ?? GENESIS_HASH;
  let signingKey = from?.nextKey ?? null;
  const broken = (seq: number, reason: AuditBreak['reason']) => ({ head: null, firstBreak: { seq, reason } }) as const;
  if (entries.length === 0) return broken(expectedSeq, 'truncated');
  for (const e of entries) {
    if (e.seq !== expectedSeq) return broken(expectedSeq, 'sequence_gap');
    if (e.prevHash !== prevHash) return broken(e.seq, 'prev_hash_mismatch');
    if (entryHash(e) !== e.hash) return broken(e.seq, 'hash_mismatch');
    // Once a key is known, every entry must be signed by it (an unsigned one would be a downgrade to the MAC).
    if (signingKey !== null && (!e.nextKey || !verifySignature(signingKey, e.hash, e.mac))) return broken(e.seq, 'signature_mismatch');
    signingKey = e.nextKey ?? signingKey;
    prevHash = e.hash;
    expectedSeq++;
  }
  const last = entries[entries.length - 1]!;
  return { head: { seq: last.seq, hash: last.hash, nextKey: signingKey }, firstBreak: null };
}

const HEX64 = /^[0-9a-f]{64}$/;
const OUTCOMES: readonly AuditOutcome[] = ['ok', 'denied', 'failed', 'error'];
const nullableString = (v: unknown) => v === null || typeof v === 'string';

/** An audit entry from untrusted JSON (an upload), field by field; null for anything else. */
export function parseAuditEntry(value: unknown): AuditEntry | null {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 1 || typeof v.ts !== 'string' || typeof v.action !== 'string') return null;
  if (!nullableString(v.userId) || !nullableString(v.username) || !nullableString(v.target) || !nullableString(v.detail)) return null;
  if (!OUTCOMES.includes(v.outcome as AuditOutcome) || typeof v.prevHash !== 'string' || !HEX64.test(v.prevHash) || typeof v.hash !== 'string' || !HEX64.test(v.hash)) return null;
  if (typeof v.mac !== 'string' || !/^[0-9a-f]{1,256}$/.test(v.mac)) return null;
  if (v.nextKey !== undefined && v.nextKey !== null && (typeof v.nextKey !== 'string' || !HEX64.test(v.nextKey))) return null;
  return {
    seq: v.seq as number,
    ts: v.ts,
    userId: v.userId as string | null,
    username: v.username as string | null,
    action: v.action,
    target: v.target as string | null,
    outcome: v.outcome as AuditOutcome,
    detail: v.detail as string | null,
    prevHash: v.prevHash,
    hash: v.hash,
    mac: v.mac,
    ...(typeof v.nextKey === 'string' ? { nextKey: v.nextKey } : {}),
  };
}
