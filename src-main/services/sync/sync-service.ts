/**
 * Sync as the workstation offers it: enrolment (platform URL, token, the platform key pinned after the user confirms
 * its fingerprint, a device key pair made for this user), sync runs in the background with progress, and status.
 * Everything pinned or secret lives in the user's encrypted workspace; snapshots live in data/snapshots/<userId>/.
 */
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { because, CallError, type ReasonDetail } from '../../contract/errors.js';
import { canonicalManifest, type SignedManifest } from '../../domain/manifest.js';
import { isoTime, type Clock } from '../../platform/clock.js';
import { assertPlatformUrlAllowed, describeTransportError, parsePlatformTls, platformFetch, PlatformTransportError, type PlatformTls } from '../../platform/platform-transport.js';
import { deviceIdOf, fingerprintOf, generateDeviceKeyPair, isCanonicalBase64 } from '../../platform/device-keys.js';
import { verifyBytes } from '../../platform/signing.js';
import { LocalSnapshots } from '../../store/snapshot/local-snapshots.js';
import type { WorkspaceDb } from '../../store/workspace/workspace-db.js';
import { syncOnce, SyncRefusedError, type AuditTrailSource, type CaseExchange, type RegisterExchange, type SyncCredentials, type SyncProgress } from './sync-engine.js';

/** A workspace's audit chain as the sync reads it (to anchor its head at the platform). */
export function auditTrailOf(workspace: WorkspaceDb): AuditTrailSource {
  return {
    head: () => workspace.auditHead(),
    hashAt: (seq) => workspace.auditHashAt(seq),
    entriesAfter: (seq, limit) => workspace.auditEntriesAfter(seq, limit),
  };
}

export interface SyncStatus {
  enrolled: boolean;
  platformUrl: string | null;
  fingerprint: string | null;
  /** What the HTTPS connection to the platform is pinned to, besides the platform key (null: the system's CA store). */
  platformTls: { caSubject: string | null; certificateFingerprint: string | null } | null;
  jurisdiction: string[];
  deviceId: string | null;
  devicePublicKey: string | null;
  enrolment: 'online' | 'pending' | 'manual' | null;
  running: boolean;
  progress: SyncProgress | null;
  lastSync: {
    at: string;
    outcome: 'installed' | 'up_to_date' | 'refused' | 'failed';
    message: string;
    /** What `message` says, for the screens to say in the user's language (absent when all went well). */
    reason?: ReasonDetail;
    snapshotId: string | null;
    via: string | null;
    /** The triage part: case events sent and received. */
    cases?: {
      status: 'done' | 'unsupported' | 'failed';
      sent: number;
      received: number;
      skipped: number;
      /** The platform had lost what it acknowledged (restored from an earlier copy): what this sync sent again. */
      resent?: { events: number; exports: number };
    };
  } | null;
}

/** The platform's backup escrow key (services/backup wraps each backup set's key for it). */
export const PLATFORM_ESCROW_KEY_SETTING = 'platform_escrow_key';

interface Pending {
  url: string;
  token: string;
  publicKey: Buffer;
  fingerprint: string;
  jurisdiction: string[];
  escrowKey: string | undefined;
  uploadAuthKey: string | undefined;
  tls: PlatformTls | undefined;
}

const S = {
  url: 'platform_url',
  publicKey: 'platform_public_key',
  jurisdiction: 'platform_jurisdiction',
  enrolment: 'platform_enrolment',
  lastSync: 'last_sync',
  sequence: 'platform_sequence',
  token: 'platform_token',
  devicePublic: 'device_public_key',
  devicePrivate: 'device_private_key',
  snapshotKey: (id: string) => `snapshot_key:${id}`,
  /** The platform's backup escrow key (services/backup), from the last verified manifest. */
  escrowKey: PLATFORM_ESCROW_KEY_SETTING,
  /** The platform's upload-authentication key (platform/upload-auth.ts), from the last verified manifest. */
  uploadAuthKey: 'platform_upload_auth_key',
  /** The pinned CA (PEM) and/or leaf certificate fingerprint of an HTTPS platform, as JSON (platform-transport.ts). */
  tls: 'platform_tls',
};

