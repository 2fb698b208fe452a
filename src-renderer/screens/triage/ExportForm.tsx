import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { ApiError, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useInboxStore } from '../../state/inbox-store';

/** Exports the inbox's current filter and order: a purpose is required, a recipient when the file leaves the team. */
export function ExportForm({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { filter, divisionPrefix, sort, total } = useInboxStore();
  const [format, setFormat] = useState<'xlsx' | 'csv' | 'pdf'>('xlsx');
  const [purpose, setPurpose] = useState('');
  const [recipient, setRecipient] = useState('');
  const [result, setResult] = useState<CallOutput<'export.findings'> | null>(null);
  const [requested, setRequested] = useState<CallOutput<'export.requestApproval'> | null>(null);
  const { busy, error, run } = useAsyncAction();
  const ask = () => ({ format, purpose, ...(recipient.trim() ? { recipient } : {}), filter, ...(divisionPrefix ? { divisionPrefix } : {}), sort });
  const tooLarge = error instanceof ApiError && error.code === 'EXPORT_TOO_LARGE';
  return (
    <form
      className="card export-form"
      aria-label={t('exports.title')}
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => setResult(await call('export.findings', ask())));
      }}
    >
      <strong>{t('exports.title')}</strong> <span className="hint">{t('exports.rows', { count: total ?? 0 })}</span>
      <div className="row wrap-row">
        <select aria-label={t('exports.format')} value={format} onChange={(e) => setFormat(e.target.value as 'xlsx' | 'csv' | 'pdf')}>
          <option value="xlsx">Excel (.xlsx)</option>
          <option value="csv">CSV</option>
          <option value="pdf">PDF</option>
        </select>
        <input aria-label={t('exports.purpose')} placeholder={t('exports.purpose')} required minLength={2} value={purpose} onChange={(e) => setPurpose(e.target.value)} />
        <input aria-label={t('exports.recipient')} placeholder={t('exports.recipient')} value={recipient} onChange={(e) => setRecipient(e.target.value)} />
        <button type="submit" className="primary" disabled={busy || purpose.trim().length < 2}>
          {t('exports.export')}
        </button>
        <button type="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
      <p className="hint">{t('exports.notice')}</p>
      <ErrorNote error={error} />
      {tooLarge && (
        <button type="button" data-testid="request-approval" disabled={busy} onClick={() => void run(async () => setRequested(await call('export.requestApproval', ask())))}>
          {t('exports.requestApproval')}
        </button>
      )}
      {requested && (
        <p role="status" data-testid="approval-requested">
          {t('exports.requested', { rows: requested.rows })}
        </p>
      )}
      {result && (
        <p role="status" data-testid="export-result">
          {t('exports.done', { rows: result.rows, file: result.file, id: result.exportId.slice(0, 8) })}
        </p>
      )}
    </form>
  );
}
