/**
 * Opaque person references: what screens hold instead of ID numbers. A reference is the ID number encrypted with a
 * key that lives only in this process (AES-256-GCM with a synthetic IV derived from the ID, so one person always gets
 * the same reference and a list can link rows to profiles). References stop working when the app restarts; the full
 * ID number reaches a screen only through the audited "reveal".
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export class PersonRefs {
  private readonly key: Buffer;
  private readonly ivKey: Buffer;

  constructor(secret: Buffer = randomBytes(64)) {
    this.key = secret.subarray(0, 32);
    this.ivKey = secret.subarray(32, 64);
  }

  toRef(personId: string): string {
    const iv = createHmac('sha256', this.ivKey).update(personId).digest().subarray(0, 12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(personId, 'utf8'), cipher.final()]);
    return 'p_' + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The ID number behind a reference, or null for anything this process did not issue. */
  fromRef(ref: string): string | null {
    try {
      const raw = Buffer.from(ref.slice(2), 'base64url');
      if (!ref.startsWith('p_') || raw.length < 12 + 16 + 1) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
