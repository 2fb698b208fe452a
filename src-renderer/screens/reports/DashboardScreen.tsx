import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CallOutput } from '../../../src-main/contract/contract';
import { snapshotName } from '../../../src-main/domain/snapshot-name.js';
import { call } from '../../api/client';
import { STILL } from '../../components/chartMotion';
import { ErrorNote } from '../../components/ErrorNote';
import { isOwedRule, ruleInfo } from '../../components/ruleName';
import { drillToInbox, UNSETTLED, yuan } from './drill';
import { ReportBuilder } from './ReportBuilder';
import { showTime } from '../../components/localTime';
import { useNavStore } from '../../state/nav-store';

type Dashboard = CallOutput<'report.dashboard'>;
const COLORS = ['#1f5fa8', '#e08a1e', '#3a8f5c', '#a83a5c', '#6b5ca8', '#5c8fa8'];
/**
 * One colour per rule family in the stacked street chart — as many as there are families (业务提醒, 业务互斥, 属性判断,
 * 家庭经济状况核对, 业务规范, 主动发现, 数据质检, 资金审核, 监测…), so no two stacked families look alike.
 */
const FAMILY_COLORS = ['#1f5fa8', '#e08a1e', '#3a8f5c', '#a83a5c', '#6b5ca8', '#5c8fa8', '#b8a02a', '#7a4b2a', '#2a9d9d', '#d45a8a'];

/**
 * A card holding one chart; `label` names it for screen readers and tests. With `empty`, the card says why there is
 * nothing to draw instead of showing bare axes.
 */
function ChartCard({ label, children, height = 240, empty, note }: { label: string; children: React.ReactElement; height?: number; empty?: string | false; note?: string }) {
  return (
    <article className="card" aria-label={label} data-testid={`chart-${label}`}>
      <h2>{label}</h2>
      {note && <p className="muted small">{note}</p>}
      {empty ? (
        <p className="muted">{empty}</p>
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          {children}
        </ResponsiveContainer>
      )}
    </article>
  );
}

