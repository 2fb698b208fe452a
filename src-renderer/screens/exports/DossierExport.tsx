import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';

type Subject = { personRef: string } | { fingerprint: string };

/** 导出… for one person's file or one case file: format, purpose (required) and recipient, then the file's path. */
export function DossierExport({ subject, label }: { subject: Subject; label: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<'pdf' | 'xlsx' | 'csv'>('pdf');
  const [purpose, setPurpose] = useState('');
  const [recipient, setRecipient] = useState('');
  const [result, setResult] = useState<CallOutput<'export.person'> | null>(null);
  const { busy, error, run } = useAsyncAction();
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  const request = { format, purpose, ...(recipient.trim() ? { recipient } : {}) };
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
        <select aria-label={t('exports.format')} value={format} onChange={(e) => setFormat(e.target.value as 'pdf' | 'xlsx' | 'csv')}>
          <option value="pdf">PDF</option>
          <option value="xlsx">Excel (.xlsx)</option>
          <option value="csv">CSV</option>
        </select>
        <input aria-label={t('exports.purpose')} placeholder={t('exports.purpose')} required minLength={2} value={purpose} onChange={(e) => setPurpose(e.target.value)} />
        <input aria-label={t('exports.recipient')} placeholder={t('exports.recipient')} value={recipient} onChange={(e) => setRecipient(e.target.value)} />
        <button type="submit" className="primary" disabled={busy || purpose.trim().length < 2}>
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
