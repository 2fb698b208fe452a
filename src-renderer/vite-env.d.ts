/** Ant Design's static stylesheet, made at build time (vite.renderer.config.ts). */
declare module 'virtual:antd.css';
