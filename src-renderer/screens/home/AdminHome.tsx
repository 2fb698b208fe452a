import { useTranslation } from 'react-i18next';
import { useNavStore } from '../../state/nav-store';
import { useSessionStore } from '../../state/session-store';
import { SystemLog } from '../audit/SystemLog';

/** Administrators see the installation's state and the pre-login system log, never personal data. */
export function AdminHome() {
  const { t } = useTranslation();
  const system = useSessionStore((s) => s.system);
  const go = useNavStore((s) => s.go);
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      <div className="grid-2">
        <article className="card">
          <p>{t('home.adminIntro')}</p>
          <dl className="facts">
            <dt>{t('home.transport')}</dt>
            <dd>{system ? t(`home.transports.${system.transport}`) : ''}</dd>
            <dt>{t('home.keyProtection')}</dt>
            <dd>{system ? t(`home.keyProtections.${system.keyProtection}`) : ''}</dd>
            <dt>{t('home.version')}</dt>
            <dd>{system?.appVersion}</dd>
          </dl>
          <button type="button" className="primary" onClick={() => go('users')}>
            {t('nav.users')}
          </button>
        </article>
        <SystemLog />
      </div>
    </section>
  );
}
