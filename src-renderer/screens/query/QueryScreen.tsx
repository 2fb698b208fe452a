import { Empty } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MultiQueryResultView, MultiQueryView } from '../../../src-main/contract/schemas';
import type { ProgramCode } from '../../../src-main/domain/programs';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { programName, PROGRAM_CODES } from '../../components/programName';
import { useAsyncAction } from '../../components/useAsyncAction';
import { ProgramSelect } from '../../components/ProgramSelect';
import { FieldConditions, OwnRuleCard } from './OwnRuleCard';
import { useNavStore } from '../../state/nav-store';

const EXAMPLE: MultiQueryView = { programs: ['child_difficulty'], householdProgram: 'dibao', disabilityLevels: [2] };

/** 多维查询: building blocks from the dictionaries, never free SQL; counts by street and the list behind them. */
export function QueryScreen() {
  const { t, i18n } = useTranslation();
  const openPerson = useNavStore((s) => s.openPerson);
  const [query, setQuery] = useState<MultiQueryView>({});
  const [result, setResult] = useState<MultiQueryResultView | null>(null);
  const [saved, setSaved] = useState<{ name: string; query: MultiQueryView }[]>([]);
  const [name, setName] = useState('');
  const { busy, error, run } = useAsyncAction();
  useEffect(() => {
    call('query.saved', {}).then(setSaved, () => undefined);
  }, []);
  const toggle = <T,>(list: T[] | undefined, value: T) => {
    const next = list?.includes(value) ? list.filter((v) => v !== value) : [...(list ?? []), value];
    return next.length ? next : undefined;
  };
  const execute = (q: MultiQueryView) => void run(async () => setResult(await call('query.run', { query: q })));
  const number = (v: string) => (v === '' ? undefined : Number(v));

  return (
    <section aria-labelledby="query-title">
      <h1 id="query-title">{t('query.title')}</h1>
      <p>{t('query.intro')}</p>
      <div className="grid-2">
        <div className="card">
          <fieldset>
            <legend>{t('query.programs')}</legend>
            {PROGRAM_CODES.map((p) => (
              <label key={p} className="check">
                <input type="checkbox" checked={query.programs?.includes(p as ProgramCode) ?? false} onChange={() => setQuery({ ...query, programs: toggle(query.programs, p as ProgramCode) })} />
                {programName(p, i18n.language)}
              </label>
            ))}
          </fieldset>
          <ProgramSelect label={t('query.householdProgram')} value={query.householdProgram} anyLabel={t('query.any')} onChange={(householdProgram) => setQuery({ ...query, householdProgram })} />
          <div className="row">
            <label className="field">
              <span>{t('query.ageMin')}</span>
              <input type="number" min={0} max={130} value={query.ageMin ?? ''} onChange={(e) => setQuery({ ...query, ageMin: number(e.target.value) })} />
            </label>
            <label className="field">
              <span>{t('query.ageMax')}</span>
              <input type="number" min={0} max={130} value={query.ageMax ?? ''} onChange={(e) => setQuery({ ...query, ageMax: number(e.target.value) })} />
            </label>
          </div>
          <fieldset>
            <legend>{t('query.levels')}</legend>
            {[1, 2, 3, 4].map((l) => (
              <label key={l} className="check">
                <input type="checkbox" checked={query.disabilityLevels?.includes(l) ?? false} onChange={() => setQuery({ ...query, disabilityLevels: toggle(query.disabilityLevels, l) })} />
                {l}
              </label>
            ))}
          </fieldset>
          <FieldConditions fields={query.fields ?? []} onChange={(fields) => setQuery({ ...query, fields: fields.length ? fields : undefined })} />
          <ErrorNote error={error} />
          <div className="row wrap-row">
            <button type="button" className="primary" disabled={busy} onClick={() => execute(query)}>
              {t('query.run')}
            </button>
            <button type="button" onClick={() => (setQuery(EXAMPLE), execute(EXAMPLE))}>
              {t('query.example')}
            </button>
          </div>
          <div className="row">
            <input aria-label={t('query.name')} placeholder={t('query.name')} value={name} onChange={(e) => setName(e.target.value)} />
            <button type="button" disabled={!name.trim()} onClick={() => void run(async () => setSaved(await call('query.save', { name, query })))}>
              {t('query.save')}
            </button>
          </div>
          {saved.length > 0 && (
            <>
              <h3>{t('query.saved')}</h3>
              {saved.map((s) => (
                <button key={s.name} type="button" onClick={() => (setQuery(s.query), execute(s.query))}>
                  {s.name}
                </button>
              ))}
            </>
          )}
        </div>
        <OwnRuleCard query={query} />
        {result && (
          <div className="card" data-testid="query-result">
            <h2>{t('query.total', { total: result.total })}</h2>
            {result.total === 0 ? (
              <Empty description={t('query.none')} />
            ) : (
              <>
            <h3>{t('query.byDivision')}</h3>
            <table aria-label={t('query.byDivision')}>
              <tbody>
                {result.byDivision.map((d) => (
                  <tr key={d.code}>
                    <td>
                      {d.name} <span className="mono">{d.code}</span>
                    </td>
                    <td className="num">{d.persons}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{t('query.list')}</h3>
            <table aria-label={t('query.list')}>
              <thead>
                <tr>
                  <th scope="col">{t('query.person')}</th>
                  <th scope="col">{t('query.personName')}</th>
                  <th scope="col">{t('query.birth')}</th>
                  <th scope="col">{t('query.division')}</th>
                </tr>
              </thead>
              <tbody>
                {result.persons.map((p) => (
                  <tr key={`${p.personRef}-${p.householdId}`}>
                    <td className="mono">
                      <button type="button" className="link" onClick={() => openPerson(p.personRef)}>
                        {p.personLabel}
                      </button>
                    </td>
                    <td>{p.name}</td>
                    <td>{p.birthDate}</td>
                    <td>
                      {p.divisionName ?? p.divisionCode} <span className="mono hint">{p.divisionCode}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
              </>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
