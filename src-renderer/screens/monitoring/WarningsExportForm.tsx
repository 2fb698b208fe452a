import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { ExportFields, exportRequest, type ExportFieldValues } from '../exports/ExportFields';

/**
 * Exports the 监测预警 list as filtered (an audit view included), like the findings list: a purpose, a recipient when
 * the file leaves the team, masking by role, keyed marks, the register.
 */
export function WarningsExportForm({ filter, total, onClose }: { filter: CallInput<'export.warnings'>['filter']; total: number; onClose(): void }) {
  const { t } = useTranslation();
  const [fields, setFields] = useState<ExportFieldValues>({ format: 'xlsx', purpose: '', recipient: '' });
  const [result, setResult] = useState<CallOutput<'export.warnings'> | null>(null);
  const { busy, error, run } = useAsyncAction();
  return (
    <form
      className="card export-form"
      aria-label={t('monitoring.screen.exportTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => setResult(await call('export.warnings', { ...exportRequest(fields), filter })));
      }}
    >
      <strong>{t('monitoring.screen.exportTitle')}</strong> <span className="hint">{t('exports.rows', { count: total })}</span>
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
      {result && (
        <p role="status" data-testid="warnings-export-result">
          {t('exports.done', { rows: result.rows, file: result.file, id: result.exportId.slice(0, 8) })}
        </p>
      )}
    </form>
  );
}
