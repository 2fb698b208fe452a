/**
 * LibreOffice headless, as a leaker or a careful recipient would use it: re-save a workbook, or save it as CSV.
 * `.ci/run` installs it (libreoffice-calc-nogui); without it these tests fail rather than pass vacuously.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

/** LibreOffice's CSV export: comma, double quote, UTF-8 (76), first line as is. */
const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1';

/**
 * Converts many files in one LibreOffice start (one start takes about a second; a file after that, a few tens of ms).
 * Returns the converted files, in the order given.
 */
export function convertWithLibreOffice(files: readonly string[], to: 'xlsx' | 'csv', outDir: string): string[] {
  if (!SOFFICE) throw new Error('LibreOffice is not installed: apt-get install -y libreoffice-calc-nogui (.ci/run does this)');
  mkdirSync(outDir, { recursive: true });
  // A profile of its own: parallel test files must not share (and lock) one.
  const profile = mkdtempSync(join(tmpdir(), 'aw-lo-profile-'));
  try {
    for (let i = 0; i < files.length; i += 100) {
      execFileSync(SOFFICE, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', to === 'csv' ? CSV_FILTER : 'xlsx', '--outdir', outDir, ...files.slice(i, i + 100)], {
        stdio: 'ignore',
        timeout: 300_000,
      });
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return files.map((f) => {
    const out = join(outDir, basename(f).replace(/\.[^.]+$/, `.${to}`));
    if (!existsSync(out)) throw new Error(`LibreOffice did not convert ${f}`);
    return out;
  });
}
