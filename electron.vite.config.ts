/**
 * electron-vite: the main process (src-main/shells/electron), the sandboxed preload (CommonJS, as sandboxed
 * preloads must be) and the renderer (the same config as browser mode).
 */
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { rendererConfig } from './vite.renderer.config';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src-main/shells/electron/main.ts'),
          // Rule runs and monitoring evaluations happen on worker threads (store/snapshot-threads/thread-pool.ts looks
          // for this file beside main).
          'snapshot-worker': resolve(import.meta.dirname, 'src-main/store/snapshot-threads/snapshot-worker.ts'),
          // The platform build reads and cleans feed files on a worker thread (data-platform/feed-events.ts looks for
          // this file beside its caller, as platform/worker-start.ts does for every worker).
          'feed-worker': resolve(import.meta.dirname, 'src-main/data-platform/feed-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
