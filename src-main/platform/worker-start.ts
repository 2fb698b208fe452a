/**
 * Starts a worker thread on a module that sits beside its caller, the same way under tsx and in the built app: in the
 * Electron build the bundled `<name>.js` beside main (electron.vite.config.ts lists each worker as an entry); under tsx
 * (tests, the CLI, the platform shell, benchmarks) the TypeScript source, through a small bootstrap that registers tsx's
 * loader inside the thread first.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `callerUrl`: the caller's `import.meta.url`; `name`: the worker module's file name without its extension. */
export function startModuleWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  const here = new URL(callerUrl);
  if (!here.pathname.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), { workerData });
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const source = new URL(`./${name}.ts`, here).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
