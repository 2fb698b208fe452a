import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useSessionStore } from '../../state/session-store';
import { RegisterTable } from '../exports/RegisterTable';

/**
 * 导出记录 (supervisors): which registered exports held this finding — by the keyed identity mark the register keeps,
 * so it answers for every export, however its file was named or where it went. Asked for on demand (and audited).
 */
export function FindingExports({ fingerprint }: { fingerprint: string }) {
  const { t } = useTranslation();
  const role = useSessionStore((s) => s.session?.role);
  const [entries, setEntries] = useState<CallOutput<'export.ofFinding'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (role !== 'supervisor') return null;
  return (
    <section aria-label={t('exportsScreen.ofFinding')} data-testid="finding-exports">
      {entries === null ? (
        <button type="button" onClick={() => call('export.ofFinding', { fingerprint }).then(setEntries, setError)}>
          {t('exportsScreen.ofFinding')}
        </button>
      ) : (
        <>
          <h3>{t('exportsScreen.ofFinding')}</h3>
          <RegisterTable entries={entries} />
        </>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
