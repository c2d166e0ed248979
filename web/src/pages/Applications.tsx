// Application Management: the list, Add Application → Marketplace → confirm the name, and one
// application's SSO configuration, authorization scope and application users (seed steps 1–2).
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Link, NavLink, Route, Routes, useNavigate, useParams } from 'react-router';
import { request, useMutation, useQuery } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import type { AccountMode, ApplicationQuery, AuthorizationScope, SubjectKind } from '../gql/graphql';
import { ListView, useListControls, usePagedQuery } from '../list';
import { SubjectPicker, type Picked } from '../pickers';
import { formatNumber } from '../i18n';
import { ConfirmButton, ErrorBanner, Field, Flash, FormErrors, Loading, formatTime, useFlash } from '../ui';
import { OidcSettings } from './OidcClient';

const ApplicationsQuery = graphql(`
  query Applications($instanceId: ID!, $after: String, $search: String) {
    instance(id: $instanceId) {
      id
      applications(first: 20, after: $after, search: $search) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          name
          enabled
          ssoEnabled
          authorizationScope
          missingSettings
          template {
            id
            name
            logo
          }
        }
      }
    }
  }
`);

const ApplicationsCount = graphql(`
  query ApplicationsCount($instanceId: ID!, $search: String) {
    instance(id: $instanceId) {
      applications(first: 1, search: $search) {
        totalCount
      }
    }
  }
`);

const MarketplaceQuery = graphql(`
  query Marketplace($search: String) {
    marketplace(search: $search) {
      id
      name
      description
      category
      logo
      protocol
    }
  }
`);

const AddApplicationMutation = graphql(`
  mutation AddApplication($input: AddApplicationInput!) {
    addApplication(input: $input) {
      application {
        id
      }
    }
  }
`);

