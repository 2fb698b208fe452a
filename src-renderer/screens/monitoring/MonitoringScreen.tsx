import { Popconfirm, Select, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { SIGNAL_CATALOGUE } from '../../../src-main/rules/catalogue';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { WarningsExportForm } from './WarningsExportForm';
import { showTime } from '../../components/localTime';
import { useSessionStore } from '../../state/session-store';
import { WarningDetail } from './WarningDetail';

type Row = CallOutput<'monitoring.page'>['rows'][number];
type Facets = CallOutput<'monitoring.facets'>;
export interface WarningFilter {
  level?: ('red' | 'orange' | 'yellow')[];
  state?: ('pushed' | 'assigned' | 'visited' | 'decided' | 'fed_back')[];
  signal?: string;
  divisionPrefix?: string;
  overdue?: 'visit' | 'decide' | 'any' | 'none';
  assignee?: string;
  auditView?: 'overdue' | 'no_visit' | 'decided_alone' | 'enrolled_no_evidence' | 'delayed_decision' | 'red_left_alone';
}

const PAGE = 200;
export const LEVEL_COLOURS = { red: 'red', orange: 'orange', yellow: 'gold' } as const;

/** A signal's name in the UI's language (from the signals' own definitions). */
export function signalName(id: string, language: string): string {
  const s = SIGNAL_CATALOGUE.find((x) => x.id === id);
  return s ? (language === 'en' ? s.name.en : s.name.zh) : id;
}

/** Its 致困因素 (因病, 因灾 …): what the list shows when the detail leaves it little room. */
function signalCause(id: string, language: string): string {
  const s = SIGNAL_CATALOGUE.find((x) => x.id === id);
  return s ? (language === 'en' ? s.cause.en : s.cause.zh) : id;
}

/**
 * 监测预警: the warnings list, built like 核查线索 — facets with counts on the left (each with every other filter
 * applied), the list in the middle (j/k to move, Enter to open, x to select), the warning's why and its loop on the
 * right. Supervisors assign (several at once, after a preview) and open the loop's audit views.
 */
export function MonitoringScreen() {
  const { t, i18n } = useTranslation();
  const role = useSessionStore((s) => s.session?.role);
  const supervisor = role === 'supervisor';
  const [filter, setFilter] = useState<WarningFilter>({});
  const [rows, setRows] = useState<Row[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [facets, setFacets] = useState<Facets | null>(null);
  const [audit, setAudit] = useState<CallOutput<'monitoring.audit'> | null>(null);
  const [status, setStatus] = useState<CallOutput<'monitoring.status'> | null>(null);
  const [cursor, setCursor] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [version, setVersion] = useState(0);

  // Each list, its facets and the loop's audit counts, for the current filter (again after every change).
  const load = useCallback(
    () =>
      void Promise.all([
        call('monitoring.page', { filter, offset: 0, limit: PAGE }),
        call('monitoring.facets', { filter }),
        call('monitoring.status', {}),
        supervisor ? call('monitoring.audit', {}) : Promise.resolve(null),
      ]).then(([page, f, s, a]) => {
        setError(null);
        setRows(page.rows);
        setTotal(page.total);
        setFacets(f);
        setStatus(s);
        setAudit(a);
      }, setError),
    [filter, supervisor],
  );
  useEffect(load, [load, version]);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      await call('monitoring.run', {});
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };

  const toggle = (key: 'level' | 'state', value: string) => {
    const current = (filter[key] ?? []) as string[];
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    setFilter({ ...filter, [key]: next.length ? next : undefined });
  };
  const pick = (key: 'signal' | 'divisionPrefix' | 'overdue' | 'assignee' | 'auditView', value: string) =>
    setFilter({ ...filter, [key]: filter[key] === value ? undefined : value });

  const onKey = (e: React.KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.altKey || e.ctrlKey || e.metaKey) return;
    const row = rows[cursor];
    if (e.key === 'j' || e.key === 'ArrowDown') setCursor(Math.min(cursor + 1, rows.length - 1));
    else if (e.key === 'k' || e.key === 'ArrowUp') setCursor(Math.max(cursor - 1, 0));
    else if (e.key === 'Enter' && row) setOpen(row.warningId);
    else if (e.key === 'Escape') setOpen(null);
    else if (e.key === 'x' && row) select(row.warningId);
    else return;
    e.preventDefault();
  };
  const select = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const facetList = (title: string, items: { value: string; count: number; label?: string }[] | undefined, name: (v: string, label?: string) => string, active: (v: string) => boolean, onPick: (v: string) => void) =>
    // No warning at all yet: an empty box under each heading looks like a broken field, so the headings wait too.
    status && !status.lastRun && !items?.length ? null : (
    <fieldset key={title}>
      <legend>{title}</legend>
      {(items ?? []).map((f) => (
        <label key={f.value} className="facet">
          <input type="checkbox" checked={active(f.value)} onChange={() => onPick(f.value)} /> {name(f.value, f.label)} <span className="count">{f.count}</span>
        </label>
      ))}
    </fieldset>
    );

  return (
    <section aria-labelledby="monitoring-title" className="inbox monitoring">
      <div className="inbox-head">
        <h1 id="monitoring-title">{t('monitoring.title')}</h1>
        <span role="status" data-testid="warnings-total">
          {total === null ? t('triage.loading') : t('monitoring.screen.total', { count: total })}
        </span>
        {status?.lastRun && <span className="hint">{t('monitoring.screen.lastRun', { time: showTime(status.lastRun.finishedAt), asOf: status.lastRun.asOf })}</span>}
        <span className="hint">{t('monitoring.screen.keys')}</span>
        <button type="button" className="push-right" onClick={() => setExporting(!exporting)} disabled={!total}>
          {t('exports.open')}
        </button>
        <button type="button" onClick={() => void run()} disabled={running}>
          {running ? t('monitoring.screen.running') : t('monitoring.screen.run')}
        </button>
      </div>
      {exporting && <WarningsExportForm filter={filter} total={total ?? 0} onClose={() => setExporting(false)} />}
      <ErrorNote error={error} />
      {supervisor && audit && (
        <div className="audit-views" role="group" aria-label={t('monitoring.screen.auditTitle')}>
          <span className="hint">{t('monitoring.screen.auditTitle')}</span>
          {audit.map((v) => (
            <button key={v.view} type="button" className={filter.auditView === v.view ? 'chip active' : 'chip'} aria-pressed={filter.auditView === v.view} onClick={() => pick('auditView', v.view)}>
              {t(`monitoring.auditViews.${v.view}`)} <strong>{v.count}</strong>
            </button>
          ))}
        </div>
      )}
      <div className={open ? 'inbox-body with-detail' : 'inbox-body'}>
        <div className="filters" aria-label={t('monitoring.screen.filters')}>
          {/* Before the first run there is nothing to filter by: the panel says when it will have something. */}
          {((lists) => (lists.some((l) => l !== null) ? lists : <p className="hint">{t('monitoring.screen.noFacets')}</p>))([
            facetList(t('monitoring.screen.level'), facets?.level, (v) => t(`monitoring.levels.${v}`), (v) => !!filter.level?.includes(v as never), (v) => toggle('level', v)),
            facetList(t('monitoring.screen.overdue'), facets?.overdue, (v) => t(`monitoring.screen.overdueFacet.${v}`), (v) => filter.overdue === v, (v) => pick('overdue', v)),
            facetList(t('monitoring.screen.state'), facets?.state, (v) => t(`monitoring.states.${v}`), (v) => !!filter.state?.includes(v as never), (v) => toggle('state', v)),
            facetList(t('monitoring.screen.signal'), facets?.signal, (v) => signalName(v, i18n.language), (v) => filter.signal === v, (v) => pick('signal', v)),
            facetList(t('monitoring.screen.street'), facets?.street, (v, label) => label ?? v, (v) => filter.divisionPrefix === v, (v) => pick('divisionPrefix', v)),
            facetList(t('monitoring.screen.assignee'), facets?.assignee, (v, label) => (v === 'none' ? t('monitoring.screen.unassigned') : label || t('monitoring.screen.formerMember')), (v) => filter.assignee === v, (v) => pick('assignee', v)),
          ])}
        </div>
        <div className="inbox-main">
          {supervisor && selected.size > 0 && <BulkAssign ids={[...selected]} onDone={() => { setSelected(new Set()); setVersion((v) => v + 1); }} />}
          <div className="table-scroll" tabIndex={0} onKeyDown={onKey} data-testid="warnings-table">
            <table className="data warnings" aria-label={t('monitoring.title')}>
              <thead>
                <tr>
                  <th aria-label={t('triage.select')} />
                  <th>{t('monitoring.screen.columns.level')}</th>
                  <th>{t('monitoring.screen.columns.signals')}</th>
                  <th>{t('monitoring.screen.columns.household')}</th>
                  <th>{t('monitoring.screen.columns.street')}</th>
                  <th>{t('monitoring.screen.columns.due')}</th>
                  <th>{t('monitoring.screen.columns.assignee')}</th>
                  <th>{t('monitoring.screen.columns.state')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr
                    key={r.warningId}
                    data-warning={r.warningId}
                    aria-selected={i === cursor}
                    className={`${i === cursor ? 'cursor' : ''}${open === r.warningId ? ' open' : ''}`}
                    onClick={() => {
                      setCursor(i);
                      setOpen(r.warningId);
                    }}
                  >
                    <td>
                      <input type="checkbox" aria-label={t('triage.select')} checked={selected.has(r.warningId)} onClick={(e) => e.stopPropagation()} onChange={() => select(r.warningId)} />
                    </td>
                    <td>
                      <Tag color={LEVEL_COLOURS[r.level]}>{t(`monitoring.levelsShort.${r.level}`)}</Tag>
                    </td>
                    <td className="ellipsis" title={r.signals.map((s) => signalName(s, i18n.language)).join(t('explain.listSeparator'))}>
                      {r.signals.map((s) => (open ? signalCause(s, i18n.language) : signalName(s, i18n.language))).join(t('explain.listSeparator'))}
                    </td>
                    <td className="ellipsis" title={`${r.headName ?? ''} ${r.headLabel ?? ''}`}>
                      {r.headName ?? ''} <span className="hint mono">{r.headLabel ?? ''}</span>
                    </td>
                    <td className="ellipsis" title={r.divisionName ?? ''}>{r.streetName ?? r.divisionName ?? ''}</td>
                    <td className={r.overdue ? 'overdue' : ''}>{dueText(r, t)}</td>
                    <td className="ellipsis">{r.assigneeName ?? ''}</td>
                    <td>{t(`monitoring.states.${r.state}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {total === 0 && (
              <p className="hint" data-testid="warnings-empty">
                {/* Before the first run there is nothing to filter: say so, and what produces warnings. */}
                {status && !status.lastRun ? t('monitoring.screen.neverRun') : t('monitoring.screen.empty')}
              </p>
            )}
            {total !== null && total > rows.length && <p className="hint">{t('monitoring.screen.more', { shown: rows.length, total })}</p>}
          </div>
        </div>
        {open && <WarningDetail key={open} warningId={open} onChanged={() => setVersion((v) => v + 1)} onClose={() => setOpen(null)} />}
      </div>
    </section>
  );
}

/** Days left or overdue, by the Beijing calendar (the service counts them). */
export function dueText(r: Pick<Row, 'daysLeft' | 'overdue' | 'state'>, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (r.daysLeft === null) return '—';
  const what = r.state === 'visited' ? t('monitoring.screen.toDecide') : t('monitoring.screen.toVisit');
  if (r.daysLeft < 0) return t('monitoring.screen.overdueDays', { what, days: -r.daysLeft });
  if (r.daysLeft === 0) return t('monitoring.screen.dueToday', { what });
  return t('monitoring.screen.daysLeft', { what, days: r.daysLeft });
}

/** Assigning the selected warnings: a preview says how many can be assigned and why the others cannot, then confirm. */
export function BulkAssign({ ids, onDone, title }: { ids: string[]; onDone(): void; title?: string }) {
  const { t } = useTranslation();
  const [members, setMembers] = useState<CallOutput<'team.members'>>([]);
  const [assignee, setAssignee] = useState<string | null>(null);
  const [preview, setPreview] = useState<CallOutput<'monitoring.assign'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    void call('team.members', {}).then((m) => setMembers(m.filter((x) => x.role === 'auditor' || x.role === 'supervisor')), setError);
  }, []);
  const ask = async (apply: boolean) => {
    if (!assignee) return;
    setError(null);
    try {
      const r = await call('monitoring.assign', { warningIds: ids, assigneeId: assignee, apply });
      setPreview(r);
      if (apply) onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="bulk card" role="group" aria-label={title ?? t('monitoring.screen.bulkTitle')}>
      {!title && <span>{t('monitoring.screen.selected', { count: ids.length })}</span>}
      <Select
        aria-label={t('monitoring.screen.assignTo')}
        placeholder={t('monitoring.screen.assignTo')}
        style={{ minWidth: '10rem' }}
        value={assignee ?? undefined}
        onChange={(v: string) => {
          setAssignee(v);
          setPreview(null);
        }}
        options={members.map((m) => ({ value: m.id, label: t('explain.words.aside', { what: m.displayName, detail: t(`roles.${m.role}`) }) }))}
      />
      <button type="button" disabled={!assignee} onClick={() => void ask(false)}>
        {t('monitoring.screen.preview')}
      </button>
      {preview && preview.applied === 0 && (
        <>
          <span role="status" data-testid="assign-preview">
            {t('monitoring.screen.previewResult', { total: preview.total, applicable: preview.applicable, name: preview.assigneeName })}
            {preview.byReason.map((r) => `${t('explain.words.itemSeparator')}${t('monitoring.screen.previewReason', { label: r.label, count: r.count })}`).join('')}
          </span>
          <Popconfirm title={t('monitoring.screen.confirmAssign', { count: preview.applicable, name: preview.assigneeName })} okText={t('common.yes')} cancelText={t('common.no')} onConfirm={() => void ask(true)} disabled={preview.applicable === 0}>
            <button type="button" disabled={preview.applicable === 0}>
              {t('monitoring.screen.assign')}
            </button>
          </Popconfirm>
        </>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
