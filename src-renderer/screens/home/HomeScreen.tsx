import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HomeSummary } from '../../../src-main/contract/schemas';
import { snapshotName } from '../../../src-main/domain/snapshot-name.js';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { programName } from '../../components/programName';
import { useSessionStore } from '../../state/session-store';
import { AdminHome } from './AdminHome';
import { KeyHolders } from './KeyHolders';
import { PendingMembers } from './PendingMembers';
import { useDivisionLabel } from '../../components/DivisionPicker';
import { Choice } from '../../components/Choice';

export function HomeScreen() {
  const role = useSessionStore((s) => s.session?.role);
  return role === 'admin' ? <AdminHome /> : <StaffHome />;
}

/** Auditors, supervisors and finance staff: the snapshot they work on and the figures inside their scope. */
function StaffHome() {
  const { t, i18n } = useTranslation();
  const scope = useSessionStore((s) => s.session?.scope ?? []);
  // Divisions by name, the code beside it: 浦口区（320111）.
  const divisionLabel = useDivisionLabel();
  const role = useSessionStore((s) => s.session?.role);
  const [divisionPrefix, setDivisionPrefix] = useState('');
  const [summary, setSummary] = useState<HomeSummary | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    call('home.summary', divisionPrefix ? { divisionPrefix } : {})
      .then((s) => current && (setSummary(s), setError(null)))
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [divisionPrefix]);

  const number = new Intl.NumberFormat(i18n.language);
  const snapshot = summary?.snapshot;
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      <ErrorNote error={error} />
      <div className="grid-2">
        <article className="card" aria-label={t('home.snapshot')}>
          <h2>
            {t('home.snapshot')} {snapshot?.source === 'demo' && <span className="badge">{t('app.demoBadge')}</span>}
          </h2>
          {snapshot ? (
            <dl className="facts">
              <dt>{t('home.snapshotId')}</dt>
              <dd data-testid="snapshot-id">{snapshotName(snapshot.snapshotId, i18n.language)}</dd>
              <dt>{t('home.asOf')}</dt>
              <dd data-testid="snapshot-as-of">{snapshot.asOf}</dd>
              <dt>{t('home.jurisdiction')}</dt>
              <dd>
                {snapshot.jurisdiction
                  .map((prefix) => {
                    const name = summary.jurisdictionNames.find((j) => j.prefix === prefix)?.name;
                    return name ? t('explain.words.division', { name, code: prefix }) : divisionLabel(prefix);
                  })
                  .join(t('explain.listSeparator'))}
              </dd>
              <dt>{t('home.source')}</dt>
              <dd>{t(`home.sources.${snapshot.source}`)}</dd>
            </dl>
          ) : (
            <p>{summary ? t('home.noSnapshot') : t('common.loading')}</p>
          )}
        </article>
        <article className="card">
          <h2>{t('home.scope')}</h2>
          <p>{scope.map(divisionLabel).join(t('explain.listSeparator'))}</p>
          <Choice
            field
            label={t('home.division')}
            value={divisionPrefix}
            options={[
              { value: '', label: t('home.wholeScope') },
              ...(summary?.divisions.map((d) => {
                const code = d.code.endsWith('000') ? d.code.slice(0, 9) : d.code;
                return { value: code, label: t('explain.words.division', { name: d.name, code }) };
              }) ?? []),
            ]}
            onChange={setDivisionPrefix}
          />
        </article>
      </div>
      {summary && (
        <article className="card" aria-labelledby="counts-title">
          <h2 id="counts-title">{t('home.counts')}</h2>
          <div className="stats">
            <Stat label={t('home.persons')} value={number.format(summary.counts.persons)} />
            <Stat label={t('home.households')} value={number.format(summary.counts.households)} />
            <Stat label={t('home.activeEnrollments')} value={number.format(summary.counts.activeEnrollments)} />
          </div>
          <h3>{t('home.byProgram')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('home.program')}</th>
                <th scope="col" className="num">
                  {t('home.personsCount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.counts.byProgram.map((p) => (
                <tr key={p.program}>
                  <td>{programName(p.program, i18n.language)}</td>
                  <td className="num">{number.format(p.persons)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      )}
      {role === 'supervisor' && <PendingMembers />}
      {role === 'supervisor' && <KeyHolders />}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}