/** The pins as stored (validated when they were entered). A damaged setting throws: reading it as "no pins" would be unsafe. */
function storedTls(workspace: WorkspaceDb): PlatformTls | undefined {
  const raw = workspace.getSetting(S.tls);
  return raw ? (JSON.parse(raw) as PlatformTls) : undefined;
}

/**
 * The URL and pins as entered, checked before any connection: no plain HTTP to the network, well-formed pins, and pins
 * only for https (on loopback http they would silently mean nothing).
 */
function checkedPins(url: string, pins: { ca?: string | undefined; certificateFingerprint?: string | undefined }): PlatformTls | undefined {
  try {
    const parsed = assertPlatformUrlAllowed(url);
    const tls = parsePlatformTls({ ca: pins.ca, fingerprint: pins.certificateFingerprint });
    if (tls && parsed.protocol !== 'https:') throw new PlatformTransportError('BAD_TLS_PIN', `证书固定只适用于 https:// 地址，而数据中台地址是 ${url}。`, because('pinsNeedHttps', { url }));
    return tls;
  } catch (error) {
    if (error instanceof PlatformTransportError) throw new CallError('INVALID_INPUT', error.message, error.reason);
    throw error;
  }
}

/** The first CA certificate's subject, to show which CA is pinned without showing the whole PEM. */
function caSubject(ca: string | undefined): string | null {
  if (!ca) return null;
  try {
    return new X509Certificate(ca).subject.replace(/\n/g, ', ');
  } catch {
    return null;
  }
}

/** The team store's part of a sync, for a member who has it open. */
export type TeamExchanges = (platformUrl: string) => { cases: CaseExchange; exports: RegisterExchange } | null;

export class SyncService {
  private readonly pending = new Map<string, Pending>();
  private readonly running = new Map<string, SyncProgress>();
  private readonly locals = new Map<string, LocalSnapshots>();

  constructor(
    private readonly dataDir: string,
    private readonly clock: Clock,
    /** Called after a sync installs a new snapshot, so open handles to the old one are dropped. */
    private readonly onInstalled: (userId: string) => void,
    /** Called with the platform's verified receipt for the user's audit head (or the later head it already holds). */
    private readonly onAnchored: (userId: string, head: { seq: number; hash: string }) => void = () => undefined,
    /** Called when the platform holds a later or different head: the workspace in use was rolled back. */
    private readonly onRolledBack: (userId: string) => void = () => undefined,
  ) {}

  localSnapshots(userId: string): LocalSnapshots {
    let local = this.locals.get(userId);
    if (!local) {
      local = new LocalSnapshots(join(this.dataDir, 'snapshots', userId));
      this.locals.set(userId, local);
    }
    return local;
  }

  snapshotKey(workspace: WorkspaceDb, snapshotId: string): Buffer | undefined {
    return workspace.getSecret(S.snapshotKey(snapshotId));
  }

  status(userId: string, workspace: WorkspaceDb): SyncStatus {
    const publicKey = workspace.getSetting(S.publicKey);
    const devicePublic = workspace.getSecret(S.devicePublic);
    const last = workspace.getSetting(S.lastSync);
    const tls = storedTls(workspace);
    return {
      enrolled: publicKey !== undefined,
      platformUrl: workspace.getSetting(S.url) ?? null,
      fingerprint: publicKey ? fingerprintOf(Buffer.from(publicKey, 'base64')) : null,
      platformTls: tls ? { caSubject: caSubject(tls.ca), certificateFingerprint: tls.fingerprint ?? null } : null,
      jurisdiction: JSON.parse(workspace.getSetting(S.jurisdiction) ?? '[]') as string[],
      deviceId: devicePublic ? deviceIdOf(devicePublic) : null,
      devicePublicKey: devicePublic ? devicePublic.toString('base64') : null,
      enrolment: (workspace.getSetting(S.enrolment) as SyncStatus['enrolment'] | undefined) ?? null,
      running: this.running.has(userId),
      progress: this.running.get(userId) ?? null,
      lastSync: last ? (JSON.parse(last) as SyncStatus['lastSync']) : null,
    };
  }

