// An OpenID Connect application's client registration, on its SSO page in place of the SAML
// settings: where relying parties find the provider, how the client authenticates, where codes
// may go, what the ID token says, and the client secrets (a new one shown once).
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiError, request, useMutation, useQuery } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import type { OidcAuthMethod, OidcClientQuery, OidcClientType } from '../gql/graphql';
import { ListView } from '../list';
import { ConfirmButton, ErrorBanner, Field, Flash, FormErrors, Loading, copy, formatTime, useFlash } from '../ui';

const OidcClientQuery = graphql(`
  query OidcClient($id: ID!) {
    application(id: $id) {
      id
      oidc {
        clientId
        issuer
        discoveryUrl
        clientType
        authMethod
        redirectUris
        postLogoutRedirectUris
        initiateLoginUri
        scopes
        claims {
          name
          source
          values
        }
        jwks
        assertionAlgorithm
        idTokenLifetimeSeconds
        accessTokenLifetimeSeconds
        refreshTokenLifetimeSeconds
        secrets {
          id
          hint
          createdAt
          expiresAt
        }
        missingSettings
      }
    }
    viewer {
      id
      superAdmin
      adminOf
    }
  }
`);

const ConfigureOidc = graphql(`
  mutation ConfigureOidc($input: ConfigureApplicationOidcInput!) {
    configureApplicationOidc(input: $input) {
      application {
        id
      }
    }
  }
`);

const RotateOidcSecret = graphql(`
  mutation RotateOidcSecret($input: RotateOidcClientSecretInput!) {
    rotateOidcClientSecret(input: $input) {
      secret
      application {
        id
      }
    }
  }
`);

const RevokeOidcSecret = graphql(`
  mutation RevokeOidcSecret($input: RevokeOidcClientSecretInput!) {
    revokeOidcClientSecret(input: $input) {
      application {
        id
      }
    }
  }
`);

type Registration = NonNullable<OidcClientQuery['application']['oidc']>;
type Secret = Registration['secrets'][number];

/** The scopes the provider knows, as it names them; their hints are `oidc.scopeHint.<scope>`. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'phone', 'groups', 'offline_access'] as const;

/** Where a mapped claim's value comes from; their labels are `oidc.claimSource.<source>`. */
export const CLAIM_SOURCES = [
  'username',
  'email',
  'displayName',
  'phone',
  'externalId',
  'groups',
  'orgUnits',
  'appAccount',
  'literal',
] as const;

/** How a confidential client proves itself; a public one uses `NONE`. Labels: `oidc.authMethod.<value>`. */
const CONFIDENTIAL_METHODS: OidcAuthMethod[] = ['CLIENT_SECRET_BASIC', 'CLIENT_SECRET_POST', 'PRIVATE_KEY_JWT'];

/** The algorithms a `private_key_jwt` assertion may be signed with (the same in every language). */
const ASSERTION_ALGORITHMS = ['RS256', 'PS256', 'ES256'];

/** How long the secrets a new one replaces keep working: `oidc.secrets.overlap.<seconds>`. */
const OVERLAPS = ['0', '86400', '604800'] as const;

/**
 * Whether the caller may change the registration (`updateApplication`): super admins and the
 * instance's admins; auditors read only. The server decides; this keeps off the page what it
 * would refuse.
 */
function mayManage(viewer: OidcClientQuery['viewer'], instanceId: string): boolean {
  return viewer.superAdmin || viewer.adminOf.includes(instanceId);
}

/** Non-empty lines, trimmed: a list edited one item per line. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * The error with each URI's field (`redirectUris[2]`) named by its list's, which is one textarea:
 * the message says which URI it is.
 */
function byList(error: ApiError | undefined): ApiError | undefined {
  if (!error) return undefined;
  return new ApiError(
    error.details.map((d) => ({ ...d, field: d.field?.replace(/^(redirectUris|postLogoutRedirectUris)\[\d+\]$/, '$1') })),
  );
}

