import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamMemberView } from '../../../src-main/contract/schemas';
import { call } from '../../api/client';
import { showTime } from '../../components/localTime';

/**
 * 团队成员 (supervisors): who holds the team key within the supervisor's scope, as the team store records it — founders
 * and members a supervisor activated. An administrator cannot write that record, so a fake account let in at the
 * start shows here as a founder nobody knows. Folded by default: it is for checking, not for daily work.
 */
export function KeyHolders() {
  const { t } = useTranslation();
  const [holders, setHolders] = useState<TeamMemberView[] | null>(null);

  useEffect(() => {
    void call('team.keyHolders', {})
      .then(setHolders)
      .catch(() => setHolders(null));
  }, []);

  if (!holders?.length) return null;
  return (
    <details className="card" aria-label={t('members.holdersTitle')} data-testid="key-holders">
      <summary>
        <h2 style={{ display: 'inline' }}>
          {t('members.holdersTitle')} · {holders.length}
        </h2>
      </summary>
      <p className="muted">{t('members.holdersIntro')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('common.username')}</th>
            <th>{t('common.displayName')}</th>
            <th>{t('users.role')}</th>
            <th>{t('users.scope')}</th>
            <th>{t('members.kind')}</th>
            <th>{t('members.at')}</th>
          </tr>
        </thead>
        <tbody>
          {holders.map((h) => (
            <tr key={h.account.id} >
              <td>
                {h.account.username}
                {h.account.status === 'disabled' ? ` (${t('members.disabled')})` : ''}
              </td>
              <td>{h.account.displayName}</td>
              <td>{t(`roles.${h.account.role}`)}</td>
              <td>{h.account.scope.join(', ')}</td>
              <td>{h.kind === 'founding' ? t('members.founding') : t('members.activated', { by: h.byDisplayName ?? '?' })}</td>
              <td>{showTime(h.at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
