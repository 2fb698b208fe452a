/** Members' signing keys for tests that drive stores and services without a workspace (services/member-signing.ts). */
import { memberCardMessage, type MemberCard, type MemberRole } from '../../src-main/domain/authorship.js';
import { generateSigningKeyPair, signBytes } from '../../src-main/platform/signing.js';
import type { MemberSigner } from '../../src-main/services/member-signing.js';

export function testSigner(accountId: string, name: string, role: MemberRole): MemberSigner {
  const pair = generateSigningKeyPair();
  const sign = (message: Buffer) => signBytes(pair.privateKeyDer, message).toString('base64');
  const card: MemberCard = { accountId, name, role, signingKey: pair.publicKeyDer.toString('base64') };
  return { card, proof: sign(memberCardMessage(card)), sign };
}
