import { App, Button, Popconfirm, Select } from 'antd';
import { DateField } from '../../components/DateField';
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
import { Choice } from '../../components/Choice';

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
  const { message } = App.useApp();
  // A dismissal needs a reason the user chose: nothing is preselected.
  const [reason, setReason] = useState<(typeof DISMISS_REASONS)[number] | null>(null);
  const [note, setNote] = useState('');
  const [verification, setVerification] = useState({ method: 'home_visit' as (typeof METHODS)[number], date: today(), verifiedBy: session?.displayName ?? '', result: 'confirms' as (typeof RESULTS)[number], note: '' });
  const [outcome, setOutcome] = useState({ benefit: 'stopped' as (typeof BENEFITS)[number], toRecover: detail.row.amountCents ? String(detail.row.amountCents / 100) : '0', recovered: '0', date: today() });
  const c = detail.case;
  const worker = session?.role === 'auditor' || session?.role === 'supervisor';
  const supervisor = session?.role === 'supervisor';
  // The finding a toast names: its rule and subject, as the inbox shows them.
  const subject = `${i18n.language === 'en' ? detail.rule.name.en : detail.rule.name.zh} · ${detail.row.subjectName ?? detail.row.subjectLabel}`;
  const act = (command: CaseCommandInput) =>
    run(async () => {
      const result = await call('case.act', { fingerprint, expectedHead: c.head, command });
      onChange(result);
      const done = toastKey(command, result.case.pending !== null);
      if (done) void message.success(t(`triage.case.done.${done}`, { subject }));
    });
  const moveLabel = (to: string) => ((c.state === 'closed' || c.state === 'dismissed' || c.state === 'confirmed') && to === 'in_review' ? t('triage.case.reopen') : t(`triage.case.to.${to}`));
  // Reopening a closed case is a supervisor's decision.
  const moves = c.state === 'closed' && !supervisor ? [] : detail.next;
  const cents = (yuanText: string) => Math.round(Number(yuanText || '0') * 100);

  return (
    <section className="case" aria-labelledby="case-title" data-testid="case-panel">
      <h3 id="case-title">
        {t('triage.case.title')}{t('common.colon')}<span data-testid="case-state">{c.pending ? t('triage.case.pendingState') : t(`triage.states.${c.state}`)}</span>
        {c.pending && <span className="badge warn">{t('triage.case.pendingFor', { to: t(`triage.case.proposed.${c.pending.to}`), by: c.pending.byName })}</span>}
        {c.reasonCode && c.state === 'dismissed' && <span className="badge">{t(`triage.reasons.${c.reasonCode}`)}</span>}
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
      {worker && !c.pending && !c.conflict && moves.length > 0 && (
        <div className="row wrap-row" aria-label={t('triage.case.moves')}>
          {moves.map((to) => {
            const command: CaseCommandInput = { kind: 'transition', to, ...(to === 'dismissed' && reason ? { reasonCode: reason } : {}), ...(note ? { note } : {}) };
            // Closing and dismissing are asked twice: they end the work on the finding.
            if (to === 'closed' || to === 'dismissed') {
              const title = to === 'closed' ? t('triage.case.confirmClose', { subject }) : t('triage.case.confirmDismiss', { subject, reason: reason ? t(`triage.reasons.${reason}`) : '' });
              return (
                <Popconfirm key={to} title={title} okText={moveLabel(to)} cancelText={t('common.cancel')} onConfirm={() => act(command)} disabled={busy || (to === 'dismissed' && !reason)}>
                  <Button disabled={busy || (to === 'dismissed' && !reason)}>{moveLabel(to)}</Button>
                </Popconfirm>
              );
            }
            return (
              <Button key={to} type={to === 'confirmed' ? 'primary' : 'default'} disabled={busy} onClick={() => void act(command)}>
                {moveLabel(to)}
              </Button>
            );
          })}
          {moves.includes('dismissed') && (
            <Select
              aria-label={t('triage.case.reason')}
              placeholder={t('triage.case.reasonPlaceholder')}
              value={reason}
              onChange={(r) => setReason(r)}
              style={{ minWidth: 220 }}
              popupMatchSelectWidth={false}
              options={DISMISS_REASONS.map((r) => ({ value: r, label: t(`triage.reasons.${r}`) }))}
            />
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
            <DateField label={t('triage.columns.due')} value={c.dueDate ?? ''} onChange={(date) => void act({ kind: 'set_due', dueDate: date || null })} />
          </div>
        </div>
      )}
      {worker && c.state !== 'closed' && (
        <fieldset data-testid="verification-form">
          <legend>{t('triage.case.verification')}</legend>
          <div className="row wrap-row">
            <Choice<(typeof METHODS)[number]> label={t('triage.case.method')} value={verification.method} options={METHODS.map((m) => ({ value: m, label: t(`triage.methods.${m}`) }))} onChange={(method) => setVerification({ ...verification, method })} />
            <DateField label={t('triage.case.verifiedOn')} value={verification.date} onChange={(date) => setVerification({ ...verification, date })} />
            <input aria-label={t('triage.case.verifiedBy')} placeholder={t('triage.case.verifiedBy')} value={verification.verifiedBy} onChange={(e) => setVerification({ ...verification, verifiedBy: e.target.value })} />
            <Choice<(typeof RESULTS)[number]> label={t('triage.case.result')} value={verification.result} options={RESULTS.map((r) => ({ value: r, label: t(`triage.results.${r}`) }))} onChange={(result) => setVerification({ ...verification, result })} />
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
            <Choice<(typeof BENEFITS)[number]> label={t('triage.case.benefit')} value={outcome.benefit} options={BENEFITS.map((b) => ({ value: b, label: t(`triage.benefits.${b}`) }))} onChange={(benefit) => setOutcome({ ...outcome, benefit })} />
            <label className="check">
              {t('triage.case.toRecover')}
              <input type="number" min={0} step="0.01" value={outcome.toRecover} onChange={(e) => setOutcome({ ...outcome, toRecover: e.target.value })} />
            </label>
            <label className="check">
              {t('triage.case.recovered')}
              <input type="number" min={0} step="0.01" value={outcome.recovered} onChange={(e) => setOutcome({ ...outcome, recovered: e.target.value })} />
            </label>
            <DateField label={t('triage.case.outcomeDate')} value={outcome.date} onChange={(date) => setOutcome({ ...outcome, date })} />
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
            {e.text && `${t('common.colon')}${e.text}`}
          </li>
        ))}
      </ol>
    </section>
  );
}


/** Which toast a command earns (the object is named in it); null for the small ones (notes, assignment, due date). */
function toastKey(command: CaseCommandInput, pending: boolean): string | null {
  if (pending && command.kind === 'transition') return 'requested';
  if (command.kind === 'transition') return command.to;
  if (command.kind === 'approve' || command.kind === 'reject' || command.kind === 'verify' || command.kind === 'record_outcome' || command.kind === 'resolve_conflict') return command.kind;
  return null;
}
