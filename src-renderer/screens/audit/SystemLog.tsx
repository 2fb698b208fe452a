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
        <table>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td className="mono">{showTime(e.ts, true)}</td>
                <td>{t(`actions.${e.action}`, { defaultValue: e.action })}</td>
                <td>{e.username ?? '—'}</td>
                <td>{t(`audit.outcomes.${e.outcome}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
