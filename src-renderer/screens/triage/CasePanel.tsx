import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import type { CaseCommandInput } from '../../../src-main/contract/triage-schemas';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { yuan } from '../../components/format';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { AssigneeSelect } from './AssigneeSelect';
import { DISMISS_REASONS } from './BulkBar';
import { showTime, today } from '../../components/localTime';

type Detail = CallOutput<'finding.detail'>;
type CaseResult = CallOutput<'case.act'>;
const METHODS = ['home_visit', 'document_check', 'phone_call', 'department_confirmation'] as const;
const RESULTS = ['confirms', 'refutes', 'inconclusive'] as const;
const BENEFITS = ['stopped', 'adjusted', 'continued'] as const;

/**
 * The case on a finding: its state and the moves allowed from it, verification (nothing is confirmed without one),
 * the outcome, four-eyes approval, assignment, due date, notes and the full history.
 */
export function CasePanel({ fingerprint, detail, onChange }: { fingerprint: string; detail: Detail; onChange(result: CaseResult): void }) {
  const { t, i18n } = useTranslation();
  const session = useSessionStore((s) => s.session);
  const { busy, error, run } = useAsyncAction();
  const [reason, setReason] = useState<(typeof DISMISS_REASONS)[number]>('data_error');
  const [note, setNote] = useState('');
  const [verification, setVerification] = useState({ method: 'home_visit' as (typeof METHODS)[number], date: today(), verifiedBy: session?.displayName ?? '', result: 'confirms' as (typeof RESULTS)[number], note: '' });
  const [outcome, setOutcome] = useState({ benefit: 'stopped' as (typeof BENEFITS)[number], toRecover: detail.row.amountCents ? String(detail.row.amountCents / 100) : '0', recovered: '0', date: today() });
  const c = detail.case;
  const worker = session?.role === 'auditor' || session?.role === 'supervisor';
  const supervisor = session?.role === 'supervisor';
  const act = (command: CaseCommandInput) =>
    run(async () => {
      onChange(await call('case.act', { fingerprint, expectedHead: c.head, command }));
    });
  const cents = (yuanText: string) => Math.round(Number(yuanText || '0') * 100);

  return (
    <section className="case" aria-labelledby="case-title" data-testid="case-panel">
      <h3 id="case-title">
        {t('triage.case.title')}: <span data-testid="case-state">{t(`triage.states.${c.state}`)}</span>
        {c.pending && <span className="badge warn">{t('triage.case.pendingFor', { to: t(`triage.states.${c.pending.to}`), by: c.pending.byName })}</span>}
        {c.reasonCode && <span className="badge">{t(`triage.reasons.${c.reasonCode}`)}</span>}
      </h3>
      <ErrorNote error={error} />
      {c.conflict && (
        <div className="error-note" role="alert">
          {t('triage.case.conflictText', { states: c.conflict.states.map((s) => t(`triage.states.${s}`)).join(' / ') })}
          {supervisor && (
            <div className="row">
              {[...new Set(c.conflict.states)].map((s) => (
                <button key={s} type="button" disabled={busy} onClick={() => void act({ kind: 'resolve_conflict', state: s as never, note: note || t('triage.case.resolvedNote') })}>
                  {t('triage.case.keep', { state: t(`triage.states.${s}`) })}
                </button>
              ))}
            </div>
          )}
        </div>
      )}
      {worker && !c.pending && !c.conflict && (
        <div className="row wrap-row" aria-label={t('triage.case.moves')}>
          {detail.next.map((to) => (
            <button key={to} type="button" className={to === 'confirmed' ? 'primary' : ''} disabled={busy} onClick={() => void act({ kind: 'transition', to, ...(to === 'dismissed' ? { reasonCode: reason } : {}), ...(note ? { note } : {}) })}>
              {t(`triage.case.to.${to}`)}
            </button>
          ))}
          {detail.next.includes('dismissed') && (
            <select aria-label={t('triage.case.reason')} value={reason} onChange={(e) => setReason(e.target.value as (typeof DISMISS_REASONS)[number])}>
              {DISMISS_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`triage.reasons.${r}`)}
                </option>
              ))}
            </select>
          )}
        </div>
      )}
      {(detail.row.amountCents ?? 0) >= detail.approvalThresholdCents && !c.pending && c.state !== 'confirmed' && c.state !== 'dismissed' && c.state !== 'closed' && (
        <p className="hint">{t('triage.case.fourEyes', { amount: yuan(detail.approvalThresholdCents, i18n.language) })}</p>
      )}
      {supervisor && c.pending && (
        <div className="row">
          <button type="button" className="primary" disabled={busy || c.pending.byId === session?.userId} onClick={() => void act({ kind: 'approve', ...(note ? { note } : {}) })}>
            {t('triage.case.approve')}
          </button>
          <button type="button" disabled={busy || !note.trim()} onClick={() => void act({ kind: 'reject', note })}>
            {t('triage.case.reject')}
          </button>
          {c.pending.byId === session?.userId && <span className="hint">{t('triage.case.ownDecision')}</span>}
        </div>
      )}
      {worker && (
        <div className="field">
          <label htmlFor="case-note">{t('triage.case.note')}</label>
          <textarea id="case-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="row">
            <button type="button" disabled={busy || !note.trim()} onClick={() => void act({ kind: 'note', text: note.trim() }).then(() => setNote(''))}>
              {t('triage.case.addNote')}
            </button>
            <AssigneeSelect value={c.assigneeId ?? ''} onChange={(id) => void act({ kind: 'assign', assigneeId: id || null })} />
            <input type="date" aria-label={t('triage.columns.due')} value={c.dueDate ?? ''} onChange={(e) => void act({ kind: 'set_due', dueDate: e.target.value || null })} />
          </div>
        </div>
      )}
      {worker && c.state !== 'closed' && (
        <fieldset data-testid="verification-form">
          <legend>{t('triage.case.verification')}</legend>
          <div className="row wrap-row">
            <select aria-label={t('triage.case.method')} value={verification.method} onChange={(e) => setVerification({ ...verification, method: e.target.value as (typeof METHODS)[number] })}>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {t(`triage.methods.${m}`)}
                </option>
              ))}
            </select>
            <input type="date" aria-label={t('triage.case.verifiedOn')} value={verification.date} onChange={(e) => setVerification({ ...verification, date: e.target.value })} />
            <input aria-label={t('triage.case.verifiedBy')} placeholder={t('triage.case.verifiedBy')} value={verification.verifiedBy} onChange={(e) => setVerification({ ...verification, verifiedBy: e.target.value })} />
            <select aria-label={t('triage.case.result')} value={verification.result} onChange={(e) => setVerification({ ...verification, result: e.target.value as (typeof RESULTS)[number] })}>
              {RESULTS.map((r) => (
                <option key={r} value={r}>
                  {t(`triage.results.${r}`)}
                </option>
              ))}
            </select>
            <button type="button" disabled={busy || !verification.verifiedBy.trim()} onClick={() => void act({ kind: 'verify', verification: { ...verification, verifiedBy: verification.verifiedBy.trim() } })}>
              {t('triage.case.recordVerification')}
            </button>
          </div>
        </fieldset>
      )}
      {c.verifications.length > 0 && (
        <ul className="plain" aria-label={t('triage.case.verifications')}>
          {c.verifications.map((v, i) => (
            <li key={i}>
              {v.date} · {t(`triage.methods.${v.method}`)} · {v.verifiedBy} · {t(`triage.results.${v.result}`)} {v.note}
            </li>
          ))}
        </ul>
      )}
      {worker && (c.state === 'confirmed' || c.state === 'closed' || c.pending?.to === 'confirmed') && (
        <fieldset data-testid="outcome-form">
          <legend>{t('triage.case.outcome')}</legend>
          <div className="row wrap-row">
            <select aria-label={t('triage.case.benefit')} value={outcome.benefit} onChange={(e) => setOutcome({ ...outcome, benefit: e.target.value as (typeof BENEFITS)[number] })}>
              {BENEFITS.map((b) => (
                <option key={b} value={b}>
                  {t(`triage.benefits.${b}`)}
                </option>
              ))}
            </select>
            <label className="check">
              {t('triage.case.toRecover')}
              <input type="number" min={0} step="0.01" value={outcome.toRecover} onChange={(e) => setOutcome({ ...outcome, toRecover: e.target.value })} />
            </label>
            <label className="check">
              {t('triage.case.recovered')}
              <input type="number" min={0} step="0.01" value={outcome.recovered} onChange={(e) => setOutcome({ ...outcome, recovered: e.target.value })} />
            </label>
            <input type="date" aria-label={t('triage.case.outcomeDate')} value={outcome.date} onChange={(e) => setOutcome({ ...outcome, date: e.target.value })} />
            <button
              type="button"
              disabled={busy}
              onClick={() => void act({ kind: 'record_outcome', outcome: { benefit: outcome.benefit, toRecoverCents: cents(outcome.toRecover), recoveredCents: cents(outcome.recovered), date: outcome.date } })}
            >
              {t('triage.case.recordOutcome')}
            </button>
          </div>
        </fieldset>
      )}
      {c.outcome && (
        <p data-testid="case-outcome">
          {t(`triage.benefits.${c.outcome.benefit}`)} · {t('triage.case.toRecover')} {yuan(c.outcome.toRecoverCents, i18n.language)} · {t('triage.case.recovered')}{' '}
          {yuan(c.outcome.recoveredCents, i18n.language)} · {c.outcome.date}
        </p>
      )}
      <h3>{t('triage.case.history')}</h3>
      <ol className="history" data-testid="case-history">
        {detail.events.map((e) => (
          <li key={e.eventId}>
            <span className="mono">{showTime(e.at)}</span> {e.actorName} · {t(`triage.events.${e.kind}`)}
            {describe(e.body, t)}
          </li>
        ))}
      </ol>
    </section>
  );
}

function describe(body: Record<string, unknown>, t: (k: string, o?: Record<string, unknown>) => string): string {
  const parts: string[] = [];
  if (typeof body.to === 'string') parts.push(t(`triage.states.${body.to}`));
  if (typeof body.state === 'string') parts.push(t(`triage.states.${body.state}`));
  if (typeof body.reasonCode === 'string') parts.push(t(`triage.reasons.${body.reasonCode}`));
  if (typeof body.assigneeName === 'string') parts.push(body.assigneeName);
  if (typeof body.dueDate === 'string') parts.push(body.dueDate);
  if (typeof body.text === 'string') parts.push(body.text);
  if (typeof body.note === 'string' && body.note) parts.push(body.note);
  return parts.length ? `: ${parts.join(' · ')}` : '';
}
