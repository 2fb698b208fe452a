import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SnapshotInfo } from '../../src-main/contract/schemas';
import { snapshotName } from '../../src-main/domain/snapshot-name.js';
import { call } from '../api/client';
import { today } from './localTime';

const STALE_AFTER_DAYS = 45;

/** Whole calendar days from the data date to today, by the display zone's calendar (统计看板 counts the same way):
 *  data as of 11-30 is "5 天前" all day on 12-05, not 4 until late evening. */
function daysSince(asOf: string): number {
  return Math.max(0, Math.round((Date.parse(today()) - Date.parse(asOf)) / 86_400_000));
}

/** The age of the data the user works on, always in view: offline work must never be mistaken for current data. */
export function AsOfBanner() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<{ snapshot: SnapshotInfo; days: number } | null>(null);
  useEffect(() => {
    const load = () =>
      call('sync.status', {}).then(
        (s) => setView(s.snapshot ? { snapshot: s.snapshot, days: daysSince(s.snapshot.asOf) } : null),
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
      {snapshot.source === 'demo' ? t('banner.demo') : t('banner.synced', { id: snapshotName(snapshot.snapshotId, i18n.language) })}
    </span>
  );
}
