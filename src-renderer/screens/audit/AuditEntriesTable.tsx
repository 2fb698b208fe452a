import { Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { showTime } from '../../components/localTime';

type Entry = CallOutput<'audit.team'>['entries'][number];

/**
 * Entries of the team's trail: when, who (李审计, not li.audit), what, on what, with which outcome. A member's own login
 * name as the target (登录, 退出) says nothing the 成员 column does not, and is a login code: left out.
 */
export function AuditEntriesTable({ entries, label }: { entries: Entry[]; label: string }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Entry> = [
    { title: t('teamAudit.time'), key: 'ts', width: 160, render: (_, e) => showTime(e.ts, true) },
    { title: t('teamAudit.member'), key: 'member', width: 120, render: (_, e) => <span title={e.username ?? undefined}>{e.memberName ?? e.username ?? t('teamAudit.formerMember')}</span> },
    { title: t('teamAudit.action'), key: 'action', width: 150, render: (_, e) => t(`actions.${e.action}`, { defaultValue: e.action }) },
    { title: t('teamAudit.target'), key: 'target', render: (_, e) => (e.finding ? <FindingTarget finding={e.finding} /> : e.target === e.username ? '' : (e.target ?? '')) },
    { title: t('teamAudit.outcome'), key: 'outcome', width: 90, render: (_, e) => t(`audit.outcomes.${e.outcome}`) },
  ];
  return (
    <Table<Entry>
      aria-label={label}
      data-testid="team-audit-entries"
      size="small"
      rowKey={(e) => `${e.userId}:${e.seq}`}
      rowClassName={(e) => (e.outcome === 'ok' ? '' : 'warn')}
      dataSource={entries}
      columns={columns}
      pagination={entries.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      locale={{ emptyText: t('teamAudit.none') }}
    />
  );
}

/**
 * A finding as an auditor knows it — the rule, whom it is about (masked as in the inbox) and why it fired — with its
 * fingerprint kept small and copyable, for tracing it through exports and other workstations.
 */
export function FindingTarget({ finding }: { finding: NonNullable<Entry['finding']> }) {
  const { t, i18n } = useTranslation();
  const l = finding.label;
  return (
    <div className="audit-finding" data-testid="audit-finding">
      {l ? (
        <>
          <div>
            <span className="mono">{l.ruleId}</span> {i18n.language === 'en' ? l.ruleName.en : l.ruleName.zh}
          </div>
          <div>
            {l.subjectName && `${l.subjectName} `}
            <span className="mono">{l.subjectLabel}</span>
            {l.divisionName && ` · ${l.divisionName}`}
          </div>
          {l.title && (
            <div className="audit-finding-title" title={l.title}>
              {l.title}
            </div>
          )}
        </>
      ) : (
        <div className="muted">{t('teamAudit.findingHidden')}</div>
      )}
      <Typography.Text type="secondary" className="mono audit-fingerprint" copyable={{ text: finding.fingerprint, tooltips: [t('teamAudit.copyFingerprint'), t('teamAudit.copied')] }}>
        <span title={finding.fingerprint}>
          {t('teamAudit.fingerprint')} {finding.fingerprint.slice(0, 12)}
        </span>
      </Typography.Text>
    </div>
  );
}