export function Applications({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('applications');
  const controls = useListControls({});
  const { search } = controls.applied;
  const list = usePagedQuery(
    { page: ApplicationsQuery, count: ApplicationsCount, total: (d) => d.instance.applications.totalCount },
    { instanceId, search: search || null },
    controls.after,
  );
  return (
    <section>
      <div className="title-row">
        <h1>{t('title')}</h1>
        <Link className="button primary" to="new">
          {t('addApplication')}
        </Link>
      </div>
      <ListView
        query={list}
        page={list.data?.instance.applications}
        total={list.total}
        noun={t('list.noun')}
        controls={controls}
        search={{ id: 'app-search', label: t('list.search') }}
        empty={
          <Trans
            t={t}
            i18nKey={search ? 'list.emptySearch' : 'list.empty'}
            components={{ market: <Link to="new" /> }}
          />
        }
        columns={[
          {
            header: t('list.column.application'),
            cell: (app) => (
              <Link to={app.id} className="app-name">
                <img src={app.template.logo} alt="" width={24} height={24} />
                {app.name}
              </Link>
            ),
          },
          { header: t('list.column.template'), cell: (app) => app.template.name },
          {
            header: t('list.column.state'),
            cell: (app) =>
              !app.enabled
                ? t('list.state.disabled')
                : app.missingSettings.length
                  ? t('list.state.needs', { settings: app.missingSettings.join(', ') })
                  : app.ssoEnabled
                    ? t('list.state.ssoOn')
                    : t('list.state.ssoOff'),
          },
          {
            header: t('list.column.authorization'),
            cell: (app) => t(`list.scope.${app.authorizationScope}`),
          },
        ]}
      />
    </section>
  );
}

export function AddApplication({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('applications');
  const controls = useListControls({});
  const search = controls.applied.search.trim();
  const market = useQuery(MarketplaceQuery, { search: search || null });
  const [chosen, setChosen] = useState<{ id: string; name: string }>();

  return (
    <section>
      <p className="crumbs">
        <Link to={`/instances/${instanceId}/applications`}>{t('title')}</Link> › {t('addApplication')}
      </p>
      <h1>{t('marketplace.title')}</h1>
      <ListView
        query={market}
        rows={market.data?.marketplace}
        controls={controls}
        search={{
          id: 'market-search',
          label: t('marketplace.search'),
          placeholder: t('marketplace.searchPlaceholder'),
        }}
        empty={t('marketplace.empty', { search })}
        listClassName="templates"
        item={(template) => (
          <li className="card template">
            <img src={template.logo} alt="" width={40} height={40} />
            <div>
              <h2>{template.name}</h2>
              <p className="muted">
                {template.category} · {template.protocol}
              </p>
              <p>{template.description}</p>
            </div>
            <button
              type="button"
              className="primary"
              aria-label={t('marketplace.add', { name: template.name })}
              onClick={() => setChosen({ id: template.id, name: template.name })}
            >
              {t('addApplication')}
            </button>
          </li>
        )}
      />
      {chosen && (
        <AddApplicationDialog key={chosen.id} instanceId={instanceId} template={chosen} onCancel={() => setChosen(undefined)} />
      )}
    </section>
  );
}

function AddApplicationDialog(props: { instanceId: string; template: { id: string; name: string }; onCancel: () => void }) {
  const { instanceId, template, onCancel } = props;
  const { t } = useTranslation('applications');
  const navigate = useNavigate();
  const add = useForm({
    initial: { name: template.name },
    submit: ({ name }) => request(AddApplicationMutation, { input: { instanceId, templateId: template.id, name } }),
    onSuccess: (result) => navigate(`/instances/${instanceId}/applications/${result.addApplication.application.id}`),
  });
  return (
    <div className="overlay">
      <form
        className="card dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="confirm-app"
        onSubmit={add.onSubmit}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      >
        <h2 id="confirm-app">{t('dialog.title', { name: template.name })}</h2>
        <FormErrors error={add.error} fields={['name']} />
        <Field label={t('dialog.name')} name="name" error={add.error}>
          {(a) => <input {...a} autoFocus required {...add.bind('name')} />}
        </Field>
        <div className="buttons">
          <button type="submit" className="primary" disabled={add.pending}>
            {add.pending ? t('dialog.adding') : t('dialog.add')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('dialog.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

const ApplicationQuery = graphql(`
  query Application($id: ID!) {
    application(id: $id) {
      id
      instanceId
      name
      enabled
      ssoEnabled
      initiation
      params
      accountMode
      spEntityId
      spEntityIdOverridden
      acsUrl
      acsUrlOverridden
      nameIdSuffix
      nameIdFormat
      encryptAssertions
      assertionEncryption
      spEncryptionCertificatePem
      singleLogout
      sloUrl
      sloResponseUrl
      sloBinding
      defaultRelayState
      missingSettings
      idpEntityId
      idpSsoUrl
      idpMetadataUrl
      authorizationScope
      template {
        id
        name
        logo
        protocol
        params {
          key
          label
          description
          kind
          required
        }
      }
    }
  }
`);

const ConfigureSso = graphql(`
  mutation ConfigureSso($input: ConfigureApplicationSsoInput!) {
    configureApplicationSso(input: $input) {
      application {
        id
        missingSettings
      }
    }
  }
`);

const UpdateApplication = graphql(`
  mutation UpdateApplication($input: UpdateApplicationInput!) {
    updateApplication(input: $input) {
      application {
        id
        enabled
        name
      }
    }
  }
`);

const DeleteApplication = graphql(`
  mutation DeleteApplication($id: ID!) {
    deleteApplication(input: { id: $id }) {
      deletedId
    }
  }
`);

export function ApplicationDetail({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('applications');
  const { applicationId = '' } = useParams();
  const app = useQuery(ApplicationQuery, { id: applicationId });
  const update = useMutation(UpdateApplication);
  const remove = useMutation(DeleteApplication);
  const navigate = useNavigate();
  const a = app.data?.application;
  if (app.loading && !a) return <Loading />;
  if (!a) return <ErrorBanner error={app.error} onRetry={app.reload} />;
  const base = `/instances/${instanceId}/applications/${a.id}`;
  return (
    <section>
      <p className="crumbs">
        <Link to={`/instances/${instanceId}/applications`}>{t('title')}</Link> › {a.name}
      </p>
      <div className="title-row">
        <h1>
          <img src={a.template.logo} alt="" width={32} height={32} /> {a.name}
        </h1>
        <span className="actions">
          <button
            type="button"
            disabled={update.pending}
            onClick={async () => {
              if (await update.run({ input: { id: a.id, enabled: !a.enabled } })) app.reload();
            }}
          >
            {a.enabled ? t('detail.disable') : t('detail.enable')}
          </button>
          <ConfirmButton
            label={t('detail.delete')}
            confirmLabel={t('detail.deleteConfirm')}
            question={t('detail.deleteQuestion', { name: a.name })}
            onConfirm={async () => {
              if (await remove.run({ id: a.id })) navigate(`/instances/${instanceId}/applications`);
            }}
          />
        </span>
      </div>
      <ErrorBanner error={update.error ?? remove.error} />
      <p className="muted">
        {a.template.name} · {a.enabled ? t('detail.enabled') : t('detail.disabled')}
      </p>
      <nav className="tabs" aria-label={t('detail.tabs')}>
        <NavLink to={base} end>
          {t('detail.tab.sso')}
        </NavLink>
        <NavLink to={`${base}/authorization`}>{t('detail.tab.authorization')}</NavLink>
        <NavLink to={`${base}/users`}>{t('detail.tab.users')}</NavLink>
      </nav>
      <Routes>
        <Route index element={<SsoConfiguration app={a} onSaved={app.reload} />} />
        <Route
          path="authorization"
          element={<Authorization instanceId={instanceId} applicationId={a.id} />}
        />
        <Route path="users" element={<ApplicationUsers instanceId={instanceId} applicationId={a.id} />} />
      </Routes>
    </section>
  );
}

/** How many may use an application, from the cheap estimate (exact up to 10,000). */
function usersMayUseIt(t: TFunction<'applications'>, { count, exact }: { count: number; exact: boolean }): string {
  if (!exact) return t('auth.mayUseMany');
  return t('auth.mayUse', { count, n: formatNumber(count) });
}

type AppData = ApplicationQuery['application'];

/** The NameID formats an application may ask for; their labels and hints are `nameIdFormat.<key>`. */
export const NAME_ID_FORMATS = [
  { value: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', key: 'unspecified' },
  { value: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', key: 'emailAddress' },
  { value: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', key: 'persistent' },
  { value: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient', key: 'transient' },
] as const;

/** How the account name is chosen; their labels and hints are `accountMode.<value>`. */
export const ACCOUNT_MODES: AccountMode[] = ['USERNAME', 'EMAIL', 'APP_ACCOUNT', 'APP_ACCOUNT_OR_USERNAME'];

/** The single logout bindings, by their protocol names (the same in every language). */
const SLO_BINDINGS = [
  { value: 'redirect', label: 'HTTP-Redirect' },
  { value: 'post', label: 'HTTP-POST' },
];

function SsoConfiguration({ app, onSaved }: { app: AppData; onSaved: () => void }) {
  const { t } = useTranslation('applications');
  const current = (app.params ?? {}) as Record<string, unknown>;
  // An OpenID Connect client has no SAML settings: its registration is edited below instead.
  const isOidc = app.template.protocol === 'OIDC';
  const [flash, setFlash] = useFlash();
  const configure = useForm({
    initial: {
      params: Object.fromEntries(app.template.params.map((p) => [p.key, String(current[p.key] ?? '')])),
      accountMode: app.accountMode,
      ssoEnabled: app.ssoEnabled,
      relayState: app.defaultRelayState ?? '',
      spEntityId: app.spEntityIdOverridden ? (app.spEntityId ?? '') : '',
      acsUrl: app.acsUrlOverridden ? (app.acsUrl ?? '') : '',
      initiation: app.initiation,
      nameIdFormat: app.nameIdFormat,
      encryptAssertions: app.encryptAssertions,
      assertionEncryption: app.assertionEncryption,
      spEncryptionCertificatePem: app.spEncryptionCertificatePem ?? '',
      singleLogout: app.singleLogout,
      sloUrl: app.sloUrl ?? '',
      sloResponseUrl: app.sloResponseUrl ?? '',
      sloBinding: app.sloBinding,
    },
    submit: ({ relayState, ...values }) =>
      isOidc
        ? request(ConfigureSso, {
            input: { id: app.id, params: values.params, accountMode: values.accountMode, ssoEnabled: values.ssoEnabled },
          })
        : request(ConfigureSso, {
            input: {
              id: app.id,
              ...values,
              // Sent only when changed, so that the template's default stays a default. An empty
              // spEntityId or acsUrl returns to the value the template derives from the parameters.
              defaultRelayState: relayState !== (app.defaultRelayState ?? '') ? relayState : undefined,
            },
          }),
    onSuccess: () => {
      setFlash(t('sso.saved'));
      onSaved();
    },
  });
  const {
    params,
    accountMode,
    ssoEnabled,
    spEntityId,
    acsUrl,
    nameIdFormat,
    encryptAssertions,
    singleLogout,
    sloUrl,
  } = configure.values;
  const fields = [
    ...app.template.params.map((p) => `params.${p.key}`),
    'accountMode',
    'ssoEnabled',
    'defaultRelayState',
    'spEntityId',
    'acsUrl',
    'initiation',
    'nameIdFormat',
    'encryptAssertions',
    'assertionEncryption',
    'spEncryptionCertificatePem',
    'singleLogout',
    'sloUrl',
    'sloResponseUrl',
    'sloBinding',
  ];

  const format = NAME_ID_FORMATS.find((f) => f.value === nameIdFormat);
  return (
    <>
      <div className={isOidc ? undefined : 'columns'}>
        <form className="card" onSubmit={configure.onSubmit} aria-labelledby="sso-title">
          <h2 id="sso-title">{t('sso.title')}</h2>
          {app.missingSettings.length > 0 && (
            <div className="alert alert-warn" role="note">
              {t('sso.missing', { settings: app.missingSettings.join(', ') })}
            </div>
          )}
          <FormErrors error={configure.error} fields={fields} />
          {app.template.params.map((p) => (
            <Field
              key={p.key}
              label={p.required ? p.label : t('sso.optional', { label: p.label })}
              name={`params.${p.key}`}
              error={configure.error}
              hint={p.description}
            >
              {(attrs) => (
                <input
                  {...attrs}
                  value={params[p.key] ?? ''}
                  onChange={(e) => configure.set('params', { ...params, [p.key]: e.target.value })}
                />
              )}
            </Field>
          ))}
          <Field
            label={isOidc ? t('oidc.subject') : t('sso.accountName')}
            name="accountMode"
            error={configure.error}
            hint={isOidc ? `${t('oidc.subjectHint')} ${t(`accountMode.${accountMode}.hint`)}` : t(`accountMode.${accountMode}.hint`)}
          >
            {(attrs) => (
              <select {...attrs} {...configure.bind('accountMode')}>
                {ACCOUNT_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`accountMode.${m}.label`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {!isOidc && (
            <Field label={t('sso.relayState')} name="defaultRelayState" error={configure.error}>
              {(attrs) => (
                <input {...attrs} {...configure.bind('relayState')} />
              )}
            </Field>
          )}
          {!isOidc && (
            <details open={Boolean(spEntityId || acsUrl || encryptAssertions || sloUrl) || undefined}>
              <summary>{t('sso.advanced')}</summary>
              <p className="muted">{t('sso.advancedLead')}</p>
              <Field label={t('sso.spEntityId')} name="spEntityId" error={configure.error}>
                {(attrs) => (
                  <input {...attrs} placeholder={app.spEntityIdOverridden ? '' : (app.spEntityId ?? '')} {...configure.bind('spEntityId')} />
                )}
              </Field>
              <Field label={t('sso.acsUrl')} name="acsUrl" error={configure.error}>
                {(attrs) => (
                  <input {...attrs} placeholder={app.acsUrlOverridden ? '' : (app.acsUrl ?? '')} {...configure.bind('acsUrl')} />
                )}
              </Field>
              <Field
                label={t('sso.nameIdFormat')}
                name="nameIdFormat"
                error={configure.error}
                hint={format && t(`nameIdFormat.${format.key}.hint`)}
              >
                {(attrs) => (
                  <select {...attrs} {...configure.bind('nameIdFormat')}>
                    {NAME_ID_FORMATS.map((f) => (
                      <option key={f.value} value={f.value}>
                        {t(`nameIdFormat.${f.key}.label`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                label={t('sso.spCertificate')}
                name="spEncryptionCertificatePem"
                error={configure.error}
                hint={t('sso.spCertificateHint')}
              >
                {(attrs) => <textarea {...attrs} rows={4} {...configure.bind('spEncryptionCertificatePem')} />}
              </Field>
              <div className="field checkbox">
                <input
                  id="encrypt-assertions"
                  type="checkbox"
                  checked={encryptAssertions}
                  onChange={(e) => configure.set('encryptAssertions', e.target.checked)}
                />
                <label htmlFor="encrypt-assertions">{t('sso.encryptAssertions')}</label>
              </div>
              <Field label={t('sso.assertionEncryption')} name="assertionEncryption" error={configure.error}>
                {(attrs) => (
                  <select {...attrs} {...configure.bind('assertionEncryption')}>
                    <option value="aes256-gcm">{t('sso.aes256gcm')}</option>
                    <option value="aes256-cbc">{t('sso.aes256cbc')}</option>
                    <option value="aes128-cbc">{t('sso.aes128cbc')}</option>
                  </select>
                )}
              </Field>
              <Field
                label={t('sso.sloUrl')}
                name="sloUrl"
                error={configure.error}
                hint={t('sso.sloUrlHint')}
              >
                {(attrs) => <input {...attrs} {...configure.bind('sloUrl')} />}
              </Field>
              <Field
                label={t('sso.sloResponseUrl')}
                name="sloResponseUrl"
                error={configure.error}
                hint={t('sso.sloResponseUrlHint')}
              >
                {(attrs) => <input {...attrs} {...configure.bind('sloResponseUrl')} />}
              </Field>
              <Field label={t('sso.sloBinding')} name="sloBinding" error={configure.error}>
                {(attrs) => (
                  <select {...attrs} {...configure.bind('sloBinding')}>
                    {SLO_BINDINGS.map((b) => (
                      <option key={b.value} value={b.value}>
                        {b.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <div className="field checkbox">
                <input
                  id="single-logout"
                  type="checkbox"
                  checked={singleLogout}
                  onChange={(e) => configure.set('singleLogout', e.target.checked)}
                />
                <label htmlFor="single-logout">{t('sso.singleLogout')}</label>
              </div>
              <Field label={t('sso.initiation')} name="initiation" error={configure.error}>
                {(attrs) => (
                  <select {...attrs} {...configure.bind('initiation')}>
                    <option value="IDP_OR_SP">{t('sso.initiationIdpOrSp')}</option>
                    <option value="SP_ONLY">{t('sso.initiationSpOnly')}</option>
                  </select>
                )}
              </Field>
            </details>
          )}
          <p>
            <strong>{t('sso.scope')}</strong>{' '}
            {app.authorizationScope === 'ALL_MEMBERS' ? t('sso.scopeAll') : t('sso.scopeManual')} ·{' '}
            <Link to="authorization">{t('sso.changeScope')}</Link>
          </p>
          <div className="field checkbox">
            <input
              id="sso-enabled"
              type="checkbox"
              checked={ssoEnabled}
              onChange={(e) => configure.set('ssoEnabled', e.target.checked)}
            />
            <label htmlFor="sso-enabled">{t('sso.ssoEnabled')}</label>
          </div>
          <button type="submit" className="primary" disabled={configure.pending}>
            {configure.pending ? t('sso.saving') : t('sso.save')}
          </button>
          <Flash message={flash} />
        </form>

        {!isOidc && (
          <div className="card" aria-labelledby="app-settings">
            <h2 id="app-settings">{t('settings.title')}</h2>
            <dl className="settings">
              <dt>{t('settings.idpMetadata')}</dt>
              <dd>
                <a
                  className="button primary"
                  href={app.idpMetadataUrl}
                  download={`lanyard-idp-metadata-${app.id}.xml`}
                >
                  {t('settings.download')}
                </a>{' '}
                <span className="muted">{t('settings.uploadHint')}</span>
              </dd>
              <dt>{t('settings.idpEntityId')}</dt>
              <dd>
                <code>{app.idpEntityId}</code>
              </dd>
              <dt>{t('settings.idpSsoUrl')}</dt>
              <dd>
                <code>{app.idpSsoUrl}</code>
              </dd>
              <dt>{t('settings.logonLink')}</dt>
              <dd>
                <code>{app.idpSsoUrl.replace(/\/sso$/, '/start')}</code>
                <div className="muted">{t('settings.logonLinkHint')}</div>
              </dd>
              <dt>{t('settings.spEntityId')}</dt>
              <dd>
                <code>{app.spEntityId ?? t('settings.needsAccountId')}</code>
              </dd>
              <dt>{t('settings.acsUrl')}</dt>
              <dd>
                <code>{app.acsUrl ?? '—'}</code>
              </dd>
              <dt>{t('settings.nameId')}</dt>
              <dd>
                <code>
                  {t('settings.accountName')}
                  {app.nameIdSuffix ? `@${app.nameIdSuffix}` : ''}
                </code>
              </dd>
            </dl>
          </div>
        )}
      </div>
      {isOidc && <OidcSettings applicationId={app.id} instanceId={app.instanceId} />}
    </>
  );
}

const AuthorizationQuery = graphql(`
  query ApplicationAuthorization($id: ID!, $after: String) {
    application(id: $id) {
      id
      authorizationScope
      accessGrants(first: 50, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          subjectKind
          subjectId
          subjectName
          createdAt
        }
      }
      effectiveUsers(first: 10) {
        totalCountEstimate {
          count
          exact
        }
        nodes {
          id
          username
        }
      }
    }
  }
`);

const AccessGrantsCount = graphql(`
  query AccessGrantsCount($id: ID!) {
    application(id: $id) {
      accessGrants(first: 1) {
        totalCount
      }
    }
  }
`);

const SetScope = graphql(`
  mutation SetScope($input: SetAuthorizationScopeInput!) {
    setAuthorizationScope(input: $input) {
      changed
    }
  }
`);

const Grant = graphql(`
  mutation GrantAccess($input: ApplicationAccessInput!) {
    grantApplicationAccess(input: $input) {
      changed
    }
  }
`);

const Revoke = graphql(`
  mutation RevokeAccess($input: ApplicationAccessInput!) {
    revokeApplicationAccess(input: $input) {
      changed
    }
  }
`);

function Authorization({ instanceId, applicationId }: { instanceId: string; applicationId: string }) {
  const { t } = useTranslation('applications');
  const controls = useListControls({});
  const auth = usePagedQuery(
    { page: AuthorizationQuery, count: AccessGrantsCount, total: (d) => d.application.accessGrants.totalCount },
    { id: applicationId },
    controls.after,
  );
  const setScope = useMutation(SetScope);
  const grant = useMutation(Grant);
  const revoke = useMutation(Revoke);
  const [kind, setKind] = useState<SubjectKind>('GROUP');
  const [flash, setFlash] = useFlash();
  const data = auth.data?.application;
  const scope = data?.authorizationScope;

  async function changeScope(next: AuthorizationScope) {
    if (await setScope.run({ input: { applicationId, scope: next } })) {
      setFlash(next === 'ALL_MEMBERS' ? t('auth.everyMember') : t('auth.onlyGranted'));
      auth.reload();
    }
  }

  return (
    <div className="card">
      <h2>{t('auth.title')}</h2>
      <ErrorBanner error={auth.error ?? setScope.error} onRetry={auth.reload} />
      {!data && auth.loading && <Loading />}
      {data && (
        <fieldset className="radios" disabled={setScope.pending}>
          <legend>{t('auth.who')}</legend>
          <label>
            <input
              type="radio"
              name="scope"
              checked={scope === 'ALL_MEMBERS'}
              onChange={() => changeScope('ALL_MEMBERS')}
            />
            {t('auth.allMembers')}
          </label>
          <label>
            <input
              type="radio"
              name="scope"
              checked={scope === 'MANUAL'}
              onChange={() => changeScope('MANUAL')}
            />
            {t('auth.manual')}
          </label>
        </fieldset>
      )}
      <Flash message={flash} />
      {data && (
        <p className="muted">
          {data.effectiveUsers.nodes.length > 0
            ? t('auth.mayUseNames', {
                who: usersMayUseIt(t, data.effectiveUsers.totalCountEstimate),
                names:
                  data.effectiveUsers.nodes.map((u) => u.username).join(', ') +
                  (data.effectiveUsers.totalCountEstimate.count > data.effectiveUsers.nodes.length ? ', …' : ''),
              })
            : t('auth.mayUseSentence', { who: usersMayUseIt(t, data.effectiveUsers.totalCountEstimate) })}
        </p>
      )}
      {data && scope === 'MANUAL' && (
        <>
          <h3>{t('auth.grants')}</h3>
          <ListView
            error={grant.error ?? revoke.error}
            page={data.accessGrants}
            total={auth.total}
            noun={t('auth.noun')}
            controls={controls}
            empty={t('auth.empty')}
            columns={[
              { header: t('auth.column.kind'), cell: (g) => t(`kind.${g.subjectKind}`) },
              { header: t('auth.column.name'), cell: (g) => g.subjectName ?? g.subjectId },
              { header: t('auth.column.granted'), cell: (g) => formatTime(g.createdAt) },
              {
                header: t('auth.column.operations'),
                actions: true,
                cell: (g) => (
                  <ConfirmButton
                    label={t('auth.revoke')}
                    confirmLabel={t('auth.revokeConfirm')}
                    question={
                      g.subjectName ? t('auth.revokeQuestion', { name: g.subjectName }) : t('auth.revokeThisGrant')
                    }
                    onConfirm={async () => {
                      const ok = await revoke.run({
                        input: { applicationId, subjects: [{ kind: g.subjectKind, id: g.subjectId }] },
                      });
                      if (ok) auth.reload();
                    }}
                  />
                ),
              },
            ]}
          />
          <h3>{t('auth.grantAccess')}</h3>
          <div className="field">
            <label htmlFor="grant-kind">{t('auth.grantTo')}</label>
            <select id="grant-kind" value={kind} onChange={(e) => setKind(e.target.value as SubjectKind)}>
              <option value="GROUP">{t('auth.aGroup')}</option>
              <option value="ORG_UNIT">{t('auth.anOrgUnit')}</option>
              <option value="USER">{t('auth.aUser')}</option>
            </select>
          </div>
          <SubjectPicker
            key={kind}
            instanceId={instanceId}
            kind={kind}
            actionLabel={t('auth.grant')}
            disabled={grant.pending}
            onPick={async (picked) => {
              const ok = await grant.run({
                input: { applicationId, subjects: [{ kind: picked.kind, id: picked.id }] },
              });
              if (ok) {
                setFlash(t('auth.granted', { name: picked.name }));
                auth.reload();
              }
            }}
          />
        </>
      )}
    </div>
  );
}

const AccountsQuery = graphql(`
  query ApplicationAccounts($id: ID!, $after: String, $search: String) {
    application(id: $id) {
      id
      accountMode
      accounts(first: 20, after: $after, search: $search) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          userId
          accountName
          updatedAt
          user {
            id
            username
            displayName
          }
        }
      }
    }
  }
`);

const AccountsCount = graphql(`
  query ApplicationAccountsCount($id: ID!, $search: String) {
    application(id: $id) {
      accounts(first: 1, search: $search) {
        totalCount
      }
    }
  }
`);

const SetAccount = graphql(`
  mutation SetApplicationAccount($input: SetApplicationAccountInput!) {
    setApplicationAccount(input: $input) {
      account {
        id
        accountName
      }
    }
  }
`);

const RemoveAccount = graphql(`
  mutation RemoveApplicationAccount($input: RemoveApplicationAccountInput!) {
    removeApplicationAccount(input: $input) {
      removed
    }
  }
`);

const NameIdQuery = graphql(`
  query NameIdFor($id: ID!, $userId: ID!) {
    application(id: $id) {
      id
      nameIdFor(userId: $userId) {
        nameId
        reason
      }
    }
  }
`);

function ApplicationUsers({ instanceId, applicationId }: { instanceId: string; applicationId: string }) {
  const { t } = useTranslation('applications');
  const controls = useListControls({});
  const { search } = controls.applied;
  const accounts = usePagedQuery(
    { page: AccountsQuery, count: AccountsCount, total: (d) => d.application.accounts.totalCount },
    { id: applicationId, search: search || null },
    controls.after,
  );
  const remove = useMutation(RemoveAccount);
  const [user, setUser] = useState<Picked>();
  const [flash, setFlash] = useFlash();
  const data = accounts.data?.application;

  return (
    <div className="card">
      <h2>{t('users.title')}</h2>
      <p className="muted">
        {t('users.lead', { mode: data ? t(`accountMode.${data.accountMode}.label`) : '…' })}
      </p>
      <Flash message={flash} />
      <ListView
        query={accounts}
        error={remove.error}
        page={data?.accounts}
        total={accounts.total}
        noun={t('users.noun')}
        controls={controls}
        search={{ id: 'account-search', label: t('users.search') }}
        empty={t('users.empty')}
        columns={[
          { header: t('users.column.user'), cell: (acc) => acc.user?.username ?? acc.userId },
          { header: t('users.column.account'), cell: (acc) => acc.accountName },
          { header: t('users.column.updated'), cell: (acc) => formatTime(acc.updatedAt) },
          {
            header: t('users.column.operations'),
            actions: true,
            cell: (acc) => (
              <ConfirmButton
                label={t('users.remove')}
                confirmLabel={t('users.removeConfirm')}
                question={t('users.removeQuestion', { name: acc.accountName })}
                onConfirm={async () => {
                  if (await remove.run({ input: { applicationId, userId: acc.userId } })) accounts.reload();
                }}
              />
            ),
          },
        ]}
      />

      <h3>{t('users.map')}</h3>
      {!user ? (
        <SubjectPicker instanceId={instanceId} kind="USER" actionLabel={t('users.select')} onPick={setUser} />
      ) : (
        <MapAccountForm
          key={user.id}
          applicationId={applicationId}
          user={user}
          onChooseAnother={() => setUser(undefined)}
          onSaved={(accountName) => {
            setFlash(t('users.signsInAs', { user: user.name, account: accountName }));
            setUser(undefined);
            accounts.reload();
          }}
        />
      )}
    </div>
  );
}

function MapAccountForm(props: {
  applicationId: string;
  user: Picked;
  onChooseAnother: () => void;
  onSaved: (accountName: string) => void;
}) {
  const { applicationId, user } = props;
  const { t } = useTranslation('applications');
  const preview = useQuery(NameIdQuery, { id: applicationId, userId: user.id });
  const set = useForm({
    initial: { accountName: '' },
    submit: ({ accountName }) => request(SetAccount, { input: { applicationId, userId: user.id, accountName } }),
    onSuccess: (_, { accountName }) => props.onSaved(accountName),
  });
  const nameId = preview.data?.application.nameIdFor;
  return (
    <form onSubmit={set.onSubmit} className="inline-form">
      <p>
        {t('map.user')} <strong>{user.name}</strong>{' '}
        <button type="button" className="link" onClick={props.onChooseAnother}>
          {t('map.chooseAnother')}
        </button>
      </p>
      {nameId && (
        <p className="muted">
          {t('map.now')} {nameId.nameId ? <code>{nameId.nameId}</code> : nameId.reason}
        </p>
      )}
      <FormErrors error={set.error} fields={['accountName']} />
      <Field label={t('map.accountName')} name="accountName" error={set.error}>
        {(a) => <input {...a} autoFocus required {...set.bind('accountName')} />}
      </Field>
      <button type="submit" className="primary" disabled={set.pending}>
        {set.pending ? t('map.saving') : t('map.save')}
      </button>
    </form>
  );
}
