// Application Management: the list, Add Application → Marketplace → confirm the name, and one
// application's SSO configuration, authorization scope and application users (seed steps 1–2).
import { useState } from 'react';
import { Link, NavLink, Route, Routes, useNavigate, useParams } from 'react-router';
import { request, useMutation, useQuery } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import type { AccountMode, ApplicationQuery, AuthorizationScope, SubjectKind } from '../gql/graphql';
import { ListView, useListControls, usePagedQuery } from '../list';
import { SubjectPicker, type Picked } from '../pickers';
import { ConfirmButton, ErrorBanner, Field, Flash, FormErrors, Loading, formatTime, useFlash } from '../ui';

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
        <h1>Applications</h1>
        <Link className="button primary" to="new">
          Add Application
        </Link>
      </div>
      <ListView
        query={list}
        page={list.data?.instance.applications}
        total={list.total}
        noun="applications"
        controls={controls}
        search={{ id: 'app-search', label: 'Search applications' }}
        empty={
          <>
            No applications{search ? ' match' : ' yet'}. <Link to="new">Add one from the marketplace</Link>.
          </>
        }
        columns={[
          {
            header: 'Application',
            cell: (app) => (
              <Link to={app.id} className="app-name">
                <img src={app.template.logo} alt="" width={24} height={24} />
                {app.name}
              </Link>
            ),
          },
          { header: 'Template', cell: (app) => app.template.name },
          {
            header: 'State',
            cell: (app) =>
              !app.enabled
                ? 'Disabled'
                : app.missingSettings.length
                  ? `Needs ${app.missingSettings.join(', ')}`
                  : app.ssoEnabled
                    ? 'SSO on'
                    : 'SSO off',
          },
          {
            header: 'Authorization',
            cell: (app) => (app.authorizationScope === 'ALL_MEMBERS' ? 'All members' : 'Manual'),
          },
        ]}
      />
    </section>
  );
}

