/**
 * The exchange service's typed queries, the same SQL on PGlite and PostgreSQL. No business rules here (which upload is
 * acceptable is decided by data-platform/): only how state is kept, found and kept unique.
 *
 * Idempotency lives in the keys: a retried upload hits the same primary keys (event ids, export ids and parts, audit
 * entry seqs, upload receipts) and `ON CONFLICT DO NOTHING` leaves the rows as they were.
 */
import type { Sql } from './sql-client.js';

export type DeviceStatus = 'pending' | 'approved' | 'revoked';

export interface DeviceRecord {
  deviceId: string;
  /** base64 SPKI X25519 key */
  publicKey: string;
  label: string;
  /** The division codes the device works for. */
  jurisdiction: string[];
  status: DeviceStatus;
  requestedAt: string;
  approvedAt: string | null;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

export interface StoredHead {
  seq: number;
  hash: string;
  nextKey: string | null;
  receipt: unknown;
}

export interface StoredSigner {
  signingKey: string;
  name: string;
  role: string;
}

export interface Refusal {
  at: string;
  kind: string;
  status: number;
  deviceId: string | null;
  error: string;
}

/** Advisory-lock keys (first half of the two-int form): the feed as a whole, and one device's audit head. */
const FEED_LOCK = 7_360_002;
const HEAD_LOCK = 7_360_003;

/** The device columns under their TypeScript names; `t` qualifies them in a join. */
const deviceColumns = (t = '') =>
  `${t}device_id AS "deviceId", ${t}public_key AS "publicKey", ${t}label, ${t}jurisdiction, ${t}status, ${t}requested_at AS "requestedAt",
   ${t}approved_at AS "approvedAt", ${t}revoked_at AS "revokedAt", ${t}last_seen_at AS "lastSeenAt"`;
const DEVICE_COLUMNS = deviceColumns();

export class ExchangeQueries {
  constructor(protected readonly sql: Sql) {}

  // ── Devices ────────────────────────────────────────────────────────────────────────────────────────────────────────

  async device(deviceId: string): Promise<DeviceRecord | null> {
    const rows = await this.sql.query<DeviceRecord>(`SELECT ${DEVICE_COLUMNS} FROM device WHERE device_id = $1`, [deviceId]);
    return rows[0] ?? null;
  }

  devices(status?: DeviceStatus): Promise<DeviceRecord[]> {
    return status
      ? this.sql.query<DeviceRecord>(`SELECT ${DEVICE_COLUMNS} FROM device WHERE status = $1 ORDER BY requested_at, device_id`, [status])
      : this.sql.query<DeviceRecord>(`SELECT ${DEVICE_COLUMNS} FROM device ORDER BY requested_at, device_id`);
  }

  /** Records a request (pending), or finds the device's existing row: asking twice changes nothing. */
  async requestEnrolment(d: { deviceId: string; publicKey: string; label: string; jurisdiction: string[]; at: string }): Promise<DeviceRecord> {
    await this.sql.query(
      `INSERT INTO device (device_id, public_key, label, jurisdiction, status, requested_at) VALUES ($1, $2, $3, $4, 'pending', $5)
       ON CONFLICT (device_id) DO NOTHING`,
      [d.deviceId, d.publicKey, d.label, d.jurisdiction, d.at],
    );
    return (await this.device(d.deviceId))!;
  }

  /** Enrols a device at once (the operator holds its key): approved, or the existing row as it is. */
  async enrol(d: { deviceId: string; publicKey: string; label: string; jurisdiction: string[]; at: string }): Promise<DeviceRecord> {
    await this.sql.query(
      `INSERT INTO device (device_id, public_key, label, jurisdiction, status, requested_at, approved_at) VALUES ($1, $2, $3, $4, 'approved', $5, $5)
       ON CONFLICT (device_id) DO NOTHING`,
      [d.deviceId, d.publicKey, d.label, d.jurisdiction, d.at],
    );
    return (await this.device(d.deviceId))!;
  }

  /** Approves a pending request, optionally for another jurisdiction than the one it was requested with. */
  async approve(deviceId: string, at: string, jurisdiction?: string[]): Promise<DeviceRecord> {
    const rows = await this.sql.query<{ deviceId: string }>(
      `UPDATE device SET status = 'approved', approved_at = $2, jurisdiction = coalesce($3, jurisdiction)
        WHERE device_id = $1 AND status = 'pending' RETURNING device_id AS "deviceId"`,
      [deviceId, at, jurisdiction ?? null],
    );
    if (rows.length === 0) throw new Error(`no pending enrolment for device ${deviceId}`);
    return (await this.device(deviceId))!;
  }

