// The console's languages: English and Simplified Chinese, with i18next. Every text a page shows
// is a key of a namespace (one per page, `common` for the shared parts, `shell` for the frame),
// in `locales/<language>/<namespace>.json`; `i18n.test.ts` fails when a key lacks a translation
// in either language, and `literals.test.ts` when a page shows text that is not a key.
//
// The language is the one chosen in the console or the portal (the `lanyard_lang` cookie, which
// the server's own pages read too), else the browser's first language we have, else English.
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'zh-CN', name: '简体中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

/** The cookie that keeps the language chosen; the server's pages and emails read it too. */
export const LANGUAGE_COOKIE = 'lanyard_lang';

export const NAMESPACES = [
  'common',
  'shell',
  'instances',
  'users',
  'groups',
  'orgunits',
  'applications',
  'policies',
  'keys',
  'tokens',
  'audit',
  'deliveries',
  'provisioning',
  'overview',
  'security',
] as const;

type Catalog = Record<string, unknown>;
const files = import.meta.glob<Catalog>('./locales/*/*.json', { eager: true, import: 'default' });

/** Every catalog by language and namespace, as i18next takes them. */
export const resources: Record<string, Record<string, Catalog>> = {};
for (const [path, catalog] of Object.entries(files)) {
  const [, language, namespace] = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path) ?? [];
  if (!language || !namespace) continue;
  (resources[language] ??= {})[namespace] = catalog;
}

/** The language we have for a tag a browser sends: any Chinese → zh-CN, any English → en. */
export function supported(tag: string | undefined): Language | undefined {
  const lower = (tag ?? '').toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
    ns: NAMESPACES,
    defaultNS: 'common',
    fallbackLng: 'en',
    supportedLngs: LANGUAGES.map((l) => l.code),
    load: 'currentOnly',
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    detection: {
      order: ['cookie', 'navigator'],
      lookupCookie: LANGUAGE_COOKIE,
      // Only a choice is remembered (setLanguage), not what the browser said.
      caches: [],
      convertDetectedLanguage: (tag: string) => supported(tag) ?? tag,
    },
    initAsync: false,
  });

function showLanguage(language: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
showLanguage(i18n.language);
i18n.on('languageChanged', showLanguage);

/** Switches the console to a language and remembers it for the console and the portal (a year). */
export async function setLanguage(language: Language) {
  document.cookie = `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=31536000; SameSite=Lax`;
  await i18n.changeLanguage(language);
}

/** The language shown now (one of ours). */
export function currentLanguage(): Language {
  return supported(i18n.resolvedLanguage ?? i18n.language) ?? 'en';
}

/** A date and time, as people of the language write it. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** A number, as people of the language write it. */
export function formatNumber(value: number): string {
  return value.toLocaleString(currentLanguage());
}

export default i18n;
