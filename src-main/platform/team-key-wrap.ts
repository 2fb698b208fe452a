/**
 * Wrapping the team store's key from one member to another, authenticated: the key-encryption key mixes an
 * ephemeral ECDH with a static one between the sender's and the recipient's member keys (X25519), so only a holder
 * of a member key can produce a wrap a recipient accepts — and the recipient learns which member key sent it, which
 * the caller then checks against the installation's signature on that key.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import type { DeviceKeyPair } from './device-keys.js';

interface WrapFile {
  format: 1;
  from: string; // sender's member public key, base64 SPKI
  ephemeral: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

const pub = (der: Buffer) => createPublicKey({ key: der, format: 'der', type: 'spki' });
const priv = (der: Buffer) => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });

function kek(ephemeralShared: Buffer, staticShared: Buffer, ephemeralPub: Buffer, fromPub: Buffer, toPub: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.concat([ephemeralShared, staticShared]), Buffer.concat([ephemeralPub, fromPub, toPub]), `aw-team-key:v1:${label}`, 32));
}

export function wrapTeamKey(from: DeviceKeyPair, toPublicKeyDer: Buffer, key: Buffer, label: string): string {
  const eph = generateKeyPairSync('x25519');
  const ephPub = eph.publicKey.export({ format: 'der', type: 'spki' });
  const ephemeralShared = diffieHellman({ privateKey: eph.privateKey, publicKey: pub(toPublicKeyDer) });
  const staticShared = diffieHellman({ privateKey: priv(from.privateKeyDer), publicKey: pub(toPublicKeyDer) });
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek(ephemeralShared, staticShared, ephPub, from.publicKeyDer, toPublicKeyDer, label), iv);
  cipher.setAAD(Buffer.from(label));
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
  const file: WrapFile = {
    format: 1,
    from: from.publicKeyDer.toString('base64'),
    ephemeral: ephPub.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
  return JSON.stringify(file);
}

/** The key, and the member key that wrapped it; null for anything malformed, altered or not meant for `me`. */
export function unwrapTeamKey(me: DeviceKeyPair, text: string, label: string): { key: Buffer; fromPublicKeyDer: Buffer } | null {
  try {
    const w = JSON.parse(text) as WrapFile;
    if (w.format !== 1) return null;
    const fromPub = Buffer.from(w.from, 'base64');
    const ephPub = Buffer.from(w.ephemeral, 'base64');
    const ephemeralShared = diffieHellman({ privateKey: priv(me.privateKeyDer), publicKey: pub(ephPub) });
    const staticShared = diffieHellman({ privateKey: priv(me.privateKeyDer), publicKey: pub(fromPub) });
    const decipher = createDecipheriv('aes-256-gcm', kek(ephemeralShared, staticShared, ephPub, fromPub, me.publicKeyDer, label), Buffer.from(w.iv, 'base64'));
    decipher.setAAD(Buffer.from(label));
    decipher.setAuthTag(Buffer.from(w.tag, 'base64'));
    const key = Buffer.concat([decipher.update(Buffer.from(w.ciphertext, 'base64')), decipher.final()]);
    return key.length === 32 ? { key, fromPublicKeyDer: fromPub } : null;
  } catch {
    return null;
  }
}
