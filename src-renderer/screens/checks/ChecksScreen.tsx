import { Descriptions, Empty } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckStatusView } from '../../../src-main/contract/schemas';
import { call } from '../../api/client';
import { useDivisionLabel } from '../../components/DivisionPicker';
import { ErrorNote } from '../../components/ErrorNote';
import { RULE_IDS, ruleInfo } from '../../components/ruleName';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { RegionalParameters } from './RegionalParameters';
import { showTime } from '../../components/localTime';

/** Runs the rule library and shows, per rule, what is open and how the last run changed it. */
export function ChecksScreen() {
  const { t, i18n } = useTranslation();
  const divisionLabel = useDivisionLabel();
  const role = useSessionStore((s) => s.session?.role);
  const [status, setStatus] = useState<CheckStatusView | null>(null);
  const { busy, error, run } = useAsyncAction();
  const refresh = useCallback(() => call('checks.status', {}).then(setStatus, () => undefined), []);
  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, 800);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const yuan = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const byRule = new Map(status?.byRule.map((r) => [r.ruleId, r]));
  const lastCounts = new Map(status?.lastRun?.rules.map((r) => [r.id, r]));
  const progress = status?.progress;
  return (
    <section aria-labelledby="checks-title">
      <h1 id="checks-title">{t('checks.title')}</h1>
      <p>{t('checks.intro')}</p>
      <ErrorNote error={error} />
      {status?.error && <p className="error-note">{status.error}</p>}
      <div className="row">
        <button type="button" className="primary" disabled={busy || status?.running} onClick={() => void run(async () => setStatus(await call('checks.run', {})))}>
          {t('checks.run')}
        </button>
        {status?.running && (
          <button type="button" onClick={() => void run(async () => setStatus(await call('checks.cancel', {})))}>
            {t('checks.cancel')}
          </button>
        )}
        {status?.running && progress && (
          <span aria-live="polite" data-testid="checks-progress">
            {t('checks.running', { rule: progress.ruleId ? ruleInfo(progress.ruleId, i18n.language).name : '…', done: progress.done, total: progress.total })}
            <progress max={Math.max(1, progress.total)} value={progress.done} />
          </span>
        )}
      </div>
      <LastRun status={status} />
      {status?.lastRun && status.lastRun.parameterValues.length > 0 && (
        <div data-testid="run-parameters">
          <p className="hint">{t('checks.runParameters')}</p>
          <ul className="plain">
            {status.lastRun.parameterValues.map((v) => (
              <li key={`${v.name}|${v.divisionPrefix}|${v.effectiveFrom}`}>
                {t('checks.runParameter', { name: i18n.language === 'en' ? v.label.en : v.label.zh, value: i18n.language === 'en' ? v.text.en : v.text.zh, region: divisionLabel(v.divisionPrefix), from: v.effectiveFrom, source: i18n.language === 'en' ? v.sourceText.en : v.sourceText.zh })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {status?.lastRun && status.lastRun.rules.some((r) => r.storedAtBuild) && (
        <p className="hint" data-testid="run-stored">
          {t('checks.storedRules', { count: status.lastRun.rules.filter((r) => r.storedAtBuild).length })}
        </p>
      )}
      <table aria-label={t('checks.title')}>
        <thead>
          <tr>
            <th scope="col">{t('checks.rule')}</th>
            <th scope="col">{t('checks.family')}</th>
            <th scope="col" className="num">{t('checks.open')}</th>
            <th scope="col" className="num">{t('checks.new')}</th>
            <th scope="col" className="num">{t('checks.persisting')}</th>
            <th scope="col" className="num">{t('checks.resolved')}</th>
            <th scope="col" className="num">{t('checks.amount')}</th>
            <th scope="col" className="num">{t('checks.elapsed')}</th>
          </tr>
        </thead>
        <tbody>
          {[...RULE_IDS, ...(status?.byRule.map((r) => r.ruleId).filter((id) => !RULE_IDS.includes(id)) ?? [])].map((id) => {
            const r = byRule.get(id);
            const info = ruleInfo(id, i18n.language);
            return (
              <tr key={id}>
                <td>
                  <span className="mono">{id}</span> {info.name}
                  {lastCounts.get(id)?.missingFeedNames && (
                    <span className="badge warn" data-testid="rule-not-run">
                      {t('checks.notRun', { feeds: i18n.language === 'en' ? lastCounts.get(id)!.missingFeedNames!.map((n) => n.en).join(', ') : lastCounts.get(id)!.missingFeedNames!.map((n) => n.zh).join('、') })}
                    </span>
                  )}
                  {lastCounts.get(id)?.missingParameterLabels && (
                    <span className="badge warn" data-testid="rule-partly-run">
                      {t('checks.partlyRun', { names: i18n.language === 'en' ? lastCounts.get(id)!.missingParameterLabels!.map((l) => l.en).join(', ') : lastCounts.get(id)!.missingParameterLabels!.map((l) => l.zh).join('、') })}
                    </span>
                  )}
                </td>
                <td>{t(`checks.families.${info.family}`)}</td>
                <td className="num">{r?.open ?? 0}</td>
                <td className="num">{r?.new ?? 0}</td>
                <td className="num">{r?.persisting ?? 0}</td>
                <td className="num">{r?.resolved ?? 0}</td>
                <td className="num">{r && r.amountCents ? yuan.format(r.amountCents / 100) : ''}</td>
                <td className="num" title={lastCounts.get(id)?.storedAtBuild ? t('checks.storedRule') : undefined}>
                  {lastCounts.get(id)?.ms ?? ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {role === 'supervisor' && <RegionalParameters />}
    </section>
  );
}

/**
 * When the user's area was last checked, by whom and over what — a colleague's run over a wider area counts, and the
 * figures are those inside the user's scope (the service cuts them down); then any later runs over part of it, whose
 * results replace that run's for their area.
 */
function LastRun({ status }: { status: CheckStatusView | null }) {
  const { t } = useTranslation();
  const divisionLabel = useDivisionLabel();
  const last = status?.lastRun;
  const who = (r: { byMe: boolean; runByName: string | null }) => (r.byMe ? t('checks.byMe') : (r.runByName ?? t('checks.formerMember')));
  const area = (scope: { prefix: string; name: string | null }[] | null) =>
    scope === null ? t('checks.wholeSnapshot') : scope.map((d) => (d.name ? t('explain.words.division', { name: d.name, code: d.prefix }) : divisionLabel(d.prefix))).join(t('explain.listSeparator'));
  if (!status) return null;
  if (!last)
    return (
      <div role="status" data-testid="last-run">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('checks.never')} />
        {status.partialRunsSince.length > 0 && (
          <ul className="plain hint" data-testid="partial-runs">
            {status.partialRunsSince.map((p) => (
              <li key={p.finishedAt + (p.runByName ?? '')}>{t('checks.partialOnly', { name: who(p), at: showTime(p.finishedAt), area: area(p.scope) })}</li>
            ))}
          </ul>
        )}
      </div>
    );
  return (
    <div role="status" data-testid="last-run">
      <Descriptions
        size="small"
        bordered
        column={2}
        title={t('checks.lastRun')}
        items={[
          { key: 'at', label: t('checks.checkedAt'), children: showTime(last.finishedAt) },
          { key: 'by', label: t('checks.checkedBy'), children: who(last) },
          { key: 'area', label: t('checks.checkedArea'), children: area(last.scope) },
          { key: 'asOf', label: t('checks.dataAsOf'), children: last.asOf },
          {
            key: 'counts',
            label: t('checks.changes'),
            span: 2,
            children: `${t('checks.new')} ${last.newCount} · ${t('checks.persisting')} ${last.persistingCount} · ${t('checks.resolved')} ${last.resolvedCount}`,
          },
        ]}
      />
      {!last.byMe && <p className="hint" data-testid="run-by-colleague">{t('checks.colleagueRun', { name: who(last) })}</p>}
      {status.partialRunsSince.length > 0 && (
        <ul className="plain hint" data-testid="partial-runs">
          {status.partialRunsSince.map((p) => (
            <li key={p.finishedAt + (p.runByName ?? '')}>{t('checks.partialRun', { name: who(p), at: showTime(p.finishedAt), area: area(p.scope) })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
