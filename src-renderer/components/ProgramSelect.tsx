import { useTranslation } from 'react-i18next';
import type { ProgramCode } from '../../src-main/domain/programs';
import { Choice } from './Choice';
import { programName, PROGRAM_CODES } from './programName';

/** A labelled programme picker, names from the dictionary; `anyLabel` adds an empty "any" choice. */
export function ProgramSelect({ label, value, anyLabel, onChange }: { label: string; value: ProgramCode | undefined; anyLabel?: string; onChange: (p: ProgramCode | undefined) => void }) {
  const { i18n } = useTranslation();
  const options = [...(anyLabel !== undefined ? [{ value: '', label: anyLabel }] : []), ...PROGRAM_CODES.map((p) => ({ value: p as string, label: programName(p, i18n.language) }))];
  return <Choice field label={label} value={value ?? ''} options={options} onChange={(v) => onChange((v || undefined) as ProgramCode | undefined)} style={{ maxWidth: 420 }} />;
}
