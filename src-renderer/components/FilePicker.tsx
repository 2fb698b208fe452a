import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A file chooser in the UI's language (the browser's own says "Choose File / No file chosen" in its locale): a button,
 * and the chosen file's name.
 */
export function FilePicker({ label, accept, onFile }: { label: string; accept: string; onFile(file: File | null): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState<string | null>(null);
  return (
    <span className="file-picker">
      <label htmlFor={id} className="button-like">
        {t('files.choose')}
      </label>
      <input
        id={id}
        type="file"
        className="visually-hidden"
        aria-label={label}
        accept={accept}
        onChange={(e) => {
          const file = e.target.files?.[0] ?? null;
          setName(file?.name ?? null);
          onFile(file);
        }}
      />
      <span className="hint">{name ?? t('files.none')}</span>
    </span>
  );
}
