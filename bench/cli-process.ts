/**
 * The six seed rules as issue 16 counts them: the whole `cli check --rules …` process, as an operator starts it, timed
 * from outside (process start, module loading, opening the snapshot, the two rule threads, writing the JSON report).
 * Two ways to start it: `bundled`, the shipped build (`npm run build:cli` → `node out/cli/main.js`, built once per bench
 * process from the current sources), and `tsx`, `npm run cli` in development, which transpiles the TypeScript as it
 * loads. bench/profile-run.ts also times the same rules inside one process (opening and threads included, process start
 * and the report file not), the figure earlier sessions quoted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');

/** How the command line is started: the bundled build (as shipped) or the TypeScript sources through tsx. */
export type CliVia = 'bundled' | 'tsx';

let bundleBuilt = false;

/** Builds out/cli/ from the current sources (scripts/build-cli.mjs, about a second), once per process; its main.js. */
export function buildCliBundle(): string {
  if (!bundleBuilt) {
    execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    bundleBuilt = true;
  }
  return join(root, 'out/cli/main.js');
}

export interface CliProcessTime {
  /** Wall time of the whole process, best of the runs. */
  ms: number;
  /** Every run's wall time, in order. */
  runs: number[];
  /** CPU seconds of the best run: the process and its threads (user + system). */
  cpuSeconds: number;
}

/** CPU seconds used so far by this process's finished (waited-for) children: /proc/self/stat's cutime + cstime. */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17, in clock ticks (100/s).
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) / 100;
}

/** Runs `cli check --snapshot file --rules …` `runs` times, started `via` the bundle or tsx, with the key in a temporary owner-only file. */
export function timeCliCheck(file: string, key: Uint8Array, rules: readonly string[], runs = 2, via: CliVia = 'bundled'): CliProcessTime {
  const start = via === 'bundled' ? [buildCliBundle()] : ['--import', 'tsx', join(root, 'src-main/shells/cli/main.ts')];
  const dir = mkdtempSync(join(dirname(file), 'cli-'));
  try {
    const keyFile = join(dir, 'snapshot.key');
    writeFileSync(keyFile, Buffer.from(key).toString('hex') + '\n', { mode: 0o600 });
    const args = [...start, 'check', '--snapshot', file, '--key-file', keyFile, '--rules', rules.join(','), '--json', join(dir, 'report.json')];
    const times: { ms: number; cpuSeconds: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const cpu = childrenCpuSeconds();
      const t = performance.now();
      const run = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      const ms = Math.round(performance.now() - t);
      if (run.status !== 0) throw new Error(`cli check (${via}) failed (${run.status}): ${run.stderr}`);
      times.push({ ms, cpuSeconds: +(childrenCpuSeconds() - cpu).toFixed(2) });
    }
    const best = times.reduce((a, b) => (b.ms < a.ms ? b : a));
    return { ms: best.ms, runs: times.map((t) => t.ms), cpuSeconds: best.cpuSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What one bundled library run reports (bench/library-run-child.ts). */
export interface BundledLibraryRun {
  /** Wall time of runChecks, best of the runs. */
  ms: number;
  runs: number[];
  /** CPU seconds of the best run, the process's threads included. */
  cpuSeconds: number;
  findings: number;
}

let libraryBundle: string | undefined;

/**
 * The full library on `file`, run `runs` times, each in a fresh process of the bundled build (bench/library-run-child.ts
 * beside the bundled workers, in a scratch folder next to the snapshot, removed afterwards).
 */
export async function timeBundledLibraryRun(file: string, key: Uint8Array, runs = 2): Promise<BundledLibraryRun> {
  const dir = mkdtempSync(join(dirname(file), 'library-run-'));
  try {
    if (!libraryBundle) {
      // The bundle must sit inside the repository (beside node_modules) for its external packages to resolve.
      libraryBundle = join(root, 'out', 'bench-library-run');
      const script = pathToFileURL(join(root, 'scripts/build-cli.mjs')).href;
      const { buildCli } = (await import(script)) as { buildCli: (outdir: string, o: object) => Promise<unknown> };
      await buildCli(libraryBundle, { sourcemap: false, extraEntries: { 'library-run': 'bench/library-run-child.ts' } });
    }
    const keyFile = join(dir, 'snapshot.key');
    writeFileSync(keyFile, Buffer.from(key).toString('hex') + '\n', { mode: 0o600 });
    const results: { ms: number; cpuSeconds: number; findings: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const run = spawnSync(process.execPath, [join(libraryBundle, 'library-run.js'), file, keyFile], { cwd: root, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`bundled library run failed (${run.status}): ${run.stderr}`);
      results.push(JSON.parse(run.stdout.trim().split('\n').pop()!));
    }
    const best = results.reduce((a, b) => (b.ms < a.ms ? b : a));
    return { ms: best.ms, runs: results.map((r) => r.ms), cpuSeconds: best.cpuSeconds, findings: best.findings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
