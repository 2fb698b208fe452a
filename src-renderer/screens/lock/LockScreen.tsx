import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';

export function LockScreen() {
  const { t } = useTranslation();
  const { session, adopt, logout } = useSessionStore();
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAsyncAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      try {
        adopt(await call('auth.unlock', { password }));
      } finally {
        setPassword('');
      }
    });
  }

  return (
    <main className="center-card">
      <form className="card" onSubmit={submit} aria-labelledby="lock-title">
        <h1 id="lock-title">🔒 {t('lock.title')}</h1>
        <p>{t('lock.intro', { name: session?.displayName ?? '' })}</p>
        <Field label={t('common.password')} type="password" value={password} autoFocus required autoComplete="current-password" onChange={(e) => setPassword(e.target.value)} />
        <ErrorNote error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {t('lock.submit')}
          </button>
          <button type="button" onClick={() => void run(logout)}>
            {t('lock.switchUser')}
          </button>
        </div>
      </form>
    </main>
  );
}
