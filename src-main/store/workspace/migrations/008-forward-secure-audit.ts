import { randomBytes } from 'node:crypto';
import { publicKeyOfSeed } from '../../../domain/audit-chain.js';
import type { Migration } from '../../migrations.js';

/**
 * The audit chain becomes forward-secure from here on (domain/audit-chain.ts, version 2 entries): each entry carries
 * the public key of the next one, and the workspace keeps only the seed of the key for the next entry. The first
 * public key is pinned (`audit_start_key`) so that the whole signed part of the chain verifies with public keys.
 * Entries written before this step stay MAC'd (version 1) and verify as before.
 */
export const m008ForwardSecureAudit: Migration = {
  version: 8,
  name: 'forward-secure audit chain',
  up(db) {
    db.exec('ALTER TABLE audit_log ADD COLUMN next_key TEXT');
    const seed = randomBytes(32);
    const put = db.prepare('INSERT INTO secrets (key, value) VALUES (?, ?)');
    put.run('audit_seed', seed);
    put.run('audit_start_key', Buffer.from(publicKeyOfSeed(seed), 'hex'));
    // From this entry on, an unsigned (version 1) entry is a downgrade.
    const next = ((db.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck().get() as number) ?? 0) + 1;
    put.run('audit_signing_from', Buffer.from(String(next)));
    seed.fill(0);
  },
};
