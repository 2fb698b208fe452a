/**
 * Builds the command line as an operator would run it: one bundled JavaScript build in out/cli/ (`node out/cli/main.js
 * check …`), instead of `npm run cli`, which transpiles the TypeScript through tsx on every start (about 0.5 s of a
 * `cli check` process; docs/performance.md "The bundled command line").
 *
 *   node scripts/build-cli.mjs [OUTDIR]       (or $AW_CLI_OUTDIR; default out/cli)
 *
 * - Entries: the CLI and the worker modules started with platform/worker-start.ts `startModuleWorker`. A bundled
 *   caller loads `./<name>.js` beside its own module, and with code splitting the caller is a chunk, so the chunks
 *   and the workers sit together in OUTDIR (no chunk folder).
 * - `splitting`: each command's `await import(...)` stays a separate chunk, loaded only when that command runs.
 * - External (loaded from node_modules at run time): native and WebAssembly packages, and packages that read their
 *   own files beside their module (pdfkit's data/ through import.meta.url), and exceljs (see CLI_EXTERNAL). The build stays inside the repository
 *   (out/ is beside node_modules), so Node finds them there, as it finds the font that platform/pdf-stamp.ts resolves
 *   with createRequire.
 * - The banner gives bundled CommonJS packages (exceljs, csv-*, yauzl…) a `require` for Node's built-ins, which an
 *   ES module does not have.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

export const CLI_EXTERNAL = [
  // Native (.node) or WebAssembly (.wasm) packages.
  'better-sqlite3-multiple-ciphers',
  '@duckdb/*',
  'pg',
  'pg-native',
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  // Reads data files beside its module (js/data/*.icc, the standard fonts' metrics) through import.meta.url.
  'pdfkit',
  'pdfkit/*',
  // CommonJS with old dependencies (archiver's `new Buffer()`): Node warns about those only outside node_modules, so
  // bundled they would print a DeprecationWarning on every xlsx written. Loaded only by the commands that write xlsx.
  'exceljs',
  // Only under tsx: worker-start.ts resolves tsx at run time, for .ts callers (never from the bundle).
  'tsx',
  'electron',
];

/**
 * Builds the CLI into `outdir` (emptied first); returns esbuild's metafile. `extraEntries` ({ name: source }) are bundled
 * beside it the same way (the benchmark's bundled library run, bench/library-run-child.ts: never shipped in out/cli).
 */
export async function buildCli(outdir = resolve(root, 'out/cli'), { sourcemap = true, logLevel = 'warning', extraEntries = {} } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      main: 'src-main/shells/cli/main.ts',
      'snapshot-worker': 'src-main/store/snapshot-threads/snapshot-worker.ts',
      'feed-worker': 'src-main/data-platform/feed-worker.ts',
      ...extraEntries,
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Chunks beside the entries (see above): `chunk-<hash>.js` in OUTDIR itself.
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.js' },
    external: CLI_EXTERNAL,
    sourcemap: sourcemap ? 'linked' : false,
    banner: { js: "import { createRequire as __awCreateRequire } from 'node:module'; const require = __awCreateRequire(import.meta.url);" },
    metafile: true,
    logLevel,
    legalComments: 'none',
  });
  return result.metafile;
}

if (import.meta.url === `file://${process.argv[1]}` || resolve(process.argv[1] ?? '') === import.meta.filename) {
  const outdir = resolve(process.argv[2] ?? process.env.AW_CLI_OUTDIR ?? resolve(root, 'out/cli'));
  const started = performance.now();
  const meta = await buildCli(outdir);
  const files = Object.keys(meta.outputs).filter((f) => f.endsWith('.js'));
  console.log(`cli bundle: ${files.length} files in ${outdir} (${Math.round(performance.now() - started)} ms); run: node ${resolve(outdir, 'main.js')} <command> (no command: usage)`);
}
