import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entryHash, parseAuditEntry, sealEntry, verifyChain, verifyExtension, type AuditEntry } from '../../src-main/domain/audit-chain.js';
import { memoryTrail } from '../helpers/audit-trail.js';

function chain(key: Buffer, n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const head = out.at(-1) ?? null;
    out.push(
      sealEntry(key, head, { userId: 'u1', username: 'auditor1', action: i % 2 ? 'person.profile' : 'home.summary', target: `T${i}`, outcome: 'ok', detail: { i } }, new Date(1e12 + i).toISOString()),
    );
  }
  return out;
}

describe('audit chain', () => {
  const key = randomBytes(32);

  it('verifies an intact chain', () => {
    expect(verifyChain(key, chain(key, 50))).toEqual({ checked: 50, firstBreak: null });
  });

  it('reports an edited field at its own sequence number', () => {
    for (const field of ['ts', 'action', 'target', 'outcome', 'detail', 'username'] as const) {
      const entries = chain(key, 30);
      entries[17] = { ...entries[17]!, [field]: field === 'outcome' ? 'denied' : 'edited' };
      expect(verifyChain(key, entries).firstBreak).toEqual({ seq: 18, reason: 'hash_mismatch' });
    }
  });

  it('catches an edit whose hash was recomputed without the key', () => {
    const entries = chain(key, 30);
    const forged = { ...entries[9]!, target: 'forged' };
    forged.hash = entryHash(forged);
    entries[9] = forged;
    expect(verifyChain(key, entries).firstBreak).toEqual({ seq: 10, reason: 'mac_mismatch' });
  });

  it('catches a deleted entry and a chain re-sealed with another key', () => {
    const entries = chain(key, 30);
    entries.splice(12, 1);
    expect(verifyChain(key, entries).firstBreak).toEqual({ seq: 13, reason: 'sequence_gap' });
    expect(verifyChain(key, chain(randomBytes(32), 5)).firstBreak).toEqual({ seq: 1, reason: 'mac_mismatch' });
  });
});

describe('proof of extension (what the platform checks)', () => {
  const signed = memoryTrail(40).entries;
  const anchorAt = (seq: number) => ({ seq, hash: signed[seq - 1]!.hash, nextKey: signed[seq - 1]!.nextKey! });

  it('accepts the entries after an anchored head, and names the key the next one must be signed with', () => {
    expect(verifyExtension(anchorAt(10), signed.slice(10))).toEqual({ head: anchorAt(40), firstBreak: null });
    expect(verifyExtension(null, signed.slice(0, 5)).head).toEqual(anchorAt(5));
  });

  it('refuses a gap, a foreign start, a key downgrade and a round-trip through JSON that changed a field', () => {
    expect(verifyExtension(anchorAt(10), signed.slice(11)).firstBreak).toEqual({ seq: 11, reason: 'sequence_gap' });
    expect(verifyExtension(null, signed.slice(3)).firstBreak).toEqual({ seq: 1, reason: 'sequence_gap' });
    expect(verifyExtension(anchorAt(10), []).firstBreak?.reason).toBe('truncated');
    // An unsigned (MAC) entry where the anchored head named a signing key.
    const unsigned = sealEntry(randomBytes(32), anchorAt(10), { userId: 'u1', username: 'auditor1', action: 'x', target: null, outcome: 'ok' }, new Date().toISOString());
    expect(verifyExtension(anchorAt(10), [unsigned]).firstBreak).toEqual({ seq: 11, reason: 'signature_mismatch' });
    // Parsed from an upload: only well-formed entries; a tampered one is caught by its hash.
    const parsed = signed.slice(10).map((e) => parseAuditEntry(JSON.parse(JSON.stringify(e))));
    expect(parsed.every((e) => e !== null)).toBe(true);
    expect(verifyExtension(anchorAt(10), parsed as AuditEntry[]).firstBreak).toBeNull();
    parsed[5] = { ...parsed[5]!, detail: '{"changed":true}' };
    expect(verifyExtension(anchorAt(10), parsed as AuditEntry[]).firstBreak).toEqual({ seq: 16, reason: 'hash_mismatch' });
    for (const bad of [null, [], { ...signed[0], seq: 0 }, { ...signed[0], outcome: 'maybe' }, { ...signed[0], hash: 'zz' }, { ...signed[0], nextKey: 5 }, JSON.parse('{"__proto__":{"seq":1}}')]) {
      expect(parseAuditEntry(bad)).toBeNull();
    }
  });
});
