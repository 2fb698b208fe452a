/**
 * Accounts: first-run setup, password checks with exponential back-off, opening a workspace (with its grant
 * verified), creating and changing accounts. No session logic here: services/sessions.ts holds who is logged in.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CallError } from '../contract/errors.js';
import { normalizeScope } from '../domain/division.js';
import type { Role } from '../domain/roles.js';
import type { KeyProtector } from '../platform/key-protector.js';
import { DEFAULT_KDF_COST, deriveKek, newKdfParams, unwrapKey, wrapKey, type KdfParams } from '../platform/key-wrap.js';
import { generateSigningKeyPair } from '../platform/signing.js';
import type { AuditEvent } from '../domain/audit-chain.js';
import type { AccountRecord, RegistryDb } from '../store/registry/registry-db.js';
import { WorkspaceDb } from '../store/workspace/workspace-db.js';
import { isoTime, type Clock } from '../platform/clock.js';
import { signGrant, verifyGrant, type Grant } from './grants.js';
import { createMemberKey } from './team-access.js';
import { seesPersonalData } from '../domain/roles.js';

export interface AccountServiceOptions {
  registry: RegistryDb;
  workspaceDir: string;
  protector: KeyProtector;
  clock: Clock;
  /** scrypt cost for new keys; production uses DEFAULT_KDF_COST, tests may pass a cheaper one. */
  kdfCost?: { N: number; r: number; p: number };
}

/** 1 s after the first failure, doubling, at most 15 minutes. */
export function loginBackoffMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(1000 * 2 ** (failures - 1), 15 * 60_000);
}

const INSTALLATION_PUBLIC_KEY = 'installation_public_key';
/** The event kinds the app itself writes to the system log (besides refused calls). */
const SYSTEM_LOG_ACTIONS = new Set(['auth.login_failed', 'auth.login_throttled', 'auth.grant_rejected', 'auth.logout']);

function hashName(username: string): string {
  return createHash('sha256').update(username.toLowerCase()).digest('hex').slice(0, 12);
}
const INSTALLATION_SIGNING_KEY = 'installation_signing_key';

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  scope: string[];
  password: string;
}

export class AccountService {
  private readonly inFlight = new Set<string>();
  private setupRunning = false;
  /** Back-off for usernames that do not exist, so that they answer exactly like real ones (no enumeration). */
  private readonly unknownFailures = new Map<string, { failures: number; nextLoginAt: number }>();
  private readonly kdfCost: { N: number; r: number; p: number };

  constructor(private readonly o: AccountServiceOptions) {
    this.kdfCost = o.kdfCost ?? DEFAULT_KDF_COST;
  }

  isInitialized(): boolean {
    return this.o.registry.countAccounts() > 0;
  }

  workspaceFile(userId: string): string {
    return join(this.o.workspaceDir, `${userId}.db`);
  }

  /**
   * First run: creates the installation signing key and the first administrator. Refused when accounts exist, when
   * another setup is running, and when workspaces exist (a deleted registry must not let someone start over beside
   * the old users' data).
   */
  async setupAdmin(a: Omit<NewAccount, 'role' | 'scope'>): Promise<{ account: AccountRecord; workspace: WorkspaceDb }> {
    const leftovers = readdirSync(this.o.workspaceDir).filter((f) => f.endsWith('.db'));
    if (this.isInitialized() || this.setupRunning || leftovers.length > 0) {
      throw new CallError('ALREADY_INITIALIZED', 'this workstation already has an administrator');
    }
    this.setupRunning = true;
    try {
      return await this.createFirstAdmin(a);
    } finally {
      this.setupRunning = false;
    }
  }

  private async createFirstAdmin(a: Omit<NewAccount, 'role' | 'scope'>): Promise<{ account: AccountRecord; workspace: WorkspaceDb }> {
    const keys = generateSigningKeyPair();
    const { account, workspace } = await this.createAccountWith(keys.privateKeyDer, keys.publicKeyDer, {
      ...a,
      role: 'admin',
      scope: [],
    }, false);
    workspace.setSecret(INSTALLATION_SIGNING_KEY, keys.privateKeyDer);
    this.o.registry.setInstallation(INSTALLATION_PUBLIC_KEY, keys.publicKeyDer);
    return { account, workspace };
  }

