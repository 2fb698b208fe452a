/**
 * Ed25519 signatures for account grants (who has which role and scope).
 *
 * The registry that lists accounts is not encrypted (it must be readable before anyone logs in), so each account's
 * role and scope are signed by the installation key, whose public half is pinned inside every encrypted workspace.
 * Editing the registry to widen a role or scope makes the next login fail instead of granting more.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

export interface SigningKeyPair {
  publicKeyDer: Buffer; // SPKI
  privateKeyDer: Buffer; // PKCS#8
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyDer: publicKey.export({ format: 'der', type: 'spki' }),
    privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

export function signBytes(privateKeyDer: Buffer, message: Buffer): Buffer {
  return sign(null, message, createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' }));
}

export function verifyBytes(publicKeyDer: Buffer, message: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, message, createPublicKey({ key: publicKeyDer, format: 'der', type: 'spki' }), signature);
  } catch {
    return false;
  }
}
