/**
 * Backups as the workstation offers them: back up now (the password is asked every time — it re-wraps the set for
 * the password in use and confirms who is copying everything to a drive), list and verify the sets in a folder, and
 * restore one into the logged-in account on this laptop.
 *
 * A restore takes the backup's audit chain, views, queries and parameters, and — only when the team store here is
 * still empty — the team store. What belongs to this laptop stays as it is here: the account's identity and keys, the
 * installation key, the snapshots and their keys. The workspace it replaces is kept beside it (`.replaced-…`).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { because, CallError, type ReasonDetail } from '../../contract/errors.js';
import { verifyChain, type ChainHead } from '../../domain/audit-chain.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import type { RegistryDb } from '../../store/registry/registry-db.js';
import { rekeyFile } from '../../store/sqlcipher.js';
import { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import type { AccountService } from '../accounts.js';
import type { SessionUser } from '../sessions.js';
import type { TeamAccess } from '../team-access.js';
import { PLATFORM_ESCROW_KEY_SETTING } from '../sync/sync-service.js';
import { lastBackup, ownSetKey, reconstruct, runBackup, verifySet, type BackupRunResult, type BackupSource, type PieceCheck } from './backup-engine.js';
import { findSets, listPieces, openSetKey, readSetFile } from './backup-sets.js';


/** Settings and secrets that describe this laptop, not the user's work: a restore keeps the ones here. */
const LAPTOP_SETTINGS = new Set(['user_id', 'username', 'installation_public_key', 'grant_version_seen', 'system_log_seq', 'created_at', 'platform_url', 'platform_public_key', 'platform_jurisdiction', 'platform_enrolment', 'last_sync', 'platform_sequence', 'audit_receipt', PLATFORM_ESCROW_KEY_SETTING, 'platform_upload_auth_key']);
const LAPTOP_SECRETS = new Set(['member_private_key', 'member_public_key', 'installation_signing_key', 'platform_token', 'device_public_key', 'device_private_key']);
const isLaptopBound = (name: string, secret: boolean) =>
  (secret ? LAPTOP_SECRETS.has(name) || name.startsWith('snapshot_key:') : LAPTOP_SETTINGS.has(name)) || name.startsWith('backup_');

export interface RestoreResult {
  setId: string;
  restoredPiece: number;
  backedUpAt: string;
  piecesInSet: number;
  stoppedAt: { piece: number; reason: string; why: ReasonDetail } | null;
  team: 'restored' | 'kept' | 'not_in_backup' | 'no_access';
  teamMessage: string | null;
  auditEntries: number;
  reenrolRequired: boolean;
  /** Runs after the call's own audit entry: ends the session and swaps the restored workspace in. */
  swapIn: () => void;
}

export class BackupService {
  constructor(
    private readonly o: {
      dataDir: string;
      accounts: AccountService;
      registry: RegistryDb;
      team: TeamAccess;
      clock: Clock;
      kdfCost?: { N: number; r: number; p: number };
    },
  ) {}

  status(workspace: WorkspaceDb): { last: ReturnType<typeof lastBackup>; escrow: boolean } {
    return { last: lastBackup(workspace), escrow: workspace.getSetting(PLATFORM_ESCROW_KEY_SETTING) !== undefined };
  }

  async run(user: SessionUser, workspace: WorkspaceDb, input: { folder: string; password: string }, clientId: string): Promise<BackupRunResult> {
    const { dataKey } = await this.o.accounts.authenticate(user.username, input.password, clientId);
    const sources: BackupSource[] = [{ name: 'workspace', key: dataKey, holdStill: (read) => workspace.holdStill(read) }];
    if (this.o.team.hasAccess(user.id)) {
      const team = this.o.team.forUser(user.id);
      sources.push({ name: 'team', key: this.o.team.keyForBackup(user.id), holdStill: (read) => team.holdStill(read) });
    }
    const escrow = workspace.getSetting(PLATFORM_ESCROW_KEY_SETTING);
    return runBackup({
      folder: input.folder,
      username: user.username,
      password: input.password,
      workspace,
      sources,
      escrowPublicKey: escrow ? Buffer.from(escrow, 'base64') : null,
      now: isoTime(this.o.clock),
      kdfCost: this.o.kdfCost,
    });
  }

  sets(folder: string) {
    return findSets(folder).map(({ dir, set }) => ({
      dir,
      setId: set.setId,
      username: set.username,
      createdAt: set.createdAt,
      updatedAt: set.updatedAt,
      escrow: set.escrow !== null,
      pieces: listPieces(dir).map(({ piece, kind, createdAt, auditHeadSeq, bytes, problem, why }) => ({ piece, kind, createdAt, auditHeadSeq, bytes, problem, why })),
    }));
  }

  /** Checks every piece; the user's own current set needs no password (its key is in the workspace). */
  async verify(workspace: WorkspaceDb, input: { dir: string; password?: string; recoveryCode?: string }): Promise<PieceCheck[]> {
    const set = readSetFile(input.dir);
    const key =
      ownSetKey(workspace, set.setId) ??
      (input.recoveryCode ? await openSetKey(set, { recoveryCode: input.recoveryCode }) : input.password ? await openSetKey(set, { password: input.password }) : null);
    if (!key) throw new CallError('BAD_CREDENTIALS', '该备份集不是本工作区的备份集：请输入其最近一次备份时的登录密码，或恢复码。', because('backupSetNotOwn'));
    return verifySet(input.dir, key);
  }

