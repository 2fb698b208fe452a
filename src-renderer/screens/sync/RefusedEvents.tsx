import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RefusedCaseEventView } from '../../../src-main/contract/triage-schemas';
import { call } from '../../api/client';
import { ruleInfo } from '../../components/ruleName';
import { showTime } from '../../components/localTime';

/**
 * 被拒收的案件记录 (supervisors): case events from other workstations that were not applied because their author's
 * signature did not verify — a forgery, or a colleague the platform has not certified yet. Shown only when there are some.
 */
export function RefusedEvents({ refreshKey }: { refreshKey: string | undefined }) {
  const { t, i18n } = useTranslation();
  const [rows, setRows] = useState<RefusedCaseEventView[] | null>(null);

  useEffect(() => {
    void call('case.refusedEvents', {})
      .then(setRows)
      .catch(() => setRows(null));
  }, [refreshKey]);

  if (!rows?.length) return null;
  return (
    <div className="card" role="region" aria-label={t('sync.refused.title')} data-testid="refused-events">
      <h2>
        {t('sync.refused.title')} · {rows.length}
      </h2>
      <p className="muted">{t('sync.refused.intro')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('sync.refused.firstSeen')}</th>
            <th>{t('sync.refused.claimedActor')}</th>
            <th>{t('sync.refused.claimedAt')}</th>
            <th>{t('sync.refused.rule')}</th>
            <th>{t('sync.refused.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.eventId ?? ''}-${i}`}>
              <td>{showTime(r.firstSeen)}</td>
              <td>
                {r.actorRole && ['auditor', 'supervisor', 'finance'].includes(r.actorRole) ? t('explain.words.aside', { what: r.actorName ?? '—', detail: t(`roles.${r.actorRole}`) }) : (r.actorName ?? '—')}
              </td>
              <td>{showTime(r.at)}</td>
              <td>{r.ruleId ? ruleInfo(r.ruleId, i18n.language).name : t('sync.refused.unknownCase')}</td>
              <td>
                {t(`sync.refused.reasons.${r.reason}`)}
                {r.mergedAt && ` · ${t('sync.refused.mergedLater', { at: showTime(r.mergedAt) })}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
