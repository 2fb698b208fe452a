/** Snapshot keys kept beside a file, as 64 hex digits (the CLI's and the platform's `--key-file`). */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Reads a 32-byte key stored as hex. */
export function loadKey(file: string): Buffer {
  if (!existsSync(file)) throw new Error(`key file ${file} does not exist`);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new Error(`${file} does not hold a 64-hex-digit key`);
  return key;
}

/** Reads a 32-byte key stored as hex, or creates one (owner-only) when the file does not exist. */
export function loadOrCreateKey(file: string): Buffer {
  if (existsSync(file)) return loadKey(file);
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 });
  return key;
}
