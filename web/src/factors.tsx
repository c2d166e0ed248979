// What setting up an authenticator app looks like, wherever it happens (the Security page, or
// the sign-in page when a second factor is required and the admin has none yet), and the
// recovery codes shown once after it.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthenticatorSetup } from './api';
import { useForm } from './form';
import { Field, FormErrors } from './ui';

/** The key in groups of four, as authenticator apps show keys typed in. */
export function groupedKey(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/**
 * The QR code and the key of an app being set up, and the form of its first code (with a
 * name). `confirm` sends them and resolves to the recovery codes made with it, if any.
 */
export function AuthenticatorSetupForm(props: {
  setup: AuthenticatorSetup;
  confirm: (code: string, name: string) => Promise<string[] | null | undefined>;
  onConfirmed: (recoveryCodes: string[]) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation('security');
  const keyId = useId();
  const form = useForm({
    initial: { name: '', code: '' },
    submit: ({ code, name }) => props.confirm(code, name),
    onSuccess: (codes) => props.onConfirmed(codes ?? []),
  });
  return (
    <form onSubmit={form.onSubmit} aria-label={t('setup.heading')}>
      <p>{t('setup.scan')}</p>
      <p className="qr">
        <img src={props.setup.qrCode} alt={t('setup.qrAlt')} width={200} height={200} />
      </p>
      <p>
        <span id={keyId}>{t('setup.cannotScan')}</span>{' '}
        <code className="totp-secret" aria-labelledby={keyId}>
          {groupedKey(props.setup.secret)}
        </code>
      </p>
      <FormErrors error={form.error} fields={['code', 'name']} />
      <Field label={t('setup.name')} name="name" error={form.error}>
        {(attrs) => <input {...attrs} maxLength={64} autoComplete="off" {...form.bind('name')} />}
      </Field>
      <Field label={t('setup.code')} name="code" error={form.error}>
        {(attrs) => (
          <input
            {...attrs}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            {...form.bind('code')}
          />
        )}
      </Field>
      <div className="buttons">
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? t('setup.pending') : t('setup.submit')}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            {t('setup.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** New recovery codes, shown this once, and the way on. */
export function RecoveryCodes(props: { codes: string[]; onSaved: () => void; savedLabel?: string }) {
  const { t } = useTranslation('security');
  const titleId = useId();
  return (
    <section className="alert alert-ok" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('recovery.title')}</h2>
      <p>{t('recovery.intro')}</p>
      <ul className="recovery-codes" aria-label={t('recovery.label')}>
        {props.codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="primary" onClick={props.onSaved}>
        {props.savedLabel ?? t('recovery.saved')}
      </button>
    </section>
  );
}
