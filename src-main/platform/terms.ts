/**
 * The words users read, for what the main process writes (exports, reports, the CLI's files): the same dictionaries
 * as the screens (resources/i18n/), through i18next, so a state or a reason is named the same on screen and on paper.
 */
import i18next, { type TFunction } from 'i18next';
import en from '../../resources/i18n/en.json' with { type: 'json' };
import zhCN from '../../resources/i18n/zh-CN.json' with { type: 'json' };

export type TermsLanguage = 'zh-CN' | 'en';

const instances = new Map<TermsLanguage, TFunction>();

/** A translator for one language (synchronous: the dictionaries are bundled). */
export function terms(language: TermsLanguage = 'zh-CN'): TFunction {
  let t = instances.get(language);
  if (!t) {
    const instance = i18next.createInstance();
    void instance.init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng: language,
      fallbackLng: 'zh-CN',
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
    });
    t = instance.t.bind(instance) as TFunction;
    instances.set(language, t);
  }
  return t;
}
