import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useSessionStore } from '../../state/session-store';
import { RequestList } from './RequestList';
import { RegisterTable } from './RegisterTable';
import { TracePanel } from './TracePanel';

type Requests = CallOutput<'export.requests'>;
type Register = CallOutput<'export.register'>;

/**
 * 导出管理: everyone sees their own exports and approval requests (and makes an approved export from here); supervisors
 * also decide colleagues' requests, read the whole register and trace a leaked file.
 */
export function ExportsScreen() {
  const { t, i18n } = useTranslation();
  const session = useSessionStore((s) => s.session);
  const supervisor = session?.role === 'supervisor';
  const [requests, setRequests] = useState<Requests>([]);
  const [register, setRegister] = useState<Register>([]);
  const [limit, setLimit] = useState('');
  const [policy, setPolicy] = useState<CallOutput<'export.policy'> | null>(null);
  const adopt = (p: CallOutput<'export.policy'>) => {
    setPolicy(p);
    setLimit(String(p.maxRowsWithoutApproval));
  };
  const { error, run } = useAsyncAction();
  const reload = () =>
    run(async () => {
      setRequests(await call('export.requests', {}));
      adopt(await call('export.policy', {}));
      setRegister(supervisor ? await call('export.register', { limit: 200 }) : await call('export.mine', {}));
    });
  useEffect(() => {
    void reload();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const mine = requests.filter((r) => r.userId === session?.userId);
  const toDecide = requests.filter((r) => r.userId !== session?.userId && r.state === 'pending');
  return (
    <section aria-labelledby="exports-title">
      <h1 id="exports-title">{t('exportsScreen.title')}</h1>
      <p>{t('exportsScreen.intro')}</p>
      <ErrorNote error={error} />
      <div className="row">
        {supervisor ? (
          <>
            <label htmlFor="export-limit">{t('exportsScreen.limit')}</label>
            <input id="export-limit" type="number" min={1} value={limit} onChange={(e) => setLimit(e.target.value)} />
          </>
        ) : (
          // Only a supervisor sets the limit: the others read it, not a box that looks editable and saves nothing.
          <span data-testid="export-limit">
            {t('exportsScreen.limit')}
            {t('common.colon')}
            {limit ? Number(limit).toLocaleString(i18n.language) : '—'}
          </span>
        )}
        {supervisor && (
          <button type="button" onClick={() => void run(async () => adopt(await call('export.setPolicy', { maxRowsWithoutApproval: Number(limit) })))}>
            {t('common.save')}
          </button>
        )}
      </div>
      {policy?.proposal && (
        <p className="row" data-testid="limit-proposal">
          {t('exportsScreen.proposal', { rows: policy.proposal.rows, name: policy.proposal.byName })}{' '}
          {supervisor && (
            <button type="button" onClick={() => void run(async () => adopt(await call('export.setPolicy', { maxRowsWithoutApproval: policy.proposal!.rows })))}>
              {t('exportsScreen.confirmProposal')}
            </button>
          )}
        </p>
      )}
      {supervisor && (
        <>
          <h2>{t('exportsScreen.toDecide')}</h2>
          <RequestList requests={toDecide} mode="decide" onChanged={reload} />
        </>
      )}
      <h2>{t('exportsScreen.myRequests')}</h2>
      <RequestList requests={mine} mode="mine" onChanged={reload} />
      <h2>{supervisor ? t('exportsScreen.register') : t('exportsScreen.myExports')}</h2>
      <RegisterTable entries={register} />
      {supervisor && <TracePanel />}
    </section>
  );
}
