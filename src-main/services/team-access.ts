/**
 * Who may open the team store, and how its key travels between colleagues without an administrator ever holding it.
 *
 * Every member (auditor, supervisor, finance) gets an X25519 member key; the private half lives only in their
 * encrypted workspace, the public half is published in the registry. The first member to log in creates the team
 * store and its random key; whenever a member who holds the key logs in, they wrap it for every colleague who has
 * published a member key since — after checking that colleague's grant against the installation key pinned inside
 * their *own* workspace, so an account planted in the registry by someone with write access to the data folder gets
 * nothing. A colleague who joined after everyone else last logged in waits (NO_TEAM_ACCESS) until one of them does.
 *
 * The store is open while at least one member's workspace is open, and closed (key dropped) when the last one locks.
 */
import { randomBytes } from 'node:crypto';
import { CallError } from '../contract/errors.js';
import { seesPersonalData } from '../domain/roles.js';
import { generateDeviceKeyPair, parseWrappedKey, unwrapForDevice, wrapForDevice, type DeviceKeyPair } from '../platform/device-keys.js';
import type { AccountRecord, RegistryDb } from '../store/registry/registry-db.js';
import { TeamDb } from '../store/team/team-db.js';
import type { WorkspaceDb } from '../store/workspace/workspace-db.js';
import { isoTime, type Clock } from './clock.js';
import { verifyGrant } from './grants.js';

const MEMBER_PRIVATE_KEY = 'member_private_key';
const MEMBER_PUBLIC_KEY = 'member_public_key';

/** What the wrap is bound to: one account (so a wrap copied to another account's row does not open). */
const wrapLabel = (accountId: string) => `team:${accountId}`;

/**
 * Gives an account its member key pair (private half in its workspace, public half in the registry). Done when an
 * account is created, so that the first colleague to log in afterwards can already share the team key with it.
 */
export function ensureMemberKeys(registry: RegistryDb, accountId: string, workspace: WorkspaceDb, now: string): DeviceKeyPair {
  let privateKeyDer = workspace.getSecret(MEMBER_PRIVATE_KEY);
  let publicKeyDer = workspace.getSecret(MEMBER_PUBLIC_KEY);
  if (!privateKeyDer || !publicKeyDer) {
    const pair = generateDeviceKeyPair();
    workspace.setSecret(MEMBER_PRIVATE_KEY, pair.privateKeyDer);
    workspace.setSecret(MEMBER_PUBLIC_KEY, pair.publicKeyDer);
    privateKeyDer = pair.privateKeyDer;
    publicKeyDer = pair.publicKeyDer;
  }
  const published = registry.memberPublicKey(accountId);
  if (!published || !published.equals(publicKeyDer)) registry.publishMemberKey(accountId, publicKeyDer, now);
  return { privateKeyDer, publicKeyDer };
}

export class TeamAccess {
  private team: TeamDb | null = null;
  private readonly holders = new Set<string>();
  /** While the store is open: its key, and the installation key pinned by the member who opened it. */
  private open: { key: Buffer; installationKey: Buffer | null } | null = null;

  constructor(private readonly o: { registry: RegistryDb; file: string; clock: Clock }) {}

  /**
   * A member's workspace opened: publish their member key, open the team store for them (creating it when this is
   * the first member ever), and share the key with colleagues still waiting. Returns whether they have access.
   */
  join(account: AccountRecord, workspace: WorkspaceDb): boolean {
    if (!seesPersonalData(account.role)) return false;
    const member = ensureMemberKeys(this.o.registry, account.id, workspace, isoTime(this.o.clock));
    let key = this.teamKey(account, member);
    // A colleague holding the key is logged in right now: share it at once (checked against *their* pinned key).
    if (!key && this.open?.installationKey) {
      this.shareWithColleagues(account.id, this.open.installationKey, this.open.key);
      key = this.teamKey(account, member);
    }
    if (!key) return false;
    if (!this.team) {
      this.team = TeamDb.open(this.o.file, key, { create: !TeamDb.exists(this.o.file) });
      this.open = { key, installationKey: pinnedInstallationKey(workspace) };
    }
    this.holders.add(account.id);
    const pinned = pinnedInstallationKey(workspace);
    if (pinned) this.shareWithColleagues(account.id, pinned, key);
    return true;
  }

  /** The team store for a logged-in member, or a clear refusal. */
  forUser(userId: string): TeamDb {
    if (!this.team || !this.holders.has(userId)) {
      throw new CallError('NO_TEAM_ACCESS', 'the team store is not open for you yet: a colleague who already uses it must log in once to share it');
    }
    return this.team;
  }

  hasAccess(userId: string): boolean {
    return this.team !== null && this.holders.has(userId);
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

  private teamKey(account: AccountRecord, member: DeviceKeyPair): Buffer | null {
    const stored = this.o.registry.teamKeyWrap(account.id);
    if (stored) {
      const wrapped = parseWrappedKey(stored);
      return wrapped ? unwrapForDevice(member, wrapped, wrapLabel(account.id)) : null;
    }
    // Nobody has the key and there is no store yet: this member founds it.
    if (this.o.registry.countTeamKeyWraps() === 0 && !TeamDb.exists(this.o.file)) {
      const key = randomBytes(32);
      this.o.registry.putTeamKeyWrap(account.id, JSON.stringify(wrapForDevice(member.publicKeyDer, key, wrapLabel(account.id))), account.id, isoTime(this.o.clock));
      return key;
    }
    return null;
  }

  private shareWithColleagues(byAccountId: string, installationKey: Buffer, key: Buffer): void {
    for (const waiting of this.o.registry.membersWithoutTeamKey()) {
      const colleague = this.o.registry.findById(waiting.accountId);
      if (!colleague || colleague.status !== 'active' || !seesPersonalData(colleague.role)) continue;
      if (!verifyGrant(installationKey, colleague, colleague.grantSignature)) continue;
      const wrapped = wrapForDevice(waiting.publicKey, key, wrapLabel(colleague.id));
      this.o.registry.putTeamKeyWrap(colleague.id, JSON.stringify(wrapped), byAccountId, isoTime(this.o.clock));
    }
  }
}

function pinnedInstallationKey(workspace: WorkspaceDb): Buffer | null {
  const pinned = workspace.getSetting('installation_public_key');
  return pinned ? Buffer.from(pinned, 'base64') : null;
}
