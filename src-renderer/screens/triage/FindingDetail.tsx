import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { snapshotName } from '../../../src-main/domain/snapshot-name.js';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { yuan } from '../../components/format';
import { ruleInfo } from '../../components/ruleName';
import { useInboxStore } from '../../state/inbox-store';
import { useNavStore } from '../../state/nav-store';
import { CasePanel } from './CasePanel';
import { FindingExports } from './FindingExports';
import { DossierExport } from '../exports/DossierExport';

type Detail = CallOutput<'finding.detail'>;

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
  const lang = i18n.language;
  // The sentences of 触发原因 and the evidence come in the session's language (services/evidence/explain-evidence.ts):
  // asked again when it changes.
  useEffect(() => {
    void load();
  }, [load, lang]);
  if (!detail) {
    return (
      <aside className="detail card" aria-label={t('triage.detail.title')}>
        <ErrorNote error={error} />
        {!error && <p className="hint">{t('triage.loading')}</p>}
      </aside>
    );
  }
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
        {/* 应享未享 is money owed to the person: it names the benefits that seem missing instead of an amount at risk. */}
        <dd data-testid="finding-amount">{detail.explanation.owed ?? `${yuan(detail.row.amountCents, lang)} ${t('triage.yuan')}`}</dd>
        {detail.caseFindings.length > 1 && (
          <>
            <dt>{t('triage.detail.caseAmount')}</dt>
            <dd data-testid="case-amount">
              {yuan(detail.row.caseAmountCents, lang)} {t('triage.yuan')} <span className="hint">{t('triage.detail.caseAmountHint')}</span>
            </dd>
          </>
        )}
        <dt>{t('triage.detail.seen')}</dt>
        <dd className="mono" data-testid="finding-seen">
          {snapshotName(detail.firstSnapshot, i18n.language)} → {snapshotName(detail.lastSnapshot, i18n.language)} · {t(`triage.change.${detail.row.change}`)}
        </dd>
      </dl>
      {detail.caseFindings.length > 1 && (
        <div className="related" data-testid="case-findings">
          <h4>{t('triage.detail.caseFindings', { count: detail.caseFindings.length })}</h4>
          <ul className="plain">
            {detail.caseFindings.map((r) => (
              <li key={r.fingerprint}>
                {r.fingerprint === detail.row.fingerprint ? (
                  <strong>{ruleInfo(r.ruleId, lang).name}</strong>
                ) : (
                  <button type="button" className="link" onClick={() => openFinding(r.fingerprint)}>
                    {ruleInfo(r.ruleId, lang).name}
                  </button>
                )}{' '}
                · {r.amountCents === null ? '—' : `${yuan(r.amountCents, lang)} ${t('triage.yuan')}`}
                {r.findingState === 'resolved' && <> · {t('triage.change.resolved')}</>}
              </li>
            ))}
          </ul>
          <p className="hint">{t('triage.detail.caseFindingsHint')}</p>
        </div>
      )}
      {detail.related.length > 0 && (
        <div className="related" data-testid="related-findings">
          <h4>{t('triage.detail.related')}</h4>
          <ul className="plain">
            {detail.related.map((r) => (
              <li key={r.fingerprint}>
                <button type="button" className="link" onClick={() => openFinding(r.fingerprint)}>
                  {ruleInfo(r.ruleId, lang).name}
                </button>{' '}
                · {r.amountCents === null ? '—' : `${yuan(r.amountCents, lang)} ${t('triage.yuan')}`} · {t(`triage.states.${r.caseState}`)}
              </li>
            ))}
          </ul>
          <p className="hint">{t('triage.detail.relatedHint')}</p>
        </div>
      )}
      <DossierExport subject={{ fingerprint: detail.row.fingerprint }} label={t('exports.case')} />
      <FindingExports key={detail.row.fingerprint} fingerprint={detail.row.fingerprint} />
      <h3>{t('triage.detail.rule')}</h3>
      <p className="policy" data-testid="rule-description">
        {lang === 'en' ? rule.description.en : rule.description.zh}
      </p>
      {rule.basis.length > 0 && (
        <>
          <h4>{t('triage.detail.basis')}</h4>
          <ul className="plain basis" data-testid="rule-basis">
            {rule.basis.map((b, i) => (
              <li key={i}>{lang === 'en' ? b.en : b.zh}</li>
            ))}
          </ul>
        </>
      )}
      {rule.parameters.length > 0 && (
        <div data-testid="rule-parameters">
          <h4>{t('triage.detail.parameters')}</h4>
          <ul className="plain">
            {rule.parameters.map((p) => (
              <li key={p.name}>
                {lang === 'en' ? p.label.en : p.label.zh}
                {t('common.colon')}
                {lang === 'en' ? p.text.en : p.text.zh}
                {p.source.zh && <span className="hint">{t('triage.detail.parameterSource', { source: lang === 'en' ? p.source.en : p.source.zh })}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h3>{t('triage.detail.why')}</h3>
      <ul className="plain why" data-testid="why">
        {detail.explanation.summary.map((s, i) => (
          <li key={i}>{s}</li>
        ))}
      </ul>
      <table aria-label={t('triage.detail.evidence')} data-testid="evidence">
        <thead>
          <tr>
            <th scope="col">{t('triage.detail.source')}</th>
            <th scope="col">{t('triage.detail.record')}</th>
            <th scope="col">{t('triage.detail.values')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.explanation.rows.slice(0, 60).map((r, i) => (
            <tr key={i}>
              <td>{r.table}</td>
              <td className="mono">{r.key}</td>
              <td>
                {r.fields.map((f) => (
                  <span key={f.label} className="kv">
                    {f.label}
                    {t('common.colon')}
                    {f.value}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {detail.explanation.rows.length > 60 && <p className="hint">{t('triage.detail.more', { count: detail.explanation.rows.length - 60 })}</p>}
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
