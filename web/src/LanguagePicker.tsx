// The language switch of the console's top bar and sign-in page. The choice is kept in a cookie
// that the portal and the server's own pages read too.
import { useTranslation } from 'react-i18next';
import { LANGUAGES, currentLanguage, setLanguage, type Language } from './i18n';

export function LanguagePicker() {
  const { t } = useTranslation('shell');
  return (
    <label className="language">
      <span className="visually-hidden">{t('language')}</span>
      <select
        value={currentLanguage()}
        onChange={(e) => void setLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
