/**
 * Account grants: an account's role, scope and status, signed by the installation key.
 * The signature is checked at every login against the public key pinned inside the user's encrypted workspace.
 */
import { normalizeScope } from '../domain/division.js';
import type { Role } from '../domain/roles.js';
import { signBytes, verifyBytes } from '../platform/signing.js';

export interface Grant {
  id: string;
  username: string;
  role: Role;
  scope: string[];
  status: 'active' | 'disabled';
  grantVersion: number;
}

function grantBytes(g: Grant): Buffer {
  return Buffer.from(
    JSON.stringify(['aw-grant-v1', g.id, g.username.toLowerCase(), g.role, normalizeScope(g.scope), g.status, g.grantVersion]),
    'utf8',
  );
}

export function signGrant(privateKeyDer: Buffer, g: Grant): Buffer {
  return signBytes(privateKeyDer, grantBytes(g));
}

export function verifyGrant(publicKeyDer: Buffer, g: Grant, signature: Buffer): boolean {
  return verifyBytes(publicKeyDer, grantBytes(g), signature);
}
