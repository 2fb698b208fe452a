/**
 * Checks a signed case event or export register entry against the keys recorded for its author (domain/authorship.ts).
 * The platform runs it on every upload and each workstation again on every event it merges: the same rule in both.
 */
import {
  caseEventMessage,
  exportClosingMessage,
  exportOpeningMessage,
  EXPORT_OPENING_FIELDS,
  memberCardMessage,
  memberCertificateMessage,
  type CaseEventRefusal,
  type CertifiedMember,
  type MemberCard,
} from '../domain/authorship.js';
import type { CaseEvent } from '../domain/cases/case-workflow.js';
import { isCanonicalBase64 } from './device-keys.js';
import { verifyBytes } from './signing.js';

/** A key that may sign for a member, with the name and role it was recorded with. */
export interface SignerRecord {
  signingKey: string;
  name: string;
  role: string;
}

const verifies = (key: string, message: Buffer, signature: unknown) =>
  isCanonicalBase64(signature, 64) && verifyBytes(Buffer.from(key, 'base64'), message, Buffer.from(signature as string, 'base64'));

/** Null when the event is signed by one of its actor's keys, recorded with the name and role the event claims. */
export function caseEventRefusal(event: CaseEvent, signers: readonly SignerRecord[]): Exclude<CaseEventRefusal, 'malformed'> | null {
  if (!event.signature) return 'unsigned';
  if (signers.length === 0) return 'unknown_member';
  const message = caseEventMessage(event);
  const keys = new Set(signers.map((s) => s.signingKey).filter((k) => verifies(k, message, event.signature)));
  if (keys.size === 0) return 'bad_signature';
  return signers.some((s) => keys.has(s.signingKey) && s.name === event.actorName && s.role === event.actorRole) ? null : 'actor_mismatch';
}

/** Null when the exporter signed the entry's opening facts and, for a completed file, its row count and hash. */
export function exportEntryRefusal(entry: Record<string, unknown>, signers: readonly SignerRecord[]): string | null {
  if (signers.length === 0) return 'the exporter is not a member the platform knows';
  const opening = exportOpeningMessage(entry as Record<(typeof EXPORT_OPENING_FIELDS)[number], unknown>);
  const key = signers.map((s) => s.signingKey).find((k) => verifies(k, opening, entry.openingSignature));
  if (!key) return 'the opening facts are not signed by the exporter';
  if (entry.status !== 'complete') return null;
  const { exportId, rowCount, fileName, fileSha256 } = entry;
  if (typeof exportId !== 'string' || typeof rowCount !== 'number' || typeof fileName !== 'string' || typeof fileSha256 !== 'string') return 'a completed export names its rows and file';
  return verifies(key, exportClosingMessage({ exportId, rowCount, fileName, fileSha256 }), entry.closingSignature) ? null : 'the completed file is not signed by the exporter';
}

const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** A member card of exactly the expected shape, or null. */
export function parseMemberCard(raw: unknown): MemberCard | null {
  const c = raw as Record<string, unknown> | null;
  if (!c || typeof c !== 'object' || Array.isArray(c) || Object.keys(c).sort().join() !== 'accountId,name,role,signingKey') return null;
  if (!text(c.accountId, 64) || !text(c.name, 64) || !['auditor', 'supervisor', 'finance'].includes(c.role as string) || !isCanonicalBase64(c.signingKey, 44)) return null;
  return { accountId: c.accountId, name: c.name, role: c.role as MemberCard['role'], signingKey: c.signingKey as string };
}

/** A card carries its holder's proof: signed by the key it names. */
export function cardIsProven(card: MemberCard, proof: unknown): boolean {
  return verifies(card.signingKey, memberCardMessage(card), proof);
}

/** The roster entries the platform certified under its pinned key, each with its holder's proof; the rest are counted. */
export function certifiedMembers(entries: readonly unknown[], platformKey: Buffer): { members: CertifiedMember[]; refused: number } {
  const members: CertifiedMember[] = [];
  let refused = 0;
  for (const entry of entries) {
    const e = entry as Partial<Record<keyof CertifiedMember, unknown>> | null;
    const card = e && typeof e === 'object' ? parseMemberCard(e.card) : null;
    const ok =
      card &&
      typeof e!.deviceId === 'string' &&
      /^[0-9a-f]{32}$/.test(e!.deviceId) &&
      text(e!.certifiedAt, 40) &&
      cardIsProven(card, e!.proof) &&
      isCanonicalBase64(e!.certificate, 64);
    const m = ok ? ({ card: card!, proof: e!.proof, deviceId: e!.deviceId, certifiedAt: e!.certifiedAt, certificate: e!.certificate } as CertifiedMember) : null;
    if (m && verifyBytes(platformKey, memberCertificateMessage(m), Buffer.from(m.certificate, 'base64'))) members.push(m);
    else refused++;
  }
  return { members, refused };
}
