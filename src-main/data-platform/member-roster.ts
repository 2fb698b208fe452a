/**
 * The platform's roster of member cards (domain/authorship.ts): which signing key speaks for which member, certified
 * with the platform's key so that workstations can check it against the key they pinned at enrolment.
 *
 * Cards arrive from enrolled devices (the upload's device MAC was checked before). The first key certified for an
 * account is pinned: a card naming the same account with another key is refused, so a device cannot take over a
 * colleague's identity. The same key with a new name or role (a renamed member) gets a certificate of its own.
 * Kept as an append-only log of certified cards, one JSON line each.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { memberCertificateMessage, type CertifiedMember, type MemberCard } from '../domain/authorship.js';
import { cardIsProven, parseMemberCard, type SignerRecord } from '../platform/authorship-check.js';
import { signBytes } from '../platform/signing.js';

/** At most this many cards per upload (a workstation's members). */
export const MAX_CARDS_PER_UPLOAD = 200;

export class MemberRoster {
  private readonly entries: CertifiedMember[] = [];
  private readonly pinned = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly signingKey: () => Buffer,
  ) {
    if (!existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      try {
        this.remember(JSON.parse(line) as CertifiedMember);
      } catch {
        // a line cut short by a crash was never acknowledged: the workstation announces the card again
      }
    }
  }

  private remember(m: CertifiedMember): void {
    if (!this.pinned.has(m.card.accountId)) this.pinned.set(m.card.accountId, m.card.signingKey);
    this.entries.push(m);
  }

  private holds(card: MemberCard): boolean {
    return this.entries.some((e) => e.card.accountId === card.accountId && e.card.signingKey === card.signingKey && e.card.name === card.name && e.card.role === card.role);
  }

  /** Certifies the cards a device announced; answers which positions were accepted (or already held) and why others were not. */
  announce(deviceId: string, cards: readonly unknown[], now: string): { accepted: number[]; refused: { index: number; reason: string }[] } {
    const accepted: number[] = [];
    const refused: { index: number; reason: string }[] = [];
    const lines: string[] = [];
    cards.forEach((raw, index) => {
      const item = raw as { card?: unknown; proof?: unknown } | null;
      const card = parseMemberCard(item?.card);
      if (!card || !cardIsProven(card, item?.proof)) return void refused.push({ index, reason: 'a card is { accountId, name, role, signingKey } with its holder\'s proof' });
      const pin = this.pinned.get(card.accountId);
      if (pin && pin !== card.signingKey) return void refused.push({ index, reason: 'MEMBER_KEY_PINNED: another key is certified for this member' });
      if (!this.holds(card)) {
        const body = { card, proof: item!.proof as string, deviceId, certifiedAt: now };
        const certified: CertifiedMember = { ...body, certificate: signBytes(this.signingKey(), memberCertificateMessage(body)).toString('base64') };
        this.remember(certified);
        lines.push(JSON.stringify(certified));
      }
      accepted.push(index);
    });
    if (lines.length) appendFileSync(this.file, lines.join('\n') + '\n', { mode: 0o600 });
    return { accepted, refused };
  }

  /** The keys that may sign for a member: the pinned one, with each name and role it was certified with. */
  signersOf(accountId: unknown): SignerRecord[] {
    if (typeof accountId !== 'string') return [];
    const pin = this.pinned.get(accountId);
    return this.entries.filter((e) => e.card.accountId === accountId && e.card.signingKey === pin).map((e) => ({ signingKey: e.card.signingKey, name: e.card.name, role: e.card.role }));
  }

  list(): CertifiedMember[] {
    return [...this.entries];
  }
}
