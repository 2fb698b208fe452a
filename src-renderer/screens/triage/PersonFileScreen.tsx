import { Input, Popconfirm } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { DossierExport } from '../exports/DossierExport';
import { PersonAccessHistory } from '../audit/PersonAccessHistory';
import { ErrorNote } from '../../components/ErrorNote';
import { yuan } from '../../components/format';
import { programName } from '../../components/programName';
import { ruleInfo } from '../../components/ruleName';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useInboxStore } from '../../state/inbox-store';
import { useNavStore } from '../../state/nav-store';
import { useSessionStore } from '../../state/session-store';

type PersonFile = CallOutput<'person.file'>;

/**
 * 一人一档: who the person is (ID masked; "reveal" is a separate, audited call), their household and its members,
 * assistance now and before, payments, events from other departments, and every finding and case about them.
 */
export function PersonFileScreen() {
  const { t, i18n } = useTranslation();
  const { personRef, openPerson, back, go } = useNavStore();
  const openFinding = useInboxStore((s) => s.openFinding);
  const role = useSessionStore((s) => s.session?.role);
  const [file, setFile] = useState<PersonFile | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const reveal = useAsyncAction();
  useEffect(() => {
    // The screen is keyed by the reference, so a new person starts from empty state.
    if (!personRef) return;
    void call('person.file', { personRef }).then(setFile, setError);
    // The department records come in the session's language: asked again when it changes.
  }, [personRef, i18n.language]);
  const lang = i18n.language;
  if (!file) {
    return (
      <section aria-label={t('person.title')}>
        <button type="button" onClick={back}>
          ← {t('person.back')}
        </button>
        <ErrorNote error={error} />
        {!error && <p className="hint">{t('triage.loading')}</p>}
      </section>
    );
  }
  return (
    <section aria-labelledby="person-title" data-testid="person-file">
      <div className="row">
        <button type="button" onClick={back}>
          ← {t('person.back')}
        </button>
        <span className="hint">{t('person.asOf', { date: file.asOf })}</span>
        <DossierExport subject={{ personRef: file.personRef }} label={t('exports.person')} />
      </div>
      <h1 id="person-title">
        {t('person.title')}{t('common.colon')}{file.name}
      </h1>
      <div className="card">
        <dl className="facts">
          <dt>{t('person.idNumber')}</dt>
          <dd>
            <span className="mono" data-testid="person-id">
              {revealed ?? file.idLabel}
            </span>{' '}
            {!revealed && role !== 'finance' && (
              // The whole number is shown only with a stated reason (查询事由), which the audit entry records.
              <Popconfirm
                title={t('person.revealReasonTitle')}
                description={
                  <Input.TextArea aria-label={t('person.revealReason')} placeholder={t('person.revealReasonHint')} rows={2} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
                }
                okText={t('person.revealConfirm')}
                cancelText={t('common.cancel')}
                okButtonProps={{ disabled: reason.trim().length < 2 }}
                onConfirm={() => reveal.run(async () => setRevealed((await call('person.reveal', { personRef: file.personRef, reason: reason.trim() })).idNumber))}
              >
                <button type="button" className="link" disabled={reveal.busy}>
                  {t('person.reveal')}
                </button>
              </Popconfirm>
            )}
            {revealed && <span className="badge warn">{t('person.revealedAudited')}</span>}
          </dd>
          <dt>{t('person.gender')}</dt>
          <dd>{file.gender === '1' ? t('person.male') : file.gender === '2' ? t('person.female') : '—'}</dd>
          <dt>{t('person.birthDate')}</dt>
          <dd>{file.birthDate ?? '—'}</dd>
          <dt>{t('person.phone')}</dt>
          <dd className="mono">{file.phone ?? '—'}</dd>
        </dl>
        <ErrorNote error={reveal.error} />
      </div>
      {role === 'supervisor' && <PersonAccessHistory personRef={file.personRef} />}

      {file.households.map((h) => (
        <div className="card" key={h.householdId}>
          <h2>
            {t('person.household')} <span className="mono">{h.householdId}</span> · {h.divisionName ?? h.divisionCode}
          </h2>
          <p className="hint">{h.address}</p>
          <table aria-label={t('person.members')}>
            <thead>
              <tr>
                <th scope="col">{t('person.name')}</th>
                <th scope="col">{t('person.relation')}</th>
                <th scope="col">{t('person.idNumber')}</th>
                <th scope="col">{t('person.birthDate')}</th>
                <th scope="col">{t('person.programsNow')}</th>
              </tr>
            </thead>
            <tbody>
              {h.members.map((m) => (
                <tr key={m.personRef} className={m.deathDate ? 'warn' : ''}>
                  <td>
                    {m.self ? (
                      <strong>{m.name}</strong>
                    ) : (
                      <button type="button" className="link" onClick={() => openPerson(m.personRef)}>
                        {m.name}
                      </button>
                    )}
                    {m.deathDate && <span className="badge warn">{t('person.died', { date: m.deathDate })}</span>}
                  </td>
                  <td>{t(`person.relations.${m.relation ?? 'other'}`, { defaultValue: m.relation ?? '' })}</td>
                  <td className="mono">{m.idLabel}</td>
                  <td>{m.birthDate}</td>
                  <td>{m.activePrograms.map((p) => programName(p, lang)).join(t('explain.listSeparator')) || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}

      <div className="card">
        <h2>{t('person.assistance')}</h2>
        <table aria-label={t('person.assistance')}>
          <thead>
            <tr>
              <th scope="col">{t('person.program')}</th>
              <th scope="col">{t('person.status')}</th>
              <th scope="col">{t('person.period')}</th>
              <th scope="col" className="num">{t('person.monthly')}</th>
            </tr>
          </thead>
          <tbody>
            {file.enrollments.map((e) => (
              <tr key={e.enrollmentId}>
                <td>
                  {programName(e.program, lang)} {e.active && <span className="badge">{t('person.current')}</span>}
                </td>
                <td>{e.statusLabel}</td>
                <td>
                  {e.startDate} — {e.endDate ?? ''}
                </td>
                <td className="num">{yuan(e.monthlyAmountCents, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="card">
        <h2>{t('person.findings')}</h2>
        <ul className="plain" data-testid="person-findings">
          {file.findings.map((f) => (
            <li key={f.fingerprint}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  openFinding(f.fingerprint);
                  go('inbox');
                }}
              >
                {ruleInfo(f.ruleId, lang).name}
              </button>{' '}
              · {f.amountCents === null ? '—' : `${yuan(f.amountCents, lang)} ${t('triage.yuan')}`} · {t(`triage.states.${f.caseState}`)} · {t(`triage.change.${f.change}`)}
            </li>
          ))}
          {file.findings.length === 0 && <li className="hint">{t('person.noFindings')}</li>}
        </ul>
      </div>

      <div className="grid-2">
        <div className="card">
          <h2>{t('person.events')}</h2>
          <ol className="history" data-testid="person-events">
            {file.events.map((e, i) => (
              <li key={i}>
                <span className="mono">{e.date}</span> {t(`person.eventKinds.${e.kind}`)}{' '}
                <span className="hint">{e.fields.map((f) => `${f.label}${t('common.colon')}${f.value}`).join(' · ')}</span>
              </li>
            ))}
          </ol>
        </div>
        <div className="card">
          <h2>{t('person.payments')}</h2>
          <table aria-label={t('person.payments')}>
            <thead>
              <tr>
                <th scope="col">{t('person.period')}</th>
                <th scope="col">{t('person.program')}</th>
                <th scope="col" className="num">{t('person.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {file.payments.map((p, i) => (
                <tr key={i}>
                  <td className="mono">{p.period}</td>
                  <td>{programName(p.program, lang)}</td>
                  <td className="num">{yuan(p.amountCents, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
