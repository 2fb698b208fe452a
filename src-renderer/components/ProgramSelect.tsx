import { useTranslation } from 'react-i18next';
import type { ProgramCode } from '../../src-main/domain/programs';
import { programName, PROGRAM_CODES } from './programName';

/** A labelled programme picker, names from the dictionary; `anyLabel` adds an empty "any" choice. */
export function ProgramSelect({ label, value, anyLabel, onChange }: { label: string; value: ProgramCode | undefined; anyLabel?: string; onChange: (p: ProgramCode | undefined) => void }) {
  const { i18n } = useTranslation();
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange((e.target.value || undefined) as ProgramCode | undefined)}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {PROGRAM_CODES.map((p) => (
          <option key={p} value={p}>
            {programName(p, i18n.language)}
          </option>
        ))}
      </select>
    </label>
  );
}
