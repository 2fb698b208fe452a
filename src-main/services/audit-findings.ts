/**
 * Findings in an audit trail, named: an entry of a call about one finding has its fingerprint as target, which tells a
 * reader nothing. The entries' findings are looked up in one query, inside the reader's scope (a finding outside it —
 * an attempt refused, a colleague's area since narrowed — stays a fingerprint), and named as the inbox names them.
 * The fingerprint stays beside the name, for tracing.
 */
import { contract } from '../contract/contract.js';
import type { SnapshotDb } from '../store/snapshot/snapshot-db.js';
import type { TeamDb } from '../store/team/team-db.js';
import type { TermsLanguage } from '../platform/terms.js';
import type { SessionUser } from './sessions.js';
import type { FindingLabel, TriageService } from './triage/triage-service.js';

/** The calls about one finding, whose entries name it by its fingerprint (the contract's `scope: 'finding'`). */
export const aboutFinding = (action: string): boolean => (contract as Record<string, { scope?: string }>)[action]?.scope === 'finding';

export interface AuditFinding {
  fingerprint: string;
  label: FindingLabel | null;
}

/** For each entry, the finding it is about (null: none), resolved for `user`. */
export function findingsOfEntries(
  entries: readonly { action: string; target: string | null }[],
  o: { triage: TriageService; team: TeamDb | null; snapshot: SnapshotDb | null; user: SessionUser; language: TermsLanguage },
): (AuditFinding | null)[] {
  const about = entries.map((e) => (e.target !== null && aboutFinding(e.action) ? e.target : null));
  const fingerprints = about.filter((f): f is string => f !== null);
  const labels = fingerprints.length && o.team ? o.triage.findingLabels(o.team, o.snapshot, o.user, fingerprints, o.language) : new Map<string, FindingLabel>();
  return about.map((f) => (f === null ? null : { fingerprint: f, label: labels.get(f) ?? null }));
}
