import { Select, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, CallOutput } from '../../../src-main/contract/contract';
import { ENROL_PROGRAMS, NO_NEED_REASONS, NOT_ELIGIBLE_REASONS, PRIMARY_OUTCOMES, REFERRAL_DEPARTMENTS } from '../../../src-main/rules/catalogue';
import { call } from '../../api/client';
import { DateField } from '../../components/DateField';
import { ErrorNote } from '../../components/ErrorNote';
import { showTime, today } from '../../components/localTime';
import { useNavStore } from '../../state/nav-store';
import { useSessionStore } from '../../state/session-store';
import { BulkAssign, dueText, LEVEL_COLOURS } from './MonitoringScreen';

type Detail = CallOutput<'monitoring.detail'>;
type Command = CallInput<'monitoring.act'>['command'];

/** A warning: why it fired (each signal's evidence in sentences, its policy basis), its loop, and what may be done now. */
export function WarningDetail({ warningId, onChanged, onClose }: { warningId: string; onChanged(): void; onClose(): void }) {
  const { t } = useTranslation();
  const openPerson = useNavStore((s) => s.openPerson);
  const supervisor = useSessionStore((s) => s.session?.role === 'supervisor');
  const [d, setD] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => void call('monitoring.detail', { warningId }).then(setD, setError), [warningId]);
  useEffect(load, [load]);
  const act = async (command: Command) => {
    if (!d) return;
    setError(null);
    try {
      setD(await call('monitoring.act', { warningId, expectedHead: d.head, command }));
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  if (!d) return (
      <aside className="detail card">
        <ErrorNote error={error} />
      </aside>
    );
  const r = d.row;
  return (
    <aside className="detail card warning-detail" data-testid="warning-detail" aria-label={t('monitoring.screen.detail')}>
      <div className="detail-head">
        <h2>
          <Tag color={LEVEL_COLOURS[r.level]}>{t(`monitoring.levels.${r.level}`)}</Tag> {r.headName ?? ''} <span className="hint mono">{r.headLabel ?? ''}</span>
        </h2>
        <button type="button" className="link" onClick={onClose} aria-label={t('monitoring.screen.close')}>
          ×
        </button>
      </div>
      <p>
        {r.divisionName ?? ''} · {t(`monitoring.states.${r.state}`)} · <span className={r.overdue ? 'overdue' : ''}>{dueText(r, t)}</span>
        {r.assigneeName ? ` · ${t('monitoring.screen.assignedTo', { name: r.assigneeName })}` : ''}
      </p>
      <p className="hint">
        {t('monitoring.screen.deadlines', { pushed: showTime(r.pushedAt), visit: r.visitDue ?? '—', decide: r.decideDue ?? '—' })}
        {r.layers.length ? ` · ${t('monitoring.screen.layers', { layers: r.layers.map((l) => t(`monitoring.layers.${l}`)).join(t('explain.listSeparator')) })}` : ` · ${t('monitoring.screen.notMonitored')}`}
      </p>
      {r.personRef && (
        <button type="button" className="link" onClick={() => openPerson(r.personRef!)}>
          {t('monitoring.screen.openFile')}
        </button>
      )}
      <h3>{t('monitoring.screen.why')}</h3>
      {d.signals.map((s) => (
        <section key={s.signal} className="why-signal">
          <h4>
            {t('explain.words.aside', { what: s.name, detail: s.cause })}
          </h4>
          {s.hits.map((h, i) => (
            <div key={i} className={h.firing ? 'hit' : 'hit cleared'}>
              <Tag color={LEVEL_COLOURS[h.level]}>{t(`monitoring.levelsShort.${h.level}`)}</Tag>
              {!h.firing && <Tag>{t('monitoring.screen.cleared')}</Tag>}
              {h.sentences.map((x, j) => (
                <p key={j}>{x}</p>
              ))}
            </div>
          ))}
          <details>
            <summary>{t('monitoring.screen.basis')}</summary>
            <p className="hint">{s.description}</p>
            <ul>
              {s.basis.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          </details>
        </section>
      ))}

      <h3>{t('monitoring.screen.loop')}</h3>
      {d.visit && (
        <p data-testid="visit-record">
          {t('monitoring.screen.visitRecord', { date: d.visit.date, visitors: d.visit.visitors, by: d.visit.byName })}
          {t('common.colon')}
          {d.visit.income || d.visit.needs ? d.visit.situation.replace(/[。；;.]+$/, '') : d.visit.situation}
          {d.visit.income ? `${t('explain.words.itemSeparator')}${t('monitoring.screen.visitIncome')}${t('common.colon')}${d.visit.income}` : ''}
          {d.visit.needs ? `${t('explain.words.itemSeparator')}${t('monitoring.screen.visitNeeds')}${t('common.colon')}${d.visit.needs}` : ''}
        </p>
      )}
      {d.decision && <p data-testid="decision-record">{t('monitoring.screen.decisionRecord', { outcome: d.decisionText, by: d.decision.byName, time: showTime(d.decision.at) })}</p>}
      {supervisor && d.next.includes('assign') && (
        <BulkAssign
          ids={[warningId]}
          title={t('monitoring.screen.assignOne')}
          onDone={() => {
            load();
            onChanged();
          }}
        />
      )}
      {d.next.includes('visit') && <VisitForm onSubmit={(visit) => void act({ kind: 'visit', visit })} />}
      {(d.next.includes('decide') || (d.fourEyes && r.state === 'visited')) && (
        <DecideForm fourEyesBlocked={!d.next.includes('decide')} onSubmit={(decision) => void act({ kind: 'decide', decision })} />
      )}
      {d.next.includes('feed_back') && <FeedBackForm onSubmit={(to, note) => void act({ kind: 'feed_back', to, ...(note ? { note } : {}) })} />}
      {/* A refusal is shown right under the form the user sent, in their words (why, and what to do first). */}
      <ErrorNote error={error} />

      <h3>{t('monitoring.screen.history')}</h3>
      <ol className="history">
        {d.history.map((h, i) => (
          <li key={i}>
            <span className="mono">{showTime(h.at)}</span> {h.actorName}
            {t('common.colon')}
            {h.text}
          </li>
        ))}
      </ol>
    </aside>
  );
}

function VisitForm({ onSubmit }: { onSubmit(v: { date: string; visitors: string; situation: string; income: string; needs: string }): void }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ date: today(), visitors: '', situation: '', income: '', needs: '' });
  return (
    <form
      className="loop-form"
      aria-label={t('monitoring.screen.visitTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(v);
      }}
    >
      <h4>{t('monitoring.screen.visitTitle')}</h4>
      <DateField label={t('monitoring.screen.visitDate')} value={v.date} onChange={(date) => setV({ ...v, date })} />
      <label>
        {t('monitoring.screen.visitors')}
        <input required value={v.visitors} onChange={(e) => setV({ ...v, visitors: e.target.value })} />
      </label>
      <label>
        {t('monitoring.screen.situation')}
        <textarea required value={v.situation} onChange={(e) => setV({ ...v, situation: e.target.value })} />
      </label>
      <label>
        {t('monitoring.screen.visitIncome')}
        <input value={v.income} onChange={(e) => setV({ ...v, income: e.target.value })} />
      </label>
      <label>
        {t('monitoring.screen.visitNeeds')}
        <input value={v.needs} onChange={(e) => setV({ ...v, needs: e.target.value })} />
      </label>
      <button type="submit">{t('monitoring.screen.recordVisit')}</button>
    </form>
  );
}

