import { useEffect, useState, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CallInput, CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { useDivisionLabel } from '../../components/DivisionPicker';
import { STILL } from '../../components/chartMotion';
import { ErrorNote } from '../../components/ErrorNote';
import { programName } from '../../components/programName';
import { ruleInfo } from '../../components/ruleName';
import { useNavStore } from '../../state/nav-store';
import { drillToInbox, yuan } from './drill';

type Review = CallOutput<'report.spending'>;
type Payments = CallOutput<'report.payments'>;
type Where = Omit<CallInput<'report.payments'>, 'limit' | 'divisionPrefix'>;
const COLORS = ['#a83a5c', '#e08a1e', '#1f5fa8', '#3a8f5c'];

/**
 * 资金审核 (finance and supervisors): the F-rules over the payment ledger by rule, programme, street and month — each
 * bar lists its payments — budget execution against the elapsed share of the year, and recoveries. Money shown here
 * is what was actually paid (the ledger); the amounts at risk on the dashboard are estimates of loss to prevent.
 */
export function SpendingScreen() {
  const { t, i18n } = useTranslation();
  const openPerson = useNavStore((s) => s.openPerson);
  // Where a recovery case lives, by name: 石桥社区（320111004003）, not a bare 12-digit code.
  const divisionLabel = useDivisionLabel();
  const [review, setReview] = useState<Review | null>(null);
  const [where, setWhere] = useState<Where | null>(null);
  const [payments, setPayments] = useState<Payments | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    call('report.spending', {}).then(setReview, setError);
  }, []);
  // The payments behind a cell appear below the charts: bring them into view when asked for.
  const drillRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (where) drillRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [where]);
  /** Lists the payments behind a cell (a rule, and a programme, street or month). */
  const drill = (w: Where) => {
    setWhere(w);
    setPayments(null);
    call('report.payments', { ...w, limit: 500 }).then(setPayments, setError);
  };

  if (!review) return <section><h1>{t('spending.title')}</h1><ErrorNote error={error} />{!error && <p>{t('common.loading')}</p>}</section>;
  const rule = (r: string) => t(`spending.rules.${r}`, { defaultValue: r });
  const rules = [...new Set(review.byRule.map((r) => r.rule))];
  const pivot = <K extends string>(rows: ({ rule: string; amountCents: number } & Record<K, string>)[], key: K) =>
    [...new Set(rows.map((r) => r[key]))].sort().map((k) => ({ key: k, ...Object.fromEntries(rules.map((ru) => [ru, (rows.find((r) => r[key] === k && r.rule === ru)?.amountCents ?? 0) / 100])) }));
  const byProgram = pivot(review.byProgram, 'program').map((r) => ({ ...r, name: programName(r.key, i18n.language) }));
  const byStreet = pivot(review.byStreet, 'street').map((r) => ({ ...r, name: review.byStreet.find((s) => s.street === r.key)?.streetName ?? r.key }));
  const streetNames = new Map(review.byStreet.map((s) => [s.street, s.streetName]));
  const byMonth = pivot(review.byMonth, 'period').map((r) => ({ ...r, name: r.key }));
  const chart = (label: string, data: { key: string; name: string }[], field: 'program' | 'street' | 'period') => (
    <article className="card" aria-label={label} data-testid={`chart-${label}`}>
      <h2>{label}</h2>
      {/* Horizontal bars: every programme or street keeps its name on the axis, however many there are. */}
      {/* An English programme name wraps to two or three lines on the axis: its row needs their height. */}
      <ResponsiveContainer width="100%" height={Math.max(260, data.length * (i18n.language === 'en' ? 52 : 26) + 70)}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" tickFormatter={(v: number) => v.toLocaleString(i18n.language)} />
          <YAxis type="category" dataKey="name" width={165} interval={0} />
          <Tooltip formatter={(v) => yuan(Number(v) * 100, i18n.language)} />
          <Legend />
          {rules.map((r, i) => (
            <Bar {...STILL} key={r} dataKey={r} name={rule(r)} stackId="s" fill={COLORS[i % COLORS.length]} cursor="pointer" onClick={(d) => drill({ rule: r as Where['rule'], [field]: (d as unknown as { key: string }).key })} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </article>
  );

  return (
    <section aria-labelledby="spending-title">
      <h1 id="spending-title">{t('spending.title')}</h1>
      <p className="muted">{t('spending.intro', { asOf: review.asOf })}</p>
      <div className="grid-2">
        <article className="card" aria-label={t('spending.totals')}>
          <h2>{t('spending.totals')}</h2>
          <table className="table">
            <thead>
              <tr>
                <th>{t('spending.rule')}</th>
                <th className="num">{t('spending.payments')}</th>
                <th className="num">{t('spending.amount')}</th>
                <th className="num" title={t('spending.shortHint')}>{t('spending.short')}</th>
              </tr>
            </thead>
            <tbody>
              {review.byRule.map((r) => (
                <tr key={r.rule}>
                  <td>
                    <button type="button" className="link" onClick={() => drill({ rule: r.rule as Where['rule'] })}>
                      {rule(r.rule)}
                    </button>{' '}
                    <button type="button" className="link" title={t('spending.casesOf')} onClick={() => drillToInbox({ ruleIds: [r.rule] }, undefined, 'amount')}>
                      ↗
                    </button>
                  </td>
                  <td className="num">{r.payments.toLocaleString(i18n.language)}</td>
                  <td className="num">{yuan(r.amountCents, i18n.language)}</td>
                  <td className="num">{r.shortCents ? yuan(r.shortCents, i18n.language) : '—'}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="spending-total-once">
                <th scope="row" title={t('spending.totalOnceHint')}>{t('spending.totalOnce')}</th>
                <td className="num">{review.totalOnce.payments.toLocaleString(i18n.language)}</td>
                <td className="num">{yuan(review.totalOnce.amountCents, i18n.language)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
          <p className="muted small">{t('spending.cumulative', { asOf: review.asOf })}</p>
          <p>{t('spending.recoveries', { toRecover: yuan(review.recoveries.toRecoverCents, i18n.language), recovered: yuan(review.recoveries.recoveredCents, i18n.language) })}</p>
          <p className="muted" data-testid="prevented">
            {t('spending.prevented', { persons: review.prevented.persons, monthly: yuan(review.prevented.monthlyCents, i18n.language), annual: yuan(review.prevented.annualCents, i18n.language) })}
          </p>
          {review.recoveries.cases.length > 0 && (
            <div className="scroll-box">
              <table className="table" aria-label={t('spending.recoveryCases')}>
                <thead>
                  <tr>
                    <th>{t('spending.rule')}</th>
                    <th>{t('spending.division')}</th>
                    <th className="num">{t('spending.toRecover')}</th>
                    <th className="num">{t('spending.recovered')}</th>
                  </tr>
                </thead>
                <tbody>
                  {review.recoveries.cases.map((c) => (
                    <tr key={c.fingerprint} title={c.fingerprint}>
                      <td>{ruleInfo(c.ruleId, i18n.language).name}</td>
                      <td>{divisionLabel(c.divisionCode)}</td>
                      <td className="num">{yuan(c.toRecoverCents, i18n.language)}</td>
                      <td className="num">{yuan(c.recoveredCents, i18n.language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </article>
        {chart(t('spending.byProgram'), byProgram, 'program')}
        {chart(t('spending.byStreet'), byStreet, 'street')}
        <article className="card" aria-label={t('spending.byMonth')} style={{ gridColumn: '1 / -1' }}>
          <h2>{t('spending.byMonth')}</h2>
          <ResponsiveContainer width="100%" height={280}>
            <LineChart data={byMonth}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="name" />
              <YAxis width={90} tickFormatter={(v: number) => v.toLocaleString(i18n.language)} />
              <Tooltip formatter={(v) => yuan(Number(v) * 100, i18n.language)} />
              <Legend />
              {rules.map((r, i) => (
                <Line {...STILL} key={r} dataKey={r} name={rule(r)} stroke={COLORS[i % COLORS.length]} dot={false} strokeWidth={2} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </article>
      </div>
      {where && (
        <article className="card" aria-label={t('spending.paymentsTitle')} data-testid="flagged-payments" ref={drillRef}>
          <h2>
            {t('spending.paymentsTitle')} · {where.rule ? rule(where.rule) : ''} {where.program ? programName(where.program, i18n.language) : ''} {where.street ?? ''} {where.period ?? ''}
          </h2>
          {!payments ? (
            <p>{t('common.loading')}</p>
          ) : (
            <div className="scroll-box">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('spending.paymentId')}</th>
                  <th>{t('spending.person')}</th>
                  <th>{t('spending.program')}</th>
                  <th>{t('spending.period')}</th>
                  <th className="num">{t('spending.paid')}</th>
                  <th className="num">{t('spending.flagged')}</th>
                  <th className="num">{t('spending.short')}</th>
                </tr>
              </thead>
              <tbody>
                {payments.map((p) => (
                  <tr key={`${p.rule}-${p.paymentId}`}>
                    <td>{p.paymentId}</td>
                    <td>
                      <button type="button" className="link" onClick={() => openPerson(p.personRef)}>
                        {p.personLabel}
                      </button>
                    </td>
                    <td>{programName(p.program, i18n.language)}</td>
                    <td>{p.period}</td>
                    <td className="num">{yuan(p.paidCents, i18n.language)}</td>
                    <td className="num">{yuan(p.flaggedCents, i18n.language)}</td>
                    <td className="num">{p.shortCents ? yuan(p.shortCents, i18n.language) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
        </article>
      )}
      <article className="card" aria-label={t('spending.budget')}>
        <h2>{t('spending.budget')}</h2>
        <p className="muted">{t('spending.budgetNote')}</p>
        <div className="scroll-box">
        <table className="table" data-testid="budget-table">
          <thead>
            <tr>
              <th>{t('spending.division')}</th>
              <th>{t('spending.program')}</th>
              <th className="num">{t('spending.budgetCol')}</th>
              <th className="num">{t('spending.paid')}</th>
              <th className="num">{t('spending.expected')}</th>
              <th className="num">{t('spending.pace')}</th>
              <th className="num">{t('spending.forecast')}</th>
              <th>{t('spending.status')}</th>
            </tr>
          </thead>
          <tbody>
            {review.budget.map((b) => (
              <tr key={`${b.divisionPrefix}-${b.program}`} className={b.status === 'on_pace' ? undefined : 'warn'}>
                <td>{streetNames.has(b.divisionPrefix) ? t('explain.words.division', { name: streetNames.get(b.divisionPrefix), code: b.divisionPrefix }) : b.divisionPrefix}</td>
                <td>{programName(b.program, i18n.language)}</td>
                <td className="num">{yuan(b.budgetCents, i18n.language)}</td>
                <td className="num">{yuan(b.paidCents, i18n.language)}</td>
                <td className="num">{yuan(b.expectedCents, i18n.language)}</td>
                <td className="num">{b.pace === null ? '—' : `${(b.pace * 100).toFixed(1)}%`}</td>
                <td className="num">{yuan(b.forecastCents, i18n.language)}</td>
                <td>{t(`spending.statuses.${b.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </article>
    </section>
  );
}