  /**
   * First contact: fetch the platform's key and manifest, and show the key's fingerprint for the user to confirm.
   * `pins` are the optional CA certificate and certificate fingerprint of an HTTPS platform; they are checked here
   * already, so a wrong pin fails before anything is stored, and kept with the rest at confirmation.
   */
  async enrolBegin(
    userId: string,
    url: string,
    token: string,
    pins: { ca?: string | undefined; certificateFingerprint?: string | undefined } = {},
  ): Promise<{ fingerprint: string; jurisdiction: string[]; snapshotId: string; asOf: string }> {
    const base = url.replace(/\/+$/, '');
    const tls = checkedPins(base, pins);
    const get = async (path: string) => {
      let res: Response;
      try {
        res = await platformFetch(`${base}/${path}`, { headers: { Authorization: `Bearer ${token}` } }, tls);
      } catch (error) {
        const { trust, message, reason } = describeTransportError(base, error);
        throw new CallError(trust ? 'CONFLICT' : 'NOT_FOUND', message, reason);
      }
      if (!res.ok) throw new CallError(res.status === 401 || res.status === 403 ? 'BAD_CREDENTIALS' : 'NOT_FOUND', res.status === 401 || res.status === 403 ? `数据中台 ${base} 拒绝了访问令牌（HTTP ${res.status}）：请核对令牌，或向平台运维人员索取新令牌。` : `数据中台 ${base} 没有提供 ${path}（HTTP ${res.status}）：请核对数据中台地址。`,
          res.status === 401 || res.status === 403 ? because('platformTokenRefused', { url: base, status: res.status }) : because('platformMissingFile', { url: base, path, status: res.status }),
        );
      return res.text();
    };
    const publicKey = Buffer.from((await get('platform.pub')).trim(), 'base64');
    let signed: SignedManifest;
    try {
      signed = JSON.parse(await get('manifest.json')) as SignedManifest;
    } catch {
      throw new CallError('INVALID_INPUT', '数据中台返回的快照清单已损坏（不是有效的 JSON）：请稍后重试，或联系平台运维人员。', because('manifestDamaged'));
    }
    if (!verifyBytes(publicKey, canonicalManifest(signed.body), Buffer.from(signed.signature, 'base64'))) {
      throw new CallError('INVALID_INPUT', '数据中台的快照清单签名与其公钥不符：未登记，请联系平台运维人员。', because('manifestSignature'));
    }
    const fingerprint = fingerprintOf(publicKey);
    const escrowKey = isCanonicalBase64(signed.body.escrowKey, 44) ? signed.body.escrowKey : undefined;
    const uploadAuthKey = isCanonicalBase64(signed.body.uploadAuthKey, 44) ? signed.body.uploadAuthKey : undefined;
    this.pending.set(userId, { url: base, token, publicKey, fingerprint, jurisdiction: signed.body.jurisdiction, escrowKey, uploadAuthKey, tls });
    return { fingerprint, jurisdiction: signed.body.jurisdiction, snapshotId: signed.body.snapshotId, asOf: signed.body.asOf };
  }

