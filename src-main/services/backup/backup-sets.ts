/**
 * A backup set's `set.json`: which account it belongs to, and the set key wrapped twice — under the user's password
 * (scrypt) and, when the workstation is enrolled with a platform, under the platform's escrow key (X25519). Nothing in
 * it is personal data about the people in the records; the username is the auditor's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { because, CallError, type ReasonDetail } from '../../contract/errors.js';
import { fingerprintOf, wrapForDevice } from '../../platform/device-keys.js';
import { deriveKek, newKdfParams, unwrapKey, wrapKey } from '../../platform/key-wrap.js';
import { BackupPieceError, escrowLabel, keyCheck, keyFromRecoveryCode, PIECE_FILE, readPieceHeader, syncDir, type BackupSetFile, type PieceHeader } from '../../platform/backup-pieces.js';

export interface PieceListing {
  piece: number;
  kind: PieceHeader['kind'];
  file: string;
  createdAt: string | null;
  auditHeadSeq: number | null;
  bytes: number;
  /** Why the header cannot be read (the piece itself is then certainly unusable); `why` says it in the user's words. */
  problem: string | null;
  why: ReasonDetail | null;
}


/** What is wrong with a piece, in the user's words (reasons.pieceProblems.*): the piece's own refusal, or a cause a check gave. */
export function pieceProblem(error: unknown): ReasonDetail {
  if (error instanceof BackupPieceError) return because(`pieceProblems.${error.reason}`);
  if (error instanceof CallError && error.details && typeof error.details.reason === 'string') return error.details as ReasonDetail;
  return because('pieceProblems.damaged');
}

export function setDirName(username: string, setId: string): string {
  return `aw-backup-${username.replace(/[^A-Za-z0-9._-]/g, '_')}-${setId.slice(0, 8)}`;
}

export async function writeSetFile(
  dir: string,
  o: { setId: string; setKey: Buffer; username: string; password: string; createdAt: string; now: string; escrowPublicKey: Buffer | null; kdfCost?: { N: number; r: number; p: number } },
): Promise<BackupSetFile> {
  const kdf = newKdfParams(o.kdfCost);
  const kek = await deriveKek(o.password, kdf);
  const set: BackupSetFile = {
    format: 1,
    setId: o.setId,
    createdAt: o.createdAt,
    updatedAt: o.now,
    username: o.username,
    check: keyCheck(o.setKey, o.setId),
    password: { kdf, wrapped: wrapKey(kek, o.setKey, `backup:${o.setId}`).toString('base64') },
    escrow: o.escrowPublicKey
      ? { fingerprint: fingerprintOf(o.escrowPublicKey), wrapped: wrapForDevice(o.escrowPublicKey, o.setKey, escrowLabel(o.setId)) }
      : null,
  };
  const part = join(dir, `set.json.${randomBytes(4).toString('hex')}.part`);
  writeFileSync(part, JSON.stringify(set, null, 2), { mode: 0o600 });
  renameSync(part, join(dir, 'set.json'));
  syncDir(dir);
  return set;
}

export function readSetFile(dir: string): BackupSetFile {
  const file = join(dir, 'set.json');
  if (!existsSync(file)) throw new CallError('NOT_FOUND', `${dir} 不是备份集（其中没有 set.json）：请选择备份集所在的文件夹。`, because('notBackupSet', { dir }));
  let set: BackupSetFile;
  try {
    set = JSON.parse(readFileSync(file, 'utf8')) as BackupSetFile;
  } catch {
    throw new CallError('INVALID_INPUT', `${file} 已损坏（不是有效的 JSON），无法打开该备份集。`, because('backupSetDamaged', { file }));
  }
  if (set?.format !== 1 || typeof set.setId !== 'string' || typeof set.check !== 'string' || !set.password?.kdf) {
    throw new CallError('INVALID_INPUT', `${file} 不是本工作站可读取的备份集文件（格式 1）。`, because('backupSetFormat', { file }));
  }
  return set;
}

/** The set key from the user's password (as it was at the set's last backup) or from a recovery code. */
export async function openSetKey(set: BackupSetFile, secret: { password: string } | { recoveryCode: string }): Promise<Buffer> {
  let key: Buffer | null;
  if ('recoveryCode' in secret) {
    key = keyFromRecoveryCode(secret.recoveryCode);
    if (!key) throw new CallError('INVALID_INPUT', '恢复码应为 52 个字符（每四个一组，短横线可省略），请核对后重新输入。', because('recoveryCodeMalformed'));
  } else {
    const kek = await deriveKek(secret.password, set.password.kdf);
    key = unwrapKey(kek, Buffer.from(set.password.wrapped, 'base64'), `backup:${set.setId}`);
  }
  if (!key || keyCheck(key, set.setId) !== set.check) {
    throw new CallError('BAD_CREDENTIALS', 'recoveryCode' in secret ? '此恢复码打不开该备份集：请核对恢复码。' : '此密码打不开该备份集：须使用该备份集最近一次备份时的登录密码。', because('recoveryCode' in secret ? 'recoveryCodeWrong' : 'backupPasswordWrong'));
  }
  return key;
}

/** The pieces in a set folder, in order (headers only: no key needed). */
export function listPieces(dir: string): PieceListing[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && PIECE_FILE.test(e.name))
    .map((e) => {
      const [, no, kind] = PIECE_FILE.exec(e.name)!;
      const file = join(dir, e.name);
      const bytes = readFileSize(file);
      try {
        const h = readPieceHeader(file);
        return { piece: Number(no), kind: kind as PieceHeader['kind'], file, createdAt: h.createdAt, auditHeadSeq: h.auditHeadSeq, bytes, problem: null, why: null };
      } catch (error) {
        return { piece: Number(no), kind: kind as PieceHeader['kind'], file, createdAt: null, auditHeadSeq: null, bytes, problem: (error as Error).message, why: pieceProblem(error) };
      }
    })
    .sort((a, b) => a.piece - b.piece);
}

function readFileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Set folders directly inside `folder` (or `folder` itself when it is one). */
export function findSets(folder: string): { dir: string; set: BackupSetFile }[] {
  if (!existsSync(folder)) throw new CallError('NOT_FOUND', `文件夹 ${folder} 不存在：请插入U盘或移动硬盘，或核对路径。`, because('folderMissing', { folder }));
  if (existsSync(join(folder, 'set.json'))) return [{ dir: folder, set: readSetFile(folder) }];
  return readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(folder, e.name, 'set.json')))
    .flatMap((e) => {
      try {
        return [{ dir: join(folder, e.name), set: readSetFile(join(folder, e.name)) }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.set.updatedAt.localeCompare(a.set.updatedAt));
}
