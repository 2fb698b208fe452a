/**
 * The platform's roster of member cards (domain/authorship.ts): which signing key speaks for which member, certified
 * with the platform's key so that workstations can check it against the key they pinned at enrolment.
 *
 * Cards arrive from enrolled devices (the upload's device MAC was checked before). The first key certified for an
 * account is pinned (a row of member_pin, so two nodes racing to pin agree): a card naming the same account with another
 * key is refused, so a device cannot take over a colleague's identity. The same key with a new name or role (a renamed
 * member) gets a certificate of its own. Each card is recorded with the jurisdictions of the devices that announced it;
 * devices read the cards announced within their own jurisdiction.
 */
import { memberCertificateMessage, type CertifiedMember } from '../domain/authorship.js';
import { cardIsProven, parseMemberCard } from '../platform/authorship-check.js';
import { signBytes } from '../platform/signing.js';
import type { ExchangeQueries } from '../store/exchange/exchange-queries.js';
import type { DeviceRecord } from '../store/exchange/exchange-queries.js';

/** At most this many cards per upload (a workstation's members). */
export const MAX_CARDS_PER_UPLOAD = 200;

/** Certifies the cards a device announced; answers which positions were accepted (or already held) and why others were not. */
export async function announceMembers(
  q: ExchangeQueries,
  device: DeviceRecord,
  cards: readonly unknown[],
  now: string,
  signingKey: Buffer,
): Promise<{ accepted: number[]; refused: { index: number; reason: string }[] }> {
  const accepted: number[] = [];
  const refused: { index: number; reason: string }[] = [];
  for (const [index, raw] of cards.entries()) {
    const item = raw as { card?: unknown; proof?: unknown } | null;
    const card = parseMemberCard(item?.card);
    if (!card || !cardIsProven(card, item?.proof)) {
      refused.push({ index, reason: "a card is { accountId, name, role, signingKey } with its holder's proof" });
      continue;
    }
    const pinned = await q.pinMember(card.accountId, card.signingKey);
    if (pinned !== card.signingKey) {
      refused.push({ index, reason: 'MEMBER_KEY_PINNED: another key is certified for this member' });
      continue;
    }
    if (!(await q.holdsMemberCard(card))) {
      const body = { card, proof: item!.proof as string, deviceId: device.deviceId, certifiedAt: now };
      const certified: CertifiedMember = { ...body, certificate: signBytes(signingKey, memberCertificateMessage(body)).toString('base64') };
      await q.addMemberCard({ ...card, deviceId: device.deviceId, jurisdiction: device.jurisdiction, certified });
    } else {
      // Held already (announced from elsewhere): devices of this jurisdiction receive it too from now on.
      await q.announceMemberCard(card, device.jurisdiction);
    }
    accepted.push(index);
  }
  return { accepted, refused };
}
