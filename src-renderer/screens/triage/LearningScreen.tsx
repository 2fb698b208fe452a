import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { yuan } from '../../components/format';
import { ruleInfo } from '../../components/ruleName';

type Learning = CallOutput<'learning.stats'>;

/** For supervisors: what each rule's findings turned out to be, per rule and street; rules mostly dismissed are flagged. */
export function LearningScreen() {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<Learning | null>(null);
  const [threshold, setThreshold] = useState('');
  const { error, run } = useAsyncAction();
  useEffect(() => {
    void run(async () => {
      setData(await call('learning.stats', {}));
      setThreshold(String((await call('case.policy', {})).approvalThresholdCents / 100));
    });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const lang = i18n.language;
  return (
    <section aria-labelledby="learning-title">
      <h1 id="learning-title">{t('learning.title')}</h1>
      <p>{t('learning.intro')}</p>
      <ErrorNote error={error} />
      <div className="row">
        <label htmlFor="approval-threshold">{t('learning.threshold')}</label>
        <input id="approval-threshold" type="number" min={0} step={100} value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        <button type="button" onClick={() => void run(async () => setThreshold(String((await call('case.setPolicy', { approvalThresholdCents: Math.round(Number(threshold) * 100) })).approvalThresholdCents / 100)))}>
          {t('common.save')}
        </button>
      </div>
      <table aria-label={t('learning.byRule')} data-testid="learning-rules">
        <thead>
          <tr>
            <th scope="col">{t('triage.columns.rule')}</th>
            <th scope="col" className="num">{t('learning.findings')}</th>
            <th scope="col" className="num">{t('learning.confirmed')}</th>
            <th scope="col" className="num">{t('learning.dismissed')}</th>
            <th scope="col" className="num">{t('learning.precision')}</th>
            <th scope="col" className="num">{t('learning.amountConfirmed')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.rules.map((r) => (
            <tr key={r.ruleId} className={r.flagged ? 'warn' : ''}>
              <td>
                {ruleInfo(r.ruleId, lang).name} {r.flagged && <span className="badge warn">{t('learning.flagged')}</span>}
              </td>
              <td className="num">{r.findings}</td>
              <td className="num">{r.confirmed}</td>
              <td className="num">{r.dismissed}</td>
              <td className="num">{r.precision === null ? '—' : `${(r.precision * 100).toFixed(0)}%`}</td>
              <td className="num">{yuan(r.amountConfirmedCents, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('learning.byStreet')}</h2>
      <table aria-label={t('learning.byStreet')}>
        <thead>
          <tr>
            <th scope="col">{t('triage.columns.rule')}</th>
            <th scope="col">{t('triage.columns.division')}</th>
            <th scope="col" className="num">{t('learning.findings')}</th>
            <th scope="col" className="num">{t('learning.open')}</th>
            <th scope="col" className="num">{t('learning.confirmed')}</th>
            <th scope="col" className="num">{t('learning.dismissed')}</th>
            <th scope="col" className="num">{t('learning.amountConfirmed')}</th>
            <th scope="col" className="num">{t('learning.recovered')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.rows.map((r) => (
            <tr key={`${r.ruleId}-${r.street}`}>
              <td>{ruleInfo(r.ruleId, lang).name}</td>
              <td>{r.streetName ?? r.street}</td>
              <td className="num">{r.findings}</td>
              <td className="num">{r.open}</td>
              <td className="num">{r.confirmed}</td>
              <td className="num">{r.dismissed}</td>
              <td className="num">{yuan(r.amountConfirmedCents, lang)}</td>
              <td className="num">{yuan(r.recoveredCents, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
