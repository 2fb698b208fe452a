/**
 * One process per data folder. Two processes appending to the same workspace would fork its audit chain, so a second
 * app (say `npm run serve` while the desktop app runs) is refused with a clear error. A lock left by a crashed
 * process (its pid is gone) is taken over.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(`the data folder ${dir} is in use by another workstation process (pid ${pid}); close it first`);
    this.name = 'DataDirInUseError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves a stale lock aside atomically. If, between our read and the rename, another process had already replaced it
 * with its own live lock, that lock is put back and we give up, so two processes never both hold the folder.
 */
function takeOverStale(file: string, stalePid: number): void {
  // A name unique to this attempt.
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it: just retry
    throw error;
  }
  const moved = Number(readFileSync(aside, 'utf8'));
  if (moved !== stalePid && alive(moved)) {
    try {
      linkSync(aside, file);
    } finally {
      rmSync(aside, { force: true });
    }
    throw new DataDirInUseError(file, moved);
  }
  rmSync(aside, { force: true });
}

export function lockDataDir(dir: string): { release(): void } {
  const file = join(dir, '.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let held = true;
      return {
        release: () => {
          if (held) rmSync(file, { force: true });
          held = false;
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirInUseError(dir, pid);
      takeOverStale(file, pid);
    }
  }
  throw new Error(`cannot lock the data folder ${dir}`);
}
