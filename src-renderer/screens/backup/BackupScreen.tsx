import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { CallOutput } from '../../../src-main/contract/contract';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { showTime } from '../../components/localTime';
import { reasonText } from '../../components/reasonText';

type BackupSet = CallOutput<'backup.sets'>[number];
type PieceCheck = CallOutput<'backup.verify'>[number];
type Restored = CallOutput<'backup.restore'>;

const size = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

/** 备份与恢复: back up to a folder (a USB drive), list and verify sets, restore one into this account. */
export function BackupScreen() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CallOutput<'backup.status'> | null>(null);
  const [folder, setFolder] = useState('');
  const [password, setPassword] = useState('');
  const [result, setResult] = useState<CallOutput<'backup.run'> | null>(null);
  const [sets, setSets] = useState<BackupSet[] | null>(null);
  const [checks, setChecks] = useState<Record<string, PieceCheck[]>>({});
  const backup = useAsyncAction();
  const listing = useAsyncAction();

  useEffect(() => {
    void call('backup.status', {}).then((s) => {
      setStatus(s);
      if (s.last) setFolder(s.last.dir.replace(/[\\/][^\\/]+$/, ''));
    });
  }, []);

  const runBackup = () =>
    void backup.run(async () => {
      setResult(null);
      const r = await call('backup.run', { folder, password });
      setPassword('');
      setResult(r);
      setStatus(await call('backup.status', {}));
    });

  const list = () =>
    void listing.run(async () => {
      setSets(await call('backup.sets', { folder }));
      setChecks({});
    });

  const verify = (dir: string, secret: { password?: string; recoveryCode?: string }) =>
    void listing.run(async () => {
      const r = await call('backup.verify', { dir, ...secret });
      setChecks((c) => ({ ...c, [dir]: r }));
    });

  return (
    <section aria-labelledby="backup-title">
      <h1 id="backup-title">{t('backup.title')}</h1>
      <p className="muted">{t('backup.intro')}</p>
      <div className="grid-2">
        <div className="card">
          <h2>{t('backup.now')}</h2>
          <p>
            {status?.last
              ? t('backup.last', { at: showTime(status.last.at), piece: status.last.piece, kind: t(`backup.kind.${status.last.kind}`) })
              : t('backup.never')}
          </p>
          <p className="muted">{status?.escrow ? t('backup.escrowOn') : t('backup.escrowOff')}</p>
          <label className="field">
            <span>{t('backup.folder')}</span>
            <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/media/usb" data-testid="backup-folder" />
          </label>
          <label className="field">
            <span>{t('backup.password')}</span>
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="backup-password" />
          </label>
          <button type="button" className="primary" disabled={backup.busy || !folder || !password} onClick={runBackup}>
            {backup.busy ? t('backup.running') : t('backup.run')}
          </button>
          <ErrorNote error={backup.error} />
          {result && (
            <p role="status" data-testid="backup-result">
              {t('backup.done', { piece: result.piece, kind: t(`backup.kind.${result.kind}`), pages: result.pages, size: size(result.bytes), seconds: (result.ms / 1000).toFixed(1) })}
              <br />
              <span className="muted">{result.dir}</span>
            </p>
          )}
        </div>
        <div className="card">
          <h2>{t('backup.sets')}</h2>
          <button type="button" disabled={!folder || listing.busy} onClick={list}>
            {t('backup.list')}
          </button>
          <ErrorNote error={listing.error} />
          {sets?.length === 0 && <p>{t('backup.noSets')}</p>}
          {sets?.map((s) => (
            <SetCard key={s.dir} set={s} checks={checks[s.dir]} onVerify={(secret) => verify(s.dir, secret)} />
          ))}
        </div>
      </div>
    </section>
  );
}

