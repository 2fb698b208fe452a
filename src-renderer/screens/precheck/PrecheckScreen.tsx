import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrecheckResultView } from '../../../src-main/contract/schemas';
import type { ProgramCode } from '../../../src-main/domain/programs';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { DivisionPicker } from '../../components/DivisionPicker';
import { ProgramSelect } from '../../components/ProgramSelect';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { dueText, signalName } from '../monitoring/MonitoringScreen';

const OUTCOME_CLASS = { pass: 'ok', fail: 'warn', undetermined: 'caution', invalid_input: 'warn' } as const;

/** The policy a refusal rests on (a rule's basis, in the user's language), when the service names one. */
function basisOf(details: Record<string, unknown> | undefined, language: string): string {
  const basis = details?.basis as { zh?: string; en?: string } | undefined;
  return (language.startsWith('zh') ? basis?.zh : basis?.en) ?? '';
}

/** 在线申请预审: one applicant household — passed, failed with reasons, or undecidable — in milliseconds. */
export function PrecheckScreen() {
  const { t, i18n } = useTranslation();
  const scope = useSessionStore((s) => s.session?.scope ?? []);
  // Those who work the monitoring loop see the household's open warnings; finance staff do not.
  const worksLoop = useSessionStore((s) => s.session?.role === 'auditor' || s.session?.role === 'supervisor');
  const [form, setForm] = useState({ ids: '', program: 'dibao' as ProgramCode, divisionCode: scope[0]?.padEnd(12, '0').slice(0, 12) ?? '' });
  const [result, setResult] = useState<PrecheckResultView | null>(null);
  const { busy, error, run } = useAsyncAction();
  const yuan = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 2 });

  function submit(e: FormEvent) {
    e.preventDefault();
    const personIds = form.ids.split(/[\s,，]+/).filter(Boolean);
    void run(async () => setResult(await call('precheck.household', { personIds, program: form.program, divisionCode: form.divisionCode })));
  }

  return (
    <section aria-labelledby="precheck-title">
      <h1 id="precheck-title">{t('precheck.title')}</h1>
      <p>{t('precheck.intro')}</p>
      <div className="grid-2">
        <form className="card" onSubmit={submit} aria-label={t('precheck.title')}>
          <label className="field">
            <span>{t('precheck.ids')}</span>
            <textarea rows={5} className="mono" value={form.ids} required onChange={(e) => setForm({ ...form, ids: e.target.value })} />
          </label>
          <ProgramSelect label={t('precheck.program')} value={form.program} onChange={(program) => program && setForm({ ...form, program })} />
          <label className="field">
            <span>{t('precheck.division')}</span>
            <DivisionPicker label={t('precheck.division')} leafOnly value={form.divisionCode || undefined} onChange={(p) => setForm({ ...form, divisionCode: p ?? '' })} />
          </label>
          <ErrorNote error={error} />
          <button type="submit" className="primary" disabled={busy}>
            {t('precheck.run')}
          </button>
        </form>
        {result && (
          <div className="card" role="status" data-testid="precheck-result">
            <h2 className={OUTCOME_CLASS[result.outcome]} data-outcome={result.outcome}>
              {t(`precheck.outcomes.${result.outcome}`)}
            </h2>
            <p>{t(`precheck.outcomeHints.${result.outcome}`)}</p>
            {result.inputProblems.length > 0 && (
              <ul>
                {result.inputProblems.map((p) => (
                  <li key={p.position}>{t('precheck.inputProblem', { position: p.position, masked: p.masked, problem: t(`precheck.problems.${p.problem}`) })}</li>
                ))}
              </ul>
            )}
            {result.reasons.length > 0 && (
              <>
                <h3>{t('precheck.reasonsTitle')}</h3>
                <ul>
                  {result.reasons.map((r, i) => (
                    <li key={i}>
                      {t(`precheck.reasons.${r.code}`)}
                      {r.personId && ` · ${t('precheck.member', { masked: r.personId })}`}
                      {basisOf(r.details, i18n.language) && <span className="hint">{` · ${t('precheck.basis', { basis: basisOf(r.details, i18n.language) })}`}</span>}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {result.figures && (
              <p>
                {t('precheck.figures', {
                  members: result.figures.members,
                  months: result.figures.months,
                  income: yuan.format(result.figures.incomeCents12m / 100),
                  threshold: yuan.format(result.figures.thresholdCents / 100),
                })}
              </p>
            )}
            {worksLoop && result.outcome !== 'invalid_input' && (
              <div data-testid="precheck-warnings">
                <h3>{t('precheck.warningsTitle')}</h3>
                {result.warnings.length === 0 ? (
                  <p className="muted">{t('precheck.noWarnings')}</p>
                ) : (
                  <ul>
                    {result.warnings.map((w) => (
                      <li key={w.warningId} data-level={w.level}>
                        <strong className={w.level === 'red' ? 'warn' : w.level === 'orange' ? 'caution' : undefined}>{t(`monitoring.levels.${w.level}`)}</strong>
                        {` · ${w.signals.map((s) => signalName(s, i18n.language)).join(t('explain.listSeparator'))} · ${t(`monitoring.states.${w.state}`)} · ${dueText(w, t)}`}
                      </li>
                    ))}
                  </ul>
                )}
                <p className="hint">{t('precheck.warningsHint')}</p>
              </div>
            )}
            <p className="hint">{t('precheck.took', { ms: result.ms.toFixed(1), asOf: result.asOf })}</p>
          </div>
        )}
      </div>
    </section>
  );
}
