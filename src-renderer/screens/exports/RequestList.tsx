import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { showTime } from '../../components/localTime';

type Request = CallOutput<'export.requests'>[number];

/** Requests to export above the size limit: a supervisor approves or rejects; the requester spends an approval. */
export function RequestList({ requests, mode, onChanged }: { requests: Request[]; mode: 'decide' | 'mine'; onChanged(): void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAsyncAction();
  if (!requests.length) return <p className="hint">{t('exportsScreen.none')}</p>;
  const decide = (r: Request, approve: boolean) =>
    run(async () => {
      await call('export.decide', { requestId: r.requestId, approve, ...(note.trim() ? { note } : {}) });
      onChanged();
    });
  // The export runs the query exactly as approved (filter, division, order, format, purpose, recipient).
  const exportNow = (r: Request) =>
    run(async () => {
      const q = r.query as Pick<CallInput<'export.findings'>, 'filter' | 'sort'> & { divisionPrefix: string | null };
      const result = await call('export.findings', {
        format: r.format as 'csv' | 'xlsx' | 'pdf',
        purpose: r.purpose,
        ...(r.recipient ? { recipient: r.recipient } : {}),
        filter: q.filter,
        ...(q.divisionPrefix ? { divisionPrefix: q.divisionPrefix } : {}),
        sort: q.sort,
        approvalId: r.requestId,
      });
      setDone(t('exports.done', { rows: result.rows, file: result.file, id: result.exportId.slice(0, 8) }));
      onChanged();
    });
  return (
    <div>
      {mode === 'decide' && <input aria-label={t('exportsScreen.note')} placeholder={t('exportsScreen.note')} value={note} onChange={(e) => setNote(e.target.value)} />}
      <table data-testid={`requests-${mode}`}>
        <thead>
          <tr>
            <th scope="col">{t('exportsScreen.requestedAt')}</th>
            <th scope="col">{t('exportsScreen.user')}</th>
            <th scope="col" className="num">{t('exportsScreen.rows')}</th>
            <th scope="col">{t('exportsScreen.purpose')}</th>
            <th scope="col">{t('exportsScreen.state')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => (
            <tr key={r.requestId}>
              <td>{showTime(r.requestedAt)}</td>
              <td>{r.displayName}</td>
              <td className="num">{r.rows}</td>
              <td>
                {r.purpose}
                {r.recipient ? ` → ${r.recipient}` : ''} · {r.format}
              </td>
              <td>
                {t(`exportsScreen.states.${r.state}`)}
                {r.decidedName ? ` · ${r.decidedName}` : ''}
                {r.note ? `${t('common.colon')}${r.note}` : ''}
              </td>
              <td>
                {mode === 'decide' && r.state === 'pending' && (
                  <>
                    <button type="button" className="primary" disabled={busy} onClick={() => void decide(r, true)}>
                      {t('exportsScreen.approve')}
                    </button>
                    <button type="button" disabled={busy} onClick={() => void decide(r, false)}>
                      {t('exportsScreen.reject')}
                    </button>
                  </>
                )}
                {mode === 'mine' && r.state === 'approved' && (
                  <button type="button" className="primary" disabled={busy} onClick={() => void exportNow(r)}>
                    {t('exportsScreen.exportNow')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={error} />
      {done && (
        <p role="status" data-testid="approved-export-result">
          {done}
        </p>
      )}
    </div>
  );
}
