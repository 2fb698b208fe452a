import { Button, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InboxFilterInput } from '../../../src-main/contract/triage-schemas';
import { yuan } from '../../components/format';
import { ruleInfo } from '../../components/ruleName';
import { useInboxStore } from '../../state/inbox-store';

type ListKey = 'ruleIds' | 'families' | 'caseStates' | 'changes';

/** The filters in force, each a chip that removes it, and 清除筛选: nothing filters the list unseen. */
export function FilterChips() {
  const { t, i18n } = useTranslation();
  const { filter, divisionPrefix, setFilter, replace, sort } = useInboxStore();
  const chips: { key: string; label: string; remove: () => void }[] = [];
  const list = (key: ListKey, label: (v: string) => string) => {
    for (const v of (filter[key] as string[] | undefined) ?? []) {
      chips.push({ key: `${key}:${v}`, label: label(v), remove: () => setFilter({ [key]: ((filter[key] as string[]) ?? []).filter((x) => x !== v) } as Partial<InboxFilterInput>) });
    }
  };
  list('ruleIds', (v) => ruleInfo(v, i18n.language).name);
  list('families', (v) => t(`checks.families.${v}`));
  list('caseStates', (v) => t(`triage.states.${v}`));
  list('changes', (v) => t(`triage.change.${v}`));
  const flag = (key: keyof InboxFilterInput, label: string) => {
    if (filter[key] !== undefined) chips.push({ key, label, remove: () => setFilter({ [key]: undefined } as Partial<InboxFilterInput>) });
  };
  if (filter.text) flag('text', t('triage.chips.text', { text: filter.text }));
  if (filter.assignee) flag('assignee', filter.assignee === 'me' ? t('triage.chips.mine') : t('triage.chips.assignee'));
  if (filter.minAmountCents !== undefined) flag('minAmountCents', t('triage.chips.minAmount', { amount: yuan(filter.minAmountCents, i18n.language) }));
  if (filter.pendingApproval) flag('pendingApproval', t('triage.chips.pending'));
  if (filter.conflict) flag('conflict', t('triage.chips.conflict'));
  if (filter.findingState && filter.findingState !== 'open') flag('findingState', t(`triage.findingStates.${filter.findingState}`));
  if (filter.firstRunFrom !== undefined || filter.firstRunTo !== undefined) flag('firstRunFrom', t('triage.chips.runs'));
  if (divisionPrefix) chips.push({ key: 'division', label: t('triage.chips.division', { code: divisionPrefix }), remove: () => setFilter({}, null) });
  if (chips.length === 0) return null;
  return (
    <div className="filter-chips" role="region" aria-label={t('triage.chips.title')} data-testid="filter-chips">
      <span className="hint">{`${t('triage.chips.title')}${t('common.colon')}`}</span>
      {chips.map((c) => (
        <Tag key={c.key} closable onClose={(e) => (e.preventDefault(), c.remove())}>
          {c.label}
        </Tag>
      ))}
      <Button size="small" type="link" onClick={() => replace({}, undefined, sort)}>
        {t('triage.chips.clear')}
      </Button>
    </div>
  );
}
