import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entryHash, sealEntry, verifyChain, type AuditEntry } from '../../src-main/domain/audit-chain.js';

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
