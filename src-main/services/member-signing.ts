/**
 * A member's signing key (domain/authorship.ts): Ed25519, made at the first need and kept inside the member's
 * encrypted workspace, so only that member, logged in, can sign case events and export register entries as themselves.
 */
import { memberCardMessage, type MemberCard, type MemberRole } from '../domain/authorship.js';
import type { Role } from '../domain/roles.js';
import { generateSigningKeyPair, signBytes } from '../platform/signing.js';
import type { WorkspaceDb } from '../store/workspace/workspace-db.js';

const PRIVATE = 'member_signing_private_key';
const PUBLIC = 'member_signing_public_key';

export interface MemberSigner {
  card: MemberCard;
  /** The member's signature over their card (so a card cannot be announced for a key its holder never had). */
  proof: string;
  sign(message: Buffer): string;
}

export function memberSigner(workspace: WorkspaceDb, member: { id: string; displayName: string; role: Role }): MemberSigner {
  if (member.role === 'admin') throw new Error('administrators sign no case events or exports');
  let privateKeyDer = workspace.getSecret(PRIVATE);
  let publicKeyDer = workspace.getSecret(PUBLIC);
  if (!privateKeyDer || !publicKeyDer) {
    const pair = generateSigningKeyPair();
    workspace.setSecret(PRIVATE, pair.privateKeyDer);
    workspace.setSecret(PUBLIC, pair.publicKeyDer);
    ({ privateKeyDer, publicKeyDer } = pair);
  }
  const key = privateKeyDer;
  const sign = (message: Buffer) => signBytes(key, message).toString('base64');
  const role: MemberRole = member.role;
  const card: MemberCard = { accountId: member.id, name: member.displayName, role, signingKey: publicKeyDer.toString('base64') };
  return { card, proof: sign(memberCardMessage(card)), sign };
}