  /** An administrator creates an account; the new user must change the initial password at first login. */
  async createAccount(adminWorkspace: WorkspaceDb, a: NewAccount): Promise<AccountRecord> {
    if (this.o.registry.findByUsername(a.username)) throw new CallError('CONFLICT', `username ${a.username} is taken`);
    const { privateKey, publicKey } = this.installationKeys(adminWorkspace);
    const { account, workspace } = await this.createAccountWith(privateKey, publicKey, a, true);
    // Administrators need the installation key to manage accounts; nobody else ever holds it.
    if (a.role === 'admin') workspace.setSecret(INSTALLATION_SIGNING_KEY, privateKey);
    // Members get their member key now, so colleagues can share the team store's key with them before they log in.
    if (seesPersonalData(a.role)) createMemberKey(this.o.registry, account.id, workspace, privateKey, isoTime(this.o.clock));
    workspace.close();
    return account;
  }

  private installationKeys(adminWorkspace: WorkspaceDb): { privateKey: Buffer; publicKey: Buffer } {
    const privateKey = adminWorkspace.getSecret(INSTALLATION_SIGNING_KEY);
    const publicKey = adminWorkspace.getSetting(INSTALLATION_PUBLIC_KEY);
    if (!privateKey || !publicKey) throw new CallError('FORBIDDEN_ROLE', 'this workspace holds no installation signing key');
    return { privateKey, publicKey: Buffer.from(publicKey, 'base64') };
  }

  private async createAccountWith(
    privateKey: Buffer,
    publicKey: Buffer,
    a: NewAccount,
    mustChangePassword: boolean,
  ): Promise<{ account: AccountRecord; workspace: WorkspaceDb }> {
    const id = randomUUID();
    const now = isoTime(this.o.clock);
    const grant: Grant = { id, username: a.username, role: a.role, scope: normalizeScope(a.scope), status: 'active', grantVersion: 1 };
    const dataKey = randomBytes(32);
    const kdf = newKdfParams(this.kdfCost);
    const kek = await deriveKek(a.password, kdf);
    const file = this.workspaceFile(id);
    const workspace = WorkspaceDb.create(file, dataKey, {
      user_id: id,
      username: a.username,
      [INSTALLATION_PUBLIC_KEY]: publicKey.toString('base64'),
      grant_version_seen: '1',
      created_at: now,
      language: 'zh-CN',
      idle_lock_minutes: '10',
      // Failed logins recorded from now on are copied into this workspace's chain at the next login.
      system_log_seq: String(this.o.registry.systemLogHeadSeq()),
    });
    workspace.appendAudit(
      { userId: id, username: a.username, action: 'account.created', target: a.username, outcome: 'ok', detail: { role: a.role, scope: grant.scope } },
      now,
    );
    const account: AccountRecord = {
      ...grant,
      displayName: a.displayName,
      grantSignature: signGrant(privateKey, grant),
      kdf: JSON.stringify(kdf),
      wrappedKey: this.o.protector.protect(wrapKey(kek, dataKey, id)),
      keyProtection: this.o.protector.kind,
      mustChangePassword,
      failedLogins: 0,
      nextLoginAt: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      this.o.registry.insertAccount(account);
    } catch (error) {
      workspace.close();
      rmSync(file, { force: true });
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
      throw error;
    }
    return { account, workspace };
  }

