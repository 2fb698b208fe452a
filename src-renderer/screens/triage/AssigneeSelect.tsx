import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import { call } from '../../api/client';
import { Choice } from '../../components/Choice';

/** Who a case can go to: the team's auditors and supervisors (finance staff do not work cases). */
export function AssigneeSelect({ value, onChange }: { value: string; onChange(assigneeId: string): void }) {
  const { t } = useTranslation();
  const [members, setMembers] = useState<CallOutput<'team.members'>>([]);
  useEffect(() => {
    void call('team.members', {}).then(setMembers, () => undefined);
  }, []);
  return (
    <Choice
      label={t('triage.columns.assignee')}
      value={value}
      options={[{ value: '', label: t('triage.unassigned') }, ...members.filter((m) => m.role !== 'finance').map((m) => ({ value: m.id, label: m.displayName }))]}
      onChange={onChange}
    />
  );
}
