/**
 * Who may open the team store, and how its key travels between colleagues without an administrator ever holding it.
 *
 * - Every member (auditor, supervisor, finance) gets an X25519 **member key** when the account is created. The private
 *   half goes into the new, encrypted workspace; the public half into the registry, **signed by the installation key**
 *   together with the account id — so nobody who can merely write the data folder can swap in a key of their own.
 * - The first member to log in creates the team store and its random key; the members existing then are its founders.
 *   A member created later must be activated by a supervisor holding the key (recorded inside the store, where the
 *   administrator who created the account cannot write). Whenever a member who holds the key logs in, they wrap it
 *   for each founding or activated colleague still waiting, after checking that colleague's grant and member-key
 *   signature against the installation key pinned inside their *own* workspace.
 * - Wraps are authenticated (static + ephemeral ECDH, platform/team-key-wrap.ts): a recipient accepts one only from a
 *   member key the installation signed, so a wrap of a key an attacker chose is refused.
 * - A store is created only when there is neither a store nor any wrap: a deleted team.db is reported, never silently
 *   replaced by a new one.
 *
 * The store is open while at least one member's workspace is open, and closed (key dropped) when the last one locks.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { CallError } from '../contract/errors.js';
import { seesPersonalData } from '../domain/roles.js';
import type { DeviceKeyPair } from '../platform/device-keys.js';
import { generateDeviceKeyPair } from '../platform/device-keys.js';
import { signBytes, verifyBytes } from '../platform/signing.js';
import { unwrapTeamKey, wrapTeamKey } from '../platform/team-key-wrap.js';
import type { AccountRecord, RegistryDb } from '../store/registry/registry-db.js';
import { rekeyFile, WrongKeyError } from '../store/sqlcipher.js';
import { TeamDb } from '../store/team/team-db.js';
import type { WorkspaceDb } from '../store/workspace/workspace-db.js';
import { isoTime, type Clock } from '../platform/clock.js';
import { verifyGrant } from './grants.js';
import { memberSigner } from './member-signing.js';

const MEMBER_PRIVATE_KEY = 'member_private_key';
const MEMBER_PUBLIC_KEY = 'member_public_key';

/** What a wrap is bound to: one account (a wrap copied to another account's row does not open). */
const wrapLabel = (accountId: string) => `team:${accountId}`;
const memberKeyMessage = (accountId: string, publicKey: Buffer) => Buffer.from(JSON.stringify(['aw-member-key-v1', accountId, publicKey.toString('base64')]));

/**
 * Gives a new account its member key, signed with the installation key (which only an administrator's workspace holds,
 * so this runs inside `users.create`).
 */
export function createMemberKey(registry: RegistryDb, accountId: string, workspace: WorkspaceDb, installationPrivateKey: Buffer, now: string): void {
  const pair = generateDeviceKeyPair();
  workspace.setSecret(MEMBER_PRIVATE_KEY, pair.privateKeyDer);
  workspace.setSecret(MEMBER_PUBLIC_KEY, pair.publicKeyDer);
  registry.publishMemberKey(accountId, pair.publicKeyDer, signBytes(installationPrivateKey, memberKeyMessage(accountId, pair.publicKeyDer)), now);
}

export class TeamAccess {
  private team: TeamDb | null = null;
  private readonly holders = new Set<string>();
  /** While the store is open: its key, the member key of one holder, and the installation key they pinned. */
  private open: { key: Buffer; member: DeviceKeyPair; installationKey: Buffer } | null = null;
  /** Why a member could not open the store at their last login (shown instead of the generic refusal). */
  private readonly problems = new Map<string, string>();

  constructor(private readonly o: { registry: RegistryDb; file: string; clock: Clock }) {}

  /**
   * A member's workspace opened: open the team store for them (creating it when this is the very first member), and
   * share the key with colleagues still waiting. Returns whether they have access.
   */
  join(account: AccountRecord, workspace: WorkspaceDb): boolean {
    // Never fails the login: a member without the store gets a clear refusal on the calls that need it.
    this.problems.delete(account.id);
    try {
      return this.tryJoin(account, workspace);
    } catch (error) {
      this.problems.set(account.id, error instanceof CallError ? error.message : `the team store cannot be opened: ${(error as Error).message}`);
      return false;
    }
  }

