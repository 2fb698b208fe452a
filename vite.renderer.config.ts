/**
 * The renderer build, shared by electron-vite (desktop) and `npm run build:renderer` (browser mode).
 * Output: out/renderer, relative asset paths so both file:// (Electron) and the loopback bridge can serve it.
 */
import { extractStyle } from '@ant-design/static-style-extract';
import react from '@vitejs/plugin-react';
import { ConfigProvider } from 'antd';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { createElement } from 'react';
import { defineConfig, type UserConfig } from 'vite';
import { DEV_CONTENT_SECURITY_POLICY } from './src-main/shells/csp';
import { ANTD_THEME } from './src-renderer/app/antd-theme';

/**
 * Ant Design's styles as a static stylesheet (`import 'virtual:antd.css'`), rendered once at build time with the app's
 * theme. It carries antd's map of the styles it holds, so antd injects none at run time (CSP: style-src 'self').
 */
const ANTD_CSS = '\0virtual:antd.css';
// The icons' CSS text (their ES build is not loadable by Node as is: its CommonJS build is).
const { iconStyles } = createRequire(import.meta.url)('@ant-design/icons/lib/utils') as { iconStyles: string };
const antdStaticStyle = {
  name: 'antd-static-style',
  resolveId: (id: string) => (id === 'virtual:antd.css' ? ANTD_CSS : undefined),
  // antd's component styles, and the icons' own (which they would otherwise insert at run time).
  load: (id: string) => (id === ANTD_CSS ? `${extractStyle((node) => createElement(ConfigProvider, { theme: ANTD_THEME }, node))}\n${iconStyles}` : undefined),
};

/**
 * CSP (style-src 'self'): rc-util measures scrollbars by inserting a `<style>` element, refused by the policy and logged
 * as an error each time an antd Table mounts. Its module is swapped for one that measures through the CSSOM only.
 */
const SCROLLBAR_SIZE = resolve(import.meta.dirname, 'src-renderer/app/scrollbar-size.ts');
const cspSafeScrollbarSize = {
  name: 'csp-safe-scrollbar-size',
  enforce: 'pre' as const,
  resolveId: (id: string, importer?: string) =>
    /[\\/]@rc-component[\\/]util[\\/](es|lib)[\\/]/.test(importer ?? '') && /^\.\.?\/(\.\.\/)?getScrollBarSize(\.js)?$/.test(id) ? SCROLLBAR_SIZE : undefined,
};

export const rendererConfig: UserConfig = {
  root: resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [
    react(),
    antdStaticStyle,
    cspSafeScrollbarSize,
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
    // lightningcss refuses some of antd's generated selectors; esbuild minifies them as written.
    cssMinify: 'esbuild',
  },
};

export default defineConfig(rendererConfig);
