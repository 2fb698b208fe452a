/**
 * Device keys: each enrolled workstation user holds an X25519 key pair (the private half only inside their encrypted
 * workspace). The platform wraps every snapshot's data key for each enrolled public key — ephemeral-static ECDH,
 * HKDF-SHA-256, AES-256-GCM — so a publication folder never holds a usable key in the clear.
 */
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';

export interface DeviceKeyPair {
  publicKeyDer: Buffer; // SPKI
  privateKeyDer: Buffer; // PKCS#8
}

export interface WrappedSnapshotKey {
  format: 1;
  deviceId: string;
  snapshotId: string;
  ephemeralPublicKey: string; // base64 SPKI
  iv: string;
  tag: string;
  ciphertext: string;
}

export function generateDeviceKeyPair(): DeviceKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKeyDer: publicKey.export({ format: 'der', type: 'spki' }), privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }) };
}

/** A short, stable name for a public key (also used as its file name in a publication). */
export function deviceIdOf(publicKeyDer: Buffer): string {
  return createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 32);
}

function kek(shared: Buffer, ephemeralPub: Buffer, devicePub: Buffer, snapshotId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralPub, devicePub]), `aw-snapshot-key:v1:${snapshotId}`, 32));
}

export function wrapForDevice(devicePublicKeyDer: Buffer, dataKey: Buffer, snapshotId: string): WrappedSnapshotKey {
  const eph = generateKeyPairSync('x25519');
  const ephPub = eph.publicKey.export({ format: 'der', type: 'spki' });
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: createPublicKey({ key: devicePublicKeyDer, format: 'der', type: 'spki' }) });
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek(shared, ephPub, devicePublicKeyDer, snapshotId), iv);
  cipher.setAAD(Buffer.from(snapshotId));
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return {
    format: 1,
    deviceId: deviceIdOf(devicePublicKeyDer),
    snapshotId,
    ephemeralPublicKey: ephPub.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

const WRAPPED_FIELDS = ['format', 'deviceId', 'snapshotId', 'ephemeralPublicKey', 'iv', 'tag', 'ciphertext'];

/**
 * Parses a wrapped-key file strictly: exactly the fields above, in the order written, with nothing else — so that any
 * change to the file, even to a field name or the format number, is refused rather than ignored.
 */
export function parseWrappedKey(text: string): WrappedSnapshotKey | null {
  try {
    const parsed = JSON.parse(text) as WrappedSnapshotKey;
    if (JSON.stringify(parsed) !== text || Object.keys(parsed).join() !== WRAPPED_FIELDS.join() || parsed.format !== 1) return null;
    // Canonical base64 of the exact lengths: Node's decoder would otherwise forgive a flipped padding bit.
    const exact: [string, number][] = [
      [parsed.ephemeralPublicKey, 44],
      [parsed.iv, 12],
      [parsed.tag, 16],
      [parsed.ciphertext, 32],
    ];
    if (!exact.every(([b64, n]) => isCanonicalBase64(b64, n)) || !/^[0-9a-f]{32}$/.test(parsed.deviceId)) return null;
    return parsed;
  } catch {
    return null;
  }
}

/** True when `text` is the one canonical base64 spelling of exactly `bytes` bytes. */
export function isCanonicalBase64(text: unknown, bytes: number): boolean {
  if (typeof text !== 'string') return false;
  const decoded = Buffer.from(text, 'base64');
  return decoded.length === bytes && decoded.toString('base64') === text;
}

/** The snapshot's data key, or null when the blob was not made for this device or was altered. */
export function unwrapForDevice(device: DeviceKeyPair, wrapped: WrappedSnapshotKey, snapshotId: string): Buffer | null {
  try {
    if (wrapped.snapshotId !== snapshotId || wrapped.deviceId !== deviceIdOf(device.publicKeyDer)) return null;
    const ephPub = Buffer.from(wrapped.ephemeralPublicKey, 'base64');
    const shared = diffieHellman({
      privateKey: createPrivateKey({ key: device.privateKeyDer, format: 'der', type: 'pkcs8' }),
      publicKey: createPublicKey({ key: ephPub, format: 'der', type: 'spki' }),
    });
    const decipher = createDecipheriv('aes-256-gcm', kek(shared, ephPub, device.publicKeyDer, snapshotId), Buffer.from(wrapped.iv, 'base64'));
    decipher.setAAD(Buffer.from(snapshotId));
    decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
    const key = Buffer.concat([decipher.update(Buffer.from(wrapped.ciphertext, 'base64')), decipher.final()]);
    return key.length === 32 ? key : null;
  } catch {
    return null;
  }
}

/** A human-checkable fingerprint of a public key: SHA-256, first 20 bytes, in groups of four hex digits. */
export function fingerprintOf(publicKeyDer: Buffer): string {
  return createHash('sha256').update(publicKeyDer).digest('hex').slice(0, 40).toUpperCase().match(/.{4}/g)!.join(' ');
}