  private tryJoin(account: AccountRecord, workspace: WorkspaceDb): boolean {
    if (!seesPersonalData(account.role)) return false;
    const member = memberKeysOf(workspace);
    const installationKey = pinnedInstallationKey(workspace);
    if (!member || !installationKey) return false;
    let key = this.teamKey(account, member, installationKey);
    // A colleague holding the key is logged in right now: share it at once (checked against *their* pinned key).
    if (!key && this.open) {
      this.shareWithColleagues(this.open.member, this.open.installationKey, this.open.key);
      key = this.teamKey(account, member, installationKey);
    }
    if (!key) return false;
    if (!this.team) {
      const opened = this.openStore(account, member, installationKey, key);
      const team = opened.team;
      key = opened.key;
      // Nothing can be exporting while the store was closed: an entry still `writing` was cut short by a crash.
      team.exports.abandonInterrupted();
      if (team.members.isEmpty()) this.recordFounders(team);
      this.team = team;
      this.open = { key, member, installationKey };
      // Warm the cache after the login has answered, while the user looks at the home screen.
      setTimeout(() => team.warm(), 50).unref();
    }
    this.holders.add(account.id);
    // The member's card goes into the store's roster, so that events and exports they sign here can be checked
    // elsewhere (the sync announces it to the platform).
    const signer = memberSigner(workspace, account);
    this.team!.signers.recordLocal(signer.card, signer.proof, isoTime(this.o.clock));
    this.shareWithColleagues(member, installationKey, this.open!.key);
    if (this.o.registry.teamKeyRotationDue()) this.rotate(account);
    return this.team !== null;
  }

  /**
   * Opens the store under this member's key — or, when a rotation was cut short after the store was re-keyed, under the
   * staged key, finishing the rotation. A rotation cut short before the re-key is dropped.
   */
  private openStore(account: AccountRecord, member: DeviceKeyPair, installationKey: Buffer, key: Buffer): { team: TeamDb; key: Buffer } {
    const { registry, file } = this.o;
    try {
      const team = TeamDb.open(file, key, { create: !TeamDb.exists(file) });
      if (registry.hasStagedTeamKeyWraps()) registry.discardStagedTeamKeyWraps();
      rmSync(`${file}.rekey`, { force: true });
      return { team, key };
    } catch (error) {
      if (!(error instanceof WrongKeyError)) throw error;
      const next = registry.nextTeamKeyWrap(account.id);
      const unwrapped = next ? unwrapTeamKey(member, next, wrapLabel(account.id)) : null;
      if (!unwrapped || !this.isSignedMemberKey(unwrapped.fromPublicKeyDer, installationKey)) throw error;
      const team = TeamDb.open(file, unwrapped.key);
      registry.commitTeamKeyWraps(account.id, isoTime(this.o.clock));
      return { team, key: unwrapped.key };
    }
  }

  /** For crash tests: called at each step of a rotation (throwing from it stops the rotation there, like a crash). */
  onRotationStep: ((step: 'staged' | 'rekeyed' | 'swapped') => void) | null = null;

