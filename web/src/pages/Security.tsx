// The signed-in admin's own second factors: her authenticator apps and passkeys (set one up,
// remove one) and her recovery codes (how many are left, new ones shown once). Once she has a
// factor, changing them needs a session that was opened with one: otherwise the page asks her
// to sign in again.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { askBrowser, request, useMutation, usePasskeysHere, useQuery, type AuthenticatorSetup } from '../api';
import { AuthenticatorSetupForm, RecoveryCodes } from '../factors';
import { useForm } from '../form';
import { graphql } from '../gql';
import { ConfirmButton, ErrorBanner, Field, Flash, FormErrors, Loading, formatTime, useFlash } from '../ui';
import { createPasskey, type CreationOptionsJSON } from '../webauthn';

const MyFactorsQuery = graphql(`
  query MyFactors {
    myFactors {
      factors {
        id
        kind
        name
        createdAt
        lastUsedAt
      }
      recoveryCodesLeft
      sessionProvedFactor
      mayChange
      required
    }
  }
`);

const BeginMyTotp = graphql(`
  mutation BeginMyTotp {
    beginMyTotp {
      factorId
      secret
      otpauthUrl
      qrCode
    }
  }
`);

const ConfirmMyTotp = graphql(`
  mutation ConfirmMyTotp($input: ConfirmMyTotpInput!) {
    confirmMyTotp(input: $input) {
      factor {
        id
      }
      recoveryCodes
    }
  }
`);

const BeginMyPasskey = graphql(`
  mutation BeginMyPasskey {
    beginMyPasskey {
      ceremony
      options
    }
  }
`);

const FinishMyPasskey = graphql(`
  mutation FinishMyPasskey($input: FinishMyPasskeyInput!) {
    finishMyPasskey(input: $input) {
      factor {
        id
      }
      recoveryCodes
    }
  }
`);

const RemoveMyFactor = graphql(`
  mutation RemoveMyFactor($id: ID!) {
    removeMyFactor(input: { factorId: $id }) {
      removedFactorId
      recoveryCodesLeft
    }
  }
`);

const NewMyRecoveryCodes = graphql(`
  mutation NewMyRecoveryCodes {
    newMyRecoveryCodes {
      recoveryCodes
    }
  }
`);

