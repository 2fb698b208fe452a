/**
 * The snapshots a workstation user holds, in one folder:
 *
 *   current.json           { current, previous } — the pointer, replaced atomically (write, fsync, rename, fsync dir)
 *   <snapshotId>.db        installed snapshots (the current one and the one before it; a delta sync may change the one
 *                          before it in place into the next, after releasePrevious())
 *   downloads/             partial and finished downloads (ciphertext only), kept for resuming
 *
 * A snapshot file is complete and verified before the pointer names it, and the previous one is kept until the next
 * install succeeds, so a crash at any moment leaves a pointer to a whole, verified snapshot (or to none at all).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface InstalledSnapshot {
  snapshotId: string;
  file: string; // name inside the folder
  asOf: string;
  jurisdiction: string[];
  contentDigest: string;
  installedAt: string;
}

interface Pointer {
  current: InstalledSnapshot | null;
  previous: InstalledSnapshot | null;
}

function fsyncPath(path: string, flags: 'r' | 'r+' = 'r'): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class LocalSnapshots {
  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'downloads'), { recursive: true, mode: 0o700 });
  }

  get downloadsDir(): string {
    return join(this.dir, 'downloads');
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  private pointer(): Pointer {
    const file = join(this.dir, 'current.json');
    if (!existsSync(file)) return { current: null, previous: null };
    return JSON.parse(readFileSync(file, 'utf8')) as Pointer;
  }

  current(): InstalledSnapshot | null {
    return this.pointer().current;
  }

  previous(): InstalledSnapshot | null {
    return this.pointer().previous;
  }

  /** Makes `next` current, installed at the instant given. Its file must already be complete, verified and in the folder. */
  install(next: Omit<InstalledSnapshot, 'installedAt'>, installedAt: string): InstalledSnapshot {
    fsyncPath(join(this.dir, next.file));
    const old = this.pointer().current;
    const installed = { ...next, installedAt };
    this.writePointer({ current: installed, previous: old && old.snapshotId !== next.snapshotId ? old : this.previous() });
    this.prune();
    return installed;
  }

  /**
   * Stops naming the previous snapshot and returns it (null if there is none): its file may then be consumed, changed in
   * place into the next snapshot by a delta. The current snapshot stays named and untouched, so a crash from here on
   * still leaves it in use.
   */
  releasePrevious(): InstalledSnapshot | null {
    const { current, previous } = this.pointer();
    if (previous) this.writePointer({ current, previous: null });
    return previous;
  }

  /** The pointer, replaced atomically: written to a temporary file, flushed, renamed, and the folder flushed. */
  private writePointer(pointer: Pointer): void {
    const tmp = join(this.dir, 'current.json.tmp');
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(pointer, null, 2));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, 'current.json'));
    fsyncPath(this.dir);
  }

  /** Removes snapshot files the pointer no longer names and leftovers of interrupted work (not partial downloads). */
  prune(): void {
    const { current, previous } = this.pointer();
    const keep = new Set([current?.file, previous?.file, 'current.json', 'downloads'].filter(Boolean));
    for (const f of readdirSync(this.dir)) if (!keep.has(f)) rmSync(join(this.dir, f), { force: true, recursive: true });
  }
}
