import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { ApiError, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useInboxStore } from '../../state/inbox-store';
import { ExportFields, exportRequest, type ExportFieldValues } from '../exports/ExportFields';

/** Exports the inbox's current filter and order: a purpose is required, a recipient when the file leaves the team. */
export function ExportForm({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { filter, divisionPrefix, sort, total } = useInboxStore();
  const [fields, setFields] = useState<ExportFieldValues>({ format: 'xlsx', purpose: '', recipient: '' });
  const [result, setResult] = useState<CallOutput<'export.findings'> | null>(null);
  const [requested, setRequested] = useState<CallOutput<'export.requestApproval'> | null>(null);
  const { busy, error, run } = useAsyncAction();
  const ask = () => ({ ...exportRequest(fields), filter, ...(divisionPrefix ? { divisionPrefix } : {}), sort });
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
        <ExportFields value={fields} onChange={setFields} formats={['xlsx', 'csv', 'pdf']} />
        <button type="submit" className="primary" disabled={busy || fields.purpose.trim().length < 2}>
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