type Decision = CallInput<'monitoring.act'>['command'] extends infer C ? (C extends { kind: 'decide'; decision: infer D } ? D : never) : never;

function DecideForm({ onSubmit, fourEyesBlocked }: { onSubmit(d: Decision): void; fourEyesBlocked: boolean }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<(typeof PRIMARY_OUTCOMES)[number] | null>(null);
  const [program, setProgram] = useState<(typeof ENROL_PROGRAMS)[number] | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [departments, setDepartments] = useState<(typeof REFERRAL_DEPARTMENTS)[number][]>([]);
  const [note, setNote] = useState('');
  const reasons = outcome === 'not_eligible' ? NOT_ELIGIBLE_REASONS : outcome === 'no_need' ? NO_NEED_REASONS : [];
  return (
    <form
      className="loop-form"
      aria-label={t('monitoring.screen.decideTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        if (!outcome) return;
        onSubmit({ outcome, departments, ...(program && outcome === 'enrolled' ? { program } : {}), ...(reason && reasons.length ? { reason } : {}), ...(note.trim() ? { note } : {}) } as Decision);
      }}
    >
      <h4>{t('monitoring.screen.decideTitle')}</h4>
      {fourEyesBlocked && <p className="hint">{t('monitoring.refusals.four_eyes')}</p>}
      <div role="radiogroup" aria-label={t('monitoring.screen.outcome')} className="row wrap">
        {PRIMARY_OUTCOMES.map((o) => (
          <label key={o}>
            <input type="radio" name="outcome" checked={outcome === o} onChange={() => { setOutcome(o); setReason(null); }} /> {t(`monitoring.outcomes.${o}`)}
          </label>
        ))}
      </div>
      {outcome === 'enrolled' && (
        <Select aria-label={t('monitoring.screen.program')} placeholder={t('monitoring.screen.program')} value={program ?? undefined} onChange={setProgram} options={ENROL_PROGRAMS.map((p) => ({ value: p, label: t(`monitoring.programs.${p}`) }))} />
      )}
      {reasons.length > 0 && (
        <Select aria-label={t('monitoring.screen.reason')} placeholder={t('monitoring.screen.reason')} value={reason ?? undefined} onChange={setReason} options={reasons.map((x) => ({ value: x, label: t(`monitoring.reasons.${outcome}.${x}`) }))} />
      )}
      <Select
        mode="multiple"
        aria-label={t('monitoring.screen.departments')}
        placeholder={t('monitoring.screen.departments')}
        value={departments}
        onChange={setDepartments}
        options={REFERRAL_DEPARTMENTS.map((x) => ({ value: x, label: t(`monitoring.departments.${x}`) }))}
      />
      <label>
        {t('monitoring.screen.note')}
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" disabled={!outcome || fourEyesBlocked}>
        {t('monitoring.screen.recordDecision')}
      </button>
    </form>
  );
}

function FeedBackForm({ onSubmit }: { onSubmit(to: string, note: string): void }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  return (
    <form
      className="loop-form"
      aria-label={t('monitoring.screen.feedBackTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(to, note);
      }}
    >
      <h4>{t('monitoring.screen.feedBackTitle')}</h4>
      <label>
        {t('monitoring.screen.feedBackTo')}
        <input value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <label>
        {t('monitoring.screen.note')}
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit">{t('monitoring.screen.feedBack')}</button>
    </form>
  );
}