export function OidcSettings({ applicationId, instanceId }: { applicationId: string; instanceId: string }) {
  const { t } = useTranslation('applications');
  const client = useQuery(OidcClientQuery, { id: applicationId });
  const oidc = client.data?.application.oidc;
  if (client.loading && !client.data) return <Loading />;
  if (!client.data) return <ErrorBanner error={client.error} onRetry={client.reload} />;
  if (!oidc) return null;
  const manage = mayManage(client.data.viewer, instanceId);
  return (
    <section aria-labelledby="oidc-title">
      <h2 id="oidc-title">{t('oidc.title')}</h2>
      <ErrorBanner error={client.error} onRetry={client.reload} />
      {oidc.missingSettings.length > 0 && (
        <div className="alert alert-warn" role="note">
          {t('oidc.missing', { settings: oidc.missingSettings.join(', ') })}
        </div>
      )}
      {!manage && <p className="muted">{t('oidc.readOnly')}</p>}
      <Endpoints oidc={oidc} applicationId={applicationId} />
      <RegistrationForm key={applicationId} applicationId={applicationId} oidc={oidc} manage={manage} onSaved={client.reload} />
      <Secrets applicationId={applicationId} oidc={oidc} manage={manage} onChanged={client.reload} />
    </section>
  );
}

/** What the relying party is configured with: read-only values, each with a copy button. */
function Endpoints({ oidc, applicationId }: { oidc: Registration; applicationId: string }) {
  const { t } = useTranslation('applications');
  const [flash, setFlash] = useFlash();
  // The portal tile's link: `{public_url}/oidc/apps/{id}/start`, beside the issuer's `/oidc/{instance}`.
  const start = `${oidc.issuer.replace(/\/oidc\/[^/]+$/, '')}/oidc/apps/${applicationId}/start`;
  return (
    <div className="card" aria-labelledby="oidc-endpoints">
      <h3 id="oidc-endpoints">{t('oidc.endpoints')}</h3>
      <CopyField label={t('oidc.clientId')} name="clientId" value={oidc.clientId} onCopied={setFlash} />
      <CopyField label={t('oidc.issuer')} name="issuer" value={oidc.issuer} onCopied={setFlash} />
      <CopyField label={t('oidc.discoveryUrl')} name="discoveryUrl" value={oidc.discoveryUrl} onCopied={setFlash} />
      <CopyField
        label={t('oidc.logonLink')}
        name="logonLink"
        value={start}
        hint={t('oidc.logonLinkHint')}
        onCopied={setFlash}
      />
      <Flash message={flash} />
    </div>
  );
}

function CopyField(props: { label: string; name: string; value: string; hint?: string; onCopied: (message: string) => void }) {
  const { t } = useTranslation('applications');
  const field = useRef<HTMLInputElement>(null);
  return (
    <Field label={props.label} name={props.name} hint={props.hint}>
      {(a) => (
        <div className="copy-row">
          <input {...a} ref={field} readOnly className="code" value={props.value} onFocus={(e) => e.target.select()} />
          <button
            type="button"
            aria-label={t('oidc.copyLabel', { label: props.label })}
            onClick={async () => props.onCopied((await copy(props.value, field.current)) ? t('oidc.copied') : t('oidc.copyByHand'))}
          >
            {t('oidc.copy')}
          </button>
        </div>
      )}
    </Field>
  );
}

interface ClaimRow {
  name: string;
  source: string;
  /** One value a line, for `literal`. */
  values: string;
}