  /**
   * A new key for the store after an account lost access (so a wrap copied before no longer opens it): the new key is
   * wrapped for every remaining member and staged beside the current wraps; a re-keyed copy of the file replaces the
   * store by rename; then the staged wraps become the wraps. At any crash one of the two opens the file on disk
   * (openStore). Members logged in keep working: the store is reopened under the new key.
   */
  private rotate(by: AccountRecord): void {
    const { registry, file } = this.o;
    const open = this.open!;
    const team = this.team!;
    const newKey = randomBytes(32);
    const wraps: { accountId: string; wrapped: string }[] = [];
    for (const id of registry.teamKeyHolders()) {
      const a = registry.findById(id);
      const mk = registry.memberKey(id);
      if (!a || !mk || a.status !== 'active' || !seesPersonalData(a.role) || !team.members.has(id)) continue;
      if (!verifyGrant(open.installationKey, a, a.grantSignature) || !verifyBytes(open.installationKey, memberKeyMessage(id, mk.publicKey), mk.signature)) continue;
      wraps.push({ accountId: id, wrapped: wrapTeamKey(open.member, mk.publicKey, newKey, wrapLabel(id)) });
    }
    if (!wraps.some((w) => w.accountId === by.id)) return;
    const holders = [...this.holders];
    registry.stageTeamKeyWraps(wraps);
    try {
      this.onRotationStep?.('staged');
      team.close();
      this.team = null;
      const copy = `${file}.rekey`;
      copyFileSync(file, copy);
      rekeyFile(copy, open.key, newKey);
      this.onRotationStep?.('rekeyed');
      renameSync(copy, file);
      this.onRotationStep?.('swapped');
      registry.commitTeamKeyWraps(by.id, isoTime(this.o.clock));
      const reopened = TeamDb.open(file, newKey);
      this.team = reopened;
      this.open = { ...open, key: newKey };
      for (const h of holders) this.holders.add(h);
    } catch {
      // Left as a crash would leave it: members get the store back at their next login (openStore finishes or drops it).
      this.close();
    }
  }

  /** The team store for a logged-in member, or a clear refusal. */
  forUser(userId: string): TeamDb {
    if (!this.team || !this.holders.has(userId)) {
      throw new CallError('NO_TEAM_ACCESS', this.problems.get(userId) ?? 'the team store is not open for you yet: a colleague who already uses it must log in once to share it');
    }
    return this.team;
  }

  hasAccess(userId: string): boolean {
    return this.team !== null && this.holders.has(userId);
  }

  /** The store's key, for a member who holds it: a backup carries it so that its copy of the store can be opened. */
  keyForBackup(userId: string): Buffer {
    this.forUser(userId);
    return Buffer.from(this.open!.key);
  }

  /**
   * Puts a restored copy of the store in place of this one — only while this one is still empty (a new laptop), never
   * over colleagues' work. The copy is re-encrypted under the key the members here already hold, so their wraps stay
   * valid; the file is swapped by rename, and the store reopened.
   */
  replaceWithRestored(userId: string, restoredFile: string, restoredKey: Buffer): void {
    const team = this.forUser(userId);
    if (!team.isEmpty()) throw new CallError('CONFLICT', 'the team store here already holds findings or exports: it is kept, the backup copy is not restored over it');
    const key = this.open!.key;
    rekeyFile(restoredFile, restoredKey, key);
    const holders = [...this.holders];
    const open = this.open!;
    team.close();
    for (const suffix of ['-wal', '-shm']) rmSync(`${this.o.file}${suffix}`, { force: true });
    renameSync(restoredFile, this.o.file);
    const reopened = TeamDb.open(this.o.file, key);
    reopened.exports.abandonInterrupted();
    this.team = reopened;
    this.open = open;
    for (const h of holders) this.holders.add(h);
  }

  /** A member's workspace closed (lock, logout): the last one out closes the store. */
  release(userId: string): void {
    this.holders.delete(userId);
    if (this.holders.size === 0) this.close();
  }

  close(): void {
    this.team?.close();
    this.team = null;
    this.open = null;
    this.holders.clear();
  }

  /** This member's copy of the team key: unwrapped and authenticated, or created when nothing exists yet. */
  private teamKey(account: AccountRecord, member: DeviceKeyPair, installationKey: Buffer): Buffer | null {
    const stored = this.o.registry.teamKeyWrap(account.id);
    if (stored) {
      const unwrapped = unwrapTeamKey(member, stored, wrapLabel(account.id));
      if (!unwrapped || !this.isSignedMemberKey(unwrapped.fromPublicKeyDer, installationKey)) return null;
      // A wrap with no store behind it: the store was removed. Refuse rather than start a new one under this key.
      if (!TeamDb.exists(this.o.file)) throw new CallError('NO_TEAM_ACCESS', 'the team store (team.db) is missing from the data folder; restore it from a backup');
      return unwrapped.key;
    }
    if (this.o.registry.countTeamKeyWraps() === 0 && !TeamDb.exists(this.o.file)) {
      const key = randomBytes(32);
      this.o.registry.putTeamKeyWrap(account.id, wrapTeamKey(member, member.publicKeyDer, key, wrapLabel(account.id)), account.id, isoTime(this.o.clock));
      return key;
    }
    return null;
  }

