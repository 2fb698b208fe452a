import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { systemTimeZone } from '../../../src-main/domain/local-time.js';

export function LoginScreen() {
  const { t } = useTranslation();
  const adopt = useSessionStore((s) => s.adopt);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAsyncAction();
  // After a wrong password the service waits a moment before the next try (1 s, then doubling): the button waits too,
  // with the seconds shown, instead of letting the user run into "try later".
  const [waiting, setWaiting] = useState(0);
  useEffect(() => {
    if (waiting <= 0) return;
    const timer = window.setTimeout(() => setWaiting((w) => w - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [waiting]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      try {
        adopt(await call('auth.login', { username, password, timeZone: systemTimeZone() }));
      } catch (e) {
        const retry = e instanceof ApiError ? (e.details?.retryAfterMs as number | undefined) : undefined;
        if (retry) setWaiting(Math.ceil(retry / 1000));
        throw e;
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
        <button type="submit" className="primary" disabled={busy || waiting > 0}>
          {waiting > 0 ? t('login.wait', { seconds: waiting }) : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
