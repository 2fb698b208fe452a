import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../../components/ErrorNote';
import { useInboxStore } from '../../state/inbox-store';
import { BulkBar } from './BulkBar';
import { ExportForm } from './ExportForm';
import { FilterChips } from './FilterChips';
import { FilterPanel } from './FilterPanel';
import { FindingDetail } from './FindingDetail';
import { InboxTable } from './InboxTable';

/**
 * 核查线索: the auditor's day. Filters with counts on the left, the virtualised findings table in the middle (j/k to
 * move, Enter to open, r/v/e to change the case state), the finding's "why it fired" and its case on the right.
 */
export function InboxScreen() {
  const { t, i18n } = useTranslation();
  const { total, error, open, detailVersion, refresh } = useInboxStore();
  const [exporting, setExporting] = useState(false);
  const [detailWidth, setDetailWidth] = useState(460);
  // Rows name a record subject in the session's language (a data-quality finding's table): asked again when it changes.
  useEffect(() => {
    refresh();
  }, [refresh, i18n.language]);
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
      <FilterChips />
      <div className={open ? 'inbox-body with-detail' : 'inbox-body'} style={open ? { gridTemplateColumns: `13rem minmax(20rem, 1fr) 6px ${detailWidth}px` } : undefined}>
        <FilterPanel />
        <div className="inbox-main">
          <BulkBar />
          <InboxTable />
        </div>
        {open && (
          <div
            className="splitter"
            role="separator"
            aria-orientation="vertical"
            aria-label={t('triage.resizeDetail')}
            title={t('triage.resizeDetail')}
            onPointerDown={(e) => {
              // Drag to give the detail more or less room (kept for the session).
              const startX = e.clientX;
              const startWidth = detailWidth;
              const move = (ev: PointerEvent) => setDetailWidth(Math.min(Math.max(startWidth - (ev.clientX - startX), 320), 900));
              const up = () => {
                window.removeEventListener('pointermove', move);
                window.removeEventListener('pointerup', up);
              };
              window.addEventListener('pointermove', move);
              window.addEventListener('pointerup', up);
            }}
          />
        )}
        {open && <FindingDetail key={`${open}:${detailVersion}`} fingerprint={open} />}
      </div>
    </section>
  );
}
