import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import type { ReportSectionId } from '../../../src-main/domain/reports/report-model';
import { call } from '../../api/client';
import { DivisionPicker } from '../../components/DivisionPicker';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { ReportPreview } from './ReportPreview';
import { Choice } from '../../components/Choice';
import { MonthField } from '../../components/DateField';

const REPORT_SECTIONS: readonly ReportSectionId[] = ['summary', 'anomalies', 'streets', 'cases', 'spending', 'budget', 'recoveries', 'monitoring'];

/** 生成报告: a month, the sections, PDF or xlsx, and a purpose; the file is watermarked and registered like an export. */
export function ReportBuilder({ asOf }: { asOf: string }) {
  const { t } = useTranslation();
  // The month the data reaches: the report a supervisor most often wants.
  const [period, setPeriod] = useState(asOf.slice(0, 7));
  const [sections, setSections] = useState<string[]>([...REPORT_SECTIONS]);
  const [format, setFormat] = useState<'pdf' | 'xlsx'>('pdf');
  const [purpose, setPurpose] = useState('');
  const [divisionPrefix, setDivisionPrefix] = useState('');
  const [result, setResult] = useState<CallOutput<'report.monthly'> | null>(null);
  const [preview, setPreview] = useState<CallOutput<'report.preview'> | null>(null);
  const { busy, error, run } = useAsyncAction();
  const toggle = (s: string) => setSections((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  return (
    <article className="card" aria-label={t('reports.builder')}>
      <h2>{t('reports.builder')}</h2>
      <div className="grid-2">
        <div className="field">
          <span>{t('reports.period')}</span>
          <MonthField label={t('reports.period')} value={period} onChange={setPeriod} />
        </div>
        <Choice<'pdf' | 'xlsx'>
          field
          label={t('reports.format')}
          value={format}
          options={[
            { value: 'pdf', label: 'PDF' },
            { value: 'xlsx', label: 'Excel (.xlsx)' },
          ]}
          onChange={setFormat}
        />
      </div>
      <label className="field">
        <span>{t('reports.scope')}</span>
        <DivisionPicker label={t('reports.scope')} value={divisionPrefix || undefined} onChange={(p) => setDivisionPrefix(p ?? '')} placeholder={t('reports.scopeHint')} />
      </label>
      <fieldset className="checks">
        <legend>{t('reports.sectionsLabel')}</legend>
        {REPORT_SECTIONS.map((s) => (
          <label key={s} className="checkbox">
            <input type="checkbox" checked={sections.includes(s)} onChange={() => toggle(s)} />
            {t(`reports.sections.${s}`)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('reports.purpose')}</span>
        <input value={purpose} onChange={(e) => setPurpose(e.target.value)} placeholder={t('reports.purposeHint')} />
      </label>
      <button
        type="button"
        className="primary"
        disabled={busy || sections.length === 0 || purpose.trim().length < 2}
        onClick={() =>
          void run(async () => {
            setResult(null);
            setResult(await call('report.monthly', { period, sections: sections as never, format, purpose, ...(divisionPrefix ? { divisionPrefix } : {}) }));
          })
        }
      >
        {busy ? t('reports.generating') : t('reports.generate')}
      </button>{' '}
      <button
        type="button"
        disabled={busy || sections.length === 0}
        onClick={() =>
          void run(async () => {
            setPreview(null);
            setPreview(await call('report.preview', { period, sections: sections as never, ...(divisionPrefix ? { divisionPrefix } : {}) }));
          })
        }
      >
        {t('reports.preview')}
      </button>
      <ErrorNote error={error} />
      {result && (
        <p role="status" data-testid="report-result">
          {t('reports.generated', { id: result.exportId.slice(0, 8) })}
          <br />
          <span className="muted">{result.file}</span>
        </p>
      )}
      {preview && <ReportPreview report={preview} />}
    </article>
  );
}
