/**
 * The account registry (registry.db): the only unencrypted database. It must be readable before anyone logs in,
 * so it holds no personal data of the people being audited — just staff accounts, their wrapped keys, their
 * signed grants, and the system log of events that happen before a workspace is open (failed logins, calls
 * without a session). Integrity of roles and scopes comes from the grant signature, not from this file.
 */
import { sealEntry, verifyChain, type AuditEntry, type AuditEvent, type ChainHead } from '../../domain/audit-chain.js';
import type { Role } from '../../domain/roles.js';
import { migrate, type Migration } from '../migrations.js';
import { openPlain, type Db } from '../sqlcipher.js';

/**
 * The system log is hash-chained like a workspace chain, but its MAC key cannot be secret (nobody is logged in
 * when it is written): it detects damage, not forgery. Its entries are copied into the MAC'd chain of the user
 * they concern (or of the administrators) at the next login.
 */
const SYSTEM_LOG_KEY = Buffer.from('system-log:not-secret');

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, installation and system log',
    up(db) {
      db.exec(`
        CREATE TABLE installation (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
        CREATE TABLE account (
          id                   TEXT PRIMARY KEY,
          username             TEXT NOT NULL UNIQUE COLLATE NOCASE,
          display_name         TEXT NOT NULL,
          role                 TEXT NOT NULL,
          scope                TEXT NOT NULL,          -- JSON array of division prefixes
          status               TEXT NOT NULL,          -- active | disabled
          grant_version        INTEGER NOT NULL,
          grant_signature      BLOB NOT NULL,
          kdf                  TEXT NOT NULL,          -- JSON KdfParams
          wrapped_key          BLOB NOT NULL,
          key_protection       TEXT NOT NULL,          -- none | safeStorage
          must_change_password INTEGER NOT NULL DEFAULT 0,
          failed_logins        INTEGER NOT NULL DEFAULT 0,
          next_login_at        INTEGER NOT NULL DEFAULT 0, -- epoch ms; exponential back-off after failures
          created_at           TEXT NOT NULL,
          updated_at           TEXT NOT NULL
        ) STRICT;
        CREATE TABLE system_log (
          seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, user_id TEXT, username TEXT, action TEXT NOT NULL,
          target TEXT, outcome TEXT NOT NULL, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL
        ) STRICT;
        CREATE INDEX system_log_by_user ON system_log (user_id, seq);
        CREATE TRIGGER system_log_no_update BEFORE UPDATE ON system_log
          BEGIN SELECT RAISE(ABORT, 'system_log is append-only'); END;
        CREATE TRIGGER system_log_no_delete BEFORE DELETE ON system_log
          BEGIN SELECT RAISE(ABORT, 'system_log is append-only'); END;
      `);
    },
  },
  {
    version: 2,
    name: 'audit chain anchors',
    up(db) {
      // The head of each user's chain as last seen when the workspace closed: a later verification notices a chain
      // cut short. (Issue 7 sends the same heads to the platform, out of reach of this machine.)
      db.exec(`
        ALTER TABLE account ADD COLUMN audit_anchor_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE account ADD COLUMN audit_anchor_hash TEXT;
      `);
    },
  },
  {
    version: 3,
    name: 'team key sharing',
    up(db) {
      // Each member of the team (the personal-data roles) publishes an X25519 public key; the team store's key is
      // wrapped to it by a colleague who already holds it. The private halves live only in the members' workspaces.
      db.exec(`
        -- signature: the installation key's signature on (account, public key), made when the account was created.
        CREATE TABLE member_key (
          account_id TEXT PRIMARY KEY REFERENCES account (id), public_key BLOB NOT NULL, signature BLOB NOT NULL, published_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE team_key_wrap (
          account_id TEXT PRIMARY KEY REFERENCES account (id), wrapped TEXT NOT NULL, wrapped_by TEXT NOT NULL, wrapped_at TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 4,
    name: 'team key rotation',
    up(db) {
      // A rotation stages every remaining member's wrap of the new key (next_wrapped) before the store is re-keyed, and
      // swaps them in after: at any crash, one of the two wraps opens the store as it is on disk.
      db.exec(`
        ALTER TABLE team_key_wrap ADD COLUMN next_wrapped TEXT;
        CREATE TABLE team_key_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      `);
    },
  },
];

export interface AccountRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: string[];
  status: 'active' | 'disabled';
  grantVersion: number;
  grantSignature: Buffer;
  kdf: string;
  wrappedKey: Buffer;
  keyProtection: 'none' | 'safeStorage';
  mustChangePassword: boolean;
  failedLogins: number;
  nextLoginAt: number;
  createdAt: string;
  updatedAt: string;
}

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  scope: string;
  status: 'active' | 'disabled';
  grant_version: number;
  grant_signature: Buffer;
  kdf: string;
  wrapped_key: Buffer;
  key_protection: 'none' | 'safeStorage';
  must_change_password: number;
  failed_logins: number;
  next_login_at: number;
  created_at: string;
  updated_at: string;
}

function toAccount(r: AccountRow): AccountRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    scope: JSON.parse(r.scope) as string[],
    status: r.status,
    grantVersion: r.grant_version,
    grantSignature: r.grant_signature,
    kdf: r.kdf,
    wrappedKey: r.wrapped_key,
    keyProtection: r.key_protection,
    mustChangePassword: r.must_change_password === 1,
    failedLogins: r.failed_logins,
    nextLoginAt: r.next_login_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class RegistryDb {
  private systemHead: ChainHead | null;

  private constructor(private readonly db: Db) {
    this.systemHead =
      (db.prepare('SELECT seq, hash FROM system_log ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined) ?? null;
  }

  static open(file: string): RegistryDb {
    const db = openPlain(file);
    try {
      migrate(db, MIGRATIONS, 'account registry');
    } catch (error) {
      db.close();
      throw error;
    }
    return new RegistryDb(db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  // ---- installation ---------------------------------------------------------------------------------------

  getInstallation(key: string): Buffer | undefined {
    return (this.db.prepare('SELECT value FROM installation WHERE key = ?').get(key) as { value: Buffer } | undefined)?.value;
  }

  setInstallation(key: string, value: Buffer): void {
    this.db.prepare('INSERT INTO installation (key, value) VALUES (?, ?)').run(key, value);
  }

  // ---- accounts -------------------------------------------------------------------------------------------

  countAccounts(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM account').get() as { n: number }).n;
  }

  listAccounts(): AccountRecord[] {
    return (this.db.prepare('SELECT * FROM account ORDER BY username').all() as AccountRow[]).map(toAccount);
  }

  findByUsername(username: string): AccountRecord | undefined {
    const row = this.db.prepare('SELECT * FROM account WHERE username = ?').get(username) as AccountRow | undefined;
    return row && toAccount(row);
  }

  findById(id: string): AccountRecord | undefined {
    const row = this.db.prepare('SELECT * FROM account WHERE id = ?').get(id) as AccountRow | undefined;
    return row && toAccount(row);
  }

  insertAccount(a: AccountRecord): void {
    this.db
      .prepare(
        `INSERT INTO account (id, username, display_name, role, scope, status, grant_version, grant_signature, kdf,
           wrapped_key, key_protection, must_change_password, failed_logins, next_login_at, created_at, updated_at)
         VALUES (@id, @username, @displayName, @role, @scope, @status, @grantVersion, @grantSignature, @kdf,
           @wrappedKey, @keyProtection, @mustChangePassword, @failedLogins, @nextLoginAt, @createdAt, @updatedAt)`,
      )
      .run({ ...a, scope: JSON.stringify(a.scope), mustChangePassword: a.mustChangePassword ? 1 : 0 });
  }

  updateGrant(
    id: string,
    g: { displayName: string; role: Role; scope: string[]; status: string; grantVersion: number; grantSignature: Buffer },
    now: string,
  ): void {
    this.db
      .prepare(
        `UPDATE account SET display_name = @displayName, role = @role, scope = @scope, status = @status,
           grant_version = @grantVersion, grant_signature = @grantSignature, updated_at = @now WHERE id = @id`,
      )
      .run({ ...g, scope: JSON.stringify(g.scope), id, now });
  }

  updateKey(id: string, kdf: string, wrappedKey: Buffer, mustChangePassword: boolean, now: string): void {
    this.db
      .prepare(
        `UPDATE account SET kdf = ?, wrapped_key = ?, must_change_password = ?, updated_at = ? WHERE id = ?`,
      )
      .run(kdf, wrappedKey, mustChangePassword ? 1 : 0, now, id);
  }

  setAuditAnchor(id: string, head: ChainHead): void {
    this.db
      .prepare('UPDATE account SET audit_anchor_seq = ?, audit_anchor_hash = ? WHERE id = ? AND audit_anchor_seq <= ?')
      .run(head.seq, head.hash, id, head.seq);
  }

  /**
   * Puts the anchor on a restored chain, which may be shorter than the one it replaces. Only a restore does this, with
   * the user's password, and the system log and the restored chain both record it.
   */
  resetAuditAnchor(id: string, head: ChainHead): void {
    this.db.prepare('UPDATE account SET audit_anchor_seq = ?, audit_anchor_hash = ? WHERE id = ?').run(head.seq, head.hash, id);
  }

  auditAnchor(id: string): ChainHead | null {
    const row = this.db.prepare('SELECT audit_anchor_seq AS seq, audit_anchor_hash AS hash FROM account WHERE id = ?').get(id) as
      | { seq: number; hash: string | null }
      | undefined;
    return row && row.hash ? { seq: row.seq, hash: row.hash } : null;
  }

  // ---- team key sharing ------------------------------------------------------------------------------------

  memberKey(accountId: string): { publicKey: Buffer; signature: Buffer } | undefined {
    const row = this.db.prepare('SELECT public_key, signature FROM member_key WHERE account_id = ?').get(accountId) as { public_key: Buffer; signature: Buffer } | undefined;
    return row ? { publicKey: row.public_key, signature: row.signature } : undefined;
  }

  memberKeyByPublicKey(publicKey: Buffer): { accountId: string; signature: Buffer } | undefined {
    const row = this.db.prepare('SELECT account_id, signature FROM member_key WHERE public_key = ?').get(publicKey) as { account_id: string; signature: Buffer } | undefined;
    return row ? { accountId: row.account_id, signature: row.signature } : undefined;
  }

  publishMemberKey(accountId: string, publicKey: Buffer, signature: Buffer, now: string): void {
    this.db
      .prepare(
        `INSERT INTO member_key (account_id, public_key, signature, published_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET public_key = excluded.public_key, signature = excluded.signature, published_at = excluded.published_at`,
      )
      .run(accountId, publicKey, signature, now);
  }

  teamKeyWrap(accountId: string): string | undefined {
    return (this.db.prepare('SELECT wrapped FROM team_key_wrap WHERE account_id = ?').get(accountId) as { wrapped: string } | undefined)?.wrapped;
  }

  countTeamKeyWraps(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM team_key_wrap').get() as { n: number }).n;
  }

  putTeamKeyWrap(accountId: string, wrapped: string, by: string, now: string): void {
    this.db
      .prepare('INSERT INTO team_key_wrap (account_id, wrapped, wrapped_by, wrapped_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET wrapped = excluded.wrapped, wrapped_by = excluded.wrapped_by, wrapped_at = excluded.wrapped_at')
      .run(accountId, wrapped, by, now);
  }

  /**
   * A disabled account loses its copy of the team key (a colleague re-wraps it if the account is enabled again), and the
   * key is due for rotation: a copy of the wrap taken earlier must not open the store any more.
   */
  deleteTeamKeyWrap(accountId: string): void {
    this.db.transaction(() => {
      const deleted = this.db.prepare('DELETE FROM team_key_wrap WHERE account_id = ?').run(accountId).changes;
      if (deleted > 0) this.db.prepare(`INSERT OR REPLACE INTO team_key_state (key, value) VALUES ('rotation_due', '1')`).run();
    })();
  }

  teamKeyRotationDue(): boolean {
    return !!this.db.prepare(`SELECT 1 FROM team_key_state WHERE key = 'rotation_due'`).get();
  }

  /** Accounts holding a wrap of the team key. */
  teamKeyHolders(): string[] {
    return this.db.prepare('SELECT account_id FROM team_key_wrap ORDER BY account_id').pluck().all() as string[];
  }

  /** Phase 1 of a rotation: the new key's wraps, beside the current ones. */
  stageTeamKeyWraps(wraps: readonly { accountId: string; wrapped: string }[]): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE team_key_wrap SET next_wrapped = NULL').run();
      const put = this.db.prepare('UPDATE team_key_wrap SET next_wrapped = ? WHERE account_id = ?');
      for (const w of wraps) put.run(w.wrapped, w.accountId);
    })();
  }

  nextTeamKeyWrap(accountId: string): string | undefined {
    return (this.db.prepare('SELECT next_wrapped FROM team_key_wrap WHERE account_id = ?').pluck().get(accountId) as string | null | undefined) ?? undefined;
  }

  hasStagedTeamKeyWraps(): boolean {
    return !!this.db.prepare('SELECT 1 FROM team_key_wrap WHERE next_wrapped IS NOT NULL').get();
  }

  /** Phase 3: the store is under the new key; the staged wraps become the wraps, and whoever got none loses theirs. */
  commitTeamKeyWraps(by: string, now: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM team_key_wrap WHERE next_wrapped IS NULL').run();
      this.db.prepare('UPDATE team_key_wrap SET wrapped = next_wrapped, wrapped_by = ?, wrapped_at = ?, next_wrapped = NULL').run(by, now);
      this.db.prepare(`DELETE FROM team_key_state WHERE key = 'rotation_due'`).run();
    })();
  }

  /** A rotation cut short before the store was re-keyed: the staged wraps open nothing and are dropped. */
  discardStagedTeamKeyWraps(): void {
    this.db.prepare('UPDATE team_key_wrap SET next_wrapped = NULL').run();
  }

  /** Accounts that published a member key but hold no wrap of the team key yet. */
  membersWithoutTeamKey(): { accountId: string; publicKey: Buffer; signature: Buffer }[] {
    return (
      this.db
        .prepare('SELECT m.account_id, m.public_key, m.signature FROM member_key m LEFT JOIN team_key_wrap w ON w.account_id = m.account_id WHERE w.account_id IS NULL')
        .all() as { account_id: string; public_key: Buffer; signature: Buffer }[]
    ).map((r) => ({ accountId: r.account_id, publicKey: r.public_key, signature: r.signature }));
  }

  recordLoginFailure(id: string, failedLogins: number, nextLoginAt: number): void {
    this.db.prepare('UPDATE account SET failed_logins = ?, next_login_at = ? WHERE id = ?').run(failedLogins, nextLoginAt, id);
  }

  clearLoginFailures(id: string): void {
    this.db.prepare('UPDATE account SET failed_logins = 0, next_login_at = 0 WHERE id = ?').run(id);
  }

  // ---- system log -----------------------------------------------------------------------------------------

  appendSystemLog(event: AuditEvent, ts: string): AuditEntry {
    const entry = sealEntry(SYSTEM_LOG_KEY, this.systemHead, event, ts);
    this.db
      .prepare(
        `INSERT INTO system_log (seq, ts, user_id, username, action, target, outcome, detail, prev_hash, hash, mac)
         VALUES (@seq, @ts, @userId, @username, @action, @target, @outcome, @detail, @prevHash, @hash, @mac)`,
      )
      .run(entry);
    this.systemHead = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  /** System-log entries after `afterSeq` that concern one account (or, with null, no known account). */
  systemLogFor(userId: string | null, afterSeq: number): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT seq, ts, user_id AS userId, username, action, target, outcome, detail, prev_hash AS prevHash, hash, mac
           FROM system_log WHERE seq > ? AND user_id IS ? ORDER BY seq`,
      )
      .all(afterSeq, userId) as AuditEntry[];
    return rows;
  }

  /** Newest first. */
  recentSystemLog(limit: number): AuditEntry[] {
    return this.db
      .prepare(
        `SELECT seq, ts, user_id AS userId, username, action, target, outcome, detail, prev_hash AS prevHash, hash, mac
           FROM system_log ORDER BY seq DESC LIMIT ?`,
      )
      .all(limit) as AuditEntry[];
  }

  systemLogHeadSeq(): number {
    return this.systemHead?.seq ?? 0;
  }

  verifySystemLog(): ReturnType<typeof verifyChain> {
    const rows = this.db
      .prepare(
        `SELECT seq, ts, user_id AS userId, username, action, target, outcome, detail, prev_hash AS prevHash, hash, mac
           FROM system_log ORDER BY seq`,
      )
      .iterate() as Iterable<AuditEntry>;
    return verifyChain(SYSTEM_LOG_KEY, rows);
  }
}
