import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { isMoneyKey, yuan } from '../../components/format';
import { programName } from '../../components/programName';
import { useInboxStore } from '../../state/inbox-store';
import { useNavStore } from '../../state/nav-store';
import { CasePanel } from './CasePanel';
import { FindingExports } from './FindingExports';
import { DossierExport } from '../exports/DossierExport';

type Detail = CallOutput<'finding.detail'>;
interface EvidenceRow {
  table: string;
  key: string;
  values: Record<string, unknown>;
}
interface Comparison {
  label: string;
  value: unknown;
  op: string;
  threshold: unknown;
}

/** "Why it fired": the rule and its policy text, the parameter values used, the evidence and the comparisons. */
export function FindingDetail({ fingerprint }: { fingerprint: string }) {
  const { t, i18n } = useTranslation();
  const openFinding = useInboxStore((s) => s.openFinding);
  const refreshInbox = useInboxStore((s) => s.refresh);
  const openPerson = useNavStore((s) => s.openPerson);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The panel is keyed by the fingerprint, so another finding starts from empty state.
  const load = useCallback(() => call('finding.detail', { fingerprint }).then(setDetail, setError), [fingerprint]);
  useEffect(() => {
    void load();
  }, [load]);
  const lang = i18n.language;
  const show = (key: string, v: unknown): string => {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'number' && isMoneyKey(key)) return `${yuan(v, lang)} ${t('triage.yuan')}`;
    if (key === 'program' && typeof v === 'string') return programName(v, lang);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  if (!detail) {
    return (
      <aside className="detail card" aria-label={t('triage.detail.title')}>
        <ErrorNote error={error} />
        {!error && <p className="hint">{t('triage.loading')}</p>}
      </aside>
    );
  }
  const evidence = (detail.evidence ?? {}) as { rows?: EvidenceRow[]; comparisons?: Comparison[] };
  const rule = detail.rule;
  return (
    <aside className="detail card" aria-label={t('triage.detail.title')} data-testid="finding-detail">
      <div className="row spread">
        <h2>
          <span className="mono">{rule.id}</span> {lang === 'en' ? rule.name.en : rule.name.zh}
        </h2>
        <button type="button" onClick={() => openFinding(null)} aria-label={t('triage.detail.close')}>
          ×
        </button>
      </div>
      <dl className="facts">
        <dt>{t('triage.columns.subject')}</dt>
        <dd>
          {detail.row.subjectName} <span className="mono">{detail.row.subjectLabel}</span>{' '}
          {detail.row.personRef && (
            <button type="button" className="link" onClick={() => openPerson(detail.row.personRef!)}>
              {t('triage.detail.personFile')}
            </button>
          )}
          {detail.householdRef && detail.householdRef !== detail.row.personRef && (
            <button type="button" className="link" onClick={() => openPerson(detail.householdRef!)}>
              {t('triage.detail.householdFile')}
            </button>
          )}
        </dd>
        <dt>{t('triage.columns.division')}</dt>
        <dd>{detail.row.divisionName ?? detail.row.divisionCode}</dd>
        <dt>{t('triage.columns.amount')}</dt>
        <dd>
          {yuan(detail.row.amountCents, lang)} {t('triage.yuan')}
        </dd>
        <dt>{t('triage.detail.seen')}</dt>
        <dd className="mono">
          {detail.firstSnapshot} → {detail.lastSnapshot} · {t(`triage.change.${detail.row.change}`)}
        </dd>
      </dl>
      <DossierExport subject={{ fingerprint: detail.row.fingerprint }} label={t('exports.case')} />
      <FindingExports key={detail.row.fingerprint} fingerprint={detail.row.fingerprint} />
      <h3>{t('triage.detail.why')}</h3>
      <p className="policy">{rule.policy}</p>
      {rule.parameters.length > 0 && (
        <p data-testid="rule-parameters">
          {t('triage.detail.parameters')}:{' '}
          {rule.parameters.map((p) => (
            <span key={p.name} className="badge">
              {lang === 'en' ? p.label.en : p.label.zh} = {JSON.stringify(p.value)}
            </span>
          ))}
        </p>
      )}
      {(evidence.comparisons ?? []).length > 0 && (
        <table aria-label={t('triage.detail.comparisons')} data-testid="comparisons">
          <thead>
            <tr>
              <th scope="col">{t('triage.detail.compared')}</th>
              <th scope="col" className="num">{t('triage.detail.value')}</th>
              <th scope="col">{t('triage.detail.op')}</th>
              <th scope="col" className="num">{t('triage.detail.threshold')}</th>
            </tr>
          </thead>
          <tbody>
            {evidence.comparisons!.map((c, i) => (
              <tr key={i}>
                <td>{c.label}</td>
                <td className="num">{show(c.label, c.value)}</td>
                <td className="mono">{c.op}</td>
                <td className="num">{show(c.label, c.threshold)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <table aria-label={t('triage.detail.evidence')} data-testid="evidence">
        <thead>
          <tr>
            <th scope="col">{t('triage.detail.source')}</th>
            <th scope="col">{t('triage.detail.record')}</th>
            <th scope="col">{t('triage.detail.values')}</th>
          </tr>
        </thead>
        <tbody>
          {(evidence.rows ?? []).slice(0, 60).map((r, i) => (
            <tr key={i}>
              <td>{t(`triage.tables.${r.table}`, { defaultValue: r.table })}</td>
              <td className="mono">{r.key}</td>
              <td>
                {Object.entries(r.values ?? {}).map(([k, v]) => (
                  <span key={k} className="kv">
                    {k.replace(/_cents$/, '')}: {show(k, v)}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(evidence.rows ?? []).length > 60 && <p className="hint">{t('triage.detail.more', { count: evidence.rows!.length - 60 })}</p>}
      <CasePanel
        fingerprint={fingerprint}
        detail={detail}
        onChange={(result) => {
          setDetail({ ...detail, case: result.case, events: result.events, next: result.next });
          refreshInbox();
        }}
      />
    </aside>
  );
}
