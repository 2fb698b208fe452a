import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';

export function LoginScreen() {
  const { t } = useTranslation();
  const adopt = useSessionStore((s) => s.adopt);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAsyncAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      try {
        adopt(await call('auth.login', { username, password }));
      } finally {
        setPassword('');
      }
    });
  }

  return (
    <main className="center-card">
      <form className="card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <Field label={t('common.username')} value={username} autoFocus required autoComplete="username" onChange={(e) => setUsername(e.target.value)} />
        <Field label={t('common.password')} type="password" value={password} required autoComplete="current-password" onChange={(e) => setPassword(e.target.value)} />
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
