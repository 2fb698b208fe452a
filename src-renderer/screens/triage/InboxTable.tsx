import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { yuan } from '../../components/format';
import { isOwedRule, owedBenefits, ruleInfo } from '../../components/ruleName';
import { useInboxStore, type InboxSortView } from '../../state/inbox-store';

const ROW_HEIGHT = 34;
const COLUMNS: { key: string; sort?: InboxSortView['column']; className?: string }[] = [
  { key: 'select' },
  { key: 'priority', sort: 'priority', className: 'num' },
  { key: 'rule', sort: 'rule' },
  { key: 'subject', sort: 'name' },
  { key: 'division', sort: 'division' },
  { key: 'amount', sort: 'amount', className: 'num' },
  { key: 'change', sort: 'change' },
  { key: 'state', sort: 'state' },
  { key: 'assignee', sort: 'assignee' },
  { key: 'due', sort: 'due' },
];
/** Keyboard shortcuts that move the case under the cursor (the workflow still decides whether they are allowed). */
const STATE_KEYS: Record<string, 'in_review' | 'awaiting_verification' | 'escalated'> = { r: 'in_review', v: 'awaiting_verification', e: 'escalated' };

export function InboxTable() {
  const { t, i18n } = useTranslation();
  const s = useInboxStore();
  const scroller = useRef<HTMLDivElement>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const count = s.total ?? 0;
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual hands out new functions each render; nothing here is memoised on them
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();

  // Fetch the blocks the visible window needs.
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    // Generation 0 is before the screen's first load (InboxScreen starts it); fetching then would be thrown away.
    if (s.generation === 0) return;
    s.ensure(first);
    s.ensure(last);
  }, [first, last, s.generation]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (count > 0) virtualizer.scrollToIndex(s.cursor, { align: 'auto' });
  }, [s.cursor]); // eslint-disable-line react-hooks/exhaustive-deps

  const onKey = (e: React.KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.altKey || e.ctrlKey || e.metaKey) return;
    const row = s.rowAt(s.cursor);
    if (e.key === 'j' || e.key === 'ArrowDown') s.moveCursor(1);
    else if (e.key === 'k' || e.key === 'ArrowUp') s.moveCursor(-1);
    else if (e.key === 'Enter' && row) s.openFinding(row.fingerprint);
    else if (e.key === 'Escape') s.openFinding(null);
    else if (e.key === 'x' && row) s.toggle(row.fingerprint);
    else if (STATE_KEYS[e.key] && row) {
      setActionError(null);
      void call('case.bulk', { fingerprints: [row.fingerprint], command: { kind: 'transition', to: STATE_KEYS[e.key]! }, apply: true }).then(
        (r) => {
          if (!r.applied) return setActionError(new ApiError('CASE_REFUSED', '', { refusal: Object.keys(r.byReason)[0] }));
          s.refresh();
          if (s.open === row.fingerprint) s.reloadDetail();
        },
        setActionError,
      );
    } else return;
    e.preventDefault();
  };

  const header = (c: (typeof COLUMNS)[number]) => {
    const active = c.sort && s.sort.column === c.sort;
    return (
      <div role="columnheader" key={c.key} className={`cell col-${c.key} ${c.className ?? ''}`} aria-sort={active ? (s.sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
        {c.sort ? (
          <button type="button" className="link" onClick={() => s.setSort({ column: c.sort!, direction: active && s.sort.direction === 'desc' ? 'asc' : 'desc' })}>
            {t(`triage.columns.${c.key}`)}
            {active ? (s.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
          </button>
        ) : (
          t(`triage.columns.${c.key}`)
        )}
      </div>
    );
  };

  return (
    <div className="inbox-table" role="table" aria-label={t('triage.title')} aria-rowcount={count}>
      <ErrorNote error={actionError} />
      <div role="rowgroup">
        <div role="row" className="inbox-row head">
          {COLUMNS.map(header)}
        </div>
      </div>
      <div ref={scroller} className="inbox-scroller" tabIndex={0} onKeyDown={onKey} data-testid="inbox-scroller" role="rowgroup">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = s.rowAt(item.index);
            // 一人一案: the row is the person's case; it names every rule the case holds, the row's own first.
            const rules = row ? [row.ruleId, ...row.caseRuleIds.filter((id) => id !== row.ruleId)].map((id) => ruleInfo(id, i18n.language).name) : [];
            // 应享未享 names the benefit that seems missing; it is owed to the person, so it shows no amount at risk.
            const owed = row ? owedBenefits(row.ruleId, row.owedReasons, i18n.language) : null;
            if (owed) rules[0] = `${rules[0]}${t('common.colon')}${owed}`;
            const owedOnly = row !== undefined && !row.caseAmountCents && [row.ruleId, ...row.caseRuleIds].some(isOwedRule);
            return (
              <div
                role="row"
                key={item.key}
                aria-rowindex={item.index + 2}
                aria-selected={item.index === s.cursor}
                className={`inbox-row${item.index === s.cursor ? ' cursor' : ''}${row && s.open === row.fingerprint ? ' open' : ''}`}
                style={{ position: 'absolute', top: 0, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => {
                  s.setCursor(item.index);
                  if (row) s.openFinding(row.fingerprint);
                }}
                data-fingerprint={row?.fingerprint}
              >
                {row ? (
                  <>
                    <div role="cell" className="cell col-select">
                      <input type="checkbox" aria-label={t('triage.select')} checked={s.selected.has(row.fingerprint)} onClick={(e) => e.stopPropagation()} onChange={() => s.toggle(row.fingerprint)} />
                    </div>
                    <div role="cell" className="cell col-priority num">{row.priority.toFixed(0)}</div>
                    <div role="cell" className="cell col-rule" title={rules.join(t('explain.listSeparator'))}>
                      <span className={`sev sev-${row.severity}`} aria-hidden="true" /> {rules.join(t('explain.listSeparator'))}
                    </div>
                    <div role="cell" className="cell col-subject" title={`${row.subjectName ?? ''} ${row.subjectLabel}`}>
                      {row.subjectName ?? ''} <span className="mono hint">{row.subjectLabel}</span>
                    </div>
                    <div role="cell" className="cell col-division" title={t('explain.words.division', { name: row.divisionName ?? '', code: row.divisionCode })}>
                      {row.divisionName ?? row.divisionCode}
                    </div>
                    <div role="cell" className="cell col-amount num" title={owedOnly ? t('triage.owedHint') : yuan(row.caseAmountCents, i18n.language)}>
                      {owedOnly ? t('triage.owed') : yuan(row.caseAmountCents, i18n.language)}
                    </div>
                    <div role="cell" className="cell col-change">{t(`triage.change.${row.change}`)}</div>
                    <div
                      role="cell"
                      className="cell col-state"
                      title={[t(`triage.states.${row.caseState}`), row.pendingTo ? t('triage.pending') : '', row.conflict ? t('triage.conflict') : ''].filter(Boolean).join(' · ')}
                    >
                      {t(`triage.states.${row.caseState}`)}
                      {row.pendingTo && <span className="badge warn">{t('triage.pending')}</span>}
                      {row.conflict && <span className="badge warn">{t('triage.conflict')}</span>}
                    </div>
                    <div role="cell" className="cell col-assignee" title={row.assigneeName ?? ''}>
                      {row.assigneeName ?? ''}
                    </div>
                    <div role="cell" className="cell col-due">{row.dueDate ?? ''}</div>
                  </>
                ) : (
                  <div role="cell" className="cell hint">…</div>
                )}
              </div>
            );
          })}
        </div>
      </div>
      {s.total === 0 && <p className="hint">{t('triage.empty')}</p>}
    </div>
  );
}
