/** SHA-256 of a file, read in 1 MiB blocks (snapshots are hundreds of megabytes). */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/** Feeds a whole file into a running hash (a resumed download hashes what it already holds, then the bytes that arrive). */
export function hashFileInto(hash: Hash, file: string): Hash {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash;
}

export function sha256File(file: string): string {
  return hashFileInto(createHash('sha256'), file).digest('hex');
}