export function Security({ onSignInAgain }: { onSignInAgain: () => void }) {
  const { t } = useTranslation('security');
  const mine = useQuery(MyFactorsQuery, {});
  const begin = useMutation(BeginMyTotp);
  const remove = useMutation(RemoveMyFactor);
  const renew = useMutation(NewMyRecoveryCodes);
  const [setup, setSetup] = useState<AuthenticatorSetup>();
  const [addingPasskey, setAddingPasskey] = useState(false);
  const passkeysHere = usePasskeysHere();
  const [codes, setCodes] = useState<string[]>();
  const [flash, showFlash] = useFlash();

  if (mine.loading && !mine.data) return <Loading />;
  const own = mine.data?.myFactors;
  return (
    <section className="security">
      <h1>{t('title')}</h1>
      <p className="lead">{t('lead')}</p>
      <ErrorBanner error={mine.error ?? begin.error ?? remove.error ?? renew.error} onRetry={mine.reload} />
      <Flash message={flash} />
      {own?.required && <p className="alert alert-warn">{t('required')}</p>}
      {own && !own.mayChange && (
        <div className="alert alert-warn" role="note">
          <p>{t('verifyFirst')}</p>
          <button type="button" onClick={onSignInAgain}>
            {t('signInAgain')}
          </button>
        </div>
      )}
      {codes && <RecoveryCodes codes={codes} onSaved={() => setCodes(undefined)} />}
      {own && (
        <div className="card">
          <h2>{t('factors.heading')}</h2>
          {own.factors.length === 0 ? (
            <p className="muted">{t('factors.none')}</p>
          ) : (
            <ul className="rows" aria-label={t('factors.heading')}>
              {own.factors.map((factor) => (
                <li key={factor.id}>
                  <span>
                    <strong>{factor.name}</strong> <span className="muted">{t(`factors.kind.${factor.kind}`)}</span>
                    <br />
                    <small className="muted">
                      {t('factors.added', { added: formatTime(factor.createdAt) })}
                      {' · '}
                      {factor.lastUsedAt
                        ? t('factors.lastUsed', { used: formatTime(factor.lastUsedAt) })
                        : t('factors.neverUsed')}
                    </small>
                  </span>
                  {own.mayChange && (
                    <ConfirmButton
                      label={t('factors.remove')}
                      question={t('factors.removeQuestion', { name: factor.name })}
                      onConfirm={async () => {
                        if (await remove.run({ id: factor.id })) {
                          showFlash(t('factors.removed'));
                          mine.reload();
                        }
                      }}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
          {addingPasskey ? (
            <>
              <h3>{t('passkey.heading')}</h3>
              <PasskeyForm
                onAdded={(recoveryCodes) => {
                  setAddingPasskey(false);
                  if (recoveryCodes.length) setCodes(recoveryCodes);
                  showFlash(t('passkey.added'));
                  mine.reload();
                }}
                onCancel={() => setAddingPasskey(false)}
              />
            </>
          ) : setup ? (
            <>
              <h3>{t('setup.heading')}</h3>
              <AuthenticatorSetupForm
                setup={setup}
                confirm={async (code, name) => {
                  const done = await request(ConfirmMyTotp, { input: { factorId: setup.factorId, code, name } });
                  return done.confirmMyTotp.recoveryCodes;
                }}
                onConfirmed={(recoveryCodes) => {
                  setSetup(undefined);
                  if (recoveryCodes.length) setCodes(recoveryCodes);
                  showFlash(t('setup.added'));
                  mine.reload();
                }}
                onCancel={() => setSetup(undefined)}
              />
            </>
          ) : (
            own.mayChange && (
              <div className="buttons">
                <button
                  type="button"
                  disabled={begin.pending}
                  onClick={async () => {
                    const begun = await begin.run({});
                    if (begun) setSetup(begun.beginMyTotp);
                  }}
                >
                  {t('setup.start')}
                </button>
                {passkeysHere && (
                  <button type="button" onClick={() => setAddingPasskey(true)}>
                    {t('passkey.start')}
                  </button>
                )}
              </div>
            )
          )}
        </div>
      )}
      {own && (
        <div className="card">
          <h2>{t('recovery.heading')}</h2>
          {own.factors.length === 0 ? (
            <p className="muted">{t('recovery.none')}</p>
          ) : (
            <>
              <p>{t('recovery.left', { count: own.recoveryCodesLeft })}</p>
              {own.mayChange && (
                <ConfirmButton
                  danger={false}
                  label={t('recovery.make')}
                  question={t('recovery.makeQuestion')}
                  onConfirm={async () => {
                    const made = await renew.run({});
                    if (made) {
                      setCodes(made.newMyRecoveryCodes.recoveryCodes);
                      showFlash(t('recovery.made'));
                      mine.reload();
                    }
                  }}
                />
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}

/**
 * A new passkey: its name, then the browser's ceremony (the server's options, the
 * authenticator's answer, the server's check). `onAdded` gets the recovery codes made with her
 * first factor, if this is it.
 */
function PasskeyForm(props: { onAdded: (recoveryCodes: string[]) => void; onCancel: () => void }) {
  const { t } = useTranslation('security');
  const form = useForm({
    initial: { name: '' },
    submit: async ({ name }) => {
      const { beginMyPasskey } = await request(BeginMyPasskey, {});
      const credential = await askBrowser(() => createPasskey(beginMyPasskey.options as CreationOptionsJSON));
      const done = await request(FinishMyPasskey, { input: { ceremony: beginMyPasskey.ceremony, name, credential } });
      return done.finishMyPasskey.recoveryCodes ?? [];
    },
    onSuccess: props.onAdded,
  });
  return (
    <form onSubmit={form.onSubmit} aria-label={t('passkey.heading')}>
      <p>{t('passkey.intro')}</p>
      <FormErrors error={form.error} fields={['name']} />
      <Field label={t('passkey.name')} name="name" error={form.error}>
        {(attrs) => <input {...attrs} maxLength={64} autoComplete="off" autoFocus {...form.bind('name')} />}
      </Field>
      <div className="buttons">
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? t('passkey.pending') : t('passkey.submit')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('setup.cancel')}
        </button>
      </div>
    </form>
  );
}