  /** Revokes a device: its uploads and reads are refused from now on. Revoking twice keeps the first time. */
  async revoke(deviceId: string, at: string): Promise<DeviceRecord> {
    await this.sql.query(`UPDATE device SET status = 'revoked', revoked_at = coalesce(revoked_at, $2) WHERE device_id = $1`, [deviceId, at]);
    const device = await this.device(deviceId);
    if (!device) throw new Error(`no device ${deviceId}`);
    return device;
  }

  async seen(deviceId: string, at: string): Promise<void> {
    await this.sql.query('UPDATE device SET last_seen_at = $2 WHERE device_id = $1 AND (last_seen_at IS NULL OR last_seen_at < $2)', [deviceId, at]);
  }

  /** Each device with when it was last heard from and its anchored audit head (operations: who has not synced). */
  lastSyncs(): Promise<(DeviceRecord & { headSeq: number | null; anchoredAt: string | null })[]> {
    return this.sql
      .query<DeviceRecord & { headSeq: string | number | null; anchoredAt: string | null }>(
        `SELECT ${deviceColumns('d.')}, h.seq AS "headSeq", h.anchored_at AS "anchoredAt"
           FROM device d LEFT JOIN audit_head h USING (device_id) ORDER BY d.last_seen_at NULLS FIRST, d.device_id`,
      )
      .then((rows) => rows.map((r) => ({ ...r, headSeq: r.headSeq === null ? null : Number(r.headSeq) })));
  }

  /**
   * Counts one request of a device in the current window (`window`: e.g. the minute, as text) and returns how many it
   * made in it so far. One statement, so nodes counting at once never lose a request.
   */
  async countRequest(deviceId: string, window: string): Promise<number> {
    const rows = await this.sql.query<{ requests: number }>(
      `INSERT INTO device_rate (device_id, window_start, requests) VALUES ($1, $2, 1)
       ON CONFLICT (device_id) DO UPDATE SET
         requests = CASE WHEN device_rate.window_start = excluded.window_start THEN device_rate.requests + 1 ELSE 1 END,
         window_start = excluded.window_start
       RETURNING requests`,
      [deviceId, window],
    );
    return rows[0]!.requests;
  }

  // ── The upload journal ─────────────────────────────────────────────────────────────────────────────────────────────

  /** Records an accepted upload; false when this device sent this very body before (a retry). */
  async recordUpload(u: { deviceId: string; kind: string; receipt: string; at: string; items: number; body?: unknown }): Promise<boolean> {
    const rows = await this.sql.query(
      `INSERT INTO upload (device_id, kind, receipt, received_at, items, body) VALUES ($1, $2, $3, $4, $5, $6::json)
       ON CONFLICT (device_id, kind, receipt) DO NOTHING RETURNING receipt`,
      [u.deviceId, u.kind, u.receipt, u.at, u.items, u.body === undefined ? null : JSON.stringify(u.body)],
    );
    return rows.length > 0;
  }

  /** The accepted uploads of a kind, in arrival order. */
  async uploads(kind: string): Promise<{ deviceId: string; receipt: string; receivedAt: string; items: number; body: unknown }[]> {
    return this.sql.query(
      `SELECT device_id AS "deviceId", receipt, received_at AS "receivedAt", items, body FROM upload WHERE kind = $1 ORDER BY n`,
      [kind],
    );
  }

  // ── Audit anchors ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Inside a transaction: waits until no other node is anchoring this device's head (released at commit). */
  async lockHead(deviceId: string): Promise<void> {
    await this.sql.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [HEAD_LOCK, deviceId]);
  }

  async head(deviceId: string): Promise<StoredHead | null> {
    const rows = await this.sql.query<StoredHead & { seq: string | number }>(
      'SELECT seq, hash, next_key AS "nextKey", receipt FROM audit_head WHERE device_id = $1',
      [deviceId],
    );
    return rows[0] ? { ...rows[0], seq: Number(rows[0].seq) } : null;
  }

