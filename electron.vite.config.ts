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
          // Rule runs happen on worker threads (services/checks/rule-engine.ts looks for this file beside main).
          'rule-worker': resolve(import.meta.dirname, 'src-main/services/checks/rule-worker.ts'),
          // So do the monitoring signals' (services/monitoring/evaluate.ts looks for this one).
          'signal-worker': resolve(import.meta.dirname, 'src-main/services/monitoring/signal-worker.ts'),
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
