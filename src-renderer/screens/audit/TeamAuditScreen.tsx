import { Select } from 'antd';
import { DateField } from '../../components/DateField';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { ExportFields, exportRequest, type ExportFieldValues } from '../exports/ExportFields';
import { AuditEntriesTable } from './AuditEntriesTable';
import { Choice } from '../../components/Choice';

type Result = CallOutput<'audit.team'>;

/** 审计查询, for supervisors: the team's trail by member, action and time (every entry kept; searched, not edited). */
/** What a supervisor looks for in the trail, by kind of action (each an action-name prefix). */
const ACTION_CATEGORIES = ['auth.', 'person.', 'finding.', 'case.', 'inbox.', 'export.', 'report.', 'checks.', 'precheck.', 'query.', 'audit.', 'sync.', 'users.', 'backup.'];

export function TeamAuditScreen() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState({ userId: '', actionPrefix: '', from: '', to: '' });
  const [result, setResult] = useState<Result | null>(null);
  const [fields, setFields] = useState<ExportFieldValues>({ format: 'xlsx', purpose: '', recipient: '' });
  const [exported, setExported] = useState<CallOutput<'export.audit'> | null>(null);
  const { busy, error, run } = useAsyncAction();
  const query = () => ({
    ...(filter.userId ? { userId: filter.userId } : {}),
    ...(filter.actionPrefix.trim() ? { actionPrefix: filter.actionPrefix.trim() } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  });
  const search = () =>
    run(async () =>
      setResult(
        await call('audit.team', { ...query(), limit: 200 }),
      ),
    );
  useEffect(() => {
    void search();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <section aria-labelledby="team-audit-title">
      <h1 id="team-audit-title">{t('teamAudit.title')}</h1>
      <p>{t('teamAudit.intro')}</p>
      <form
        className="row wrap-row"
        aria-label={t('teamAudit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <Choice
          label={t('teamAudit.member')}
          value={filter.userId}
          options={[{ value: '', label: t('teamAudit.allMembers') }, ...(result?.members.map((m) => ({ value: m.id, label: t('explain.words.named', { name: m.displayName, id: m.username }) })) ?? [])]}
          onChange={(userId) => setFilter({ ...filter, userId })}
          style={{ minWidth: 180 }}
        />
        <Select
          aria-label={t('teamAudit.action')}
          placeholder={t('teamAudit.allActions')}
          allowClear
          value={filter.actionPrefix || undefined}
          onChange={(v: string | undefined) => setFilter({ ...filter, actionPrefix: v ?? '' })}
          style={{ minWidth: 180 }}
          options={ACTION_CATEGORIES.map((c) => ({ value: c, label: t(`teamAudit.categories.${c.replace('.', '')}`) }))}
        />
        <DateField label={t('teamAudit.from')} value={filter.from} onChange={(from) => setFilter({ ...filter, from })} />
        <DateField label={t('teamAudit.to')} value={filter.to} onChange={(to) => setFilter({ ...filter, to })} />
        <button type="submit" className="primary" disabled={busy}>
          {t('teamAudit.search')}
        </button>
      </form>
      <form
        className="row wrap-row"
        aria-label={t('teamAudit.export')}
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => setExported(await call('export.audit', { ...query(), ...exportRequest(fields) })));
        }}
      >
        <ExportFields value={fields} onChange={setFields} formats={['xlsx', 'csv', 'pdf']} />
        <button type="submit" disabled={busy || fields.purpose.trim().length < 2}>
          {t('teamAudit.export')}
        </button>
      </form>
      {exported && (
        <p role="status" data-testid="audit-export-result">
          {t('exports.done', { rows: exported.rows, file: exported.file, id: exported.exportId.slice(0, 8) })}
        </p>
      )}
      <ErrorNote error={error} />
      {result && <AuditEntriesTable entries={result.entries} label={t('teamAudit.title')} />}
    </section>
  );
}
