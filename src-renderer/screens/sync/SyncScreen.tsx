import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatusView } from '../../../src-main/contract/schemas';
import { snapshotName } from '../../../src-main/domain/snapshot-name.js';
import { call } from '../../api/client';
import { reasonText } from '../../components/reasonText';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { RefusedEvents } from './RefusedEvents';
import { NO_PINS, pinsInput, TlsPinFields, type TlsPins } from './TlsPinFields';
import { showTime } from '../../components/localTime';

/** Enrolment with the data platform (fingerprint confirmed by the user) and sync with visible progress. */
export function SyncScreen() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [offer, setOffer] = useState<{ fingerprint: string; jurisdiction: string[]; snapshotId: string; asOf: string } | null>(null);
  const [form, setForm] = useState({ url: '', token: '' });
  const [pins, setPins] = useState<TlsPins>(NO_PINS);
  const [newPins, setNewPins] = useState<TlsPins>(NO_PINS);
  const { busy, error, run } = useAsyncAction();
  const isSupervisor = useSessionStore((s) => s.session?.role === 'supervisor');

  const refresh = useCallback(
    () =>
      call('sync.status', {}).then((next) => {
        setStatus((previous) => {
          // A newly installed snapshot: let the as-of banner (and anything else) reload at once.
          if (next.lastSync?.outcome === 'installed' && next.lastSync.at !== previous?.lastSync?.at) window.dispatchEvent(new Event('aw:snapshot-changed'));
          return next;
        });
      }, () => undefined),
    [],
  );
  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, 700);
    return () => window.clearInterval(timer);
  }, [refresh]);

  function connect(e: FormEvent) {
    e.preventDefault();
    void run(async () => setOffer(await call('sync.enrolBegin', { ...form, ...pinsInput(pins) })));
  }

  const progress = status?.progress;
  const percent = progress && progress.bytesTotal > 0 ? Math.round((100 * progress.bytesDone) / progress.bytesTotal) : null;
  return (
    <section aria-labelledby="sync-title">
      <h1 id="sync-title">{t('sync.title')}</h1>
      <p>{t('sync.intro')}</p>
      <ErrorNote error={error} />
      {status && !status.enrolled && (
        <div className="grid-2">
          <form className="card" onSubmit={connect} aria-label={t('sync.connect')}>
            <p>{t('sync.notEnrolled')}</p>
            <Field label={t('sync.url')} value={form.url} required placeholder="https://" onChange={(e) => setForm({ ...form, url: e.target.value })} />
            <Field label={t('sync.token')} type="password" value={form.token} required onChange={(e) => setForm({ ...form, token: e.target.value })} />
            <details data-testid="tls-pins">
              <summary>{t('sync.tls.title')}</summary>
              <TlsPinFields value={pins} onChange={setPins} />
            </details>
            <button type="submit" className="primary" disabled={busy}>
              {t('sync.connect')}
            </button>
          </form>
          {offer && (
            <div className="card" role="region" aria-label={t('sync.fingerprintTitle')}>
              <h2>{t('sync.fingerprintTitle')}</h2>
              <p className="fingerprint mono" data-testid="fingerprint">
                {offer.fingerprint}
              </p>
              <p className="hint">{t('sync.fingerprintHint')}</p>
              <dl className="facts">
                <dt>{t('home.jurisdiction')}</dt>
                <dd>{offer.jurisdiction.join(', ')}</dd>
                <dt>{t('sync.offered')}</dt>
                <dd>
                  {snapshotName(offer.snapshotId, i18n.language)} · {offer.asOf}
                </dd>
              </dl>
              <button type="button" className="primary" disabled={busy} onClick={() => void run(async () => (setStatus(await call('sync.enrolConfirm', { fingerprint: offer.fingerprint })), setOffer(null)))}>
                {t('sync.confirm')}
              </button>
            </div>
          )}
        </div>
      )}
      {status?.enrolled && (
        <div className="grid-2">
          <div className="card">
            <h2>{t('sync.enrolled')}</h2>
            <dl className="facts">
              <dt>{t('sync.platform')}</dt>
              <dd className="mono">{status.platformUrl}</dd>
              <dt>{t('sync.fingerprint')}</dt>
              <dd className="mono">{status.fingerprint}</dd>
              <dt>{t('sync.tls.pinned')}</dt>
              <dd className="mono" data-testid="tls-pinned">
                {status.platformTls
                  ? [status.platformTls.caSubject && `${t('sync.tls.caShort')} ${status.platformTls.caSubject}`, status.platformTls.certificateFingerprint && `${t('sync.tls.fingerprintShort')} ${status.platformTls.certificateFingerprint}`]
                      .filter(Boolean)
                      .join(' · ')
                  : status.platformUrl?.startsWith('https:')
                    ? t('sync.tls.systemStore')
                    : t('sync.tls.loopbackHttp')}
              </dd>
              <dt>{t('home.jurisdiction')}</dt>
              <dd>{status.jurisdiction.join(', ')}</dd>
              <dt>{t('sync.deviceId')}</dt>
              <dd className="mono">{status.deviceId}</dd>
            </dl>
            {status.platformUrl?.startsWith('https:') && (
              <details data-testid="tls-change">
                <summary>{t('sync.tls.change')}</summary>
                <TlsPinFields value={newPins} onChange={setNewPins} />
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void run(async () => (setStatus(await call('sync.setTls', pinsInput(newPins))), setNewPins(NO_PINS)))}
                >
                  {t('sync.tls.save')}
                </button>
              </details>
            )}
            {status.enrolment === 'manual' && (
              <p className="hint">
                {t('sync.manualEnrolment')} <code className="mono wrap">{status.devicePublicKey}</code>
              </p>
            )}
          </div>
          <div className="card">
            <h2>{t('sync.lastSync')}</h2>
            {status.lastSync ? (
              <p role="status" data-testid="last-sync">
                {t(`sync.outcomes.${status.lastSync.outcome}`)} · {showTime(status.lastSync.at)}
                {status.lastSync.snapshotId && ` · ${snapshotName(status.lastSync.snapshotId, i18n.language)}`}
                {status.lastSync.via && ` · ${t(`sync.vias.${status.lastSync.via}`)}`}
                {status.lastSync.cases && (
                  <span data-testid="case-exchange">
                    {' · '}
                    {t(`sync.cases.${status.lastSync.cases.status}`, { sent: status.lastSync.cases.sent, received: status.lastSync.cases.received })}
                    {status.lastSync.cases.skipped > 0 && ` · ${t('sync.cases.skipped', { count: status.lastSync.cases.skipped })}`}
                    {status.lastSync.cases.resent && (
                      <span data-testid="resent-after-restore">
                        {' · '}
                        {t('sync.cases.resent', { events: status.lastSync.cases.resent.events, exports: status.lastSync.cases.resent.exports })}
                      </span>
                    )}
                  </span>
                )}
                {status.lastSync.exports && (
                  <span data-testid="register-upload">
                    {' · '}
                    {t(`sync.exports.${status.lastSync.exports.status}`, { count: status.lastSync.exports.exports })}
                  </span>
                )}
                {status.lastSync.reason && (
                  <span className="error-note" data-testid="last-sync-reason">
                    {reasonText(t, status.lastSync.reason)}
                  </span>
                )}
              </p>
            ) : (
              <p>{t('sync.never')}</p>
            )}
            {status.running && progress && (
              <div aria-live="polite">
                <div>{t(`sync.phases.${progress.phase}`)}</div>
                <progress max={100} value={percent ?? undefined} aria-label={t('sync.running')} />
                {percent !== null && <span> {percent}%</span>}
              </div>
            )}
            <button type="button" className="primary" disabled={busy || status.running} onClick={() => void run(async () => setStatus(await call('sync.run', {})))}>
              {status.running ? t('sync.running') : t('sync.run')}
            </button>
          </div>
        </div>
      )}
      {status?.enrolled && isSupervisor && <RefusedEvents refreshKey={status.lastSync?.at} />}
    </section>
  );
}