export function AddApplication({ instanceId }: { instanceId: string }) {
  const controls = useListControls({});
  const search = controls.applied.search.trim();
  const market = useQuery(MarketplaceQuery, { search: search || null });
  const [chosen, setChosen] = useState<{ id: string; name: string }>();

  return (
    <section>
      <p className="crumbs">
        <Link to={`/instances/${instanceId}/applications`}>Applications</Link>{' '}
        › Add Application
      </p>
      <h1>Marketplace</h1>
      <ListView
        query={market}
        rows={market.data?.marketplace}
        controls={controls}
        search={{ id: 'market-search', label: 'Search the marketplace', placeholder: 'e.g. Alibaba Cloud User-based SSO' }}
        empty={<>No template matches “{search}”.</>}
        listClassName="templates"
        item={(t) => (
          <li className="card template">
            <img src={t.logo} alt="" width={40} height={40} />
            <div>
              <h2>{t.name}</h2>
              <p className="muted">
                {t.category} · {t.protocol}
              </p>
              <p>{t.description}</p>
            </div>
            <button
              type="button"
              className="primary"
              aria-label={`Add Application ${t.name}`}
              onClick={() => setChosen({ id: t.id, name: t.name })}
            >
              Add Application
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
        <h2 id="confirm-app">Add {template.name}</h2>
        <FormErrors error={add.error} fields={['name']} />
        <Field label="Application Name" name="name" error={add.error}>
          {(a) => <input {...a} autoFocus required {...add.bind('name')} />}
        </Field>
        <div className="buttons">
          <button type="submit" className="primary" disabled={add.pending}>
            {add.pending ? 'Adding…' : 'Add'}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
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
        <Link to={`/instances/${instanceId}/applications`}>Applications</Link> › {a.name}
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
            {a.enabled ? 'Disable' : 'Enable'}
          </button>
          <ConfirmButton
            label="Delete"
            question={`Delete ${a.name}? Employees can no longer sign in to it.`}
            onConfirm={async () => {
              if (await remove.run({ id: a.id })) navigate(`/instances/${instanceId}/applications`);
            }}
          />
        </span>
      </div>
      <ErrorBanner error={update.error ?? remove.error} />
      <p className="muted">
        {a.template.name} · {a.enabled ? 'enabled' : 'disabled'}
      </p>
      <nav className="tabs" aria-label="Application">
        <NavLink to={base} end>
          SSO configuration
        </NavLink>
        <NavLink to={`${base}/authorization`}>Authorization</NavLink>
        <NavLink to={`${base}/users`}>Application users</NavLink>
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
function usersMayUseIt({ count, exact }: { count: number; exact: boolean }): string {
  if (!exact) return 'More than 10,000 active users may use it';
  return `${count.toLocaleString('en')} active user${count === 1 ? '' : 's'} may use it`;
}

type AppData = ApplicationQuery['application'];

export const NAME_ID_FORMATS: { value: string; label: string; hint: string }[] = [
  {
    value: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    label: 'Unspecified',
    hint: 'The application account name, labelled unspecified (what Alibaba Cloud expects).',
  },
  {
    value: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    label: 'Email address',
    hint: 'The application account name, labelled as an email address.',
  },
  {
    value: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    label: 'Persistent',
    hint: 'An opaque identifier made at the first sign-in, kept across renames, different in every application.',
  },
  {
    value: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    label: 'Transient',
    hint: 'A new random identifier at every sign-in: the application cannot recognise a returning employee.',
  },
];

export const ACCOUNT_MODES: { value: AccountMode; label: string; hint: string }[] = [
  { value: 'USERNAME', label: 'IDaaS username', hint: "The employee's username is the RAM user prefix." },
  { value: 'EMAIL', label: 'Email address', hint: 'The part before @ of the email is not used; the whole address is.' },
  {
    value: 'APP_ACCOUNT',
    label: 'Application username',
    hint: 'Each employee needs an account name on the Application users page; without one SSO is refused.',
  },
  {
    value: 'APP_ACCOUNT_OR_USERNAME',
    label: 'Application username, else IDaaS username',
    hint: 'The account name from Application users when there is one, otherwise the username.',
  },
];

function SsoConfiguration({ app, onSaved }: { app: AppData; onSaved: () => void }) {
  const current = (app.params ?? {}) as Record<string, unknown>;
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
      request(ConfigureSso, {
        input: {
          id: app.id,
          ...values,
          // Sent only when changed, so that the template's default stays a default. An empty
          // spEntityId or acsUrl returns to the value the template derives from the parameters.
          defaultRelayState: relayState !== (app.defaultRelayState ?? '') ? relayState : undefined,
        },
      }),
    onSuccess: () => {
      setFlash('SSO configuration saved.');
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

  const mode = ACCOUNT_MODES.find((m) => m.value === accountMode);
  const format = NAME_ID_FORMATS.find((f) => f.value === nameIdFormat);
  return (
    <div className="columns">
      <form className="card" onSubmit={configure.onSubmit} aria-labelledby="sso-title">
        <h2 id="sso-title">Single sign-on</h2>
        {app.missingSettings.length > 0 && (
          <div className="alert alert-warn" role="note">
            To finish setting up, fill in: {app.missingSettings.join(', ')}.
          </div>
        )}
        <FormErrors error={configure.error} fields={fields} />
        {app.template.params.map((p) => (
          <Field
            key={p.key}
            label={p.label + (p.required ? '' : ' (optional)')}
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
        <Field label="Application account name" name="accountMode" error={configure.error} hint={mode?.hint}>
          {(attrs) => (
            <select {...attrs} {...configure.bind('accountMode')}>
              {ACCOUNT_MODES.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Default RelayState (where employees land)" name="defaultRelayState" error={configure.error}>
          {(attrs) => (
            <input {...attrs} {...configure.bind('relayState')} />
          )}
        </Field>
        <details open={Boolean(spEntityId || acsUrl || encryptAssertions || sloUrl) || undefined}>
          <summary>Advanced: service provider overrides</summary>
          <p className="muted">Leave empty to use what the template derives from the parameters.</p>
          <Field label="SP entity ID" name="spEntityId" error={configure.error}>
            {(attrs) => (
              <input {...attrs} placeholder={app.spEntityIdOverridden ? '' : (app.spEntityId ?? '')} {...configure.bind('spEntityId')} />
            )}
          </Field>
          <Field label="ACS URL" name="acsUrl" error={configure.error}>
            {(attrs) => (
              <input {...attrs} placeholder={app.acsUrlOverridden ? '' : (app.acsUrl ?? '')} {...configure.bind('acsUrl')} />
            )}
          </Field>
          <Field label="NameID format" name="nameIdFormat" error={configure.error} hint={format?.hint}>
            {(attrs) => (
              <select {...attrs} {...configure.bind('nameIdFormat')}>
                {NAME_ID_FORMATS.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="SP encryption certificate"
            name="spEncryptionCertificatePem"
            error={configure.error}
            hint="The service provider's RSA certificate, PEM or base64 (from its metadata)."
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
            <label htmlFor="encrypt-assertions">Encrypt assertions for the service provider</label>
          </div>
          <Field label="Assertion encryption" name="assertionEncryption" error={configure.error}>
            {(attrs) => (
              <select {...attrs} {...configure.bind('assertionEncryption')}>
                <option value="aes256-gcm">AES-256-GCM (recommended)</option>
                <option value="aes256-cbc">AES-256-CBC (older service providers)</option>
                <option value="aes128-cbc">AES-128-CBC (older service providers)</option>
              </select>
            )}
          </Field>
          <Field
            label="SP single logout URL"
            name="sloUrl"
            error={configure.error}
            hint="The service provider's SingleLogoutService (from its metadata). Signing out of Lanyard signs the employee out there too."
          >
            {(attrs) => <input {...attrs} {...configure.bind('sloUrl')} />}
          </Field>
          <Field
            label="SP single logout response URL"
            name="sloResponseUrl"
            error={configure.error}
            hint="Only when the service provider takes LogoutResponses at another URL."
          >
            {(attrs) => <input {...attrs} {...configure.bind('sloResponseUrl')} />}
          </Field>
          <Field label="Single logout binding" name="sloBinding" error={configure.error}>
            {(attrs) => (
              <select {...attrs} {...configure.bind('sloBinding')}>
                <option value="redirect">HTTP-Redirect</option>
                <option value="post">HTTP-POST</option>
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
            <label htmlFor="single-logout">Take part in single logout</label>
          </div>
          <Field label="Who may start SSO" name="initiation" error={configure.error}>
            {(attrs) => (
              <select {...attrs} {...configure.bind('initiation')}>
                <option value="IDP_OR_SP">The portal (IdP) or the application (SP)</option>
                <option value="SP_ONLY">Only the application (SP)</option>
              </select>
            )}
          </Field>
        </details>
        <p>
          <strong>Authorization scope:</strong>{' '}
          {app.authorizationScope === 'ALL_MEMBERS' ? 'all members' : 'manual (only those granted)'} ·{' '}
          <Link to="authorization">Change</Link>
        </p>
        <div className="field checkbox">
          <input
            id="sso-enabled"
            type="checkbox"
            checked={ssoEnabled}
            onChange={(e) => configure.set('ssoEnabled', e.target.checked)}
          />
          <label htmlFor="sso-enabled">SSO enabled</label>
        </div>
        <button type="submit" className="primary" disabled={configure.pending}>
          {configure.pending ? 'Saving…' : 'Save'}
        </button>
        <Flash message={flash} />
      </form>

      <div className="card" aria-labelledby="app-settings">
        <h2 id="app-settings">Application Settings</h2>
        <dl className="settings">
          <dt>IdP metadata</dt>
          <dd>
            <a
              className="button primary"
              href={app.idpMetadataUrl}
              download={`lanyard-idp-metadata-${app.id}.xml`}
            >
              Download
            </a>{' '}
            <span className="muted">Upload this file in the RAM console (SSO › User-based SSO).</span>
          </dd>
          <dt>IdP entity ID</dt>
          <dd>
            <code>{app.idpEntityId}</code>
          </dd>
          <dt>IdP SSO URL</dt>
          <dd>
            <code>{app.idpSsoUrl}</code>
          </dd>
          <dt>Logon link</dt>
          <dd>
            <code>{app.idpSsoUrl.replace(/\/sso$/, '/start')}</code>
            <div className="muted">Starts SSO from Lanyard, like the portal tile.</div>
          </dd>
          <dt>SP entity ID</dt>
          <dd>
            <code>{app.spEntityId ?? '— (needs the account ID)'}</code>
          </dd>
          <dt>ACS URL</dt>
          <dd>
            <code>{app.acsUrl ?? '—'}</code>
          </dd>
          <dt>NameID</dt>
          <dd>
            <code>
              &lt;account name&gt;{app.nameIdSuffix ? `@${app.nameIdSuffix}` : ''}
            </code>
          </dd>
        </dl>
      </div>
    </div>
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

const KIND_LABEL: Record<SubjectKind, string> = { USER: 'User', GROUP: 'Group', ORG_UNIT: 'Org unit' };

function Authorization({ instanceId, applicationId }: { instanceId: string; applicationId: string }) {
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
      setFlash(next === 'ALL_MEMBERS' ? 'Every member may now use it.' : 'Only granted subjects may use it.');
      auth.reload();
    }
  }

  return (
    <div className="card">
      <h2>Authorization scope</h2>
      <ErrorBanner error={auth.error ?? setScope.error} onRetry={auth.reload} />
      {!data && auth.loading && <Loading />}
      {data && (
        <fieldset className="radios" disabled={setScope.pending}>
          <legend>Who may use this application</legend>
          <label>
            <input
              type="radio"
              name="scope"
              checked={scope === 'ALL_MEMBERS'}
              onChange={() => changeScope('ALL_MEMBERS')}
            />
            All members of the instance
          </label>
          <label>
            <input
              type="radio"
              name="scope"
              checked={scope === 'MANUAL'}
              onChange={() => changeScope('MANUAL')}
            />
            Manual: only the users, groups and org units granted below
          </label>
        </fieldset>
      )}
      <Flash message={flash} />
      {data && (
        <p className="muted">
          {usersMayUseIt(data.effectiveUsers.totalCountEstimate)}
          {data.effectiveUsers.nodes.length > 0 &&
            `: ${data.effectiveUsers.nodes.map((u) => u.username).join(', ')}${data.effectiveUsers.totalCountEstimate.count > data.effectiveUsers.nodes.length ? ', …' : ''}`}
          .
        </p>
      )}
      {data && scope === 'MANUAL' && (
        <>
          <h3>Grants</h3>
          <ListView
            error={grant.error ?? revoke.error}
            page={data.accessGrants}
            total={auth.total}
            noun="grants"
            controls={controls}
            empty="Nobody is granted yet."
            columns={[
              { header: 'Kind', cell: (g) => KIND_LABEL[g.subjectKind] },
              { header: 'Name', cell: (g) => g.subjectName ?? g.subjectId },
              { header: 'Granted', cell: (g) => formatTime(g.createdAt) },
              {
                header: 'Operations',
                actions: true,
                cell: (g) => (
                  <ConfirmButton
                    label="Revoke"
                    question={`Revoke ${g.subjectName ?? 'this grant'}?`}
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
          <h3>Grant access</h3>
          <div className="field">
            <label htmlFor="grant-kind">Grant to</label>
            <select id="grant-kind" value={kind} onChange={(e) => setKind(e.target.value as SubjectKind)}>
              <option value="GROUP">A group</option>
              <option value="ORG_UNIT">An org unit (and its sub-units)</option>
              <option value="USER">A user</option>
            </select>
          </div>
          <SubjectPicker
            key={kind}
            instanceId={instanceId}
            kind={kind}
            actionLabel="Grant"
            disabled={grant.pending}
            onPick={async (picked) => {
              const ok = await grant.run({
                input: { applicationId, subjects: [{ kind: picked.kind, id: picked.id }] },
              });
              if (ok) {
                setFlash(`Granted to ${picked.name}.`);
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
  const mode = ACCOUNT_MODES.find((m) => m.value === data?.accountMode);

  return (
    <div className="card">
      <h2>Application users</h2>
      <p className="muted">
        The account name each employee has in the application (for Alibaba Cloud, the RAM user
        prefix). Used when the application account name is “{mode?.label ?? '…'}”.
      </p>
      <Flash message={flash} />
      <ListView
        query={accounts}
        error={remove.error}
        page={data?.accounts}
        total={accounts.total}
        noun="accounts"
        controls={controls}
        search={{ id: 'account-search', label: 'Search accounts' }}
        empty="No application accounts yet."
        columns={[
          { header: 'IDaaS user', cell: (acc) => acc.user?.username ?? acc.userId },
          { header: 'Application account', cell: (acc) => acc.accountName },
          { header: 'Updated', cell: (acc) => formatTime(acc.updatedAt) },
          {
            header: 'Operations',
            actions: true,
            cell: (acc) => (
              <ConfirmButton
                label="Remove"
                question={`Remove the account ${acc.accountName}?`}
                onConfirm={async () => {
                  if (await remove.run({ input: { applicationId, userId: acc.userId } })) accounts.reload();
                }}
              />
            ),
          },
        ]}
      />

      <h3>Map an account</h3>
      {!user ? (
        <SubjectPicker instanceId={instanceId} kind="USER" actionLabel="Select" onPick={setUser} />
      ) : (
        <MapAccountForm
          key={user.id}
          applicationId={applicationId}
          user={user}
          onChooseAnother={() => setUser(undefined)}
          onSaved={(accountName) => {
            setFlash(`${user.name} signs in as ${accountName}.`);
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
        IDaaS user <strong>{user.name}</strong>{' '}
        <button type="button" className="link" onClick={props.onChooseAnother}>
          Choose another
        </button>
      </p>
      {nameId && <p className="muted">Now: {nameId.nameId ? <code>{nameId.nameId}</code> : nameId.reason}</p>}
      <FormErrors error={set.error} fields={['accountName']} />
      <Field label="Application account name" name="accountName" error={set.error}>
        {(a) => <input {...a} autoFocus required {...set.bind('accountName')} />}
      </Field>
      <button type="submit" className="primary" disabled={set.pending}>
        {set.pending ? 'Saving…' : 'Save account'}
      </button>
    </form>
  );
}
