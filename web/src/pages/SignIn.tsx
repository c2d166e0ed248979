import { signIn } from '../api';
import { useForm } from '../form';
import { ErrorBanner } from '../ui';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const form = useForm({
    initial: { username: '', password: '' },
    submit: ({ username, password }) => signIn(username, password),
    onSuccess: onSignedIn,
  });
  return (
    <main id="main" className="sign-in">
      <form onSubmit={form.onSubmit} className="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to the Lanyard console</h1>
        <ErrorBanner error={form.error} />
        <div className="field">
          <label htmlFor="username">Username</label>
          <input id="username" autoComplete="username" required {...form.bind('username')} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" type="password" autoComplete="current-password" required {...form.bind('password')} />
        </div>
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
