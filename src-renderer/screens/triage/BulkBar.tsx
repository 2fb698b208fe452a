import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../src-main/contract/contract';
import type { CaseCommandInput } from '../../../src-main/contract/triage-schemas';
import { call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useAsyncAction } from '../../components/useAsyncAction';
import { useInboxStore } from '../../state/inbox-store';
import { AssigneeSelect } from './AssigneeSelect';
import { useSessionStore } from '../../state/session-store';
import { Choice } from '../../components/Choice';

type Bulk = CallOutput<'case.bulk'>;
const ACTIONS = ['in_review', 'escalated', 'assign_me', 'assign', 'dismissed'] as const;
export const DISMISS_REASONS = ['data_error', 'not_same_person', 'already_stopped', 'policy_allows', 'timing', 'other'] as const;

/** Bulk actions on the selected findings: a preview first (what would apply, what would be refused and why), then apply. */
export function BulkBar() {
  const { t } = useTranslation();
  const session = useSessionStore((s) => s.session);
  const { selected, clearSelection, refresh } = useInboxStore();
  const [action, setAction] = useState<(typeof ACTIONS)[number]>('in_review');
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState<(typeof DISMISS_REASONS)[number]>('data_error');
  const [result, setResult] = useState<{ for: string; bulk: Bulk } | null>(null);
  const { busy, error, run } = useAsyncAction();
  // A preview belongs to the selection and action it was made for; changing either hides it.
  const signature = `${[...selected].join(',')}|${action}|${assignee}|${reason}`;
  const preview = result?.for === signature ? result.bulk : null;
  if (session?.role === 'finance') return null;
  if (selected.size === 0) {
    // After applying, the selection is gone; say what was done until the user dismisses it.
    if (result?.for !== 'applied') return null;
    return (
      <div className="bulk card" role="status" data-testid="bulk-applied">
        {t('triage.bulk.applied', { count: result.bulk.applied })}
        {Object.entries(result.bulk.byReason).map(([reasonCode, n]) => (
          <span key={reasonCode} className="badge warn">
            {t(`triage.refusals.${reasonCode}`, { defaultValue: reasonCode })}: {n}
          </span>
        ))}
        <button type="button" aria-label={t('triage.detail.close')} onClick={() => setResult(null)}>
          ×
        </button>
      </div>
    );
  }

  const command = (): CaseCommandInput => {
    if (action === 'assign_me') return { kind: 'assign', assigneeId: session!.userId };
    if (action === 'assign') return { kind: 'assign', assigneeId: assignee || null };
    if (action === 'dismissed') return { kind: 'transition', to: 'dismissed', reasonCode: reason };
    return { kind: 'transition', to: action };
  };
  const send = (apply: boolean) =>
    run(async () => {
      const bulk = await call('case.bulk', { fingerprints: [...selected], command: command(), apply });
      setResult({ for: apply ? 'applied' : signature, bulk });
      if (apply) {
        clearSelection();
        refresh();
      }
    });

  return (
    <div className="bulk card" role="region" aria-label={t('triage.bulk.title')}>
      <strong>{t('triage.bulk.selected', { count: selected.size })}</strong>
      <Choice<(typeof ACTIONS)[number]> label={t('triage.bulk.action')} value={action} options={ACTIONS.map((a) => ({ value: a, label: t(`triage.bulk.actions.${a}`) }))} onChange={setAction} />
      {action === 'assign' && <AssigneeSelect value={assignee} onChange={setAssignee} />}
      {action === 'dismissed' && (
        <Choice<(typeof DISMISS_REASONS)[number]> label={t('triage.case.reason')} value={reason} options={DISMISS_REASONS.map((r) => ({ value: r, label: t(`triage.reasons.${r}`) }))} onChange={setReason} />
      )}
      <button type="button" disabled={busy} onClick={() => void send(false)}>
        {t('triage.bulk.preview')}
      </button>
      <button type="button" className="primary" disabled={busy || !preview || preview.applicable === 0 || preview.applied > 0} onClick={() => void send(true)}>
        {t('triage.bulk.apply')}
      </button>
      <button type="button" onClick={clearSelection}>
        {t('common.cancel')}
      </button>
      {preview && (
        <p role="status" data-testid="bulk-preview">
          {t('triage.bulk.wouldApply', { applicable: preview.applicable, total: preview.total })}
          {Object.entries(preview.byReason).map(([reasonCode, n]) => (
            <span key={reasonCode} className="badge warn">
              {t(`triage.refusals.${reasonCode}`, { defaultValue: reasonCode })}: {n}
            </span>
          ))}
        </p>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
