/**
 * The renderer build, shared by electron-vite (desktop) and `npm run build:renderer` (browser mode).
 * Output: out/renderer, relative asset paths so both file:// (Electron) and the loopback bridge can serve it.
 */
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import { DEV_CONTENT_SECURITY_POLICY } from './src-main/shells/csp';

export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [
    react(),
    {
      // The dev server's HMR needs inline scripts and styles; built renderers keep the strict CSP of index.html.
      name: 'dev-only-csp',
      apply: 'serve',
      transformIndexHtml: (html) => html.replace(/content="default-src[^"]*"/, `content="${DEV_CONTENT_SECURITY_POLICY}"`),
    },
  ],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: resolve(import.meta.dirname, 'src-renderer/index.html') },
    // No eval, no inline scripts: the strict CSP stays intact.
    modulePreload: { polyfill: false },
  },
};

export default defineConfig(rendererConfig);
