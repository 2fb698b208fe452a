/**
 * 一人一案: which case a finding belongs to. Every finding about the same person (死亡未停保 and 死亡后发放, 户籍迁出 and
 * 退出后发放 …) belongs to that person's one case, so the person is looked at, decided on and counted once. A finding
 * about no person (a record's data-quality problem) is a case of its own, keyed by its fingerprint.
 *
 * The key is derived, not stored by anyone: every workstation computes the same key for the same person, so case events
 * from colleagues land on the same case. It is a digest (like a finding's fingerprint), so the events that travel
 * through the platform name no ID number.
 */
import { createHash } from 'node:crypto';

export function caseKeyFor(personId: string | null | undefined, fingerprint: string): string {
  if (!personId) return fingerprint;
  return createHash('sha256').update(`aw-case-person-v1|${personId}`).digest('hex').slice(0, 32);
}
