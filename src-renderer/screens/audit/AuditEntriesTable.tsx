import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { showTime } from '../../components/localTime';

type Entry = CallOutput<'audit.team'>['entries'][number];

/** Entries of the team's trail: when, who, what, on what, with which outcome. `members` names each person (李审计, not li.audit). */
export function AuditEntriesTable({ entries, label, members }: { entries: Entry[]; label: string; members?: { id: string; displayName: string }[] }) {
  const names = new Map((members ?? []).map((m) => [m.id, m.displayName]));
  const { t } = useTranslation();
  if (!entries.length) return <p className="hint">{t('teamAudit.none')}</p>;
  return (
    <table aria-label={label} data-testid="team-audit-entries">
      <thead>
        <tr>
          <th scope="col">{t('teamAudit.time')}</th>
          <th scope="col">{t('teamAudit.member')}</th>
          <th scope="col">{t('teamAudit.action')}</th>
          <th scope="col">{t('teamAudit.target')}</th>
          <th scope="col">{t('teamAudit.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={`${e.userId}:${e.seq}`} className={e.outcome === 'ok' ? '' : 'warn'}>
            <td>{showTime(e.ts, true)}</td>
            <td title={e.username ?? undefined}>{names.get(e.userId) ?? e.username}</td>
            <td>{t(`actions.${e.action}`, { defaultValue: e.action })}</td>
            <td className="mono">{e.target ?? ''}</td>
            <td>{t(`audit.outcomes.${e.outcome}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
