import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiError,
  confirmSetupAtSignIn,
  giveFactor,
  givePasskey,
  signIn,
  signInWithPasskey,
  usePasskeysHere,
  type AuthenticatorSetup,
  type FactorMethod,
} from '../api';
import { AuthenticatorSetupForm, RecoveryCodes } from '../factors';
import { LanguagePicker } from '../LanguagePicker';
import { useForm } from '../form';
import { ErrorBanner, Field, FormErrors } from '../ui';
import { browserHasPasskeys } from '../webauthn';

/** Where sign-in is: the password, a code of a second factor, setting one up, its codes. */
type Stage =
  | { kind: 'password' }
  | { kind: 'factor'; methods: FactorMethod[] }
  | { kind: 'enrol'; setup: AuthenticatorSetup }
  | { kind: 'codes'; codes: string[] };

/** A refusal after which the step is over (expired, spent, tried too often, locked). */
function endsTheStep(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'TOO_MANY_REQUESTS');
}

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [stage, setStage] = useState<Stage>({ kind: 'password' });
  /** Why sign-in started over, shown above the password form. */
  const [startedOver, setStartedOver] = useState<ApiError>();
  const startOver = (why?: ApiError) => {
    setStartedOver(why);
    setStage({ kind: 'password' });
  };
  /** Runs a step's request; a refusal that ends the step goes back to the password. */
  const within = async <T,>(send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      if (endsTheStep(error)) startOver(error);
      throw error;
    }
  };
  let content;
  switch (stage.kind) {
    case 'password':
      content = (
        <PasswordForm
          notice={startedOver}
          onStep={(step) => {
            setStartedOver(undefined);
            if (step.step === 'done') onSignedIn();
            else if (step.step === 'factor') setStage({ kind: 'factor', methods: step.methods });
            else setStage({ kind: 'enrol', setup: step.enrolment });
          }}
        />
      );
      break;
    case 'factor':
      content = (
        <FactorForm
          methods={stage.methods}
          give={(method, code) => within(() => giveFactor(method, code))}
          givePasskey={() => within(givePasskey)}
          onSignedIn={onSignedIn}
          onBack={() => startOver()}
        />
      );
      break;
    case 'enrol':
      content = (
        <EnrolStep
          setup={stage.setup}
          confirm={(code, name) => within(() => confirmSetupAtSignIn(stage.setup.factorId, code, name))}
          onConfirmed={(codes) => setStage({ kind: 'codes', codes })}
          onBack={() => startOver()}
        />
      );
      break;
    case 'codes':
      content = <CodesStep codes={stage.codes} onContinue={onSignedIn} />;
      break;
  }
  return (
    <main id="main" className="sign-in">
      {content}
      <LanguagePicker />
    </main>
  );
}

function PasswordForm(props: {
  notice?: ApiError;
  onStep: (step: Awaited<ReturnType<typeof signIn>>) => void;
}) {
  const { t } = useTranslation('shell');
  const form = useForm({
    initial: { username: '', password: '' },
    submit: ({ username, password }) => signIn(username, password),
    onSuccess: props.onStep,
  });
  const passkey = useForm({
    initial: {},
    submit: () => signInWithPasskey(),
    onSuccess: () => props.onStep({ step: 'done' }),
  });
  // Where both this browser and this server (whose address is a domain name) can use one.
  const offerPasskey = usePasskeysHere();
  return (
    <form onSubmit={form.onSubmit} className="card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <ErrorBanner error={form.error ?? props.notice} />
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
      {offerPasskey && (
        <div className="sign-in-passkey">
          <p className="muted">{t('signIn.or')}</p>
          <ErrorBanner error={passkey.error} />
          <button type="button" disabled={passkey.pending} onClick={() => void passkey.onSubmit()}>
            {passkey.pending ? t('signIn.passkeyPending') : t('signIn.passkey')}
          </button>
        </div>
      )}
    </form>
  );
}