  async saveHead(deviceId: string, h: StoredHead, at: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO audit_head (device_id, seq, hash, next_key, receipt, anchored_at) VALUES ($1, $2, $3, $4, $5::json, $6)
       ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, next_key = excluded.next_key,
         receipt = excluded.receipt, anchored_at = excluded.anchored_at`,
      [deviceId, h.seq, h.hash, h.nextKey, JSON.stringify(h.receipt), at],
    );
  }

  async addAuditEntries(deviceId: string, entries: readonly { seq: number }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.sql.query(
      `INSERT INTO audit_entry (device_id, seq, entry)
       SELECT $1, s, e::json FROM unnest($2::bigint[], $3::text[]) AS t(s, e)
       ON CONFLICT (device_id, seq) DO NOTHING`,
      [deviceId, entries.map((e) => e.seq), entries.map((e) => JSON.stringify(e))],
    );
  }

  /** A device's anchored entries in order (to verify an anchor again from what the platform holds). */
  async auditEntries(deviceId: string): Promise<unknown[]> {
    return (await this.sql.query<{ entry: unknown }>('SELECT entry FROM audit_entry WHERE device_id = $1 ORDER BY seq', [deviceId])).map((r) => r.entry);
  }

  // ── The case feed ──────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Inside a transaction, before adding case events: one writer at a time, so that sequence numbers are handed out in
   * commit order. Without it a reader could see seq 6 committed before seq 5, move its cursor past 5 and never get it.
   */
  async lockFeed(): Promise<void> {
    await this.sql.query('SELECT pg_advisory_xact_lock($1, 0)', [FEED_LOCK]);
  }

  /** The jurisdictions under which these findings' cases already travel (a case belongs where it first appeared). */
  async caseJurisdictions(fingerprints: readonly string[]): Promise<Map<string, string[]>> {
    const rows = await this.sql.query<{ fingerprint: string; jurisdiction: string[] }>(
      'SELECT DISTINCT ON (fingerprint) fingerprint, jurisdiction FROM case_event WHERE fingerprint = ANY($1::text[]) ORDER BY fingerprint, seq',
      [fingerprints],
    );
    return new Map(rows.map((r) => [r.fingerprint, r.jurisdiction]));
  }

  /**
   * Adds the events not in the feed yet (by event id), in the order given, each under the jurisdiction `tag` gives it;
   * returns how many were new.
   */
  async appendCaseEvents(
    deviceId: string,
    events: readonly { eventId: string; fingerprint: string }[],
    tag: (event: { fingerprint: string }) => readonly string[],
    at: string,
  ): Promise<number> {
    if (events.length === 0) return 0;
    // Division codes hold no comma, so each event's jurisdiction travels as one text (unnest flattens arrays of arrays).
    const rows = await this.sql.query(
      `INSERT INTO case_event (event_id, fingerprint, device_id, jurisdiction, event, received_at)
       SELECT id, fp, $1, string_to_array(j, ','), e::json, $2
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(id, fp, j, e, i) ORDER BY i
       ON CONFLICT (event_id) DO NOTHING RETURNING seq`,
      [deviceId, at, events.map((e) => e.eventId), events.map((e) => e.fingerprint), events.map((e) => tag(e).join(',')), events.map((e) => JSON.stringify(e))],
    );
    return rows.length;
  }

  /** The feed a device of `jurisdiction` may read: events uploaded within it, after `after`, in commit order. */
  async caseFeed(jurisdiction: readonly string[], after: number, limit: number): Promise<{ seq: number; event: unknown }[]> {
    const rows = await this.sql.query<{ seq: string | number; event: unknown }>(
      'SELECT seq, event FROM case_event WHERE seq > $1 AND jurisdiction <@ $2::text[] ORDER BY seq LIMIT $3',
      [after, jurisdiction, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), event: r.event }));
  }

  // ── The member roster ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Pins `signingKey` for the account unless one is pinned already; returns the pinned key. */
  async pinMember(accountId: string, signingKey: string): Promise<string> {
    await this.sql.query('INSERT INTO member_pin (account_id, signing_key) VALUES ($1, $2) ON CONFLICT (account_id) DO NOTHING', [accountId, signingKey]);
    return (await this.sql.query<{ k: string }>('SELECT signing_key AS k FROM member_pin WHERE account_id = $1', [accountId]))[0]!.k;
  }

  /** Adds a certified card unless the same card (account, key, name, role) is held already. */
  async addMemberCard(c: { accountId: string; signingKey: string; name: string; role: string; deviceId: string; jurisdiction: readonly string[]; certified: unknown }): Promise<void> {
    await this.sql.query(
      `INSERT INTO member_card (account_id, signing_key, name, role, device_id, jurisdiction, certified) VALUES ($1, $2, $3, $4, $5, $6, $7::json)
       ON CONFLICT (account_id, signing_key, name, role) DO NOTHING`,
      [c.accountId, c.signingKey, c.name, c.role, c.deviceId, c.jurisdiction, JSON.stringify(c.certified)],
    );
    await this.announceMemberCard(c, c.jurisdiction);
  }

  /** Records that a held card was announced from a device of `jurisdiction` (devices there receive it from now on). */
  async announceMemberCard(c: { accountId: string; signingKey: string; name: string; role: string }, jurisdiction: readonly string[]): Promise<void> {
    await this.sql.query(
      `INSERT INTO member_announcement (card_id, jurisdiction)
       SELECT id, $5 FROM member_card WHERE account_id = $1 AND signing_key = $2 AND name = $3 AND role = $4
       ON CONFLICT DO NOTHING`,
      [c.accountId, c.signingKey, c.name, c.role, jurisdiction],
    );
  }

  async holdsMemberCard(c: { accountId: string; signingKey: string; name: string; role: string }): Promise<boolean> {
    const rows = await this.sql.query('SELECT 1 FROM member_card WHERE account_id = $1 AND signing_key = $2 AND name = $3 AND role = $4', [c.accountId, c.signingKey, c.name, c.role]);
    return rows.length > 0;
  }

  /** The keys that may sign for each account: the pinned one, with every name and role it was certified with. */
  async signersOf(accountIds: readonly string[]): Promise<Map<string, StoredSigner[]>> {
    const rows = await this.sql.query<StoredSigner & { accountId: string }>(
      `SELECT c.account_id AS "accountId", c.signing_key AS "signingKey", c.name, c.role
         FROM member_card c JOIN member_pin p ON p.account_id = c.account_id AND p.signing_key = c.signing_key
        WHERE c.account_id = ANY($1::text[]) ORDER BY c.id`,
      [accountIds],
    );
    const signers = new Map<string, StoredSigner[]>();
    for (const { accountId, ...s } of rows) signers.set(accountId, [...(signers.get(accountId) ?? []), s]);
    return signers;
  }

  /** The certified cards announced from within `jurisdiction` (all of them when null), in certification order. */
  async members(jurisdiction: readonly string[] | null): Promise<unknown[]> {
    const rows = await this.sql.query<{ certified: unknown }>(
      `SELECT certified FROM member_card c
        WHERE $1::text[] IS NULL OR EXISTS (SELECT 1 FROM member_announcement a WHERE a.card_id = c.id AND a.jurisdiction <@ $1::text[])
        ORDER BY id`,
      [jurisdiction],
    );
    return rows.map((r) => r.certified);
  }

  // ── The export register ────────────────────────────────────────────────────────────────────────────────────────────

  /** Keeps an export's entry (the first one received) and one part of its row marks. */
  async addExportPart(p: { exportId: string; deviceId: string; jurisdiction: readonly string[]; entry: unknown; part: number; marks: unknown[]; at: string }): Promise<void> {
    await this.sql.query(
      `INSERT INTO export_entry (export_id, device_id, jurisdiction, entry, received_at) VALUES ($1, $2, $3, $4::json, $5)
       ON CONFLICT (export_id) DO NOTHING`,
      [p.exportId, p.deviceId, p.jurisdiction, JSON.stringify(p.entry), p.at],
    );
    await this.sql.query('INSERT INTO export_marks (export_id, part, marks) VALUES ($1, $2, $3::json) ON CONFLICT (export_id, part) DO NOTHING', [
      p.exportId,
      p.part,
      JSON.stringify(p.marks),
    ]);
  }

  /** Every part of every registered export, with its entry. */
  exportParts(): Promise<{ entry: { exportId: string } & Record<string, unknown>; part: number; marks: { rowMark: string }[]; jurisdiction: string[] }[]> {
    return this.sql.query(
      'SELECT e.entry, m.part, m.marks, e.jurisdiction FROM export_marks m JOIN export_entry e USING (export_id) ORDER BY e.received_at, m.export_id, m.part',
    );
  }

  // ── Refusals and the escrow log ────────────────────────────────────────────────────────────────────────────────────

  async logRefusal(r: Refusal): Promise<void> {
    await this.sql.query('INSERT INTO refusal (at, kind, status, device_id, error) VALUES ($1, $2, $3, $4, $5)', [r.at, r.kind, r.status, r.deviceId, r.error]);
  }

  /** Refusals since `since` counted by device, kind, status and reason (the code before the first colon). */
  refusalSummary(since: string): Promise<{ deviceId: string | null; kind: string; status: number; reason: string; count: number; last: string }[]> {
    return this.sql
      .query<{ deviceId: string | null; kind: string; status: number; reason: string; count: string | number; last: string }>(
        `SELECT device_id AS "deviceId", kind, status, split_part(error, ':', 1) AS reason, count(*) AS count, max(at) AS last
           FROM refusal WHERE at >= $1 GROUP BY 1, 2, 3, 4 ORDER BY count(*) DESC, 1, 2, 3, 4`,
        [since],
      )
      .then((rows) => rows.map((r) => ({ ...r, count: Number(r.count) })));
  }

  refusals(): Promise<Refusal[]> {
    return this.sql.query<Refusal>('SELECT at, kind, status, device_id AS "deviceId", error FROM refusal ORDER BY id');
  }

  async logEscrow(e: { setId: string; username: string; reason: string; at: string }): Promise<void> {
    await this.sql.query('INSERT INTO escrow_log (at, set_id, username, reason) VALUES ($1, $2, $3, $4)', [e.at, e.setId, e.username, e.reason]);
  }

  escrowLog(): Promise<{ at: string; setId: string; username: string; reason: string }[]> {
    return this.sql.query('SELECT at, set_id AS "setId", username, reason FROM escrow_log ORDER BY id');
  }
}
