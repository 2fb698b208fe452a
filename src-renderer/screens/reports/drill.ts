/**
 * Drill-down from a chart to the findings behind it: the inbox opens with the filter that lists exactly what the
 * chart counted (report-service.ts computes each figure with the same conditions).
 */
import type { InboxFilterInput } from '../../../src-main/contract/triage-schemas';
import { useInboxStore } from '../../state/inbox-store';
import { useNavStore } from '../../state/nav-store';

export function drillToInbox(filter: InboxFilterInput, divisionPrefix?: string, sort: 'priority' | 'amount' = 'priority'): void {
  useInboxStore.getState().replace(filter, divisionPrefix, { column: sort, direction: 'desc' });
  useNavStore.getState().go('inbox');
}

/** Unsettled case states: what "open cases" means on the dashboard. */
export const UNSETTLED = ['new', 'in_review', 'awaiting_verification', 'confirmed', 'escalated'] as const;

export const yuan = (cents: number, language: string) =>
  (cents / 100).toLocaleString(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
