import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountSummary } from '../../../src-main/contract/schemas';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';

/**
 * 待启用成员 (supervisors): colleagues the administrator created after the team store began, who see no team data
 * until a supervisor lets them in. Shows whether each has already replaced the initial password — a supervisor
 * should activate only someone who has, and whom they know.
 */
export function PendingMembers() {
  const { t } = useTranslation();
  const [pending, setPending] = useState<AccountSummary[]>([]);
  const { error, run } = useAsyncAction();

  useEffect(() => {
    void call('team.pendingMembers', {})
      .then(setPending)
      .catch(() => setPending([]));
  }, []);

  if (pending.length === 0 && !error) return null;
  return (
    <article className="card" aria-label={t('members.title')}>
      <h2>{t('members.title')}</h2>
      <p className="muted">{t('members.intro')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('common.username')}</th>
            <th>{t('common.displayName')}</th>
            <th>{t('users.role')}</th>
            <th>{t('users.scope')}</th>
            <th>{t('members.passwordChanged')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {pending.map((m) => (
            <tr key={m.id}>
              <td>{m.username}</td>
              <td>{m.displayName}</td>
              <td>{t(`roles.${m.role}`)}</td>
              <td>{m.scope.join(', ')}</td>
              <td>{m.mustChangePassword ? t('members.no') : t('members.yes')}</td>
              <td>
                <button type="button" onClick={() => void run(async () => setPending(await call('team.activateMember', { accountId: m.id })))}>
                  {t('members.activate')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={error} />
    </article>
  );
}
