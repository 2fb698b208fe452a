/**
 * What the exchange service does with one authenticated upload (serve.ts checked the bearer token, the device and its
 * MAC): each kind is checked, then stored in ONE transaction together with its line in the upload journal. A refusal
 * throws inside the transaction, so an upload is applied whole or not at all — never half — and a retried upload (same
 * body, same ids) finds its rows and changes nothing.
 *
 *   member-key       cards certified into the roster (member-roster.ts)
 *   case-events      each signed by its author (a member the roster holds); added to the feed once per event id, under
 *                    its case's jurisdiction (the first uploader's); a device outside that jurisdiction is refused.
 *   audit-head       anchored only if the entries extend the device's last head under its signing keys
 *   export-register  the exporter signed the entry; its scope must lie inside the device's jurisdiction
 *   outbox           kept as sent
 */
import { createHash } from 'node:crypto';
import { parseAuditEntry, verifyExtension, type AnchoredHead, type AuditEntry } from '../domain/audit-chain.js';
import { canonicalReceipt, type SignedAuditReceipt } from '../domain/audit-receipt.js';
import type { CaseEvent } from '../domain/cases/case-workflow.js';
import { scopeInJurisdiction, visibleTo } from '../domain/exchange/jurisdiction.js';
import { caseEventRefusal, exportEntryRefusal } from '../platform/authorship-check.js';
import { signBytes } from '../platform/signing.js';
import type { DeviceRecord, ExchangeQueries } from '../store/exchange/exchange-queries.js';
import type { ExchangeStore } from '../store/exchange/exchange-store.js';
import { announceMembers, MAX_CARDS_PER_UPLOAD } from './member-roster.js';

export const UPLOAD_KINDS = new Set(['audit-head', 'outbox', 'case-events', 'export-register', 'member-key']);
/** Audit entries per head upload (the workstation sends a long stretch in several uploads). */
const MAX_AUDIT_ENTRIES = 2000;
/** Case events per upload (the workstation sends 500 at a time). */
const MAX_CASE_EVENTS = 2000;

/** Thrown inside the upload's transaction: nothing of the upload is kept, and serve.ts logs the refusal. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 403,
    message: string,
  ) {
    super(message);
  }
}

export interface UploadContext {
  exchange: ExchangeStore;
  device: DeviceRecord;
  kind: string;
  parsed: Record<string, unknown>;
  body: Buffer;
  now: string;
  signingKey: () => Buffer;
}

export interface UploadAnswer {
  status: 201 | 409;
  answer: Record<string, unknown>;
}

export async function acceptUpload(c: UploadContext): Promise<UploadAnswer> {
  const receipt = createHash('sha256').update(c.body).digest('hex');
  return c.exchange.transaction(async (q) => {
    const { status, answer, items } = await storeKind(q, c);
    await q.recordUpload({ deviceId: c.device.deviceId, kind: c.kind, receipt, at: c.now, items, body: c.kind === 'outbox' ? c.parsed : undefined });
    return { status, answer: { receipt, ...answer } };
  });
}

async function storeKind(q: ExchangeQueries, c: UploadContext): Promise<UploadAnswer & { items: number }> {
  const { parsed, device } = c;
  switch (c.kind) {
    case 'member-key': {
      const cards = parsed.cards;
      if (!Array.isArray(cards) || cards.length === 0 || cards.length > MAX_CARDS_PER_UPLOAD) {
        throw new UploadRefused(400, `expected JSON { deviceId, cards: [1…${MAX_CARDS_PER_UPLOAD} { card, proof }] }`);
      }
      return { status: 201, answer: await announceMembers(q, device, cards, c.now, c.signingKey()), items: cards.length };
    }
    case 'case-events':
      return { status: 201, answer: {}, items: await storeCaseEvents(q, c) };
    case 'audit-head':
      return storeAuditHead(q, c);
    case 'export-register':
      return { status: 201, answer: {}, items: await storeExportPart(q, c) };
    default:
      return { status: 201, answer: {}, items: 1 };
  }
}

async function storeCaseEvents(q: ExchangeQueries, c: UploadContext): Promise<number> {
  const events = c.parsed.events;
  if (!Array.isArray(events) || events.length > MAX_CASE_EVENTS) throw new UploadRefused(400, `expected JSON { deviceId, events: [at most ${MAX_CASE_EVENTS}] }`);
  const signers = await q.signersOf([...new Set(events.map((e) => (e as CaseEvent | null)?.actorId).filter((id): id is string => typeof id === 'string'))]);
  // Each event must be signed by its author, a member whose card the roster holds, with the name and role claimed.
  for (const [i, event] of events.entries()) {
    const e = event as CaseEvent | null;
    const malformed = !e || typeof e !== 'object' || typeof e.eventId !== 'string' || e.eventId.length > 64 || typeof e.fingerprint !== 'string' || e.fingerprint.length > 64 || !e.body;
    const why = malformed ? 'malformed' : caseEventRefusal(e, signers.get(e.actorId) ?? []);
    if (why) throw new UploadRefused(400, `CASE_EVENT_REFUSED: event ${i} (${typeof e?.eventId === 'string' ? e.eventId.slice(0, 64) : '?'}): ${why}`);
  }
  const valid = events as CaseEvent[];
  // A case belongs to the jurisdiction it first travelled under: a device outside it may not write into it, and a
  // device above it (a district's supervisor on a county's case) writes under the case's jurisdiction, so that the
  // county's devices see the decision. A new case travels under the uploading device's jurisdiction.
  await q.lockFeed();
  const owners = await q.caseJurisdictions([...new Set(valid.map((e) => e.fingerprint))]);
  for (const e of valid) {
    const owner = owners.get(e.fingerprint);
    if (owner && !visibleTo(owner, c.device.jurisdiction)) {
      throw new UploadRefused(403, `OUT_OF_JURISDICTION: event ${e.eventId.slice(0, 64)} belongs to a case of ${owner.join(',')}, this device works for ${c.device.jurisdiction.join(',')}`);
    }
  }
  await q.appendCaseEvents(c.device.deviceId, valid, (e) => owners.get(e.fingerprint) ?? c.device.jurisdiction, c.now);
  return valid.length;
}

/**
 * Anchors a head, given the entries since the last one: refused (409, with the last receipt) when it is behind or
 * differs at what this device reported before, or when the entries do not extend that head under its signing keys — a
 * chain rewritten on the laptop, however long, is not anchored. The device's head is locked for the transaction, so two
 * nodes never anchor over each other.
 */
