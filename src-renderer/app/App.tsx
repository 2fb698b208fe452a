import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';
import { LockScreen } from '../screens/lock/LockScreen';
import { LoginScreen } from '../screens/login/LoginScreen';
import { ChangePasswordForm } from '../screens/password/ChangePasswordForm';
import { SetupScreen } from '../screens/setup/SetupScreen';
import { useSessionStore } from '../state/session-store';
import { Workbench } from './Workbench';
import { Choice } from '../components/Choice';

/** The screen follows the session phase the service reports; nothing here grants access. */
export function App() {
  const { t } = useTranslation();
  const phase = useSessionStore((s) => s.phase);
  const refresh = useSessionStore((s) => s.refresh);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  switch (phase) {
    case 'loading':
      return <p className="center-card">{t('common.loading')}</p>;
    case 'unreachable':
      return <p className="center-card error-note" role="alert">{t('errors.TRANSPORT')}</p>;
    case 'setup':
      return <PreLogin><SetupScreen /></PreLogin>;
    case 'login':
      return <PreLogin><LoginScreen /></PreLogin>;
    case 'locked':
      return <PreLogin><LockScreen /></PreLogin>;
    case 'changePassword':
      return <PreLogin><main className="center-card"><ChangePasswordForm forced /></main></PreLogin>;
    case 'active':
      return <Workbench />;
  }
}

function PreLogin({ children }: { children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="prelogin">
      <header className="prelogin-header">
        <div>
          <div className="brand">{t('app.title')}</div>
          <div className="subtitle">{t('app.subtitle')}</div>
        </div>
        <LanguageSwitch current={i18n.language as Language} />
      </header>
      {children}
    </div>
  );
}

export function LanguageSwitch({ current, onChange }: { current: Language; onChange?: (l: Language) => void }) {
  const { t } = useTranslation();
  return (
    <Choice<Language>
      label={t('settings.language')}
      value={current}
      options={[
        { value: 'zh-CN', label: t('language.zh-CN') },
        { value: 'en', label: t('language.en') },
      ]}
      onChange={(l) => (onChange ?? setLanguage)(l)}
      testId="language-switch"
    />
  );
}
