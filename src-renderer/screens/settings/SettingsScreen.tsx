import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OFFERED_TIME_ZONES, systemTimeZone } from '../../../src-main/domain/local-time.js';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { ChangePasswordForm } from '../password/ChangePasswordForm';
import { Choice } from '../../components/Choice';

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
          <Choice<'zh-CN' | 'en'>
            field
            label={t('settings.language')}
            value={session?.language === 'en' ? 'en' : 'zh-CN'}
            options={[
              { value: 'zh-CN', label: t('language.zh-CN') },
              { value: 'en', label: t('language.en') },
            ]}
            onChange={(language) => save({ language })}
            style={{ maxWidth: 320 }}
          />
          <div className="field">
            <span>{t('settings.timeZone')}</span>
            <Choice
              label={t('settings.timeZone')}
              value={session?.timeZoneSetting ?? 'system'}
              options={[
                { value: 'system', label: t('settings.timeZoneSystem', { zone: t(`settings.zones.${systemZone}`, { defaultValue: systemZone }) }) },
                ...OFFERED_TIME_ZONES.map((z) => ({ value: z as string, label: t(`settings.zones.${z}`) })),
              ]}
              onChange={(timeZone) => save({ timeZone })}
              style={{ maxWidth: 320 }}
            />
            {mismatch && (
              <small className="hint" data-testid="zone-mismatch">
                {t('settings.zoneMismatch', { service: zoneName(systemZone), browser: zoneName(browserZone) })}
              </small>
            )}
          </div>
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
