import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { ExportFields, exportRequest, type ExportFieldValues } from './ExportFields';

type Subject = { personRef: string } | { fingerprint: string };

/** 导出… for one person's file or one case file: format, purpose (required) and recipient, then the file's path. */
export function DossierExport({ subject, label }: { subject: Subject; label: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [fields, setFields] = useState<ExportFieldValues>({ format: 'pdf', purpose: '', recipient: '' });
  const [result, setResult] = useState<CallOutput<'export.person'> | null>(null);
  const { busy, error, run } = useAsyncAction();
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  const request = exportRequest(fields);
  return (
    <form
      className="card export-form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => setResult('personRef' in subject ? await call('export.person', { ...request, ...subject }) : await call('export.case', { ...request, ...subject })));
      }}
    >
      <div className="row wrap-row">
        <ExportFields value={fields} onChange={setFields} formats={['pdf', 'xlsx', 'csv']} />
        <button type="submit" className="primary" disabled={busy || fields.purpose.trim().length < 2}>
          {t('exports.export')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
      <p className="hint">{t('exports.notice')}</p>
      <ErrorNote error={error} />
      {result && (
        <p role="status" data-testid="dossier-export-result">
          {t('exports.done', { rows: result.rows, file: result.file, id: result.exportId.slice(0, 8) })}
        </p>
      )}
    </form>
  );
}
