import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView } from '../../../src-main/contract/schemas';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { showTime } from '../../components/localTime';
import { FindingTarget } from './AuditEntriesTable';

const PAGE = 50;

/** The user's own audit trail, newest first, with an on-demand verification of the whole chain. */
export function AuditHistoryScreen() {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<AuditEntryView[]>([]);
  const [total, setTotal] = useState(0);
  const [verdict, setVerdict] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    (beforeSeq?: number) =>
      call('audit.myHistory', beforeSeq ? { limit: PAGE, beforeSeq } : { limit: PAGE }).then((page) => {
        setEntries((old) => (beforeSeq ? [...old, ...page.entries] : page.entries));
        setTotal(page.total);
      }, setError),
    [],
  );

  useEffect(() => {
    load();
  }, [load]);

  async function verify() {
    try {
      const r = await call('audit.verifyMine', {});
      setVerdict(r.firstBreak ? t('audit.broken', { seq: r.firstBreak.seq, reason: t(`reasons.auditBreaks.${r.firstBreak.reason}`, { defaultValue: r.firstBreak.reason }) }) : t('audit.intact', { count: r.checked }));
      await load();
    } catch (e) {
      setError(e);
    }
  }

  const oldest = entries.at(-1)?.seq ?? 0;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <div className="row">
        <button type="button" onClick={() => void verify()}>
          {t('audit.verify')}
        </button>
        <span>{t('audit.total', { total })}</span>
      </div>
      {verdict && (
        <p role="status" className="verdict">
          {verdict}
        </p>
      )}
      <ErrorNote error={error} />
      <table aria-label={t('audit.title')}>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('audit.seq')}
            </th>
            <th scope="col">{t('audit.time')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.target')}</th>
            <th scope="col" className="nowrap">{t('audit.outcome')}</th>
            <th scope="col">{t('audit.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} className={e.outcome === 'ok' ? '' : 'warn'}>
              <td className="num mono">{e.seq}</td>
              <td className="mono nowrap">{showTime(e.ts, true)}</td>
              <td className="nowrap">{t(`actions.${e.action}`, { defaultValue: e.action })}</td>
              {/* The user's own login name as the target (登录, 修改密码) is a login code saying nothing new: left out. */}
              <td className={e.finding ? undefined : 'mono'}>{e.finding ? <FindingTarget finding={e.finding} /> : e.target === e.username ? '' : (e.target ?? '')}</td>
              <td className="nowrap">{t(`audit.outcomes.${e.outcome}`)}</td>
              <td className="detail" title={e.details.map((d) => `${d.label}${t('common.colon')}${d.value}`).join('\n')}>
                {e.details.map((d) => `${d.label}${t('common.colon')}${d.value}`).join(t('explain.words.itemSeparator'))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {oldest > 1 && (
        <button type="button" onClick={() => void load(oldest)}>
          {t('audit.older')}
        </button>
      )}
    </section>
  );
}
