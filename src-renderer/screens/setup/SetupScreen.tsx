import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { systemTimeZone } from '../../../src-main/domain/local-time.js';

export function SetupScreen() {
  const { t } = useTranslation();
  const adopt = useSessionStore((s) => s.adopt);
  const [form, setForm] = useState({ username: 'admin', displayName: '', password: '', confirm: '' });
  const { busy, error, run, setError } = useAsyncAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (form.password !== form.confirm) {
      setError(new ApiError('INVALID_INPUT', t('common.passwordsDiffer'), { issues: [{ path: t('common.confirmPassword'), message: t('common.passwordsDiffer') }] }));
      return;
    }
    void run(async () => adopt(await call('auth.setupAdmin', { username: form.username, displayName: form.displayName, password: form.password, timeZone: systemTimeZone() })));
  }

  return (
    <main className="center-card">
      <form className="card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">{t('setup.title')}</h1>
        <p>{t('setup.intro')}</p>
        <p className="hint">{t('setup.demoNote')}</p>
        <Field label={t('common.username')} value={form.username} autoFocus required onChange={(e) => setForm({ ...form, username: e.target.value })} />
        <Field label={t('common.displayName')} value={form.displayName} required onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
        <Field label={t('common.password')} type="password" hint={t('setup.passwordHint')} value={form.password} required minLength={10} autoComplete="new-password" onChange={(e) => setForm({ ...form, password: e.target.value })} />
        <Field label={t('common.confirmPassword')} type="password" value={form.confirm} required autoComplete="new-password" onChange={(e) => setForm({ ...form, confirm: e.target.value })} />
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('setup.submit')}
        </button>
      </form>
    </main>
  );
}
