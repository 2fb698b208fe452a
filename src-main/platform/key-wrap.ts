/**
 * Password → key-encryption key (scrypt, memory-hard) → AES-256-GCM wrap of a random workspace data key.
 *
 * The data key exists on disk only wrapped. A wrong password fails GCM authentication: no partial key,
 * no oracle beyond "wrong". The KDF parameters are stored with each wrapped key so they can be raised later.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';

export interface KdfParams {
  alg: 'scrypt';
  /** CPU/memory cost, a power of two; memory used is 128 · N · r bytes. */
  N: number;
  r: number;
  p: number;
  salt: string; // base64
}

/** 2^17 · 8 · 128 B = 128 MiB per derivation: OWASP's scrypt recommendation. */
export const DEFAULT_KDF_COST = { N: 2 ** 17, r: 8, p: 1 } as const;

export function newKdfParams(cost: { N: number; r: number; p: number } = DEFAULT_KDF_COST): KdfParams {
  return { alg: 'scrypt', ...cost, salt: randomBytes(16).toString('base64') };
}

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Runs off the main thread (libuv pool), so the UI transport stays responsive during a login. */
export function deriveKek(password: string, params: KdfParams): Promise<Buffer> {
  if (params.alg !== 'scrypt') throw new Error(`unsupported KDF ${params.alg}`);
  return scrypt(password, Buffer.from(params.salt, 'base64'), {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  });
}

const WRAP_VERSION = 1;

/** Layout: version(1) | iv(12) | tag(16) | ciphertext(32). `context` binds the blob to one account. */
export function wrapKey(kek: Uint8Array, dataKey: Uint8Array, context: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(`aw-key-wrap:v${WRAP_VERSION}:${context}`));
  const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([Buffer.from([WRAP_VERSION]), iv, cipher.getAuthTag(), ct]);
}

/** Returns the data key, or null when the KEK (i.e. the password) is wrong or the blob was altered. */
export function unwrapKey(kek: Uint8Array, wrapped: Uint8Array, context: string): Buffer | null {
  const blob = Buffer.from(wrapped);
  if (blob[0] !== WRAP_VERSION || blob.length !== 1 + 12 + 16 + 32) return null;
  const decipher = createDecipheriv('aes-256-gcm', kek, blob.subarray(1, 13));
  decipher.setAAD(Buffer.from(`aw-key-wrap:v${WRAP_VERSION}:${context}`));
  decipher.setAuthTag(blob.subarray(13, 29));
  try {
    return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
  } catch {
    return null;
  }
}
