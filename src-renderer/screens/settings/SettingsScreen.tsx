import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OFFERED_TIME_ZONES, systemTimeZone } from '../../../src-main/domain/local-time.js';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { ChangePasswordForm } from '../password/ChangePasswordForm';

export function SettingsScreen() {
  const { t } = useTranslation();
  const { session, adopt } = useSessionStore();
  const [minutes, setMinutes] = useState(session?.idleLockMinutes ?? 10);
  const [saved, setSaved] = useState(false);
  const { error, run } = useAsyncAction();
  // 跟随系统 names the zone the session really follows: the one this client reported at login (its machine's), or the
  // service's where none was reported; the label must never promise Beijing time while the screens show UTC.
  const systemZone = session?.systemTimeZone ?? 'UTC';
  // A session whose client reported no zone, on a service in another zone than this browser: say so, and how to fix it.
  const browserZone = systemTimeZone();
  const zoneName = (z: string) => t(`settings.zones.${z}`, { defaultValue: z });
  const mismatch = (session?.timeZoneSetting ?? 'system') === 'system' && browserZone !== systemZone;

  const save = (input: { language?: 'zh-CN' | 'en'; idleLockMinutes?: number; timeZone?: string }) =>
    void run(async () => {
      adopt(await call('settings.update', input));
      setSaved(true);
    });

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <div className="grid-2">
        <div className="card">
          <label className="field">
            <span>{t('settings.language')}</span>
            <select value={session?.language} onChange={(e) => save({ language: e.target.value as 'zh-CN' | 'en' })}>
              <option value="zh-CN">{t('language.zh-CN')}</option>
              <option value="en">{t('language.en')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('settings.timeZone')}</span>
            <select value={session?.timeZoneSetting ?? 'system'} onChange={(e) => save({ timeZone: e.target.value })}>
              <option value="system">{t('settings.timeZoneSystem', { zone: t(`settings.zones.${systemZone}`, { defaultValue: systemZone }) })}</option>
              {OFFERED_TIME_ZONES.map((z) => (
                <option key={z} value={z}>
                  {t(`settings.zones.${z}`)}
                </option>
              ))}
            </select>
            {mismatch && (
              <small className="hint" data-testid="zone-mismatch">
                {t('settings.zoneMismatch', { service: zoneName(systemZone), browser: zoneName(browserZone) })}
              </small>
            )}
          </label>
          <label className="field">
            <span>{t('settings.idleLock')}</span>
            <input type="number" min={1} max={120} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} />
          </label>
          <button type="button" className="primary" onClick={() => save({ idleLockMinutes: minutes })}>
            {t('common.save')}
          </button>
          <ErrorNote error={error} />
          {saved && <p role="status">{t('settings.saved')}</p>}
        </div>
        <ChangePasswordForm forced={false} />
      </div>
    </section>
  );
}
