/** i18next setup: Simplified Chinese by default, English switchable; every visible string comes from resources/i18n/ (shared with exports, reports and the CLI: platform/terms.ts). */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../../resources/i18n/en.json';
import zhCN from '../../resources/i18n/zh-CN.json';

export type Language = 'zh-CN' | 'en';
const STORAGE_KEY = 'aw.language';

export function initialLanguage(): Language {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  showSupportNotice: false,
});

/** The language of this machine's login screen, chosen there: kept for the next start and the next person. */
export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  showLanguage(language);
}

/**
 * Shows the screens in `language` without making it the login screen's: a user's own language (their settings) lasts
 * their session — on a shared office PC the next person's login screen is in the machine's language, not the last
 * user's.
 */
export function showLanguage(language: Language): void {
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

export default i18next;
