import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MultiQueryView } from '../../../src-main/contract/schemas';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { FilePicker } from '../../components/FilePicker';
import { Choice } from '../../components/Choice';

type Field = NonNullable<MultiQueryView['fields']>[number];
const OPS: Field['op'][] = ['=', '<>', '>', '<', '>=', '<='];
type Dictionary = { table: string; label: string; columns: { column: string; label: string; kind: string }[] }[];

/** Conditions on any column of the exchange schema, picked from the metadata dictionary (never typed as SQL). */
export function FieldConditions({ fields, onChange }: { fields: Field[]; onChange: (f: Field[]) => void }) {
  const { t } = useTranslation();
  const [dictionary, setDictionary] = useState<Dictionary>([]);
  useEffect(() => {
    call('rules.fields', {}).then(setDictionary, () => undefined);
  }, []);
  const update = (i: number, change: Partial<Field>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...change } : f)));
  return (
    <fieldset>
      <legend>{t('query.fields')}</legend>
      {fields.map((f, i) => {
        const table = dictionary.find((d) => d.table === f.table);
        const kind = table?.columns.find((c) => c.column === f.column)?.kind;
        return (
          <div className="row wrap-row" key={i}>
            <Choice
              label={t('query.table')}
              value={f.table}
              options={dictionary.map((d) => ({ value: d.table, label: d.label }))}
              onChange={(tableName) => update(i, { table: tableName, column: dictionary.find((d) => d.table === tableName)?.columns[0]?.column ?? '' })}
            />
            <Choice label={t('query.column')} value={f.column} options={table?.columns.map((c) => ({ value: c.column, label: c.label })) ?? []} onChange={(column) => update(i, { column })} />
            <Choice<Field['op']> label={t('query.op')} value={f.op} options={OPS.map((op) => ({ value: op, label: op }))} onChange={(op) => update(i, { op })} style={{ minWidth: 70 }} />
            <input
              aria-label={t('query.value')}
              value={String(f.value)}
              onChange={(e) => update(i, { value: ['money', 'int', 'decimal'].includes(kind ?? '') && e.target.value !== '' && !Number.isNaN(Number(e.target.value)) ? Number(e.target.value) : e.target.value })}
            />
            <button type="button" onClick={() => onChange(fields.filter((_, j) => j !== i))}>
              {t('query.remove')}
            </button>
          </div>
        );
      })}
      <button type="button" disabled={dictionary.length === 0} onClick={() => onChange([...fields, { table: 'vehicle', column: 'vehicle_type', op: '=', value: 'car' }])}>
        {t('query.addField')}
      </button>
    </fieldset>
  );
}

/** Downloads the rules as a JSON file a colleague can import (the file holds building blocks, no personal data). */
function exportRules(rules: unknown[]): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(rules, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'own-rules.json';
  a.click();
  URL.revokeObjectURL(url);
}

/** Turns the query on screen into a rule of one's own: preview its hits, save a version. */
export function OwnRuleCard({ query }: { query: MultiQueryView }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ id: 'U-', zh: '', severity: 'medium' as 'high' | 'medium' | 'low' });
  const [hits, setHits] = useState<number | null>(null);
  const [saved, setSaved] = useState<{ rule: { id: string; name: { zh: string } }; version: number }[]>([]);
  const { busy, error, run } = useAsyncAction();
  useEffect(() => {
    call('rules.customList', {}).then(setSaved, () => undefined);
  }, []);
  const rule = () => ({ id: form.id, name: { zh: form.zh, en: '' }, severity: form.severity, policy: '', query });
  return (
    <div className="card" aria-label={t('query.asRule')} role="region">
      <h2>{t('query.asRule')}</h2>
      <label className="field">
        <span>{t('query.ruleId')}</span>
        <input className="mono" value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value.toUpperCase() })} />
      </label>
      <label className="field">
        <span>{t('query.ruleName')}</span>
        <input value={form.zh} onChange={(e) => setForm({ ...form, zh: e.target.value })} />
      </label>
      <Choice<typeof form.severity> field label={t('query.severity')} value={form.severity} options={(['high', 'medium', 'low'] as const).map((s) => ({ value: s, label: t(`query.severities.${s}`) }))} onChange={(severity) => setForm({ ...form, severity })} />
      <ErrorNote error={error} />
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void run(async () => setHits((await call('rules.customPreview', { rule: rule() })).total))}>
          {t('query.preview')}
        </button>
        {hits !== null && <span data-testid="rule-hits">{t('query.hits', { total: hits })}</span>}
        <button type="button" className="primary" disabled={busy || !form.zh} onClick={() => void run(async () => setSaved(await call('rules.customSave', { rule: rule() })))}>
          {t('query.saveRule')}
        </button>
      </div>
      <div className="row">
        <button type="button" disabled={saved.length === 0} onClick={() => exportRules(saved.map((s) => s.rule))}>
          {t('query.export')}
        </button>
        <span className="field">
          <span>{t('query.import')}</span>
          <FilePicker
            label={t('query.import')}
            accept="application/json,.json"
            onFile={(file) => {
              if (file) void run(async () => setSaved(await call('rules.customImport', { rules: JSON.parse(await file.text()) as never })));
            }}
          />
        </span>
      </div>
      {saved.length > 0 && (
        <>
          <h3>{t('query.savedRules')}</h3>
          <ul data-testid="own-rules">
            {saved.map((s) => (
              <li key={s.rule.id}>
                <span className="mono">{s.rule.id}</span> {s.rule.name.zh} · v{s.version}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
