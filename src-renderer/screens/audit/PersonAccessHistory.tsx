import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { AuditEntriesTable } from './AuditEntriesTable';

/** For supervisors on a person's file: who viewed, revealed or exported this person, and when (an audited call itself). */
export function PersonAccessHistory({ personRef }: { personRef: string }) {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<CallOutput<'audit.person'>['entries'] | null>(null);
  const { busy, error, run } = useAsyncAction();
  return (
    <div className="card">
      {entries === null ? (
        <button type="button" disabled={busy} onClick={() => void run(async () => setEntries((await call('audit.person', { personRef, limit: 200 })).entries))}>
          {t('teamAudit.whoAccessed')}
        </button>
      ) : (
        <>
          <h2>{t('teamAudit.whoAccessedTitle')}</h2>
          <AuditEntriesTable entries={entries} label={t('teamAudit.whoAccessedTitle')} />
        </>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
