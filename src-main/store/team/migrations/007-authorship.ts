import type { Migration } from '../../migrations.js';

/**
 * Authorship across workstations (domain/authorship.ts).
 *
 * - `member_signer`: the signing keys of the team's members — those of this workstation (recorded at their login,
 *   `local`) and those the platform certified for colleagues elsewhere (`platform`). Append-only.
 * - `case_event.signature`: the author's signature, fixed once written.
 * - `case_event_refused`: events from the platform's feed that did not verify, kept aside (never applied) for supervisors
 *   to see; one whose author was not yet known is looked at again after each roster update (`merged_at`).
 * - `export_register.opening_signature` / `closing_signature`: the exporter's signatures when the export opened and
 *   when it was completed.
 */
export const m007Authorship: Migration = {
  version: 7,
  name: 'authorship',
  up(db) {
    db.exec(`
      CREATE TABLE member_signer (
        account_id   TEXT NOT NULL,
        signing_key  TEXT NOT NULL,        -- base64 SPKI Ed25519
        name         TEXT NOT NULL,
        role         TEXT NOT NULL,
        proof        TEXT NOT NULL,        -- the member's signature over their card
        source       TEXT NOT NULL CHECK (source IN ('local', 'platform')),
        device_id    TEXT,                 -- platform: the device that announced the card
        certified_at TEXT,
        certificate  TEXT,                 -- platform: its signature over the card, device and time
        recorded_at  TEXT NOT NULL,
        announced_at TEXT,                 -- local: when the platform acknowledged the card (NULL: not yet)
        PRIMARY KEY (account_id, signing_key, name, role, source)
      ) STRICT;
      CREATE TRIGGER member_signer_no_delete BEFORE DELETE ON member_signer BEGIN SELECT RAISE(ABORT, 'member keys are kept'); END;
      CREATE TRIGGER member_signer_fixed BEFORE UPDATE OF account_id, signing_key, name, role, proof, source, device_id, certified_at, certificate ON member_signer
        BEGIN SELECT RAISE(ABORT, 'member keys are kept'); END;

      ALTER TABLE case_event ADD COLUMN signature TEXT;
      CREATE TRIGGER case_event_signature_fixed BEFORE UPDATE OF signature ON case_event
        BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;

      CREATE TABLE case_event_refused (
        digest      TEXT PRIMARY KEY,      -- SHA-256 of the event as received
        event_id    TEXT,
        fingerprint TEXT,
        actor_id    TEXT,
        actor_name  TEXT,
        actor_role  TEXT,
        at          TEXT,
        event       TEXT NOT NULL,         -- the event as received (cut at 16 KiB)
        reason      TEXT NOT NULL,
        first_seen  TEXT NOT NULL,
        merged_at   TEXT                   -- an author unknown then, verified later: applied at this time
      ) STRICT;
      CREATE INDEX case_event_refused_by_time ON case_event_refused (first_seen);
      CREATE TRIGGER case_event_refused_no_delete BEFORE DELETE ON case_event_refused BEGIN SELECT RAISE(ABORT, 'refused events are kept'); END;

      ALTER TABLE export_register ADD COLUMN opening_signature TEXT;
      ALTER TABLE export_register ADD COLUMN closing_signature TEXT;
      CREATE TRIGGER export_register_signatures_fixed BEFORE UPDATE ON export_register
        WHEN (OLD.opening_signature IS NOT NULL AND NEW.opening_signature IS NOT OLD.opening_signature)
          OR (OLD.closing_signature IS NOT NULL AND NEW.closing_signature IS NOT OLD.closing_signature)
        BEGIN SELECT RAISE(ABORT, 'an export''s signatures cannot change'); END;
    `);
  },
};
