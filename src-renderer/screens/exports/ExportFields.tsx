import { useTranslation } from 'react-i18next';
import { Choice } from '../../components/Choice';

export type ExportFormat = 'xlsx' | 'csv' | 'pdf';

export interface ExportFieldValues {
  format: ExportFormat;
  purpose: string;
  recipient: string;
}

/** What every export asks: the format, the purpose (required) and the recipient (when the file leaves the team). */
export function ExportFields({ value, onChange, formats }: { value: ExportFieldValues; onChange(v: ExportFieldValues): void; formats: readonly ExportFormat[] }) {
  const { t } = useTranslation();
  const label: Record<ExportFormat, string> = { xlsx: 'Excel (.xlsx)', csv: 'CSV', pdf: 'PDF' };
  return (
    <>
      <Choice<ExportFormat> label={t('exports.format')} value={value.format} options={formats.map((f) => ({ value: f, label: label[f] }))} onChange={(format) => onChange({ ...value, format })} style={{ minWidth: 130 }} />
      <input aria-label={t('exports.purpose')} placeholder={t('exports.purpose')} required minLength={2} value={value.purpose} onChange={(e) => onChange({ ...value, purpose: e.target.value })} />
      <input className="export-recipient" aria-label={t('exports.recipient')} placeholder={t('exports.recipient')} value={value.recipient} onChange={(e) => onChange({ ...value, recipient: e.target.value })} />
    </>
  );
}

/** The fields as a call's input: the recipient only when given. */
export function exportRequest(v: ExportFieldValues) {
  return { format: v.format, purpose: v.purpose, ...(v.recipient.trim() ? { recipient: v.recipient } : {}) };
}
