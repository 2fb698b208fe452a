import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QualityReportView } from '../../../src-main/contract/schemas';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { ruleInfo } from '../../components/ruleName';

/** 数据质检: completeness per table and column, the Q-rules' findings, and freshness per department. */
export function QualityScreen() {
  const { t, i18n } = useTranslation();
  const [report, setReport] = useState<QualityReportView | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The service names tables and columns and words the examples in the session's language: asked again when it changes.
  useEffect(() => {
    call('quality.report', {}).then(setReport, setError);
  }, [i18n.language]);
  return (
    <section aria-labelledby="quality-title">
      <h1 id="quality-title">{t('quality.title')}</h1>
      <p>{t('quality.intro')}</p>
      <ErrorNote error={error} />
      {!report && !error && <p>{t('common.loading')}</p>}
      {report && (
        <div className="grid-2">
          <article className="card">
            <h2>{t('quality.checks')}</h2>
            <table aria-label={t('quality.checks')}>
              <tbody>
                {report.checks.map((c) => (
                  <tr key={c.ruleId}>
                    <td className="keep-words">{ruleInfo(c.ruleId, i18n.language).name}</td>
                    <td className="num">{c.count}</td>
                    <td className="detail" title={c.examples.join('\n')}>
                      {c.examples[0] ?? '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>{t('quality.freshness')}</h2>
            <dl className="facts">
              {report.freshness.map((f) => (
                <div key={f.table} className="contents">
                  <dt>{f.label}</dt>
                  <dd>{f.newest ?? '—'}</dd>
                </div>
              ))}
            </dl>
          </article>
          <article className="card">
            <h2>{t('quality.emptyColumns')}</h2>
            <table aria-label={t('quality.emptyColumns')}>
              <thead>
                <tr>
                  <th scope="col">{t('quality.table')}</th>
                  <th scope="col" className="num">{t('quality.rows')}</th>
                  <th scope="col">{t('quality.emptyColumns')}</th>
                </tr>
              </thead>
              <tbody>
                {report.tables.map((tb) => (
                  <tr key={tb.table}>
                    <td className="nowrap">{tb.label}</td>
                    <td className="num">{tb.rows.toLocaleString(i18n.language)}</td>
                    <td>
                      {tb.columns
                        .filter((c) => c.empty > 0)
                        .map((c) => t('quality.emptyCount', { column: c.label, count: c.empty.toLocaleString(i18n.language) }))
                        .join(' · ') || t('quality.none')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </article>
        </div>
      )}
    </section>
  );
}