  /**
   * Rebuilds the set's databases next to the data folder, re-encrypts them under this account's and this team
   * store's keys, and prepares the swap. Nothing here changes until `swapIn` runs (except an empty team store, which
   * is replaced at once).
   */
  async restore(
    user: SessionUser,
    workspace: WorkspaceDb,
    input: { dir: string; password: string; backupPassword?: string; recoveryCode?: string },
    clientId: string,
    endSession: () => void,
  ): Promise<RestoreResult> {
    const { dataKey } = await this.o.accounts.authenticate(user.username, input.password, clientId);
    const set = readSetFile(input.dir);
    const setKey = await openSetKey(set, input.recoveryCode ? { recoveryCode: input.recoveryCode } : { password: input.backupPassword ?? input.password });
    const workDir = join(this.o.dataDir, `restore-${randomUUID()}`);
    try {
      const rebuilt = reconstruct(input.dir, setKey, workDir);
      if (!rebuilt.upTo || !rebuilt.files.workspace) {
        throw new CallError(
          'INVALID_INPUT',
          `nothing in this set can be restored: ${rebuilt.stoppedAt?.reason ?? 'no workspace in it'}`,
          because('nothingToRestore', { why: rebuilt.stoppedAt?.why ?? because('pieceProblems.no_workspace') }),
        );
      }
      const restoredFile = rebuilt.files.workspace.file;
      rekeyFile(restoredFile, rebuilt.files.workspace.key, dataKey);
      const restored = WorkspaceDb.open(restoredFile, dataKey);
      let head: ChainHead;
      let reenrolRequired = false;
      let team: RestoreResult['team'] = 'not_in_backup';
      let teamMessage: string | null = null;
      try {
        const check = verifyChain(restored.auditMacKey(), restored.iterateAudit(), null, restored.auditStartKey(), restored.auditSigningFrom());
        if (check.firstBreak) {
          throw new CallError(
            'INVALID_INPUT',
            `the backed-up audit trail is broken at entry ${check.firstBreak.seq} (${check.firstBreak.reason}): not restored`,
            because('backupAuditBroken', { seq: check.firstBreak.seq, why: because(`auditBreaks.${check.firstBreak.reason}`) }),
          );
        }
        reenrolRequired = this.keepLaptopSettings(workspace, restored);
        if (rebuilt.files.team) {
          if (!this.o.team.hasAccess(user.id)) team = 'no_access';
          else {
            try {
              this.o.team.replaceWithRestored(user.id, rebuilt.files.team.file, rebuilt.files.team.key);
              team = 'restored';
            } catch (error) {
              if (!(error instanceof CallError)) throw error;
              team = 'kept';
              teamMessage = error.message;
            }
          }
        }
        const replaced = workspace.auditHead();
        restored.appendAudit(
          {
            userId: user.id,
            username: user.username,
            action: 'backup.restored',
            target: null,
            outcome: 'ok',
            detail: {
              setId: rebuilt.setId,
              piece: rebuilt.upTo.piece,
              backedUpAt: rebuilt.upTo.createdAt,
              piecesInSet: rebuilt.piecesInSet,
              stoppedAt: rebuilt.stoppedAt,
              team,
              replacedHeadSeq: replaced?.seq ?? 0,
              replacedHeadHash: replaced?.hash ?? null,
            },
          },
          isoTime(this.o.clock),
        );
        head = restored.auditHead()!;
      } finally {
        restored.close();
      }
      const target = this.o.accounts.workspaceFile(user.id);
      const result: RestoreResult = {
        setId: rebuilt.setId,
        restoredPiece: rebuilt.upTo.piece,
        backedUpAt: rebuilt.upTo.createdAt,
        piecesInSet: rebuilt.piecesInSet,
        stoppedAt: rebuilt.stoppedAt,
        team,
        teamMessage,
        auditEntries: head.seq,
        reenrolRequired,
        swapIn: () => {
          try {
            endSession();
            const keep = `${target}.replaced-${isoTime(this.o.clock).replace(/[:.]/g, '-')}`;
            for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${keep}${suffix}`);
            renameSync(restoredFile, target);
            this.o.registry.resetAuditAnchor(user.id, head);
            this.o.registry.appendSystemLog(
              { userId: user.id, username: user.username, action: 'backup.restored', target: user.username, outcome: 'ok', detail: { setId: rebuilt.setId, piece: rebuilt.upTo!.piece, anchorSeq: head.seq, replacedFile: keep.split('/').pop() } },
              isoTime(this.o.clock),
            );
          } finally {
            rmSync(workDir, { recursive: true, force: true });
          }
        },
      };
      return result;
    } catch (error) {
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Copies this laptop's identity, keys and platform connection into the restored workspace and drops the backup's.
   * When this workspace's chain was already anchored at the platform under this device, the device enrolment is
   * dropped: the platform would rightly refuse a different chain for it, and a new enrolment is the platform
   * operator's acknowledgement of the restore. Returns whether that happened.
   */
  private keepLaptopSettings(current: WorkspaceDb, restored: WorkspaceDb): boolean {
    const had = restored.settingNames();
    for (const name of had.settings) if (isLaptopBound(name, false)) restored.deleteSetting(name);
    for (const name of had.secrets) if (isLaptopBound(name, true)) restored.deleteSecret(name);
    const here = current.settingNames();
    const reenrol = current.getSetting('audit_receipt') !== undefined;
    const dropOnReenrol = new Set(['device_public_key', 'device_private_key', 'platform_enrolment', 'audit_receipt']);
    for (const name of here.settings) {
      if (!isLaptopBound(name, false) || name.startsWith('backup_') || (reenrol && dropOnReenrol.has(name))) continue;
      restored.setSetting(name, current.getSetting(name)!);
    }
    for (const name of here.secrets) {
      if (!isLaptopBound(name, true) || name.startsWith('backup_') || (reenrol && dropOnReenrol.has(name))) continue;
      restored.setSecret(name, current.getSecret(name)!);
    }
    restored.clearBackupPages();
    return reenrol;
  }
}
