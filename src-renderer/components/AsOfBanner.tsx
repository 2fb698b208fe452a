import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SnapshotInfo } from '../../src-main/contract/schemas';
import { call } from '../api/client';

const STALE_AFTER_DAYS = 45;

/** The age of the data the user works on, always in view: offline work must never be mistaken for current data. */
export function AsOfBanner() {
  const { t } = useTranslation();
  const [view, setView] = useState<{ snapshot: SnapshotInfo; days: number } | null>(null);
  useEffect(() => {
    const load = () =>
      call('sync.status', {}).then(
        (s) => setView(s.snapshot ? { snapshot: s.snapshot, days: Math.max(0, Math.floor((Date.now() - Date.parse(`${s.snapshot.asOf}T23:59:59`)) / 86_400_000)) } : null),
        () => undefined,
      );
    load();
    const timer = window.setInterval(load, 30_000);
    window.addEventListener('aw:snapshot-changed', load);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('aw:snapshot-changed', load);
    };
  }, []);
  if (!view) return null;
  const { snapshot, days } = view;
  const stale = days > STALE_AFTER_DAYS;
  return (
    <span className={`asof-banner${stale ? ' stale' : ''}`} data-testid="as-of-banner" title={stale ? t('banner.stale', { days }) : undefined}>
      {t('banner.asOf', { date: snapshot.asOf })} · {t('banner.age', { days })} ·{' '}
      {snapshot.source === 'demo' ? t('banner.demo') : t('banner.synced', { id: snapshot.snapshotId })}
    </span>
  );
}
