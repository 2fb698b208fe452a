import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView } from '../../../src-main/contract/schemas';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { showTime } from '../../components/localTime';

export function SystemLog() {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<AuditEntryView[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call('audit.systemLog', { limit: 20 }).then((r) => setEntries(r.entries), setError);
  }, []);
  return (
    <article className="card" aria-labelledby="syslog-title">
      <h2 id="syslog-title">{t('audit.systemLogTitle')}</h2>
      <ErrorNote error={error} />
      {entries.length === 0 ? (
        <p>{t('common.none')}</p>
      ) : (
        // Headed columns, and the why of each event (失败原因：该账号已停用…): four bare columns said little.
        <table aria-label={t('audit.systemLogTitle')} data-testid="system-log">
          <thead>
            <tr>
              <th scope="col">{t('audit.time')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('common.username')}</th>
              <th scope="col">{t('audit.outcome')}</th>
              <th scope="col">{t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td className="mono nowrap">{showTime(e.ts, true)}</td>
                <td className="nowrap">{t(`actions.${e.action}`, { defaultValue: e.action })}</td>
                <td className="nowrap">{e.username ?? '—'}</td>
                <td className="nowrap">{t(`audit.outcomes.${e.outcome}`)}</td>
                {/* Half a screen wide: the details wrap (anywhere, a client id is one long word) rather than squeeze the rest. */}
                <td className="hint wrap-anywhere">
                  {e.details
                    .filter((d) => d.label !== t('audit.fields.client')) // the session id says nothing to a reader here
                    .map((d) => `${d.label}${t('common.colon')}${d.value}`)
                    .join(t('common.listSeparator'))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