  /** The user confirmed the fingerprint: pin key, URL and jurisdiction, make a device key, and ask to be enrolled. */
  async enrolConfirm(userId: string, username: string, workspace: WorkspaceDb, fingerprint: string): Promise<SyncStatus> {
    const p = this.pending.get(userId);
    if (!p || p.fingerprint !== fingerprint) throw new CallError('CONFLICT', '指纹与所连接的数据中台不符：请重新连接。', because('fingerprintMismatch'));
    const device = generateDeviceKeyPair();
    workspace.setSetting(S.url, p.url);
    // No pins is stored as no setting: the system's CA store then decides, as for any HTTPS site.
    if (p.tls) workspace.setSetting(S.tls, JSON.stringify(p.tls));
    else workspace.deleteSetting(S.tls);
    workspace.setSetting(S.publicKey, p.publicKey.toString('base64'));
    workspace.setSetting(S.jurisdiction, JSON.stringify(p.jurisdiction));
    if (p.escrowKey) workspace.setSetting(S.escrowKey, p.escrowKey);
    if (p.uploadAuthKey) workspace.setSetting(S.uploadAuthKey, p.uploadAuthKey);
    workspace.setSecret(S.token, Buffer.from(p.token, 'utf8'));
    workspace.setSecret(S.devicePublic, device.publicKeyDer);
    workspace.setSecret(S.devicePrivate, device.privateKeyDer);
    let enrolment: 'online' | 'pending' | 'manual' = 'manual';
    try {
      const res = await platformFetch(
        `${p.url}/enrol`,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${p.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ publicKey: device.publicKeyDer.toString('base64'), label: username }),
        },
        p.tls,
      );
      // 201: enrolled at once (a demo platform); 202: the request waits for the platform operator's approval.
      if (res.status === 201) enrolment = 'online';
      else if (res.status === 202) enrolment = 'pending';
    } catch {
      // A static server cannot enrol: the operator enrols the device key shown in the status (manual).
    }
    workspace.setSetting(S.enrolment, enrolment);
    this.pending.delete(userId);
    return this.status(userId, workspace);
  }

  /**
   * Changes the pins of an enrolled platform (its certificate was renewed, or the bureau now runs its own CA). The new
   * pins must reach the same platform — it must offer the platform key already pinned — before they replace the old
   * ones; otherwise nothing changes. Empty pins return to the system's CA store.
   */
  async setTls(workspace: WorkspaceDb, pins: { ca?: string | undefined; certificateFingerprint?: string | undefined }): Promise<void> {
    const credentials = this.credentials(workspace);
    if (!credentials) throw new CallError('CONFLICT', '本工作站尚未登记数据中台：请先在“数据同步”中连接数据中台。', because('notEnrolled'));
    const tls = checkedPins(credentials.url, pins);
    let offered: string;
    try {
      const res = await platformFetch(`${credentials.url}/platform.pub`, { headers: { Authorization: `Bearer ${credentials.token}` } }, tls);
      if (!res.ok) throw new CallError('NOT_FOUND', `数据中台 ${credentials.url} 没有提供公钥（HTTP ${res.status}）：请核对数据中台地址。`, because('platformNoKey', { url: credentials.url, status: res.status }));
      offered = (await res.text()).trim();
    } catch (error) {
      if (error instanceof CallError) throw error;
      const { trust, message, reason } = describeTransportError(credentials.url, error);
      throw new CallError(trust ? 'CONFLICT' : 'NOT_FOUND', message, reason);
    }
    if (offered !== credentials.platformPublicKey.toString('base64')) {
      throw new CallError('CONFLICT', `${credentials.url} 出示的数据中台公钥与登记时固定的不同：新的证书设置未保存。`, because('platformKeyDiffers', { url: credentials.url }));
    }
    if (tls) workspace.setSetting(S.tls, JSON.stringify(tls));
    else workspace.deleteSetting(S.tls);
  }

  /** Starts a sync in the background; progress shows in `status` (the app's 立即同步). */
  start(userId: string, workspace: WorkspaceDb, audit: AuditTrailSource, team?: TeamExchanges, who?: { username: string }): void {
    if (this.running.has(userId)) throw new CallError('CONFLICT', '同步正在进行中：请等待其完成。', because('syncRunning'));
    if (!this.credentials(workspace)) throw new CallError('CONFLICT', '本工作站尚未登记数据中台：请先在“数据同步”中连接数据中台。', because('notEnrolled'));
    void this.run(userId, workspace, audit, team, who);
  }

  /**
   * One sync, awaited: the snapshot, the audit anchor, the case exchange and the export register — the one use case
   * the app (in the background) and `npm run cli -- sync` (awaited) both run. Its outcome is recorded as the last sync
   * and in the user's audit trail as it really was (a refused anchor is a refusal, not "ok").
   */
  async run(userId: string, workspace: WorkspaceDb, audit: AuditTrailSource, team?: TeamExchanges, who?: { username: string }): Promise<NonNullable<SyncStatus['lastSync']>> {
    if (this.running.has(userId)) throw new CallError('CONFLICT', '同步正在进行中：请等待其完成。', because('syncRunning'));
    const credentials = this.credentials(workspace);
    if (!credentials) throw new CallError('CONFLICT', '本工作站尚未登记数据中台：请先在“数据同步”中连接数据中台。', because('notEnrolled'));
    this.running.set(userId, { phase: 'checking', bytesDone: 0, bytesTotal: 0 });
    const record = (last: NonNullable<SyncStatus['lastSync']>) => {
      if (workspace.isOpen) {
        workspace.setSetting(S.lastSync, JSON.stringify(last));
        const outcome = last.outcome === 'refused' ? 'denied' : last.outcome === 'failed' ? 'failed' : 'ok';
        const detail = { result: last.outcome, ...(last.via ? { via: last.via } : {}), ...(last.cases ? { sent: last.cases.sent, received: last.cases.received, refusedEvents: last.cases.skipped } : {}),
          ...(last.cases?.resent ? { resentEvents: last.cases.resent.events, resentExports: last.cases.resent.exports } : {}),
        };
        workspace.appendAudit({ userId, username: who?.username ?? null, action: 'sync.finished', target: last.snapshotId, outcome, detail }, last.at);
      }
      return last;
    };
    try {
      const outcome = await syncOnce({
        clock: this.clock,
        credentials,
        local: this.localSnapshots(userId),
        audit,
        ...(team?.(credentials.url) ?? {}),
        onProgress: (progress) => this.running.set(userId, progress),
      });
      if (outcome.result === 'installed') this.onInstalled(userId);
      if (outcome.escrowKey && workspace.isOpen) workspace.setSetting(S.escrowKey, outcome.escrowKey);
      if (outcome.uploadAuthKey && workspace.isOpen) workspace.setSetting(S.uploadAuthKey, outcome.uploadAuthKey);
      if (outcome.anchor) {
        this.onAnchored(userId, { seq: outcome.anchor.body.seq, hash: outcome.anchor.body.hash });
        if (workspace.isOpen) workspace.setSetting('audit_receipt', JSON.stringify(outcome.anchor));
      }
      if (outcome.anchorRefused) {
        const last = record({
          at: isoTime(this.clock),
          outcome: 'refused',
          message: `AUDIT_ROLLED_BACK: the platform anchored this user's audit trail at entry ${outcome.anchor?.body.seq ?? '?'}, beyond or unlike this workspace's: it was restored from an older copy or cut short`,
          reason: because('auditRolledBack', { seq: outcome.anchor?.body.seq ?? '?' }),
          snapshotId: outcome.snapshotId,
          via: outcome.via,
        });
        this.onRolledBack(userId);
        return last;
      }
      return record({ at: isoTime(this.clock), outcome: outcome.result, message: '', snapshotId: outcome.snapshotId, via: outcome.via, ...(outcome.cases ? { cases: outcome.cases } : {}), ...(outcome.exports ? { exports: outcome.exports } : {}) });
    } catch (error) {
      const refused = error instanceof SyncRefusedError;
      return record({
        at: isoTime(this.clock),
        outcome: refused ? 'refused' : 'failed',
        message: refused ? `${error.refusal}: ${error.message}` : 'the sync failed; the current snapshot is unchanged',
        reason: refused ? (error.reason ?? because('syncRefused', { refusal: because(`syncRefusals.${error.refusal}`) })) : because('syncFailed'),
        snapshotId: null,
        via: null,
      });
    } finally {
      this.running.delete(userId);
    }
  }

  isRunning(userId: string): boolean {
    return this.running.has(userId);
  }

  credentials(workspace: WorkspaceDb): SyncCredentials | null {
    const url = workspace.getSetting(S.url);
    const publicKey = workspace.getSetting(S.publicKey);
    const token = workspace.getSecret(S.token);
    const devicePublic = workspace.getSecret(S.devicePublic);
    const devicePrivate = workspace.getSecret(S.devicePrivate);
    if (!url || !publicKey || !token || !devicePublic || !devicePrivate) return null;
    return {
      url,
      token: token.toString('utf8'),
      platformPublicKey: Buffer.from(publicKey, 'base64'),
      jurisdiction: JSON.parse(workspace.getSetting(S.jurisdiction) ?? '[]') as string[],
      device: { publicKeyDer: devicePublic, privateKeyDer: devicePrivate },
      deviceId: deviceIdOf(devicePublic),
      snapshotKey: (id) => workspace.getSecret(S.snapshotKey(id)),
      saveSnapshotKey: (id, key) => {
        workspace.setSecret(S.snapshotKey(id), key);
        // The pointer swap that follows is fsynced: the key must be on disk before it, not just in the WAL.
        workspace.checkpoint();
      },
      highestSequence: () => Number(workspace.getSetting(S.sequence) ?? '0'),
      recordSequence: (n) => workspace.setSetting(S.sequence, String(Math.max(n, Number(workspace.getSetting(S.sequence) ?? '0')))),
      uploadAuthKey: ((k) => (k ? Buffer.from(k, 'base64') : null))(workspace.getSetting(S.uploadAuthKey)),
      tls: storedTls(workspace),
    };
  }
}