/** What each way of giving the second factor is called where she may switch to it. */
const SWITCH_TO = {
  passkey: 'signIn.usePasskey',
  totp: 'signIn.useApp',
  recovery_code: 'signIn.useRecovery',
} as const;

/** The ways offered first to last: a passkey asks for nothing to be typed. */
const PREFERENCE: FactorMethod[] = ['passkey', 'totp', 'recovery_code'];

function FactorForm(props: {
  methods: FactorMethod[];
  give: (method: FactorMethod, code: string) => Promise<void>;
  givePasskey: () => Promise<void>;
  onSignedIn: () => void;
  onBack: () => void;
}) {
  const { t } = useTranslation('shell');
  // A browser without passkeys is not offered one.
  const usable = PREFERENCE.filter((m) => props.methods.includes(m) && (m !== 'passkey' || browserHasPasskeys()));
  const [method, setMethod] = useState<FactorMethod>(usable[0] ?? 'recovery_code');
  const form = useForm({
    initial: { code: '' },
    submit: ({ code }) => (method === 'passkey' ? props.givePasskey() : props.give(method, code)),
    onSuccess: props.onSignedIn,
  });
  const switchTo = (next: FactorMethod) => {
    setMethod(next);
    form.reset();
  };
  const app = method === 'totp';
  const intro = { passkey: t('signIn.passkeyIntro'), totp: t('signIn.factorIntro'), recovery_code: t('signIn.recoveryIntro') }[
    method
  ];
  return (
    <form onSubmit={form.onSubmit} className="card" aria-labelledby="factor-title">
      <h1 id="factor-title">{t('signIn.factorTitle')}</h1>
      <p>{intro}</p>
      <FormErrors error={form.error} fields={method === 'passkey' ? [] : ['code']} />
      {method === 'passkey' ? (
        <button type="submit" className="primary" disabled={form.pending} autoFocus>
          {form.pending ? t('signIn.passkeyPending') : t('signIn.usePasskeyFactor')}
        </button>
      ) : (
        <>
          <Field label={app ? t('signIn.code') : t('signIn.recoveryCode')} name="code" error={form.error}>
            {(attrs) =>
              app ? (
                <input
                  {...attrs}
                  key="totp"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={7}
                  required
                  autoFocus
                  {...form.bind('code')}
                />
              ) : (
                <input {...attrs} key="recovery" autoComplete="off" maxLength={32} required autoFocus {...form.bind('code')} />
              )
            }
          </Field>
          <button type="submit" className="primary" disabled={form.pending}>
            {form.pending ? t('signIn.verifying') : t('signIn.verify')}
          </button>
        </>
      )}
      <div className="buttons">
        {usable
          .filter((other) => other !== method)
          .map((other) => (
            <button key={other} type="button" className="link" onClick={() => switchTo(other)}>
              {t(SWITCH_TO[other])}
            </button>
          ))}
        <button type="button" className="link" onClick={props.onBack}>
          {t('signIn.back')}
        </button>
      </div>
    </form>
  );
}

function EnrolStep(props: {
  setup: AuthenticatorSetup;
  confirm: (code: string, name: string) => Promise<string[]>;
  onConfirmed: (codes: string[]) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation('shell');
  return (
    <div className="card" role="region" aria-labelledby="enrol-title">
      <h1 id="enrol-title">{t('signIn.enrolTitle')}</h1>
      <p>{t('signIn.enrolIntro')}</p>
      <AuthenticatorSetupForm setup={props.setup} confirm={props.confirm} onConfirmed={props.onConfirmed} />
      <button type="button" className="link" onClick={props.onBack}>
        {t('signIn.back')}
      </button>
    </div>
  );
}

function CodesStep({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  const { t } = useTranslation('shell');
  return (
    <div className="card">
      <RecoveryCodes codes={codes} onSaved={onContinue} savedLabel={t('signIn.continue')} />
    </div>
  );
}
