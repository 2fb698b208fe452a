import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'virtual:antd.css';
import { AntdRoot } from './app/AntdRoot';
import { App } from './app/App';
import './app/styles.css';
import './i18n';
import { installNativeValidationMessages } from './components/nativeValidation';

installNativeValidationMessages();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AntdRoot>
      <App />
    </AntdRoot>
  </StrictMode>,
);
