import { App, Popconfirm } from 'antd';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSummary } from '../../../src-main/contract/schemas';
import type { Role } from '../../../src-main/domain/roles';
import { ApiError, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { DivisionsPicker, useDivisionLabel } from '../../components/DivisionPicker';
import { Field } from '../../components/Field';
import { useAsyncAction } from '../../components/useAsyncAction';

const ROLES: Role[] = ['auditor', 'supervisor', 'finance', 'admin'];

/** Administrators create accounts, set roles and data scopes, and disable accounts. */
export function UsersScreen() {
  const { t } = useTranslation();
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const { error, run } = useAsyncAction();
  const toast = App.useApp().message;
  const divisionLabel = useDivisionLabel();

  const reload = useCallback(() => run(async () => setAccounts(await call('users.list', {}))), []); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    void reload();
  }, [reload]);

  const toggleStatus = (a: AccountSummary) =>
    run(async () => {
      const status = a.status === 'active' ? 'disabled' : 'active';
      await call('users.update', { id: a.id, status });
      void toast.success(t(status === 'disabled' ? 'users.disabledToast' : 'users.enabledToast', { name: a.displayName, username: a.username }));
      await reload();
    });

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      <ErrorNote error={error} />
      {message && <p role="status">{message}</p>}
      <table aria-label={t('users.title')}>
        <thead>
          <tr>
            <th scope="col">{t('common.username')}</th>
            <th scope="col">{t('common.displayName')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.scope')}</th>
            <th scope="col">{t('users.status')}</th>
            <th scope="col">{t('users.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) =>
            editing === a.id ? (
              <EditRow key={a.id} account={a} onDone={(msg) => (setEditing(null), setMessage(msg), void reload())} />
            ) : (
              <tr key={a.id}>
                <td className="mono">{a.username}</td>
                <td>{a.displayName}</td>
                <td>{t(`roles.${a.role}`)}</td>
                <td>{a.scope.map(divisionLabel).join('、') || '—'}</td>
                <td>
                  {t(`users.statuses.${a.status}`)}
                  {a.mustChangePassword && <span className="badge">{t('users.mustChange')}</span>}
                  {a.failedLogins > 0 && <span className="badge warn">{t('users.failedLogins')}{t('common.colon')}{a.failedLogins}</span>}
                </td>
                <td>
                  <button type="button" onClick={() => setEditing(a.id)}>
                    {t('common.edit')}
                  </button>
                  {a.role !== 'admin' && (
                    // Disabling ends the person's sessions and rotates the team key: asked twice. Enabling is not.
                    <Popconfirm
                      title={t('users.confirmDisable', { name: a.displayName, username: a.username })}
                      okText={t('users.disable')}
                      cancelText={t('common.cancel')}
                      disabled={a.status !== 'active'}
                      onConfirm={() => toggleStatus(a)}
                    >
                      <button type="button" onClick={a.status === 'active' ? undefined : () => void toggleStatus(a)}>
                        {a.status === 'active' ? t('users.disable') : t('users.enable')}
                      </button>
                    </Popconfirm>
                  )}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      <CreateUserForm onStart={() => setMessage(null)} onCreated={(username) => (setMessage(t('users.created', { username })), void reload())} />
    </section>
  );
}

function EditRow({ account, onDone }: { account: AccountSummary; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(account.displayName);
  const [scope, setScope] = useState<string[]>(account.scope);
  const { error, run } = useAsyncAction();
  return (
    <tr>
      <td className="mono">{account.username}</td>
      <td>
        <input aria-label={t('common.displayName')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </td>
      <td>{t(`roles.${account.role}`)}</td>
      <td>
        <DivisionsPicker label={t('users.scope')} value={scope} disabled={account.role === 'admin'} onChange={setScope} />
        <ErrorNote error={error} />
      </td>
      <td>{t(`users.statuses.${account.status}`)}</td>
      <td>
        <button
          type="button"
          className="primary"
          onClick={() =>
            void run(async () => {
              await call('users.update', { id: account.id, displayName, ...(account.role === 'admin' ? {} : { scope }) });
              onDone(t('users.updatedToast', { name: account.displayName, username: account.username }));
            })
          }
        >
          {t('common.save')}
        </button>
        <button type="button" onClick={() => onDone('')}>
          {t('common.cancel')}
        </button>
      </td>
    </tr>
  );
}

function CreateUserForm({ onStart, onCreated }: { onStart: () => void; onCreated: (username: string) => void }) {
  const { t } = useTranslation();
  const empty = { username: '', displayName: '', role: 'auditor' as Role, scope: [] as string[], initialPassword: '' };
  const [form, setForm] = useState(empty);
  const { busy, error, run } = useAsyncAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    // The last 已创建用户 … must not stand beside this attempt's error.
    onStart();
    void run(async () => {
      const created = await call('users.create', { ...form, scope: form.role === 'admin' ? [] : form.scope });
      setForm(empty);
      onCreated(created.username);
    });
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-user-title">
      <h2 id="create-user-title">{t('users.create')}</h2>
      <div className="grid-2">
        <Field label={t('common.username')} value={form.username} required onChange={(e) => setForm({ ...form, username: e.target.value })} />
        <Field label={t('common.displayName')} value={form.displayName} required onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
        <label className="field">
          <span>{t('users.role')}</span>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('users.scope')}</span>
          <DivisionsPicker label={t('users.scope')} value={form.scope} disabled={form.role === 'admin'} onChange={(scope) => setForm({ ...form, scope })} />
          <small className="hint">{t('users.scopeHint')}</small>
        </label>
        <Field label={t('users.initialPassword')} type="password" hint={t('setup.passwordHint')} value={form.initialPassword} required minLength={10} autoComplete="new-password" onChange={(e) => setForm({ ...form, initialPassword: e.target.value })} />
      </div>
      {error instanceof ApiError && error.code === 'CONFLICT' ? (
        // The only conflict a new account meets: the username is someone else's (a disabled account's too).
        <div role="alert" className="error-note">
          {t('users.usernameTaken', { username: form.username })}
        </div>
      ) : (
        <ErrorNote error={error} />
      )}
      <button type="submit" className="primary" disabled={busy}>
        {t('users.create')}
      </button>
    </form>
  );
}
