/**
 * An audit chain held in memory, sealed exactly as a workspace seals its own (signed, forward-secure), for tests of
 * anchoring at the platform without a whole workstation.
 */
import { randomBytes } from 'node:crypto';
import { sealSignedEntry, type AuditEntry } from '../../src-main/domain/audit-chain.js';
import type { AuditTrailSource } from '../../src-main/services/sync/sync-engine.js';

export interface MemoryTrail extends AuditTrailSource {
  entries: AuditEntry[];
  /** Seals `n` more entries. */
  append(n: number): void;
}

export function memoryTrail(n: number, seed: Buffer = randomBytes(32)): MemoryTrail {
  const entries: AuditEntry[] = [];
  let current = seed;
  const trail: MemoryTrail = {
    entries,
    append(k) {
      for (let i = 0; i < k; i++) {
        const last = entries.at(-1);
        const { entry, nextSeed } = sealSignedEntry(current, last ? { seq: last.seq, hash: last.hash } : null, { userId: 'u1', username: 'auditor1', action: 'case.viewed', target: `case-${entries.length}`, outcome: 'ok' }, new Date(Date.UTC(2024, 5, 1, 0, entries.length)).toISOString());
        entries.push(entry);
        current = nextSeed;
      }
    },
    head: () => {
      const last = entries.at(-1);
      return last ? { seq: last.seq, hash: last.hash } : null;
    },
    hashAt: (seq) => entries[seq - 1]?.hash ?? null,
    entriesAfter: (seq, limit) => entries.slice(seq, seq + limit),
  };
  trail.append(n);
  return trail;
}
