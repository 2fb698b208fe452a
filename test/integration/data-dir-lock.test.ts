import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError } from '../../src-main/store/data-dir-lock.js';
import { createWorkstation } from '../../src-main/services/workstation.js';
import { makeBench, TEST_KDF, type TestBench } from '../helpers/workstation.js';

describe('one process per data folder', () => {
  let b: TestBench;
  afterEach(() => b.cleanup());

  it('refuses a second workstation on the same folder, and takes over a lock left by a dead process', () => {
    b = makeBench();
    expect(() => createWorkstation({ dataDir: b.dir, transport: 'http', kdfCost: TEST_KDF })).toThrow(DataDirInUseError);
    b.ws.close();
    writeFileSync(join(b.dir, '.lock'), String(process.ppid)); // another live process took the folder meanwhile
    b.ws.close(); // closing twice must not remove that lock
    expect(readFileSync(join(b.dir, '.lock'), 'utf8')).toBe(String(process.ppid));
    expect(() => createWorkstation({ dataDir: b.dir, transport: 'http', kdfCost: TEST_KDF })).toThrow(DataDirInUseError);
    writeFileSync(join(b.dir, '.lock'), '999999999'); // left by a process that no longer exists
    b.ws = createWorkstation({ dataDir: b.dir, transport: 'http', kdfCost: TEST_KDF });
    expect(readFileSync(join(b.dir, '.lock'), 'utf8')).toBe(String(process.pid));
  });
});
