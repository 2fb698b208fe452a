import { App, Button, Input, Popconfirm, Select, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { DateField } from '../../components/DateField';
import { ErrorNote } from '../../components/ErrorNote';
import { FilePicker } from '../../components/FilePicker';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { DivisionPicker, useDivisionLabel } from '../../components/DivisionPicker';
import { EXAMPLE_PARAMETER_FILE } from '../../../src-main/rules/catalogue';

type Overview = CallOutput<'rules.parameters'>;
type Value = Overview['values'][number];

/** Types a form can take in one field; lists (certificates, income sources, programme pairs) come in by file. */
const FORM_TYPES = new Set(['integer', 'decimal', 'money', 'boolean']);

/**
 * Rule parameters are policy (rules.md §P): every threshold with its default and the document behind it; supervisors
 * set a region's value from a date on with its source, or load a region's whole set from a file, and export it again.
 */
export function RegionalParameters() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const divisionLabel = useDivisionLabel();
  const session = useSessionStore((s) => s.session);
  const supervisor = session?.role === 'supervisor';
  const [overview, setOverview] = useState<Overview | null>(null);
  const [form, setForm] = useState({ name: '', divisionPrefix: session?.scope[0] ?? '', effectiveFrom: '', value: '', source: '' });
  const { busy, error, run } = useAsyncAction();
  useEffect(() => {
    call('rules.parameters', {}).then(setOverview, () => undefined);
  }, []);
  const zh = i18n.language !== 'en';
  // Values and sources come in both languages (services/checks/parameter-text.ts): the user's half.
  const say = (text: { zh: string; en: string }) => (zh ? text.zh : text.en);
  const catalogue = overview?.catalogue ?? [];
  const labelOf = (name: string) => {
    const p = catalogue.find((c) => c.name === name);
    return p ? (zh ? p.label.zh : p.label.en) : name;
  };
  const settable = catalogue.filter((p) => FORM_TYPES.has(p.type));
  const chosen = catalogue.find((p) => p.name === form.name);
  const formValue = (): unknown => {
    if (!chosen) return null;
    if (chosen.type === 'boolean') return form.value === 'true';
    if (chosen.type === 'money') return form.value.trim();
    return Number(form.value);
  };
  const exportRegion = (v: Value) =>
    void run(async () => {
      const file = await call('rules.exportParameters', { divisionPrefix: v.divisionPrefix, effectiveFrom: v.effectiveFrom });
      const url = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.fileName;
      a.click();
      URL.revokeObjectURL(url);
      message.success(t('checks.params.exported', { file: file.fileName }));
    });
  return (
    <div className="card" role="region" aria-label={t('checks.parametersTitle')}>
      <h2>{t('checks.parametersTitle')}</h2>
      <p className="hint">{t('checks.parametersIntro')}</p>
      {supervisor && (
        <>
          <div className="row wrap">
            <Select
              aria-label={t('checks.parameter')}
              placeholder={t('checks.params.choose')}
              style={{ minWidth: 260 }}
              value={form.name || undefined}
              onChange={(name: string) => setForm({ ...form, name, value: '' })}
              options={settable.map((p) => ({ value: p.name, label: t('explain.words.aside', { what: zh ? p.label.zh : p.label.en, detail: t('checks.params.defaultIs', { value: say(p.defaultText) }) }) }))}
            />
            <DivisionPicker label={t('checks.region')} value={form.divisionPrefix || undefined} onChange={(p) => setForm({ ...form, divisionPrefix: p ?? '' })} />
            <DateField label={t('checks.effectiveFrom')} value={form.effectiveFrom} onChange={(effectiveFrom) => setForm({ ...form, effectiveFrom })} />
            {chosen?.type === 'boolean' ? (
              <Select
                aria-label={t('checks.value')}
                style={{ width: 90 }}
                value={form.value || undefined}
                onChange={(value: string) => setForm({ ...form, value })}
                options={[
                  { value: 'true', label: t('checks.params.yes') },
                  { value: 'false', label: t('checks.params.no') },
                ]}
              />
            ) : (
              <Input
                aria-label={t('checks.value')}
                style={{ width: 140 }}
                value={form.value}
                suffix={chosen ? (zh ? chosen.unit.zh : chosen.unit.en) : undefined}
                onChange={(e) => setForm({ ...form, value: e.target.value })}
              />
            )}
          </div>
          <div className="row wrap">
            <Input
              aria-label={t('checks.params.source')}
              placeholder={t('checks.params.sourceHint')}
              style={{ flex: 1, minWidth: 320 }}
              value={form.source}
              onChange={(e) => setForm({ ...form, source: e.target.value })}
            />
            <Button
              type="primary"
              disabled={busy || !chosen || !form.effectiveFrom || form.value === '' || form.source.trim().length < 2}
              onClick={() =>
                void run(async () => {
                  setOverview(await call('rules.setParameter', { name: form.name, divisionPrefix: form.divisionPrefix, effectiveFrom: form.effectiveFrom, value: formValue(), source: form.source }));
                  message.success(t('checks.params.saved', { name: labelOf(form.name), region: divisionLabel(form.divisionPrefix) }));
                })
              }
            >
              {t('checks.set')}
            </Button>
          </div>
          <div className="row">
            <span>{t('checks.params.import')}</span>
            <FilePicker
              label={t('checks.params.import')}
              accept=".json,application/json"
              onFile={(file) => {
                if (!file) return;
                void run(async () => {
                  const next = await call('rules.importParameters', { fileName: file.name, text: await file.text() });
                  setOverview(next);
                  message.success(t('checks.params.imported', { file: file.name }));
                });
              }}
            />
          </div>
          <div className="row">
            <Popconfirm
              title={t('checks.params.exampleConfirm', { title: EXAMPLE_PARAMETER_FILE.title })}
              okText={t('checks.params.exampleLoad')}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                void run(async () => {
                  const fileName = `${EXAMPLE_PARAMETER_FILE.title}.json`;
                  setOverview(await call('rules.importParameters', { fileName, text: JSON.stringify(EXAMPLE_PARAMETER_FILE) }));
                  message.success(t('checks.params.imported', { file: fileName }));
                })
              }
            >
              <Button disabled={busy} data-testid="load-example-parameters">
                {t('checks.params.exampleLoad')}
              </Button>
            </Popconfirm>
            <span className="hint">{t('checks.params.exampleHint')}</span>
          </div>
          <p className="hint">{t('checks.params.fileHint')}</p>
        </>
      )}
      <ErrorNote error={error} />
      <Table<Value>
        aria-label={t('checks.current')}
        size="small"
        rowKey={(v) => `${v.name}|${v.divisionPrefix}|${v.effectiveFrom}`}
        dataSource={overview?.values ?? []}
        pagination={false}
        locale={{ emptyText: t('checks.params.none') }}
        columns={[
          { title: t('checks.region'), key: 'region', render: (_, v) => divisionLabel(v.divisionPrefix) },
          { title: t('checks.effectiveFrom'), dataIndex: 'effectiveFrom', key: 'from' },
          { title: t('checks.parameter'), key: 'name', render: (_, v) => labelOf(v.name) },
          { title: t('checks.value'), key: 'text', render: (_, v) => say(v.text) },
          { title: t('checks.params.source'), key: 'source', render: (_, v) => say(v.sourceText) },
          { title: t('checks.params.setBy'), dataIndex: 'setBy', key: 'setBy' },
          ...(supervisor
            ? [
                {
                  title: t('checks.params.actions'),
                  key: 'actions',
                  render: (_: unknown, v: Value) => (
                    <span className="row nowrap">
                      <Button size="small" onClick={() => exportRegion(v)}>
                        {t('checks.params.export')}
                      </Button>
                      <Popconfirm
                        title={t('checks.params.removeConfirm', { name: labelOf(v.name), region: divisionLabel(v.divisionPrefix) })}
                        okText={t('checks.params.remove')}
                        cancelText={t('common.cancel')}
                        onConfirm={() =>
                          void run(async () => {
                            setOverview(await call('rules.removeParameter', { name: v.name, divisionPrefix: v.divisionPrefix, effectiveFrom: v.effectiveFrom }));
                            message.success(t('checks.params.removed', { name: labelOf(v.name) }));
                          })
                        }
                      >
                        <Button size="small" danger>
                          {t('checks.params.remove')}
                        </Button>
                      </Popconfirm>
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      <h3>{t('checks.params.catalogue')}</h3>
      <Table
        aria-label={t('checks.params.catalogue')}
        size="small"
        rowKey="name"
        dataSource={catalogue}
        pagination={{ pageSize: 8, hideOnSinglePage: true, showSizeChanger: false }}
        columns={[
          { title: t('checks.parameter'), key: 'label', render: (_, p) => (zh ? p.label.zh : p.label.en) },
          { title: t('checks.params.default'), key: 'default', render: (_, p) => say(p.defaultText) },
          { title: t('checks.params.basis'), key: 'source', render: (_, p) => say(p.sourceText) },
          { title: t('checks.params.rules'), key: 'rules', render: (_, p) => p.rules.map((r) => (zh ? r.name.zh : r.name.en)).join(zh ? '、' : ', ') || '—' },
        ]}
      />
    </div>
  );
}
