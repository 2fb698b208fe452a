import { App as AntdApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ANTD_THEME } from './antd-theme';

/** Ant Design in the UI language (zh_CN by default), with the theme its static stylesheet was built with. */
export function AntdRoot({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={ANTD_THEME}>
      <AntdApp component={false}>{children}</AntdApp>
    </ConfigProvider>
  );
}
