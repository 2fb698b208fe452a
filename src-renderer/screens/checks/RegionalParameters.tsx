import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RULE_CATALOGUE } from '../../../src-main/rules/catalogue';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { DivisionPicker, useDivisionLabel } from '../../components/DivisionPicker';

const TUNABLE = RULE_CATALOGUE.filter((r) => r.parameters.some((p) => p.type === 'integer'));

/** Supervisors set integer thresholds per region and date; the service checks the role and the region's scope. */
export function RegionalParameters() {
  const { t, i18n } = useTranslation();
  const divisionLabel = useDivisionLabel();
  const scope = useSessionStore((s) => s.session?.scope ?? []);
  const [list, setList] = useState<{ ruleId: string; name: string; divisionPrefix: string; effectiveFrom: string; value: unknown; setBy: string }[]>([]);
  const [form, setForm] = useState({ ruleId: TUNABLE[0]?.id ?? '', name: '', divisionPrefix: scope[0] ?? '', effectiveFrom: '', value: '' });
  const { busy, error, run } = useAsyncAction();
  useEffect(() => {
    call('rules.parameters', {}).then(setList, () => undefined);
  }, []);
  const rule = TUNABLE.find((r) => r.id === form.ruleId);
  const parameters = rule?.parameters.filter((p) => p.type === 'integer') ?? [];
  const name = form.name || parameters[0]?.name || '';
  return (
    <div className="card" role="region" aria-label={t('checks.parametersTitle')}>
      <h2>{t('checks.parametersTitle')}</h2>
      <p className="hint">{t('checks.parametersIntro')}</p>
      <div className="row">
        <select aria-label={t('checks.rule')} value={form.ruleId} onChange={(e) => setForm({ ...form, ruleId: e.target.value, name: '' })}>
          {TUNABLE.map((r) => (
            <option key={r.id} value={r.id}>
              {r.id} {i18n.language === 'en' ? r.name.en : r.name.zh}
            </option>
          ))}
        </select>
        <select aria-label={t('checks.parameter')} value={name} onChange={(e) => setForm({ ...form, name: e.target.value })}>
          {parameters.map((p) => (
            <option key={p.name} value={p.name}>
              {i18n.language === 'en' ? p.label.en : p.label.zh} ({String(p.default)})
            </option>
          ))}
        </select>
        <DivisionPicker label={t('checks.region')} value={form.divisionPrefix || undefined} onChange={(p) => setForm({ ...form, divisionPrefix: p ?? '' })} />
        <input aria-label={t('checks.effectiveFrom')} type="date" value={form.effectiveFrom} onChange={(e) => setForm({ ...form, effectiveFrom: e.target.value })} />
        <input aria-label={t('checks.value')} type="number" min={0} max={200} value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} />
        <button
          type="button"
          disabled={busy || !form.effectiveFrom || form.value === ''}
          onClick={() =>
            void run(async () => setList(await call('rules.setParameter', { ruleId: form.ruleId, name, divisionPrefix: form.divisionPrefix, effectiveFrom: form.effectiveFrom, value: Number(form.value) })))
          }
        >
          {t('checks.set')}
        </button>
      </div>
      <ErrorNote error={error} />
      {list.length > 0 && (
        <table aria-label={t('checks.current')}>
          <tbody>
            {list.map((p) => (
              <tr key={`${p.ruleId}-${p.name}-${p.divisionPrefix}-${p.effectiveFrom}`}>
                <td className="mono">{p.ruleId}</td>
                <td>{p.name}</td>
                <td>{divisionLabel(p.divisionPrefix)}</td>
                <td>{p.effectiveFrom}</td>
                <td className="num">{JSON.stringify(p.value)}</td>
                <td>{p.setBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