  /** A member key the installation signed for the account it is registered to. */
  private isSignedMemberKey(publicKey: Buffer, installationKey: Buffer): boolean {
    const row = this.o.registry.memberKeyByPublicKey(publicKey);
    return !!row && verifyBytes(installationKey, memberKeyMessage(row.accountId, publicKey), row.signature);
  }

  /** The members who exist when the store is first opened are its founders; everyone after waits for a supervisor. */
  private recordFounders(team: TeamDb): void {
    const at = isoTime(this.o.clock);
    for (const a of this.o.registry.listAccounts()) if (a.status === 'active' && seesPersonalData(a.role)) team.members.add(a.id, 'founding', null, at);
  }

  /** Members created after the store who wait for a supervisor to let them in. */
  pendingMembers(supervisorId: string): AccountRecord[] {
    const team = this.forUser(supervisorId);
    return this.o.registry
      .membersWithoutTeamKey()
      .map((w) => this.o.registry.findById(w.accountId))
      .filter((a): a is AccountRecord => !!a && a.status === 'active' && seesPersonalData(a.role) && !team.members.has(a.id));
  }

  /** The store's own record of who may hold its key, with the accounts (a fake founder shows here). */
  members(supervisorId: string): { account: AccountRecord; kind: 'founding' | 'activated'; by: AccountRecord | null; at: string }[] {
    return this.forUser(supervisorId)
      .members.list()
      .flatMap((m) => {
        const account = this.o.registry.findById(m.accountId);
        return account ? [{ account, kind: m.kind, by: m.byAccount ? (this.o.registry.findById(m.byAccount) ?? null) : null, at: m.at }] : [];
      });
  }

  /**
   * A supervisor who holds the key lets a member in: recorded in the store (where an administrator cannot write), and
   * the key is wrapped for the member at once. The member gets access at their next login.
   */
  activateMember(supervisorId: string, memberId: string): void {
    const team = this.forUser(supervisorId);
    const member = this.pendingMembers(supervisorId).find((a) => a.id === memberId);
    if (!member) throw new CallError('NOT_FOUND', 'no member waits for activation under that id');
    team.members.add(member.id, 'activated', supervisorId, isoTime(this.o.clock));
    this.shareWithColleagues(this.open!.member, this.open!.installationKey, this.open!.key);
  }

  private shareWithColleagues(from: DeviceKeyPair, installationKey: Buffer, key: Buffer): void {
    const by = this.o.registry.memberKeyByPublicKey(from.publicKeyDer)?.accountId;
    if (!by || !this.team) return;
    for (const waiting of this.o.registry.membersWithoutTeamKey()) {
      const colleague = this.o.registry.findById(waiting.accountId);
      if (!colleague || colleague.status !== 'active' || !seesPersonalData(colleague.role)) continue;
      // Only founders and members a supervisor activated: never an account merely added to the registry.
      if (!this.team.members.has(colleague.id)) continue;
      if (!verifyGrant(installationKey, colleague, colleague.grantSignature)) continue;
      if (!verifyBytes(installationKey, memberKeyMessage(colleague.id, waiting.publicKey), waiting.signature)) continue;
      this.o.registry.putTeamKeyWrap(colleague.id, wrapTeamKey(from, waiting.publicKey, key, wrapLabel(colleague.id)), by, isoTime(this.o.clock));
    }
  }
}

function memberKeysOf(workspace: WorkspaceDb): DeviceKeyPair | null {
  const privateKeyDer = workspace.getSecret(MEMBER_PRIVATE_KEY);
  const publicKeyDer = workspace.getSecret(MEMBER_PUBLIC_KEY);
  return privateKeyDer && publicKeyDer ? { privateKeyDer, publicKeyDer } : null;
}

function pinnedInstallationKey(workspace: WorkspaceDb): Buffer | null {
  const pinned = workspace.getSetting('installation_public_key');
  return pinned ? Buffer.from(pinned, 'base64') : null;
}