function SetCard({ set, checks, onVerify }: { set: BackupSet; checks: PieceCheck[] | undefined; onVerify: (secret: { password?: string; recoveryCode?: string }) => void }) {
  const { t } = useTranslation();
  const [restoring, setRestoring] = useState(false);
  const byPiece = new Map(checks?.map((c) => [c.piece, c]));
  return (
    <div className="card" data-testid="backup-set">
      <h3>
        {set.username} · {showTime(set.updatedAt)}
      </h3>
      <p className="muted">{set.dir}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('backup.piece')}</th>
            <th>{t('backup.kindLabel')}</th>
            <th>{t('backup.createdAt')}</th>
            <th>{t('backup.size')}</th>
            <th>{t('backup.check')}</th>
          </tr>
        </thead>
        <tbody>
          {set.pieces.map((p) => {
            const c = byPiece.get(p.piece);
            const why = c ? c.why : p.why;
            const problem = why ? reasonText(t, why) : '';
            return (
              <tr key={p.piece}>
                <td>{p.piece}</td>
                <td>{t(`backup.kind.${p.kind}`)}</td>
                <td>{showTime(p.createdAt)}</td>
                <td>{size(p.bytes)}</td>
                <td title={problem}>{c?.ok ? '✓' : c || p.why ? `✗ ${problem}` : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" onClick={() => onVerify({})}>
        {t('backup.verify')}
      </button>{' '}
      <button type="button" onClick={() => setRestoring((r) => !r)}>
        {t('backup.restore')}
      </button>
      {restoring && <RestoreForm dir={set.dir} onVerify={onVerify} />}
    </div>
  );
}

function RestoreForm({ dir, onVerify }: { dir: string; onVerify: (secret: { password?: string; recoveryCode?: string }) => void }) {
  const { t } = useTranslation();
  const { refresh } = useSessionStore();
  const [password, setPassword] = useState('');
  const [backupPassword, setBackupPassword] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [restored, setRestored] = useState<Restored | null>(null);
  const { busy, error, run } = useAsyncAction();
  const secret = recoveryCode ? { recoveryCode } : backupPassword ? { password: backupPassword } : { password };

  if (restored) {
    return (
      <div role="status" data-testid="restore-result">
        <p>{t('backup.restored', { piece: restored.restoredPiece, of: restored.piecesInSet, at: showTime(restored.backedUpAt) })}</p>
        {restored.stoppedAt && <p className="error-note">{t('backup.stopped', { piece: restored.stoppedAt.piece, reason: reasonText(t, restored.stoppedAt.why) })}</p>}
        <p>{t(`backup.team.${restored.team}`)}</p>
        {restored.reenrolRequired && <p>{t('backup.reenrol')}</p>}
        <button type="button" className="primary" onClick={() => void refresh()}>
          {t('backup.loginAgain')}
        </button>
      </div>
    );
  }
  return (
    <div className="restore-form">
      <p className="muted">{t('backup.restoreIntro')}</p>
      <label className="field">
        <span>{t('backup.currentPassword')}</span>
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="restore-password" />
      </label>
      <label className="field">
        <span>{t('backup.backupPassword')}</span>
        <input type="password" value={backupPassword} onChange={(e) => setBackupPassword(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('backup.recoveryCode')}</span>
        <input value={recoveryCode} onChange={(e) => setRecoveryCode(e.target.value)} placeholder="XXXX-XXXX-…" />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} data-testid="restore-understood" />
        {t('backup.understood')}
      </label>
      <button type="button" onClick={() => onVerify(secret)} disabled={!(recoveryCode || backupPassword || password)}>
        {t('backup.verify')}
      </button>{' '}
      <button
        type="button"
        className="primary"
        disabled={busy || !password || !understood}
        onClick={() =>
          void run(async () => {
            setRestored(
              await call('backup.restore', {
                dir,
                password,
                ...(backupPassword ? { backupPassword } : {}),
                ...(recoveryCode ? { recoveryCode } : {}),
              }),
            );
          })
        }
      >
        {busy ? t('backup.restoring') : t('backup.restoreNow')}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
