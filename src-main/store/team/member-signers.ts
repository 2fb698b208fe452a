/**
 * The team's roster of signing keys (migration 007): the members of this workstation, recorded at their login, and the
 * colleagues elsewhere whose cards the platform certified. A case event from the feed is applied only when it verifies
 * under a key recorded here for its actor, with the name and role that key was recorded with.
 */
import type { CertifiedMember, MemberCard } from '../../domain/authorship.js';
import type { Db } from '../sqlcipher.js';

export interface RecordedSigner {
  accountId: string;
  signingKey: string;
  name: string;
  role: string;
  source: 'local' | 'platform';
}

export class MemberSigners {
  constructor(private readonly db: Db) {}

  /** A member of this workstation logged in: their card as it is now (a renamed member gets a row for the new name). */
  recordLocal(card: MemberCard, proof: string, at: string): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO member_signer (account_id, signing_key, name, role, proof, source, recorded_at) VALUES (?, ?, ?, ?, ?, 'local', ?)`,
      )
      .run(card.accountId, card.signingKey, card.name, card.role, proof, at);
  }

  /** A card the platform certified (checked by the caller against the pinned platform key). */
  recordCertified(m: CertifiedMember, at: string): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO member_signer (account_id, signing_key, name, role, proof, source, device_id, certified_at, certificate, recorded_at)
         VALUES (?, ?, ?, ?, ?, 'platform', ?, ?, ?, ?)`,
      )
      .run(m.card.accountId, m.card.signingKey, m.card.name, m.card.role, m.proof, m.deviceId, m.certifiedAt, m.certificate, at);
  }

  /** Local cards the platform has not acknowledged yet (the sync announces them). */
  unannounced(): { card: MemberCard; proof: string }[] {
    const rows = this.db
      .prepare(`SELECT account_id, signing_key, name, role, proof FROM member_signer WHERE source = 'local' AND announced_at IS NULL ORDER BY recorded_at, rowid`)
      .all() as { account_id: string; signing_key: string; name: string; role: MemberCard['role']; proof: string }[];
    return rows.map((r) => ({ card: { accountId: r.account_id, name: r.name, role: r.role, signingKey: r.signing_key }, proof: r.proof }));
  }

  markAnnounced(cards: readonly MemberCard[], at: string): void {
    const stmt = this.db.prepare(`UPDATE member_signer SET announced_at = ? WHERE source = 'local' AND account_id = ? AND signing_key = ? AND name = ? AND role = ?`);
    this.db.transaction(() => {
      for (const c of cards) stmt.run(at, c.accountId, c.signingKey, c.name, c.role);
    })();
  }

  /**
   * The keys that may sign for an account: a member of this workstation signs with the keys recorded here at their
   * login, never with one the platform certified for the same account id (which would then be an impostor's); a
   * colleague elsewhere with the first key the platform certified for them (the platform pins it too).
   */
  signersOf(accountId: string): RecordedSigner[] {
    const rows = this.db
      .prepare(
        `SELECT account_id AS accountId, signing_key AS signingKey, name, role, source FROM member_signer WHERE account_id = ? ORDER BY source = 'platform', certified_at, rowid`,
      )
      .all(accountId) as RecordedSigner[];
    if (rows.some((r) => r.source === 'local')) return rows.filter((r) => r.source === 'local');
    const pinned = rows[0]?.signingKey;
    return rows.filter((r) => r.signingKey === pinned);
  }

  list(): RecordedSigner[] {
    return this.db.prepare(`SELECT account_id AS accountId, signing_key AS signingKey, name, role, source FROM member_signer ORDER BY source, name, rowid`).all() as RecordedSigner[];
  }
}
