/**
 * The exchange database's schema, as numbered migrations run at start in one transaction.
 *
 * Several service nodes may start at once against one PostgreSQL: the transaction first takes an advisory lock, so one
 * node migrates and the others wait and then find the work done. A database newer than this service (a node left on
 * the old version after an upgrade) is refused, never written to.
 *
 * Stored payloads (case events, audit entries, register entries and marks) are `json`, not `jsonb`: `json` keeps the
 * text as uploaded (key order, numbers) and accepts every string a workstation may send, where jsonb refuses \u0000.
 * Times are ISO 8601 text from the service's Clock (tests move it), never the database's now().
 */
import type { Sql, SqlClient } from './sql-client.js';

export interface ExchangeMigration {
  version: number;
  name: string;
  sql: string;
}

export const EXCHANGE_MIGRATIONS: readonly ExchangeMigration[] = [
  {
    version: 1,
    name: 'devices, uploads, audit anchors, case feed, roster, export register, refusals, escrow log',
    sql: `
      -- Enrolled devices and enrolment requests: one row per device key, pending until the operator approves it.
      -- jurisdiction: the division codes the device works for; it uploads and receives only within them.
      CREATE TABLE device (
        device_id    text PRIMARY KEY,
        public_key   text NOT NULL,
        label        text NOT NULL,
        jurisdiction text[] NOT NULL,
        status       text NOT NULL CHECK (status IN ('pending', 'approved', 'revoked')),
        requested_at text NOT NULL,
        approved_at  text,
        revoked_at   text,
        last_seen_at text
      );

      -- Every accepted upload once (its receipt is the SHA-256 of the body): a retry finds its row and changes nothing.
      CREATE TABLE upload (
        n           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        device_id   text NOT NULL REFERENCES device,
        kind        text NOT NULL,
        receipt     text NOT NULL,
        received_at text NOT NULL,
        items       integer NOT NULL,
        body        json,
        PRIMARY KEY (device_id, kind, receipt)
      );

      -- The last anchored audit head per device, its signed receipt and the key that must sign the next entry.
      CREATE TABLE audit_head (
        device_id   text PRIMARY KEY REFERENCES device,
        seq         bigint NOT NULL,
        hash        text NOT NULL,
        next_key    text,
        receipt     json NOT NULL,
        anchored_at text NOT NULL
      );
      -- The entries behind the heads (ids and hashes, never personal values).
      CREATE TABLE audit_entry (
        device_id text NOT NULL REFERENCES device,
        seq       bigint NOT NULL,
        entry     json NOT NULL,
        PRIMARY KEY (device_id, seq)
      );

      -- The team feed: every case event once, numbered in commit order (inserts take an advisory lock, see the queries).
      CREATE TABLE case_event (
        seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id     text NOT NULL UNIQUE,
        fingerprint  text NOT NULL,
        device_id    text NOT NULL REFERENCES device,
        jurisdiction text[] NOT NULL,
        event        json NOT NULL,
        received_at  text NOT NULL
      );
      CREATE INDEX case_event_fingerprint ON case_event (fingerprint);

      -- The roster: member cards certified by the platform. The first key certified for an account is pinned.
      CREATE TABLE member_pin (
        account_id  text PRIMARY KEY,
        signing_key text NOT NULL
      );
      CREATE TABLE member_card (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id   text NOT NULL,
        signing_key  text NOT NULL,
        name         text NOT NULL,
        role         text NOT NULL,
        device_id    text NOT NULL REFERENCES device,
        jurisdiction text[] NOT NULL,
        certified    json NOT NULL,
        UNIQUE (account_id, signing_key, name, role)
      );

      -- The export register: each export's signed entry once, and its row marks in parts.
      CREATE TABLE export_entry (
        export_id    text PRIMARY KEY,
        device_id    text NOT NULL REFERENCES device,
        jurisdiction text[] NOT NULL,
        entry        json NOT NULL,
        received_at  text NOT NULL
      );
      CREATE TABLE export_marks (
        export_id text NOT NULL REFERENCES export_entry,
        part      integer NOT NULL,
        marks     json NOT NULL,
        PRIMARY KEY (export_id, part)
      );

      -- Every refused request (no body: it may be anything).
      CREATE TABLE refusal (
        id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at        text NOT NULL,
        kind      text NOT NULL,
        status    integer NOT NULL,
        device_id text,
        error     text NOT NULL
      );

      -- Who asked for which backup set's recovery code, and why (platform escrow).
      CREATE TABLE escrow_log (
        id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at       text NOT NULL,
        set_id   text NOT NULL,
        username text NOT NULL,
        reason   text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'requests per device per minute (rate limit shared by all nodes)',
    sql: `
      CREATE TABLE device_rate (
        device_id    text PRIMARY KEY REFERENCES device,
        window_start text NOT NULL,
        requests     integer NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'an approved device has a jurisdiction',
    // Rows are shown to a device when their jurisdiction lies within its own, and the empty set lies within every one:
    // a device approved for nothing would upload into every device's feed.
    sql: `
      ALTER TABLE device ADD CONSTRAINT device_approved_has_jurisdiction CHECK (status <> 'approved' OR cardinality(jurisdiction) > 0);
    `,
  },
  {
    version: 4,
    name: 'a member card is shown in every jurisdiction it was announced from',
    // A member who works on workstations of two counties signs events in both feeds: each county's devices need the card.
    // member_card.jurisdiction stays as the first announcer's.
    sql: `
      CREATE TABLE member_announcement (
        card_id      bigint NOT NULL REFERENCES member_card (id),
        jurisdiction text[] NOT NULL,
        PRIMARY KEY (card_id, jurisdiction)
      );
      INSERT INTO member_announcement (card_id, jurisdiction) SELECT id, jurisdiction FROM member_card;
    `,
  },
];

export const EXCHANGE_SCHEMA_VERSION = EXCHANGE_MIGRATIONS.length;

export class ExchangeDatabaseTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `the exchange database has schema version ${found}, newer than this service knows (${known}): ` +
        'another node was upgraded. Run the same version of the service on every node; this one refuses to write.',
    );
    this.name = 'ExchangeDatabaseTooNewError';
  }
}

/** An arbitrary but fixed advisory-lock key for "migrating the exchange schema". */
const MIGRATION_LOCK = 7_360_001;

async function versionOf(tx: Sql): Promise<number> {
  const rows = await tx.query<{ version: number }>('SELECT version FROM exchange_schema');
  return rows[0]?.version ?? 0;
}

/** Brings the database to this service's version in one transaction; returns the versions applied. */
export async function migrateExchange(db: SqlClient, migrations: readonly ExchangeMigration[] = EXCHANGE_MIGRATIONS): Promise<number[]> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error('exchange migrations must be numbered 1..n without gaps');
  });
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS exchange_schema (version integer NOT NULL)');
    const found = await versionOf(tx);
    if (found > migrations.length) throw new ExchangeDatabaseTooNewError(found, migrations.length);
    const applied: number[] = [];
    for (const m of migrations.slice(found)) {
      await tx.exec(m.sql);
      applied.push(m.version);
    }
    await tx.query('DELETE FROM exchange_schema');
    await tx.query('INSERT INTO exchange_schema (version) VALUES ($1)', [migrations.length]);
    return applied;
  });
}
