import { LockOutlined } from '@ant-design/icons';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client';
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
        {/* An icon, not the 🔒 emoji: the offline app ships no emoji font, and the emoji showed as an empty box. */}
        <h1 id="lock-title">
          <LockOutlined aria-hidden /> {t('lock.title')}
        </h1>
        <p>{t('lock.intro', { name: session?.displayName ?? '' })}</p>
        <Field label={t('common.password')} type="password" value={password} autoFocus required autoComplete="current-password" onChange={(e) => setPassword(e.target.value)} />
        {error instanceof ApiError && error.code === 'BAD_CREDENTIALS' ? (
          // There is no username here to be wrong: only the password.
          <div role="alert" className="error-note">
            {t('lock.wrongPassword')}
          </div>
        ) : (
          <ErrorNote error={error} />
        )}
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
