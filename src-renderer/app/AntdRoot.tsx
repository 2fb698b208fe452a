import { StyleProvider } from '@ant-design/cssinjs';
import { App as AntdApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ANTD_THEME } from './antd-theme';

/**
 * Where antd would put the <style> elements it makes at run time: a node outside the document, so they are never
 * applied (the strict CSP would refuse them anyway). Every style they hold is in the static stylesheet built with the
 * same theme (vite.renderer.config.ts).
 */
const styleSink = document.createElement('div');

/** At run time antd (and its icons) make no styles at all: they are all in the static stylesheet. */
const RUNTIME_THEME = { ...ANTD_THEME, zeroRuntime: true };

/** Ant Design in the UI language (zh_CN by default), with the theme its static stylesheet was built with. */
export function AntdRoot({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <StyleProvider container={styleSink}>
      {/* Buttons read as written ("查看", not antd's spaced "查 看"): labels match the rest of the app and the tests. */}
      <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={RUNTIME_THEME} button={{ autoInsertSpace: false }}>
        <AntdApp component={false}>{children}</AntdApp>
      </ConfigProvider>
    </StyleProvider>
  );
}