function RegistrationForm(props: { applicationId: string; oidc: Registration; manage: boolean; onSaved: () => void }) {
  const { applicationId, oidc, manage } = props;
  const { t } = useTranslation('applications');
  const [flash, setFlash] = useFlash();
  const form = useForm({
    initial: {
      clientType: oidc.clientType,
      authMethod: oidc.authMethod,
      redirectUris: oidc.redirectUris.join('\n'),
      postLogoutRedirectUris: oidc.postLogoutRedirectUris.join('\n'),
      initiateLoginUri: oidc.initiateLoginUri ?? '',
      scopes: oidc.scopes,
      claims: oidc.claims.map((c): ClaimRow => ({ name: c.name, source: c.source, values: c.values.join('\n') })),
      jwks: oidc.jwks ?? '',
      assertionAlgorithm: oidc.assertionAlgorithm ?? 'RS256',
      idTokenLifetimeSeconds: String(oidc.idTokenLifetimeSeconds),
      accessTokenLifetimeSeconds: String(oidc.accessTokenLifetimeSeconds),
      refreshTokenLifetimeSeconds: String(oidc.refreshTokenLifetimeSeconds),
    },
    submit: (v) => {
      const keyJwt = v.authMethod === 'PRIVATE_KEY_JWT';
      return request(ConfigureOidc, {
        input: {
          id: applicationId,
          clientType: v.clientType,
          authMethod: v.authMethod,
          redirectUris: lines(v.redirectUris),
          postLogoutRedirectUris: lines(v.postLogoutRedirectUris),
          initiateLoginUri: v.initiateLoginUri.trim(),
          scopes: v.scopes,
          claims: v.claims.map((c) => ({
            name: c.name,
            source: c.source,
            values: c.source === 'literal' ? lines(c.values) : [],
          })),
          // The keys matter only to private_key_jwt: switching away keeps them for a switch back.
          jwks: keyJwt ? v.jwks : undefined,
          assertionAlgorithm: keyJwt ? v.assertionAlgorithm : undefined,
          idTokenLifetimeSeconds: Number.parseInt(v.idTokenLifetimeSeconds, 10),
          accessTokenLifetimeSeconds: Number.parseInt(v.accessTokenLifetimeSeconds, 10),
          refreshTokenLifetimeSeconds: Number.parseInt(v.refreshTokenLifetimeSeconds, 10),
        },
      });
    },
    onSuccess: () => {
      setFlash(t('oidc.saved'));
      props.onSaved();
    },
  });
  const { clientType, authMethod, scopes, claims } = form.values;
  const error = byList(form.error);
  const claimFields = claims.flatMap((_, i) => [`claims[${i}].name`, `claims[${i}].source`, `claims[${i}].values`]);
  const fields = [
    'clientType',
    'authMethod',
    'redirectUris',
    'postLogoutRedirectUris',
    'initiateLoginUri',
    'scopes',
    'claims',
    ...claimFields,
    'jwks',
    'assertionAlgorithm',
    'idTokenLifetimeSeconds',
    'accessTokenLifetimeSeconds',
    'refreshTokenLifetimeSeconds',
  ];
  const setClaim = (i: number, change: Partial<ClaimRow>) =>
    form.set(
      'claims',
      claims.map((c, j) => (j === i ? { ...c, ...change } : c)),
    );

  return (
    <form className="card" onSubmit={form.onSubmit} aria-labelledby="oidc-registration">
      <h3 id="oidc-registration">{t('oidc.registration')}</h3>
      <FormErrors error={error} fields={fields} />
      <fieldset className="plain" disabled={!manage}>
        <Field label={t('oidc.clientType')} name="clientType" error={error} hint={t(`oidc.clientTypeHint.${clientType}`)}>
          {(a) => (
            <select
              {...a}
              value={clientType}
              onChange={(e) => {
                const next = e.target.value as OidcClientType;
                form.set('clientType', next);
                // A public client has no secret; a confidential one must authenticate.
                if (next === 'PUBLIC') form.set('authMethod', 'NONE');
                else if (authMethod === 'NONE') form.set('authMethod', 'CLIENT_SECRET_BASIC');
              }}
            >
              <option value="CONFIDENTIAL">{t('oidc.clientTypeOption.CONFIDENTIAL')}</option>
              <option value="PUBLIC">{t('oidc.clientTypeOption.PUBLIC')}</option>
            </select>
          )}
        </Field>
        <Field label={t('oidc.authMethod')} name="authMethod" error={error}>
          {(a) => (
            <select {...a} {...form.bind('authMethod')}>
              {(clientType === 'PUBLIC' ? (['NONE'] as OidcAuthMethod[]) : CONFIDENTIAL_METHODS).map((m) => (
                <option key={m} value={m}>
                  {t(`oidc.authMethodOption.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oidc.redirectUris')} name="redirectUris" error={error} hint={t('oidc.redirectUrisHint')}>
          {(a) => <textarea {...a} className="code" rows={3} {...form.bind('redirectUris')} />}
        </Field>
        <Field
          label={t('oidc.postLogoutRedirectUris')}
          name="postLogoutRedirectUris"
          error={error}
          hint={t('oidc.onePerLine')}
        >
          {(a) => <textarea {...a} className="code" rows={2} {...form.bind('postLogoutRedirectUris')} />}
        </Field>
        <Field label={t('oidc.initiateLoginUri')} name="initiateLoginUri" error={error} hint={t('oidc.initiateLoginUriHint')}>
          {(a) => <input {...a} className="code" {...form.bind('initiateLoginUri')} />}
        </Field>

        <fieldset className="choices" aria-describedby={error?.fieldMessage('scopes') ? 'oidc-scopes-error' : undefined}>
          <legend>{t('oidc.scopes')}</legend>
          {OIDC_SCOPES.map((scope) => (
            <div className="choice" key={scope}>
              <input
                id={`oidc-scope-${scope}`}
                type="checkbox"
                checked={scopes.includes(scope)}
                // openid is what makes it OpenID Connect: the provider refuses a client without it.
                disabled={scope === 'openid'}
                onChange={(e) =>
                  form.set(
                    'scopes',
                    e.target.checked
                      ? OIDC_SCOPES.filter((s) => s === scope || scopes.includes(s))
                      : scopes.filter((s) => s !== scope),
                  )
                }
              />
              <label htmlFor={`oidc-scope-${scope}`}>
                <code>{scope}</code>
              </label>
              <small className="hint">{t(`oidc.scopeHint.${scope}`)}</small>
            </div>
          ))}
          {error?.fieldMessage('scopes') && (
            <small id="oidc-scopes-error" className="field-error" role="alert">
              {error.fieldMessage('scopes')}
            </small>
          )}
        </fieldset>

        <h4>{t('oidc.claims')}</h4>
        <p className="muted">{t('oidc.claimsLead')}</p>
        {error?.fieldMessage('claims') && (
          <p className="field-error" role="alert">
            {error.fieldMessage('claims')}
          </p>
        )}
        {claims.length === 0 && <p className="muted">{t('oidc.noClaims')}</p>}
        {claims.map((claim, i) => (
          <fieldset className="claim" key={i}>
            <legend>{t('oidc.claimN', { n: i + 1 })}</legend>
            <Field label={t('oidc.claimName')} name={`claims[${i}].name`} error={error}>
              {(a) => <input {...a} className="code" value={claim.name} onChange={(e) => setClaim(i, { name: e.target.value })} />}
            </Field>
            <Field label={t('oidc.claimSource')} name={`claims[${i}].source`} error={error}>
              {(a) => (
                <select {...a} value={claim.source} onChange={(e) => setClaim(i, { source: e.target.value })}>
                  {CLAIM_SOURCES.map((s) => (
                    <option key={s} value={s}>
                      {t(`oidc.claimSourceOption.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {claim.source === 'literal' && (
              <Field label={t('oidc.claimValues')} name={`claims[${i}].values`} error={error} hint={t('oidc.onePerLine')}>
                {(a) => <textarea {...a} rows={2} value={claim.values} onChange={(e) => setClaim(i, { values: e.target.value })} />}
              </Field>
            )}
            {manage && (
              <button
                type="button"
                className="danger"
                onClick={() =>
                  form.set(
                    'claims',
                    claims.filter((_, j) => j !== i),
                  )
                }
              >
                {t('oidc.removeClaim', { n: i + 1 })}
              </button>
            )}
          </fieldset>
        ))}
        {manage && (
          <div className="buttons">
            <button
              type="button"
              onClick={() => form.set('claims', [...claims, { name: '', source: 'username', values: '' }])}
            >
              {t('oidc.addClaim')}
            </button>
          </div>
        )}

        {authMethod === 'PRIVATE_KEY_JWT' && (
          <>
            <Field label={t('oidc.jwks')} name="jwks" error={error} hint={t('oidc.jwksHint')}>
              {(a) => <textarea {...a} className="code" rows={6} {...form.bind('jwks')} />}
            </Field>
            <Field label={t('oidc.assertionAlgorithm')} name="assertionAlgorithm" error={error}>
              {(a) => (
                <select {...a} {...form.bind('assertionAlgorithm')}>
                  {ASSERTION_ALGORITHMS.map((alg) => (
                    <option key={alg} value={alg}>
                      {alg}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}

        <h4>{t('oidc.lifetimes')}</h4>
        <Field label={t('oidc.idTokenLifetime')} name="idTokenLifetimeSeconds" error={error} hint={t('oidc.lifetimeRange', { min: 60, max: 86400 })}>
          {(a) => <input {...a} type="number" min={60} max={86400} required {...form.bind('idTokenLifetimeSeconds')} />}
        </Field>
        <Field
          label={t('oidc.accessTokenLifetime')}
          name="accessTokenLifetimeSeconds"
          error={error}
          hint={t('oidc.lifetimeRange', { min: 60, max: 86400 })}
        >
          {(a) => <input {...a} type="number" min={60} max={86400} required {...form.bind('accessTokenLifetimeSeconds')} />}
        </Field>
        <Field
          label={t('oidc.refreshTokenLifetime')}
          name="refreshTokenLifetimeSeconds"
          error={error}
          hint={t('oidc.lifetimeRange', { min: 300, max: 31536000 })}
        >
          {(a) => <input {...a} type="number" min={300} max={31536000} required {...form.bind('refreshTokenLifetimeSeconds')} />}
        </Field>
      </fieldset>
      {manage && (
        <button type="submit" className="primary" disabled={form.pending}>
          {form.pending ? t('oidc.saving') : t('oidc.save')}
        </button>
      )}
      <Flash message={flash} />
    </form>
  );
}

function Secrets(props: { applicationId: string; oidc: Registration; manage: boolean; onChanged: () => void }) {
  const { applicationId, oidc, manage } = props;
  const { t } = useTranslation('applications');
  const [flash, setFlash] = useFlash();
  // The secret just generated, of this application only: gone when the page is left.
  const [shown, setShown] = useState<string>();
  const [overlap, setOverlap] = useState<(typeof OVERLAPS)[number]>('86400');
  const rotate = useMutation(RotateOidcSecret);
  const revoke = useMutation(RevokeOidcSecret);
  const usesSecret = oidc.authMethod === 'CLIENT_SECRET_BASIC' || oidc.authMethod === 'CLIENT_SECRET_POST';
  return (
    <div className="card" aria-labelledby="oidc-secrets">
      <h3 id="oidc-secrets">{t('oidc.secrets.title')}</h3>
      <p className="muted">{usesSecret ? t('oidc.secrets.lead') : t('oidc.secrets.unused')}</p>
      {shown && <ShownSecret secret={shown} onDone={() => setShown(undefined)} onCopied={setFlash} />}
      <Flash message={flash} />
      <ListView
        error={rotate.error ?? revoke.error}
        rows={oidc.secrets}
        empty={t('oidc.secrets.empty')}
        columns={[
          { header: t('oidc.secrets.column.secret'), cell: (s: Secret) => <code>{t('oidc.secrets.endsWith', { hint: s.hint })}</code> },
          { header: t('oidc.secrets.column.created'), cell: (s: Secret) => formatTime(s.createdAt) },
          {
            header: t('oidc.secrets.column.expires'),
            cell: (s: Secret) => (s.expiresAt ? formatTime(s.expiresAt) : <span className="badge badge-active">{t('oidc.secrets.current')}</span>),
          },
          ...(manage
            ? [
                {
                  header: t('oidc.secrets.column.operations'),
                  actions: true,
                  cell: (s: Secret) => (
                    <ConfirmButton
                      label={t('oidc.secrets.revoke')}
                      confirmLabel={t('oidc.secrets.revokeConfirm')}
                      question={t('oidc.secrets.revokeQuestion', { hint: s.hint })}
                      onConfirm={async () => {
                        if (await revoke.run({ input: { id: applicationId, secretId: s.id } })) {
                          setFlash(t('oidc.secrets.revoked', { hint: s.hint }));
                          props.onChanged();
                        }
                      }}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      {manage && (
        <div className="inline-form">
          <Field label={t('oidc.secrets.overlap')} name="overlapSeconds" error={rotate.error}>
            {(a) => (
              <select {...a} value={overlap} onChange={(e) => setOverlap(e.target.value as (typeof OVERLAPS)[number])}>
                {OVERLAPS.map((o) => (
                  <option key={o} value={o}>
                    {t(`oidc.secrets.overlapOption.${o}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button
            type="button"
            className="primary"
            disabled={rotate.pending}
            onClick={async () => {
              const result = await rotate.run({ input: { id: applicationId, overlapSeconds: Number(overlap) } });
              if (result) {
                setShown(result.rotateOidcClientSecret.secret);
                props.onChanged();
              }
            }}
          >
            {rotate.pending ? t('oidc.secrets.generating') : t('oidc.secrets.generate')}
          </button>
        </div>
      )}
    </div>
  );
}

/** A secret just generated, in a box to copy it from, until she says she has. */
function ShownSecret(props: { secret: string; onDone: () => void; onCopied: (message: string) => void }) {
  const { t } = useTranslation('applications');
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), [props.secret]);
  return (
    <div className="alert alert-warn secret" role="status">
      <p>
        <Trans t={t} i18nKey="oidc.secrets.shownOnce" components={{ strong: <strong /> }} />
      </p>
      <textarea
        ref={field}
        readOnly
        className="code"
        rows={2}
        value={props.secret}
        aria-label={t('oidc.secrets.label')}
        onFocus={(e) => e.target.select()}
      />
      <div className="buttons">
        <button
          type="button"
          onClick={async () => props.onCopied((await copy(props.secret, field.current)) ? t('oidc.copied') : t('oidc.copyByHand'))}
        >
          {t('oidc.copy')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('oidc.secrets.done')}
        </button>
      </div>
    </div>
  );
}