async function storeAuditHead(q: ExchangeQueries, c: UploadContext): Promise<UploadAnswer & { items: number }> {
  const head = c.parsed as { seq?: unknown; hash?: unknown; entries?: unknown };
  const entries = Array.isArray(head.entries) && head.entries.length <= MAX_AUDIT_ENTRIES ? head.entries.map(parseAuditEntry) : null;
  if (!Number.isInteger(head.seq) || (head.seq as number) < 1 || typeof head.hash !== 'string' || !/^[0-9a-f]{64}$/.test(head.hash) || !entries || entries.includes(null)) {
    throw new UploadRefused(400, `expected JSON { deviceId, seq, hash, entries: [the audit entries since the last anchored head, at most ${MAX_AUDIT_ENTRIES}] }`);
  }
  const seq = head.seq as number;
  const deviceId = c.device.deviceId;
  const items = entries.length;
  await q.lockHead(deviceId);
  const last = await q.head(deviceId);
  const lastReceipt = last?.receipt as SignedAuditReceipt | undefined;
  const answered = (status: 201 | 409, receipt: SignedAuditReceipt, error?: string) => ({ status, answer: { signed: receipt, ...(error ? { error } : {}) }, items });
  if (last && lastReceipt && seq === last.seq && head.hash === last.hash) return answered(201, lastReceipt);
  if (last && lastReceipt && seq <= last.seq) return answered(409, lastReceipt, 'ROLLED_BACK');
  const from: AnchoredHead | null = last ? { seq: last.seq, hash: last.hash, nextKey: last.nextKey } : null;
  const extension = verifyExtension(from, entries as AuditEntry[]);
  if (!extension.head) {
    const why = `NOT_AN_EXTENSION: entry ${extension.firstBreak.seq} does not continue the anchored chain (${extension.firstBreak.reason})`;
    if (lastReceipt) return answered(409, lastReceipt, why);
    throw new UploadRefused(400, why);
  }
  if (extension.head.seq !== seq || extension.head.hash !== head.hash) throw new UploadRefused(400, 'the entries end elsewhere than the head they come with');
  const body = { deviceId, seq, hash: head.hash, receivedAt: c.now };
  const receipt: SignedAuditReceipt = { body, signature: signBytes(c.signingKey(), canonicalReceipt(body)).toString('base64') };
  await q.addAuditEntries(deviceId, entries as AuditEntry[]);
  await q.saveHead(deviceId, { seq, hash: head.hash, nextKey: extension.head.nextKey, receipt }, c.now);
  return answered(201, receipt);
}

async function storeExportPart(q: ExchangeQueries, c: UploadContext): Promise<number> {
  const { parsed } = c;
  const entry = parsed.entry as Record<string, unknown> | null;
  if (!entry || typeof entry !== 'object' || typeof entry.exportId !== 'string' || entry.exportId.length > 64 || !Array.isArray(parsed.marks) || !Number.isInteger(parsed.part ?? 0)) {
    throw new UploadRefused(400, 'expected JSON { deviceId, entry: { exportId, … }, part, marks: [...] }');
  }
  const exportId = entry.exportId;
  // The exporter signed who exported what and why, and the finished file: the register cannot be written in their name.
  const why = exportEntryRefusal(entry, (await q.signersOf(typeof entry.userId === 'string' ? [entry.userId] : [])).get(entry.userId as string) ?? []);
  if (why) throw new UploadRefused(400, `EXPORT_ENTRY_REFUSED: ${exportId.slice(0, 64)}: ${why}`);
  const scope = Array.isArray(entry.scope) ? entry.scope.filter((s): s is string => typeof s === 'string') : [];
  if (!scopeInJurisdiction(scope, c.device.jurisdiction)) {
    throw new UploadRefused(403, `OUT_OF_JURISDICTION: export ${exportId.slice(0, 64)} covers ${scope.join(',') || 'no stated scope'}, this device works for ${c.device.jurisdiction.join(',')}`);
  }
  await q.addExportPart({ exportId, deviceId: c.device.deviceId, jurisdiction: c.device.jurisdiction, entry, part: (parsed.part as number | undefined) ?? 0, marks: parsed.marks, at: c.now });
  return parsed.marks.length;
}
