// Application Management: the list, Add Application → Marketplace → confirm the name, and one
// application's SSO configuration, authorization scope and application users (seed steps 1–2).
import { useEffect, useState, type FormEvent } from 'react';
import { Link, NavLink, Route, Routes, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from '../api';
import { graphql } from '../gql';
import type { AccountMode, ApplicationQuery, AuthorizationScope, Initiation, SubjectKind } from '../gql/graphql';
import { SubjectPicker } from '../pickers';
import {
  ConfirmButton,
  Empty,
  ErrorBanner,
  Field,
  Flash,
  FormErrors,
  Loading,
  Pager,
  formatTime,
  useFlash,
  usePager,
} from '../ui';

const ApplicationsQuery = graphql(`
  query Applications($instanceId: ID!, $after: String, $search: String) {
    instance(id: $instanceId) {
      id
      applications(first: 20, after: $after, search: $search) {
        totalCount
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
  const pager = usePager();
  const [search, setSearch] = useState('');
  const list = useQuery(ApplicationsQuery, {
    instanceId,
    after: pager.after,
    search: search || null,
  });
  const apps = list.data?.instance.applications;
  return (
    <section>
      <div className="title-row">
        <h1>Applications</h1>
        <Link className="button primary" to="new">
          Add Application
        </Link>
      </div>
      <div className="toolbar">
        <label htmlFor="app-search">Search applications</label>
        <input
          id="app-search"
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            pager.reset();
          }}
        />
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !apps && <Loading />}
      {apps && apps.nodes.length === 0 && (
        <Empty>
          No applications{search ? ' match' : ' yet'}. <Link to="new">Add one from the marketplace</Link>.
        </Empty>
      )}
      {apps && apps.nodes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Application</th>
              <th scope="col">Template</th>
              <th scope="col">State</th>
              <th scope="col">Authorization</th>
            </tr>
          </thead>
          <tbody>
            {apps.nodes.map((app) => (
              <tr key={app.id}>
                <td data-label="Application">
                  <Link to={app.id} className="app-name">
                    <img src={app.template.logo} alt="" width={24} height={24} />
                    {app.name}
                  </Link>
                </td>
                <td data-label="Template">{app.template.name}</td>
                <td data-label="State">
                  {!app.enabled
                    ? 'Disabled'
                    : app.missingSettings.length
                      ? `Needs ${app.missingSettings.join(', ')}`
                      : app.ssoEnabled
                        ? 'SSO on'
                        : 'SSO off'}
                </td>
                <td data-label="Authorization">
                  {app.authorizationScope === 'ALL_MEMBERS' ? 'All members' : 'Manual'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {apps && <Pager pager={pager} pageInfo={apps.pageInfo} totalCount={apps.totalCount} noun="applications" />}
    </section>
  );
}

export function AddApplication({ instanceId }: { instanceId: string }) {
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 200);
    return () => clearTimeout(timer);
  }, [search]);
  const market = useQuery(MarketplaceQuery, { search: debounced || null });
  const [chosen, setChosen] = useState<{ id: string; name: string }>();
  const [name, setName] = useState('');
  const add = useMutation(AddApplicationMutation);
  const navigate = useNavigate();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    const result = await add.run({ input: { instanceId, templateId: chosen.id, name } });
    if (result) navigate(`/instances/${instanceId}/applications/${result.addApplication.application.id}`);
  }

  return (
    <section>
      <p className="crumbs">
        <Link to={`/instances/${instanceId}/applications`}>Applications</Link>{' '}
        › Add Application
      </p>
      <h1>Marketplace</h1>
      <div className="toolbar">
        <label htmlFor="market-search">Search the marketplace</label>
        <input
          id="market-search"
          type="search"
          value={search}
          placeholder="e.g. Alibaba Cloud User-based SSO"
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <ErrorBanner error={market.error} onRetry={market.reload} />
      {market.loading && !market.data && <Loading />}
      {market.data && market.data.marketplace.length === 0 && (
        <Empty>No template matches “{debounced}”.</Empty>
      )}
      <ul className="templates" aria-busy={market.loading}>
        {market.data?.marketplace.map((t) => (
          <li key={t.id} className="card template">
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
              onClick={() => {
                setChosen({ id: t.id, name: t.name });
                setName(t.name);
                add.reset();
              }}
            >
              Add Application
            </button>
          </li>
        ))}
      </ul>
      {chosen && (
        <div className="overlay">
          <form
            className="card dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby="confirm-app"
            onSubmit={submit}
            onKeyDown={(e) => e.key === 'Escape' && setChosen(undefined)}
          >
            <h2 id="confirm-app">Add {chosen.name}</h2>
            <FormErrors error={add.error} fields={['name']} />
            <Field label="Application Name" name="name" error={add.error}>
              {(a) => (
                <input {...a} autoFocus required value={name} onChange={(e) => setName(e.target.value)} />
              )}
            </Field>
            <div className="buttons">
              <button type="submit" className="primary" disabled={add.pending}>
                {add.pending ? 'Adding…' : 'Add'}
              </button>
              <button type="button" onClick={() => setChosen(undefined)}>
                Cancel
              </button>
            </div>
          </form>
        </div>
      )}
    </section>
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

type AppData = ApplicationQuery['application'];

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
  const [params, setParams] = useState<Record<string, string>>(() =>
    Object.fromEntries(app.template.params.map((p) => [p.key, String(current[p.key] ?? '')])),
  );
  const [accountMode, setAccountMode] = useState<AccountMode>(app.accountMode);
  const [ssoEnabled, setSsoEnabled] = useState(app.ssoEnabled);
  const [relayState, setRelayState] = useState(app.defaultRelayState ?? '');
  const [spEntityId, setSpEntityId] = useState(app.spEntityIdOverridden ? (app.spEntityId ?? '') : '');
  const [acsUrl, setAcsUrl] = useState(app.acsUrlOverridden ? (app.acsUrl ?? '') : '');
  const [initiation, setInitiation] = useState<Initiation>(app.initiation);
  const configure = useMutation(ConfigureSso);
  const [flash, setFlash] = useFlash();
  const fields = [
    ...app.template.params.map((p) => `params.${p.key}`),
    'accountMode',
    'ssoEnabled',
    'defaultRelayState',
    'spEntityId',
    'acsUrl',
    'initiation',
  ];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = await configure.run({
      input: {
        id: app.id,
        params,
        accountMode,
        ssoEnabled,
        initiation,
        // Sent only when changed, so that the template's default stays a default.
        defaultRelayState: relayState !== (app.defaultRelayState ?? '') ? relayState : undefined,
        // "" returns to the value the template derives from the parameters.
        spEntityId,
        acsUrl,
      },
    });
    if (result) {
      setFlash('SSO configuration saved.');
      onSaved();
    }
  }

  const mode = ACCOUNT_MODES.find((m) => m.value === accountMode);
  return (
    <div className="columns">
      <form className="card" onSubmit={submit} aria-labelledby="sso-title">
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
                onChange={(e) => setParams({ ...params, [p.key]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <Field label="Application account name" name="accountMode" error={configure.error} hint={mode?.hint}>
          {(attrs) => (
            <select
              {...attrs}
              value={accountMode}
              onChange={(e) => setAccountMode(e.target.value as AccountMode)}
            >
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
            <input {...attrs} value={relayState} onChange={(e) => setRelayState(e.target.value)} />
          )}
        </Field>
        <details open={Boolean(spEntityId || acsUrl) || undefined}>
          <summary>Advanced: service provider overrides</summary>
          <p className="muted">Leave empty to use what the template derives from the parameters.</p>
          <Field label="SP entity ID" name="spEntityId" error={configure.error}>
            {(attrs) => (
              <input {...attrs} value={spEntityId} placeholder={app.spEntityIdOverridden ? '' : (app.spEntityId ?? '')} onChange={(e) => setSpEntityId(e.target.value)} />
            )}
          </Field>
          <Field label="ACS URL" name="acsUrl" error={configure.error}>
            {(attrs) => (
              <input {...attrs} value={acsUrl} placeholder={app.acsUrlOverridden ? '' : (app.acsUrl ?? '')} onChange={(e) => setAcsUrl(e.target.value)} />
            )}
          </Field>
          <Field label="Who may start SSO" name="initiation" error={configure.error}>
            {(attrs) => (
              <select {...attrs} value={initiation} onChange={(e) => setInitiation(e.target.value as Initiation)}>
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
            onChange={(e) => setSsoEnabled(e.target.checked)}
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
        totalCount
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
        totalCount
        nodes {
          id
          username
        }
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
  const pager = usePager();
  const auth = useQuery(AuthorizationQuery, { id: applicationId, after: pager.after });
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
          {data.effectiveUsers.totalCount} active user{data.effectiveUsers.totalCount === 1 ? '' : 's'} may use it
          {data.effectiveUsers.nodes.length > 0 &&
            `: ${data.effectiveUsers.nodes.map((u) => u.username).join(', ')}${data.effectiveUsers.totalCount > data.effectiveUsers.nodes.length ? ', …' : ''}`}
          .
        </p>
      )}
      {data && scope === 'MANUAL' && (
        <>
          <h3>Grants</h3>
          <ErrorBanner error={grant.error ?? revoke.error} />
          {data.accessGrants.nodes.length === 0 ? (
            <Empty>Nobody is granted yet.</Empty>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Name</th>
                  <th scope="col">Granted</th>
                  <th scope="col">Operations</th>
                </tr>
              </thead>
              <tbody>
                {data.accessGrants.nodes.map((g) => (
                  <tr key={g.id}>
                    <td data-label="Kind">{KIND_LABEL[g.subjectKind]}</td>
                    <td data-label="Name">{g.subjectName ?? g.subjectId}</td>
                    <td data-label="Granted">{formatTime(g.createdAt)}</td>
                    <td className="actions">
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
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager pager={pager} pageInfo={data.accessGrants.pageInfo} totalCount={data.accessGrants.totalCount} noun="grants" />
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
        totalCount
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
  const pager = usePager();
  const [search, setSearch] = useState('');
  const accounts = useQuery(AccountsQuery, { id: applicationId, after: pager.after, search: search || null });
  const set = useMutation(SetAccount);
  const remove = useMutation(RemoveAccount);
  const [user, setUser] = useState<{ id: string; name: string }>();
  const [accountName, setAccountName] = useState('');
  const [flash, setFlash] = useFlash();
  const preview = useQuery(NameIdQuery, { id: applicationId, userId: user?.id ?? '' }, { skip: !user });
  const data = accounts.data?.application;
  const mode = ACCOUNT_MODES.find((m) => m.value === data?.accountMode);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!user) return;
    const ok = await set.run({ input: { applicationId, userId: user.id, accountName } });
    if (ok) {
      setFlash(`${user.name} signs in as ${accountName}.`);
      setAccountName('');
      setUser(undefined);
      accounts.reload();
    }
  }

  return (
    <div className="card">
      <h2>Application users</h2>
      <p className="muted">
        The account name each employee has in the application (for Alibaba Cloud, the RAM user
        prefix). Used when the application account name is “{mode?.label ?? '…'}”.
      </p>
      <div className="toolbar">
        <label htmlFor="account-search">Search accounts</label>
        <input
          id="account-search"
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            pager.reset();
          }}
        />
      </div>
      <ErrorBanner error={accounts.error ?? remove.error} onRetry={accounts.reload} />
      <Flash message={flash} />
      {!data && accounts.loading && <Loading />}
      {data && data.accounts.nodes.length === 0 && <Empty>No application accounts yet.</Empty>}
      {data && data.accounts.nodes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">IDaaS user</th>
              <th scope="col">Application account</th>
              <th scope="col">Updated</th>
              <th scope="col">Operations</th>
            </tr>
          </thead>
          <tbody>
            {data.accounts.nodes.map((acc) => (
              <tr key={acc.id}>
                <td data-label="IDaaS user">{acc.user?.username ?? acc.userId}</td>
                <td data-label="Application account">{acc.accountName}</td>
                <td data-label="Updated">{formatTime(acc.updatedAt)}</td>
                <td className="actions">
                  <ConfirmButton
                    label="Remove"
                    question={`Remove the account ${acc.accountName}?`}
                    onConfirm={async () => {
                      if (await remove.run({ input: { applicationId, userId: acc.userId } })) accounts.reload();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <Pager pager={pager} pageInfo={data.accounts.pageInfo} totalCount={data.accounts.totalCount} noun="accounts" />}

      <h3>Map an account</h3>
      {!user ? (
        <SubjectPicker
          instanceId={instanceId}
          kind="USER"
          actionLabel="Select"
          onPick={(picked) => {
            setUser({ id: picked.id, name: picked.name });
            set.reset();
          }}
        />
      ) : (
        <form onSubmit={submit} className="inline-form">
          <p>
            IDaaS user <strong>{user.name}</strong>{' '}
            <button type="button" className="link" onClick={() => setUser(undefined)}>
              Choose another
            </button>
          </p>
          {preview.data && (
            <p className="muted">
              Now:{' '}
              {preview.data.application.nameIdFor.nameId
                ? <code>{preview.data.application.nameIdFor.nameId}</code>
                : preview.data.application.nameIdFor.reason}
            </p>
          )}
          <FormErrors error={set.error} fields={['accountName']} />
          <Field label="Application account name" name="accountName" error={set.error}>
            {(a) => (
              <input {...a} autoFocus required value={accountName} onChange={(e) => setAccountName(e.target.value)} />
            )}
          </Field>
          <button type="submit" className="primary" disabled={set.pending}>
            {set.pending ? 'Saving…' : 'Save account'}
          </button>
        </form>
      )}
    </div>
  );
}