/** 统计看板 (supervisors): charts first; every bar opens the findings list behind it. */
export function DashboardScreen() {
  const { t, i18n } = useTranslation();
  const [dash, setDash] = useState<Dashboard | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    call('report.dashboard', {}).then(setDash, setError);
  }, []);

  if (!dash) return <section><h1>{t('reports.dashboard')}</h1><ErrorNote error={error} />{!error && <p>{t('common.loading')}</p>}</section>;

  // One name per family everywhere (规则核查, the inbox, exports): the dashboard says what the checks screen says.
  const family = (f: string) => t(`checks.families.${f}`, { defaultValue: f });
  // Findings by street, one series per rule family (stacked), with each street's code kept for the drill-down.
  const families = [...new Set(dash.byFamilyStreet.map((r) => r.family))];
  const streets = [...new Map(dash.byFamilyStreet.map((r) => [r.street, r.streetName])).entries()].map(([street, name]) => ({
    street,
    name,
    ...Object.fromEntries(families.map((f) => [f, dash.byFamilyStreet.find((r) => r.street === street && r.family === f)?.count ?? 0])),
  }));
  const stage = (s: string) => t(`reports.funnel.${s}`);
  // A rule's name as an axis label: 身份信息与号码不一致 needs 160 px on one line; English names wrap to two or three
  // lines, so their rows need the height of three lines or the labels run into each other.
  const ruleAxis = i18n.language === 'en' ? { width: 170, row: 44 } : { width: 160, row: 24 };
  // The legend under the street chart takes rows of its own (four in English): the plot keeps 26 px per street.
  const legendHeight = i18n.language === 'en' ? 100 : 60;
  // 应享未享 is owed to persons: counted apart, never in the money at risk.
  const owed = dash.byRule.filter((r) => isOwedRule(r.ruleId)).reduce((n, r) => n + r.count, 0);
  const money = [
    { key: 'atRisk', value: dash.money.atRiskCents / 100 },
    { key: 'confirmed', value: dash.money.confirmedCents / 100 },
    { key: 'toRecover', value: dash.money.toRecoverCents / 100 },
    { key: 'recovered', value: dash.money.recoveredCents / 100 },
  ];

  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t('reports.dashboard')}</h1>
      <p className="muted" data-testid="freshness">
        {t('reports.freshness', { asOf: dash.snapshot.asOf, days: dash.snapshot.ageDays, snapshot: snapshotName(dash.snapshot.snapshotId, i18n.language) })}
        {dash.lastRun ? ` · ${t('reports.lastRun', { at: showTime(dash.lastRun.at) })}` : ` · ${t('reports.noRun')}`}
      </p>
      <MonitoringCard figures={dash.monitoring} />
      <div className="grid-2">
        <ChartCard label={t('reports.byStreet')} height={Math.max(240, streets.length * 26 + legendHeight)}>
          <BarChart data={streets} layout="vertical" margin={{ left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" width={90} interval={0} />
            <Tooltip />
            <Legend />
            {families.map((f, i) => (
              <Bar {...STILL} key={f} dataKey={f} name={family(f)} stackId="s" fill={FAMILY_COLORS[i % FAMILY_COLORS.length]} cursor="pointer" onClick={(d) => drillToInbox({ families: [f] }, (d as unknown as { street: string }).street)} />
            ))}
          </BarChart>
        </ChartCard>
        <ChartCard label={t('reports.byRule')} height={Math.max(240, dash.byRule.length * ruleAxis.row)}>
          <BarChart data={dash.byRule.map((r) => ({ ...r, name: ruleInfo(r.ruleId, i18n.language).name }))} layout="vertical" margin={{ left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" width={ruleAxis.width} interval={0} />
            <Tooltip />
            <Bar {...STILL} dataKey="count" name={t('reports.open')} fill={COLORS[0]} cursor="pointer" onClick={(d) => drillToInbox({ ruleIds: [(d as unknown as { ruleId: string }).ruleId] })} />
          </BarChart>
        </ChartCard>
        <ChartCard label={t('reports.changes')}>
          <BarChart data={(['new', 'persisting', 'resolved'] as const).map((c) => ({ change: c, name: t(`triage.change.${c}`), count: dash.changes[c] }))}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar
              {...STILL}
              dataKey="count"
              name={t('reports.findings')}
              fill={COLORS[1]}
              cursor="pointer"
              onClick={(d) => {
                const c = (d as unknown as { change: 'new' | 'persisting' | 'resolved' }).change;
                drillToInbox(c === 'resolved' ? { changes: ['resolved'], findingState: 'resolved' } : { changes: [c] });
              }}
            />
          </BarChart>
        </ChartCard>
        <ChartCard label={t('reports.funnelTitle')}>
          <BarChart data={dash.funnel.map((f) => ({ ...f, name: stage(f.stage) }))}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar {...STILL} dataKey="count" name={t('reports.cases')} fill={COLORS[2]} cursor="pointer" onClick={(d) => drillToInbox({ caseStates: (d as unknown as { states: never[] }).states, findingState: 'all' })} />
          </BarChart>
        </ChartCard>
        <ChartCard label={t('reports.ageing')}>
          <BarChart data={dash.ageing.map((a) => ({ ...a, name: t(`reports.buckets.${a.bucket}`) }))}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar
              {...STILL}
              dataKey="count"
              name={t('reports.openCases')}
              fill={COLORS[3]}
              cursor="pointer"
              onClick={(d) => {
                const a = d as unknown as { firstRunFrom: number | null; firstRunTo: number | null };
                if (a.firstRunFrom !== null && a.firstRunTo !== null) drillToInbox({ firstRunFrom: a.firstRunFrom, firstRunTo: a.firstRunTo, caseStates: [...UNSETTLED] });
              }}
            />
          </BarChart>
        </ChartCard>
        <ChartCard label={t('reports.workload')} empty={dash.workload.length === 0 && t('reports.noWorkload')}>
          <BarChart data={dash.workload.map((w) => ({ ...w, name: w.assigneeName ?? t('reports.unassigned') }))}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar {...STILL} dataKey="open" name={t('reports.openCases')} fill={COLORS[0]} cursor="pointer" onClick={(d) => drillToInbox({ assignee: (d as unknown as { assigneeId: string | null }).assigneeId ?? 'none', caseStates: [...UNSETTLED] })} />
            <Bar {...STILL} dataKey="overdue" name={t('reports.overdue')} fill={COLORS[3]} />
          </BarChart>
        </ChartCard>
        <ChartCard label={t('reports.precision')} empty={dash.precision.length === 0 && t('reports.noPrecision')} height={Math.max(240, dash.precision.length * ruleAxis.row)}>
          <BarChart data={dash.precision.map((p) => ({ ...p, name: ruleInfo(p.ruleId, i18n.language).name, percent: p.precision === null ? 0 : Math.round(p.precision * 1000) / 10 }))} layout="vertical" margin={{ left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" domain={[0, 100]} unit="%" />
            <YAxis type="category" dataKey="name" width={ruleAxis.width} interval={0} />
            <Tooltip />
            <Bar {...STILL} dataKey="percent" name={t('reports.precisionLabel')} fill={COLORS[4]} cursor="pointer" onClick={(d) => drillToInbox({ ruleIds: [(d as unknown as { ruleId: string }).ruleId], caseStates: ['confirmed', 'dismissed', 'closed'], findingState: 'all' })} />
          </BarChart>
        </ChartCard>
        <ChartCard label={t('reports.money')} note={`${t('reports.moneyNote', { asOf: dash.snapshot.asOf })}${owed ? t('reports.owedNote', { count: owed }) : ''}`}>
          <BarChart data={money.map((m) => ({ ...m, name: t(`reports.moneyKinds.${m.key}`) }))} layout="vertical" margin={{ left: 8, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" tickFormatter={(v: number) => v.toLocaleString(i18n.language)} />
            {/* The axis wraps its labels at spaces only, which Chinese has none of: let 涉及金额（未结，每笔只计一次） wrap at its brackets and commas instead of running off the card. */}
            <YAxis type="category" dataKey="name" width={120} interval={0} tickFormatter={(v: string) => (i18n.language === 'en' ? v : v.replace(/（/g, ' （').replace(/，/g, '， '))} />
            <Tooltip formatter={(v) => yuan(Number(v) * 100, i18n.language)} />
            <Bar
              {...STILL}
              dataKey="value"
              name={t('reports.yuan')}
              fill={COLORS[5]}
              cursor="pointer"
              onClick={(d) => {
                const k = (d as unknown as { key: string }).key;
                drillToInbox(k === 'atRisk' ? { minAmountCents: 1 } : { caseStates: ['confirmed', 'closed'], findingState: 'all' }, undefined, 'amount');
              }}
            />
          </BarChart>
        </ChartCard>
      </div>
      <ReportBuilder asOf={dash.snapshot.asOf} />
    </section>
  );
}

/**
 * 动态监测 headline (the monthly report's own figures for the current Beijing month): warnings in the loop by level,
 * overdue now, visited on time. It opens 监测预警, where the facets and the audit views list the warnings behind them.
 */
function MonitoringCard({ figures }: { figures: Dashboard['monitoring'] }) {
  const { t } = useTranslation();
  const stats: { key: string; label: string; value: string }[] = [
    ...(['red', 'orange', 'yellow'] as const).map((l) => ({ key: l, label: `${t('reports.monitoringOpen')} · ${t(`monitoring.levels.${l}`)}`, value: String(figures.open[l]) })),
    { key: 'visit', label: t('reports.monitoringOverdueVisit'), value: String(figures.overdueTotal.visit) },
    { key: 'decide', label: t('reports.monitoringOverdueDecide'), value: String(figures.overdueTotal.decide) },
    { key: 'onTime', label: t('reports.monitoringOnTime'), value: t('reports.monitoringOnTimeOf', { onTime: figures.visits.onTime, due: figures.visits.due }) },
  ];
  const label = t('reports.monitoringCard', { period: figures.period });
  return (
    <article className="card" aria-label={label} data-testid="dashboard-monitoring">
      <h2>{label}</h2>
      <p className="muted small">{t('reports.monitoringNote')}</p>
      <div className="stats">
        {stats.map((s) => (
          <div key={s.key} className="stat" data-testid={`monitoring-stat-${s.key}`}>
            <div className="stat-value">{s.value}</div>
            <div className="stat-label">{s.label}</div>
          </div>
        ))}
      </div>
      <p>
        <button type="button" onClick={() => useNavStore.getState().go('monitoring')}>
          {t('reports.monitoringOpenScreen')}
        </button>
      </p>
    </article>
  );
}
