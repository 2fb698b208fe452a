import { App, Popconfirm } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import type { InboxFilterInput } from '../../../src-main/contract/triage-schemas';
import { call } from '../../api/client';
import { ruleInfo } from '../../components/ruleName';
import { useInboxStore } from '../../state/inbox-store';
import { useSessionStore } from '../../state/session-store';
import { Choice } from '../../components/Choice';

type ListKey = 'ruleIds' | 'families' | 'caseStates' | 'changes';
type Views = CallOutput<'inbox.views'>;

/** Filters with the count each value would give; saved views; the division tree of the user's scope. */
export function FilterPanel() {
  const { t, i18n } = useTranslation();
  const role = useSessionStore((s) => s.session?.role);
  const { filter, divisionPrefix, sort, facets, setFilter, replace } = useInboxStore();
  const [divisions, setDivisions] = useState<{ code: string; name: string }[]>([]);
  const [views, setViews] = useState<Views>([]);
  const [text, setText] = useState(filter.text ?? '');
  const [viewName, setViewName] = useState('');
  const toast = App.useApp().message;
  useEffect(() => {
    void call('inbox.divisions', {}).then(setDivisions, () => undefined);
    void call('inbox.views', {}).then(setViews, () => undefined);
  }, []);
  // Typing searches after a short pause, not on every key.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if ((filter.text ?? '') !== text) setFilter({ text: text || undefined });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [text]); // eslint-disable-line react-hooks/exhaustive-deps

  const toggleIn = (key: ListKey, value: string) => {
    const current = (filter[key] as string[] | undefined) ?? [];
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    setFilter({ [key]: next } as Partial<InboxFilterInput>);
  };
  const facetList = (title: string, key: ListKey, values: { value: string; count: number; label?: string }[] | undefined, label: (v: string) => string) => (
    <fieldset>
      <legend>{title}</legend>
      {(values ?? []).map((f) => (
        <label key={f.value} className="check facet">
          <input type="checkbox" checked={((filter[key] as string[] | undefined) ?? []).includes(f.value)} onChange={() => toggleIn(key, f.value)} />
          {label(f.value)} <span className="count">{f.count}</span>
        </label>
      ))}
    </fieldset>
  );

  return (
    <aside className="filters" aria-label={t('triage.filters')}>
      <div className="field">
        <span>{t('triage.views')}</span>
        <ul className="plain views" aria-label={t('triage.views')}>
          {views.map((v) => (
            <li key={v.name}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  setText(v.filter.text ?? '');
                  replace(v.filter, v.divisionPrefix, v.sort);
                }}
              >
                {v.name}
              </button>
              <Popconfirm
                title={t('triage.confirmDeleteView', { name: v.name })}
                okText={t('triage.deleteViewOk')}
                cancelText={t('common.cancel')}
                onConfirm={() =>
                  call('inbox.deleteView', { name: v.name }).then((next) => {
                    setViews(next);
                    void toast.success(t('triage.viewDeleted', { name: v.name }));
                  })
                }
              >
                <button type="button" className="link" aria-label={t('triage.deleteView', { name: v.name })}>
                  ×
                </button>
              </Popconfirm>
            </li>
          ))}
        </ul>
        <div className="row">
          <input aria-label={t('triage.viewName')} placeholder={t('triage.viewName')} value={viewName} onChange={(e) => setViewName(e.target.value)} />
          <button
            type="button"
            disabled={!viewName.trim()}
            onClick={() => void call('inbox.saveView', { view: { name: viewName.trim(), filter, ...(divisionPrefix ? { divisionPrefix } : {}), sort } }).then((v) => (setViews(v), setViewName('')))}
          >
            {t('triage.saveView')}
          </button>
        </div>
      </div>
      <div className="field">
        <label htmlFor="inbox-text">{t('triage.search')}</label>
        <input id="inbox-text" type="search" value={text} placeholder={t('triage.searchHint')} onChange={(e) => setText(e.target.value)} />
      </div>
      <div className="quick row">
        <button type="button" aria-pressed={filter.assignee === 'me'} onClick={() => setFilter({ assignee: filter.assignee === 'me' ? undefined : 'me' })}>
          {t('triage.mine')}
        </button>
        <button type="button" aria-pressed={!!filter.pendingApproval} onClick={() => setFilter({ pendingApproval: filter.pendingApproval ? undefined : true })}>
          {role === 'supervisor' ? t('triage.toApprove') : t('triage.pending')}
        </button>
        <button type="button" aria-pressed={!!filter.conflict} onClick={() => setFilter({ conflict: filter.conflict ? undefined : true })}>
          {t('triage.conflict')}
        </button>
      </div>
      <div className="field">
        <label htmlFor="inbox-division">{t('triage.division')}</label>
        <Choice
          id="inbox-division"
          label={t('triage.division')}
          value={divisionPrefix ?? ''}
          onChange={(v) => setFilter({}, v || null)}
          style={{ width: '100%' }}
          options={[
            { value: '', label: t('triage.allDivisions') },
            ...divisions.map((d) => {
              // Streets are stored as 9-digit codes padded with 000; the filter takes the street's prefix.
              const street = d.code.endsWith('000');
              const value = street ? d.code.slice(0, 9) : d.code;
              const count = facets?.division.find((f) => f.value === value)?.count;
              return { value, label: `${street ? '' : '\u00a0\u00a0\u00a0'}${d.name}${count !== undefined ? ` (${count})` : ''}` };
            }),
          ]}
        />
      </div>
      <div className="field">
        <label htmlFor="inbox-state">{t('triage.findingState')}</label>
        <Choice<'open' | 'resolved' | 'all'>
          id="inbox-state"
          label={t('triage.findingState')}
          value={filter.findingState ?? 'open'}
          onChange={(v) => setFilter({ findingState: v === 'open' ? undefined : v })}
          style={{ width: '100%' }}
          options={(['open', 'resolved', 'all'] as const).map((v) => ({ value: v, label: t(`triage.findingStates.${v}`) }))}
        />
      </div>
      <div className="field">
        <label htmlFor="inbox-min">{t('triage.minAmount')}</label>
        <input
          id="inbox-min"
          key={filter.minAmountCents ?? 'none'}
          type="number"
          min={0}
          step={100}
          defaultValue={filter.minAmountCents !== undefined ? filter.minAmountCents / 100 : ''}
          onBlur={(e) => setFilter({ minAmountCents: e.target.value ? Math.round(Number(e.target.value) * 100) : undefined })}
        />
      </div>
      {facetList(t('triage.columns.change'), 'changes', facets?.change, (v) => t(`triage.change.${v}`))}
      {facetList(t('triage.columns.state'), 'caseStates', facets?.caseState, (v) => t(`triage.states.${v}`))}
      {facetList(t('checks.family'), 'families', facets?.family, (v) => t(`checks.families.${v}`, { defaultValue: v }))}
      {facetList(t('triage.columns.rule'), 'ruleIds', facets?.rule, (v) => ruleInfo(v, i18n.language).name)}
      <fieldset>
        <legend>{t('triage.columns.assignee')}</legend>
        {(facets?.assignee ?? []).map((f) => (
          <label key={f.value} className="check facet">
            <input type="radio" name="assignee" checked={filter.assignee === f.value} onChange={() => setFilter({ assignee: f.value })} />
            {f.value === 'none' ? t('triage.unassigned') : f.label} <span className="count">{f.count}</span>
          </label>
        ))}
        {filter.assignee && (
          <button type="button" className="link" onClick={() => setFilter({ assignee: undefined })}>
            {t('triage.anyAssignee')}
          </button>
        )}
      </fieldset>
    </aside>
  );
}
