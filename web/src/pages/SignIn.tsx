import { useTranslation } from 'react-i18next';
import { signIn } from '../api';
import { LanguagePicker } from '../LanguagePicker';
import { useForm } from '../form';
import { ErrorBanner } from '../ui';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation('shell');
  const form = useForm({
    initial: { username: '', password: '' },
    submit: ({ username, password }) => signIn(username, password),
    onSuccess: onSignedIn,
  });
  return (
    <main id="main" className="sign-in">
      <form onSubmit={form.onSubmit} className="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        <ErrorBanner error={form.error} />
        <div className="field">
          <label htmlFor="username">{t('signIn.username')}</label>
          <input id="username" autoComplete="username" required {...form.bind('username')} />
        </div>
        <div className="field">
          <label htmlFor="password">{t('signIn.password')}</label>
          <input id="password" type="password" autoComplete="current-password" required {...form.bind('password')} />
        </div>
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? t('signIn.pending') : t('signIn.submit')}
        </button>
      </form>
      <LanguagePicker />
    </main>
  );
}
