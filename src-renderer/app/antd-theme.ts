/**
 * Ant Design's theme for the workstation. The same object is used to extract antd's styles into a static stylesheet at
 * build time (vite.renderer.config.ts) and by the ConfigProvider at run time: the class hashes must match, so that
 * antd injects no <style> of its own (the strict CSP, style-src 'self', would refuse it).
 */
import type { ThemeConfig } from 'antd';

export const ANTD_THEME: ThemeConfig = {
  // A fixed key for antd's CSS variables (by default one made by React's useId, which differs between the build-time
  // extraction and the running app, and would make antd inject its variables at run time).
  cssVar: { key: 'aw' },
  token: {
    colorPrimary: '#1f5fa8',
    colorError: '#b3261e',
    fontFamily: "'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', system-ui, sans-serif",
    fontSize: 14,
    borderRadius: 4,
  },
};
