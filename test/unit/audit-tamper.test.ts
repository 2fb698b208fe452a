/**
 * Tamper tests on 1,000 copies of a forward-secure chain, by an attacker who holds what a stolen laptop holds: the
 * entries and the seed of the key for the *next* entry. Each copy gets one tampering — a flipped byte in any field, a
 * deleted entry, two swapped entries, an edited entry re-signed (with every later one) under the current key, the whole
 * chain re-keyed from a fresh seed, or the tail cut off — and the verifier (public keys from the pinned start key, and
 * the head anchored at the platform) catches every one. Untampered copies all verify.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entryHash, publicKeyOfSeed, sealEntry, sealSignedEntry, verifyChain, type AuditEntry, type ChainHead } from '../../src-main/domain/audit-chain.js';
import { SeededRandom } from '../../src-main/domain/random.js';

const MAC_KEY = randomBytes(32); // version 1 entries only; none here

function build(n: number, seed: Buffer): { entries: AuditEntry[]; nextSeed: Buffer } {
  const entries: AuditEntry[] = [];
  let current = seed;
  for (let i = 0; i < n; i++) {
    const head: ChainHead | null = entries.length ? { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash } : null;
    const { entry, nextSeed } = sealSignedEntry(current, head, { userId: 'u1', username: 'auditor1', action: ['person.file', 'export.findings', 'case.act'][i % 3]!, target: `T${i}`, outcome: 'ok', detail: { i, note: '核查' } }, new Date(1.7e12 + i * 1000).toISOString());
    entries.push(entry);
    current = nextSeed;
  }
  return { entries, nextSeed: current };
}

/** Re-hashes and re-signs entries from `from` on with keys derived from `seed`, as an attacker holding `seed` would. */
function resign(entries: AuditEntry[], from: number, seed: Buffer): AuditEntry[] {
  const out = entries.slice(0, from);
  let current = seed;
  for (const e of entries.slice(from)) {
    const head = out.length ? { seq: out.at(-1)!.seq, hash: out.at(-1)!.hash } : null;
    const { entry, nextSeed } = sealSignedEntry(current, head, { userId: e.userId, username: e.username, action: e.action, target: e.target, outcome: e.outcome, detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null }, e.ts);
    out.push(entry);
    current = nextSeed;
  }
  return out;
}

function flip(text: string, rng: SeededRandom): string {
  const i = rng.int(0, text.length - 1);
  const c = text[i]!;
  const replacement = /[0-9a-f]/.test(c) ? (c === '0' ? '1' : '0') : c === 'x' ? 'y' : 'x';
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

describe('audit chain tampering', () => {
  const seed = randomBytes(32);
  const startKey = publicKeyOfSeed(seed);
  const { entries, nextSeed: stolenSeed } = build(100, seed);
  const anchor = { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash };

  it('verifies untampered copies, with and without the anchor', () => {
    expect(verifyChain(MAC_KEY, entries, anchor, startKey)).toEqual({ checked: 100, firstBreak: null });
    expect(verifyChain(MAC_KEY, entries.slice(0, 40), null, startKey)).toEqual({ checked: 40, firstBreak: null });
  });

  it('detects every one of 1,000 tamperings', { timeout: 120_000 }, () => {
    const rng = new SeededRandom(7);
    const kinds = ['flip', 'delete', 'swap', 'resign-current', 'rekey-all', 'truncate'] as const;
    const detected = new Map<string, number>();
    const tried = new Map<string, number>();
    for (let copy = 0; copy < 1000; copy++) {
      const kind = kinds[copy % kinds.length]!;
      let tampered = entries.map((e) => ({ ...e }));
      const i = rng.int(0, tampered.length - 1);
      if (kind === 'flip') {
        const field = rng.pick(['ts', 'action', 'target', 'detail', 'hash', 'mac', 'nextKey', 'prevHash', 'username'] as const);
        tampered[i] = { ...tampered[i]!, [field]: flip(String(tampered[i]![field]), rng) };
      } else if (kind === 'delete') {
        tampered.splice(i, 1);
      } else if (kind === 'swap') {
        const j = (i + rng.int(1, tampered.length - 1)) % tampered.length;
        [tampered[i], tampered[j]] = [tampered[j]!, tampered[i]!];
      } else if (kind === 'resign-current') {
        // Edit entry i, then re-hash and re-sign it and everything after it with the key the laptop holds now.
        tampered[i] = { ...tampered[i]!, detail: JSON.stringify({ i, note: '已删除的查看记录' }) };
        tampered = resign(tampered, i, stolenSeed);
        // Even the anchor is forged to match (the platform's copy still holds the real head).
      } else if (kind === 'rekey-all') {
        tampered[i] = { ...tampered[i]!, outcome: 'denied' };
        tampered = resign(tampered, 0, randomBytes(32));
      } else {
        tampered = tampered.slice(0, rng.int(1, tampered.length - 1));
      }
      tried.set(kind, (tried.get(kind) ?? 0) + 1);
      const result = verifyChain(MAC_KEY, tampered, anchor, startKey);
      if (result.firstBreak) detected.set(kind, (detected.get(kind) ?? 0) + 1);
      // A re-signed tail is caught by its signatures even where no anchor reaches: checked without the anchor too.
      if (kind === 'resign-current' || kind === 'rekey-all') expect(verifyChain(MAC_KEY, tampered, null, startKey).firstBreak, kind).not.toBeNull();
    }
    expect(Object.fromEntries(detected)).toEqual(Object.fromEntries(tried));
    expect([...tried.values()].reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('refuses a chain rewritten without signatures (a downgrade to MAC entries)', () => {
    let head: ChainHead | null = null;
    const downgraded = entries.map((e) => {
      const v1 = sealEntry(MAC_KEY, head, { userId: e.userId, username: e.username, action: e.action, target: e.target, outcome: e.outcome, detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null }, e.ts);
      head = { seq: v1.seq, hash: v1.hash };
      return v1;
    });
    expect(verifyChain(MAC_KEY, downgraded, null, startKey, 1).firstBreak).toEqual({ seq: 1, reason: 'signature_mismatch' });
  });

  it('binds each entry to the next key: an entry whose next key is swapped fails at its own hash', () => {
    const copy = entries.map((e) => ({ ...e }));
    copy[10] = { ...copy[10]!, nextKey: publicKeyOfSeed(stolenSeed) };
    expect(entryHash(copy[10]!)).not.toBe(copy[10]!.hash);
    expect(verifyChain(MAC_KEY, copy, null, startKey).firstBreak).toEqual({ seq: 11, reason: 'hash_mismatch' });
  });
});