  /**
   * Checks a password and returns the account's data key. Every failure is logged in the system log and counted
   * towards the back-off; attempts during the back-off are refused without checking the password.
   */
  async authenticate(username: string, password: string, clientId: string): Promise<{ account: AccountRecord; dataKey: Buffer }> {
    const { registry, clock } = this.o;
    const found = registry.findByUsername(username);
    const log = (action: string, detail: Record<string, unknown>) =>
      registry.appendSystemLog(
        found
          ? { userId: found.id, username: found.username, action, target: found.username, outcome: 'failed', detail: { client: clientId, ...detail } }
          : // A typed name that matches no account may be a password typed into the wrong field: store only a hash.
            { userId: null, username: null, action, target: null, outcome: 'failed', detail: { client: clientId, usernameHash: hashName(username), ...detail } },
        isoTime(clock),
      );
    const now = clock.now();
    const state = found ?? this.unknownFailures.get(username.toLowerCase()) ?? { failures: 0, nextLoginAt: 0 };
    const nextLoginAt = found ? found.nextLoginAt : state.nextLoginAt;
    const key = found?.id ?? `unknown:${username.toLowerCase()}`;
    if (now < nextLoginAt || this.inFlight.has(key)) {
      const retryAfterMs = Math.max(nextLoginAt - now, 1000);
      log('auth.login_throttled', { retryAfterMs });
      throw new CallError('THROTTLED', 'too many failed attempts; wait before trying again', { retryAfterMs }, true);
    }
    this.inFlight.add(key);
    try {
      const wrongPassword = (failures: number, record: (next: number) => void) => {
        const retryAfterMs = loginBackoffMs(failures);
        record(clock.now() + retryAfterMs);
        log('auth.login_failed', { reason: found ? 'wrong_password' : 'unknown_user', failures, retryAfterMs });
        return new CallError('BAD_CREDENTIALS', 'wrong username or password', { retryAfterMs }, true);
      };
      if (!found) {
        // Spend the same time as a real check, so timing does not tell which usernames exist either.
        await deriveKek(password, newKdfParams(this.kdfCost));
        const failures = (this.unknownFailures.get(username.toLowerCase())?.failures ?? 0) + 1;
        if (this.unknownFailures.size > 1000) this.unknownFailures.clear();
        throw wrongPassword(failures, (next) => this.unknownFailures.set(username.toLowerCase(), { failures, nextLoginAt: next }));
      }
      if (found.keyProtection !== this.o.protector.kind) {
        throw new CallError('INTERNAL', `this account's key is protected by ${found.keyProtection}, which is not available here`);
      }
      const kek = await deriveKek(password, JSON.parse(found.kdf) as KdfParams);
      // Re-read after the slow derivation: an administrator may have disabled or changed the account meanwhile.
      const account = registry.findById(found.id);
      const dataKey = account ? unwrapKey(kek, this.o.protector.unprotect(account.wrappedKey), account.id) : null;
      if (!account || !dataKey) {
        const failures = (account?.failedLogins ?? found.failedLogins) + 1;
        throw wrongPassword(failures, (next) => registry.recordLoginFailure(found.id, failures, next));
      }
      if (account.status !== 'active') {
        log('auth.login_failed', { reason: 'disabled' });
        throw new CallError('ACCOUNT_DISABLED', 'this account is disabled', undefined, true);
      }
      registry.clearLoginFailures(account.id);
      return { account: { ...account, failedLogins: 0, nextLoginAt: 0 }, dataKey };
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * Opens the account's workspace and checks that the registry's grant is genuine and not older than one this
   * workspace has already seen. A copied or edited registry therefore cannot raise a role or widen a scope.
   */
  /** `allowRolledBack`: only for the verifier, which must open a rolled-back workspace to report where it breaks. */
  openWorkspace(account: AccountRecord, dataKey: Buffer, options: { allowRolledBack?: boolean } = {}): WorkspaceDb {
    const workspace = WorkspaceDb.open(this.workspaceFile(account.id), dataKey);
    const pinned = workspace.getSetting(INSTALLATION_PUBLIC_KEY);
    const seen = Number(workspace.getSetting('grant_version_seen') ?? '0');
    const genuine =
      workspace.getSetting('user_id') === account.id &&
      pinned !== undefined &&
      account.grantVersion >= seen &&
      verifyGrant(Buffer.from(pinned, 'base64'), account, account.grantSignature);
    if (!genuine) {
      workspace.close();
      this.o.registry.appendSystemLog(
        { userId: account.id, username: account.username, action: 'auth.grant_rejected', target: account.username, outcome: 'failed' },
        isoTime(this.o.clock),
      );
      throw new CallError('ACCOUNT_TAMPERED', 'the account registry entry is not signed by this installation', undefined, true);
    }
    if (account.grantVersion > seen) workspace.setSetting('grant_version_seen', String(account.grantVersion));
    if (!options.allowRolledBack) this.refuseRolledBack(account, workspace);
    return workspace;
  }

  /**
   * A workspace whose audit chain is shorter than its last anchor (kept in the registry at every logout and from the
   * platform's signed receipt at every sync), or differs at it, is an older copy put back or a chain cut short: the
   * user cannot go on working on it, and is told why.
   */
  private refuseRolledBack(account: AccountRecord, workspace: WorkspaceDb): void {
    const anchor = this.o.registry.auditAnchor(account.id);
    if (!anchor || anchor.seq === 0) return;
    const head = workspace.auditHead();
    const atAnchor = workspace.auditHashAt(anchor.seq);
    if (head && head.seq >= anchor.seq && atAnchor === anchor.hash) return;
    workspace.close();
    this.o.registry.appendSystemLog(
      { userId: account.id, username: account.username, action: 'auth.audit_rolled_back', target: account.username, outcome: 'failed', detail: { anchorSeq: anchor.seq, headSeq: head?.seq ?? 0 } },
      isoTime(this.o.clock),
    );
    throw new CallError(
      'AUDIT_ROLLED_BACK',
      `this workspace's audit trail ends at entry ${head?.seq ?? 0}${atAnchor && atAnchor !== anchor.hash ? ' and differs from' : ', before'} its last anchor (entry ${anchor.seq}): it was restored from an older copy or cut short. Ask the administrator and the platform operator; do not continue on this copy.`,
      { anchorSeq: anchor.seq, headSeq: head?.seq ?? 0 },
      true,
    );
  }

  /**
   * Copies system-log events about this account (and, for administrators, about unknown usernames) into its chain.
   * The system log's key is not secret, so what is copied is marked unauthenticated, limited to the event kinds the
   * app writes there, and only up to the first break of the system log's own chain (reported as its own entry).
   */
  ingestSystemLog(account: AccountRecord, workspace: WorkspaceDb): number {
    const after = Number(workspace.getSetting('system_log_seq') ?? '0');
    const check = this.o.registry.verifySystemLog();
    const limit = check.firstBreak ? check.firstBreak.seq : Number.MAX_SAFE_INTEGER;
    const events = [
      ...this.o.registry.systemLogFor(account.id, after),
      ...(account.role === 'admin' ? this.o.registry.systemLogFor(null, after) : []),
    ]
      .filter((e) => e.seq < limit && (SYSTEM_LOG_ACTIONS.has(e.action) || e.outcome === 'denied'))
      .sort((a, b) => a.seq - b.seq);
    const ts = isoTime(this.o.clock);
    const entries: { ts: string; event: AuditEvent }[] = events.map((e) => ({
      ts,
      event: {
        userId: e.userId,
        username: e.username,
        action: e.action,
        target: e.target,
        outcome: e.outcome,
        detail: {
          source: 'system_log',
          authenticated: false,
          systemLogSeq: e.seq,
          at: e.ts,
          ...(e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {}),
        },
      },
    }));
    if (check.firstBreak && after < check.firstBreak.seq) {
      entries.push({
        ts,
        event: { userId: account.id, username: account.username, action: 'system.log_broken', target: null, outcome: 'failed', detail: { seq: check.firstBreak.seq, reason: check.firstBreak.reason } },
      });
    }
    if (entries.length > 0) workspace.appendAuditBatch(entries);
    workspace.setSetting('system_log_seq', String(this.o.registry.systemLogHeadSeq()));
    return entries.length;
  }

  async changePassword(account: AccountRecord, dataKey: Buffer, newPassword: string): Promise<void> {
    const kdf = newKdfParams(this.kdfCost);
    const kek = await deriveKek(newPassword, kdf);
    const wrapped = this.o.protector.protect(wrapKey(kek, dataKey, account.id));
    this.o.registry.updateKey(account.id, JSON.stringify(kdf), wrapped, false, isoTime(this.o.clock));
  }

  /** Re-signs an account's grant with a new version; the workspace will refuse any older grant from now on. */
  updateAccount(
    adminWorkspace: WorkspaceDb,
    id: string,
    change: { displayName?: string; role?: Role; scope?: string[]; status?: 'active' | 'disabled' },
  ): AccountRecord {
    const current = this.o.registry.findById(id);
    if (!current) throw new CallError('NOT_FOUND', 'no such account');
    if (change.role && (change.role === 'admin') !== (current.role === 'admin')) {
      // An administrator's workspace holds the installation key; it can only be given at creation.
      throw new CallError('CONFLICT', 'the administrator role can be given only when an account is created');
    }
    const { privateKey } = this.installationKeys(adminWorkspace);
    const grant: Grant = {
      id,
      username: current.username,
      role: change.role ?? current.role,
      scope: normalizeScope(change.scope ?? current.scope),
      status: change.status ?? current.status,
      grantVersion: current.grantVersion + 1,
    };
    const displayName = change.displayName ?? current.displayName;
    this.o.registry.updateGrant(id, { ...grant, displayName, grantSignature: signGrant(privateKey, grant) }, isoTime(this.o.clock));
    return this.o.registry.findById(id)!;
  }
}
