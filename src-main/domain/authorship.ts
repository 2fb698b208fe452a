/**
 * Authorship that travels: what a member signs so that colleagues on *other* workstations can tell who wrote a case
 * event or opened an export, without trusting the platform's storage or anyone holding its token.
 *
 * - Every member (auditor, supervisor, finance) holds an Ed25519 **signing key** inside their encrypted workspace.
 * - Their **member card** (account id, name, role, public key) is signed by that key (the proof) and recorded in the
 *   team store of their own workstation. A workstation announces its members' cards to the platform in an upload that
 *   carries its device MAC; the platform **certifies** each card with its own signing key (pinned by every workstation at
 *   enrolment) and pins the key to the account: a later card with another key for the same account is refused.
 * - A **case event** is signed over its canonical form; an **export register entry** is signed when it opens (who,
 *   what, why) and when it is completed (rows, file hash).
 *
 * These functions only spell the signed bytes; signing and checking live with the keys (platform/signing.ts).
 */
import { canonicalJson } from './canonical-json.js';
import type { CaseEvent } from './cases/case-workflow.js';
import { toCarrier, type WarningEvent } from './monitoring/warning-loop.js';
import type { Role } from './roles.js';

export type MemberRole = Exclude<Role, 'admin'>;

export interface MemberCard {
  accountId: string;
  name: string;
  role: MemberRole;
  /** base64 SPKI of the member's Ed25519 signing key */
  signingKey: string;
}

/** A card as the platform certified it (every field is covered by `certificate`). */
export interface CertifiedMember {
  card: MemberCard;
  /** The member's own signature over memberCardMessage(card), base64. */
  proof: string;
  /** The enrolled device that announced the card. */
  deviceId: string;
  certifiedAt: string;
  /** The platform's signature over memberCertificateMessage(…), base64. */
  certificate: string;
}

export function memberCardMessage(c: MemberCard): Buffer {
  return Buffer.from(JSON.stringify(['aw-member-card-v1', c.accountId, c.name, c.role, c.signingKey]), 'utf8');
}

export function memberCertificateMessage(m: Omit<CertifiedMember, 'certificate'>): Buffer {
  return Buffer.from(JSON.stringify(['aw-member-cert-v1', m.deviceId, m.certifiedAt, m.card.accountId, m.card.name, m.card.role, m.card.signingKey, m.proof]), 'utf8');
}

/** What a case event's author signs: every field of the event, the body in canonical JSON. */
export function caseEventMessage(e: Omit<CaseEvent, 'signature'>): Buffer {
  return Buffer.from(JSON.stringify(['aw-case-event-v1', e.eventId, e.fingerprint, e.actorId, e.actorName, e.actorRole, e.at, e.parent, canonicalJson(e.body)]), 'utf8');
}

/**
 * What a monitoring warning's event is signed over: its carrier in the case feed (warning-loop.ts toCarrier), so that the
 * platform and every workstation verify it as they verify a case event; the carrier's body kind ('warning') keeps the
 * two apart.
 */
export function warningEventMessage(e: Omit<WarningEvent, 'signature'>): Buffer {
  return caseEventMessage(toCarrier(e));
}

/** The facts of an export fixed when it opens, before its first row is written. */
export const EXPORT_OPENING_FIELDS = [
  'exportId',
  'createdAt',
  'userId',
  'username',
  'displayName',
  'kind',
  'format',
  'purpose',
  'recipient',
  'query',
  'scope',
  'columns',
  'masking',
  'tag',
  'auditHead',
  'approvalId',
] as const;

export function exportOpeningMessage(entry: Readonly<Record<(typeof EXPORT_OPENING_FIELDS)[number], unknown>>): Buffer {
  const facts = Object.fromEntries(EXPORT_OPENING_FIELDS.map((k) => [k, entry[k] ?? null]));
  return Buffer.from(JSON.stringify(['aw-export-open-v1', canonicalJson(facts)]), 'utf8');
}

export function exportClosingMessage(c: { exportId: string; rowCount: number; fileName: string; fileSha256: string }): Buffer {
  return Buffer.from(JSON.stringify(['aw-export-close-v1', c.exportId, c.rowCount, c.fileName, c.fileSha256]), 'utf8');
}

/** Why an event from the platform's feed was not applied (kept aside, shown to supervisors). */
export const CASE_EVENT_REFUSALS = ['malformed', 'unsigned', 'unknown_member', 'bad_signature', 'actor_mismatch'] as const;
export type CaseEventRefusal = (typeof CASE_EVENT_REFUSALS)[number];
