import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';
import { useInboxStore } from '../../state/inbox-store';
import { BulkBar } from './BulkBar';
import { ExportForm } from './ExportForm';
import { FilterPanel } from './FilterPanel';
import { FindingDetail } from './FindingDetail';
import { InboxTable } from './InboxTable';

/**
 * 核查线索: the auditor's day. Filters with counts on the left, the virtualised findings table in the middle (j/k to
 * move, Enter to open, r/v/e to change the case state), the finding's "why it fired" and its case on the right.
 */
export function InboxScreen() {
  const { t } = useTranslation();
  const { total, error, open, detailVersion, refresh } = useInboxStore();
  const [exporting, setExporting] = useState(false);
  useEffect(() => {
    refresh();
  }, [refresh]);
  return (
    <section aria-labelledby="inbox-title" className="inbox">
      <div className="inbox-head">
        <h1 id="inbox-title">{t('triage.title')}</h1>
        <span role="status" data-testid="inbox-total">
          {total === null ? t('triage.loading') : t('triage.total', { count: total })}
        </span>
        <span className="hint">{t('triage.keys')}</span>
        <button type="button" className="push-right" onClick={() => setExporting(!exporting)} disabled={!total}>
          {t('exports.open')}
        </button>
      </div>
      {exporting && <ExportForm onClose={() => setExporting(false)} />}
      <ErrorNote error={error} />
      <div className={open ? 'inbox-body with-detail' : 'inbox-body'}>
        <FilterPanel />
        <div className="inbox-main">
          <BulkBar />
          <InboxTable />
        </div>
        {open && <FindingDetail key={`${open}:${detailVersion}`} fingerprint={open} />}
      </div>
    </section>
  );
}
