import { App, Popconfirm, Table, type TableColumnsType } from 'antd';
import { createContext, useCallback, useContext, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSummary } from '../../../src-main/contract/schemas';
import type { Role } from '../../../src-main/domain/roles';
import { ApiError, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { DivisionsPicker, useDivisionLabel } from '../../components/DivisionPicker';
import { Field } from '../../components/Field';
import { useAsyncAction } from '../../components/useAsyncAction';
import { Choice } from '../../components/Choice';

const ROLES: Role[] = ['auditor', 'supervisor', 'finance', 'admin'];

/** Administrators create accounts, set roles and data scopes, and disable accounts. */
export function UsersScreen() {
  const { t } = useTranslation();
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  // Until the first list arrives the table says it is loading, never "no accounts".
  const [loading, setLoading] = useState(true);
  const [loadFailed, setLoadFailed] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  // The row being edited keeps its draft here, so its cells' fields and its save button share it.
  const [draft, setDraft] = useState<Draft | null>(null);
  const edit = { draft, setDraft };
  const { error, run } = useAsyncAction();
  const toast = App.useApp().message;
  const divisionLabel = useDivisionLabel();

  const reload = useCallback(
    () =>
      run(async () => {
        setLoading(true);
        try {
          setAccounts(await call('users.list', {}));
          setLoadFailed(false);
        } catch (e) {
          setLoadFailed(true);
          throw e;
        } finally {
          setLoading(false);
        }
      }),
    [], // eslint-disable-line react-hooks/exhaustive-deps
  );
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

  const columns: TableColumnsType<AccountSummary> = [
    { title: t('common.username'), key: 'username', className: 'mono', render: (_, a) => a.username },
    { title: t('common.displayName'), key: 'displayName', render: (_, a) => (editing === a.id ? <EditName account={a} /> : a.displayName) },
    { title: t('users.role'), key: 'role', render: (_, a) => t(`roles.${a.role}`) },
    {
      title: t('users.scope'),
      key: 'scope',
      render: (_, a) => (editing === a.id ? <EditScope account={a} /> : a.scope.map(divisionLabel).join(t('explain.listSeparator')) || '—'),
    },
    {
      title: t('users.status'),
      key: 'status',
      render: (_, a) => (
        <>
          {t(`users.statuses.${a.status}`)}
          {a.mustChangePassword && <span className="badge">{t('users.mustChange')}</span>}
          {a.failedLogins > 0 && (
            <span className="badge warn">
              {t('users.failedLogins')}
              {t('common.colon')}
              {a.failedLogins}
            </span>
          )}
        </>
      ),
    },
    {
      title: t('users.actions'),
      key: 'actions',
      render: (_, a) =>
        editing === a.id ? (
          <EditButtons account={a} onDone={(msg) => (setEditing(null), setDraft(null), setMessage(msg), void reload())} />
        ) : (
          <>
            <button type="button" onClick={() => (setEditing(a.id), setDraft({ displayName: a.displayName, scope: a.scope }))}>
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
          </>
        ),
    },
  ];

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users.title')}</h1>
      <ErrorNote error={error} />
      {message && <p role="status">{message}</p>}
      <EditContext.Provider value={edit}>
        <Table<AccountSummary>
          aria-label={t('users.title')}
          size="small"
          rowKey="id"
          dataSource={accounts}
          loading={loading ? { tip: t('users.loading') } : false}
          pagination={false}
          locale={{ emptyText: loading ? <div className="table-loading" /> : loadFailed ? t('users.loadFailed') : t('users.empty') }}
          columns={columns}
        />
      </EditContext.Provider>
      {!loading && accounts.length > 0 && accounts.every((a) => a.role === 'admin') && (
        <p className="muted" data-testid="users-only-admins">
          {t('users.onlyAdmins')}
        </p>
      )}
      <CreateUserForm onStart={() => setMessage(null)} onCreated={(username) => (setMessage(t('users.created', { username })), void reload())} />
    </section>
  );
}

type Draft = { displayName: string; scope: string[] };
const EditContext = createContext<{ draft: Draft | null; setDraft: (d: Draft | null) => void }>({ draft: null, setDraft: () => undefined });

function EditName({ account }: { account: AccountSummary }) {
  const { t } = useTranslation();
  const { draft, setDraft } = useContext(EditContext);
  const d = draft ?? { displayName: account.displayName, scope: account.scope };
  return <input aria-label={t('common.displayName')} value={d.displayName} onChange={(e) => setDraft({ ...d, displayName: e.target.value })} />;
}

function EditScope({ account }: { account: AccountSummary }) {
  const { t } = useTranslation();
  const { draft, setDraft } = useContext(EditContext);
  const d = draft ?? { displayName: account.displayName, scope: account.scope };
  return <DivisionsPicker label={t('users.scope')} value={d.scope} disabled={account.role === 'admin'} onChange={(scope) => setDraft({ ...d, scope })} />;
}

function EditButtons({ account, onDone }: { account: AccountSummary; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const { draft } = useContext(EditContext);
  const { error, run } = useAsyncAction();
  const d = draft ?? { displayName: account.displayName, scope: account.scope };
  return (
    <>
      <button
        type="button"
        className="primary"
        onClick={() =>
          void run(async () => {
            await call('users.update', { id: account.id, displayName: d.displayName, ...(account.role === 'admin' ? {} : { scope: d.scope }) });
            onDone(t('users.updatedToast', { name: account.displayName, username: account.username }));
          })
        }
      >
        {t('common.save')}
      </button>
      <button type="button" onClick={() => onDone('')}>
        {t('common.cancel')}
      </button>
      <ErrorNote error={error} />
    </>
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
        <Choice<Role> field label={t('users.role')} value={form.role} options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} onChange={(role) => setForm({ ...form, role })} />
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
