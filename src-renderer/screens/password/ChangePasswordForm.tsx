import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';

/** Used both as the forced first-login screen and inside Settings. */
export function ChangePasswordForm({ forced }: { forced: boolean }) {
  const { t } = useTranslation();
  const adopt = useSessionStore((s) => s.adopt);
  const [form, setForm] = useState({ current: '', next: '', confirm: '' });
  const [done, setDone] = useState(false);
  const { busy, error, run, setError } = useAsyncAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.next !== form.confirm) {
      setError(new ApiError('INVALID_INPUT', t('common.passwordsDiffer')));
      return;
    }
    void run(async () => {
      const session = await call('auth.changePassword', { currentPassword: form.current, newPassword: form.next });
      setForm({ current: '', next: '', confirm: '' });
      setDone(true);
      adopt(session);
    });
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">{t('password.title')}</h2>
      {forced && <p>{t('password.mustChange')}</p>}
      <Field label={t('password.current')} type="password" value={form.current} required autoFocus={forced} autoComplete="current-password" onChange={(e) => setForm({ ...form, current: e.target.value })} />
      <Field label={t('password.new')} type="password" hint={t('setup.passwordHint')} value={form.next} required minLength={10} autoComplete="new-password" onChange={(e) => setForm({ ...form, next: e.target.value })} />
      <Field label={t('common.confirmPassword')} type="password" value={form.confirm} required autoComplete="new-password" onChange={(e) => setForm({ ...form, confirm: e.target.value })} />
      <ErrorNote error={error} />
      {done && <p role="status">{t('password.changed')}</p>}
      <button type="submit" className="primary" disabled={busy}>
        {t('password.submit')}
      </button>
    </form>
  );
}
