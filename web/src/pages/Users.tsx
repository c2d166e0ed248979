// Users of an instance: search, status filter, pages, create, CSV import; one user's profile,
// status, memberships, applications and IdP sessions.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, type ApiError } from '../api';
import { csvToImportRows, CsvError, IMPORT_COLUMNS } from '../csv';
import { graphql } from '../gql';
import type { ImportUsersMutation, UserStatus } from '../gql/graphql';

type ImportRowError = ImportUsersMutation['importUsers']['errors'][number];
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

const UsersQuery = graphql(`
  query Users($instanceId: ID!, $after: String, $filter: UserFilter) {
    instance(id: $instanceId) {
      id
      users(first: 20, after: $after, filter: $filter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          username
          displayName
          email
          status
          groups {
            id
            name
          }
        }
      }
    }
  }
`);

const CreateUser = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      user {
        id
        username
      }
    }
  }
`);

const ImportUsers = graphql(`
  mutation ImportUsers($input: ImportUsersInput!) {
    importUsers(input: $input) {
      ok
      importedCount
      errors {
        row
        field
        code
        message
      }
    }
  }
`);

export function Users({ instanceId }: { instanceId: string }) {
  const pager = usePager();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<UserStatus | ''>('');
  const list = useQuery(UsersQuery, {
    instanceId,
    after: pager.after,
    filter: { search: search || null, status: status || null },
  });
  const [panel, setPanel] = useState<'create' | 'import' | null>(null);
  const [flash, setFlash] = useFlash();
  const users = list.data?.instance.users;
  return (
    <section>
      <div className="title-row">
        <h1>Users</h1>
        <span className="actions">
          <button type="button" className="primary" onClick={() => setPanel(panel === 'create' ? null : 'create')}>
            Create user
          </button>
          <button type="button" onClick={() => setPanel(panel === 'import' ? null : 'import')}>
            Import CSV
          </button>
        </span>
      </div>
      <Flash message={flash} />
      {panel === 'create' && (
        <CreateUserForm
          instanceId={instanceId}
          onCreated={(name) => {
            setPanel(null);
            setFlash(`Created ${name}.`);
            list.reload();
          }}
        />
      )}
      {panel === 'import' && (
        <ImportUsersForm
          instanceId={instanceId}
          onImported={(count) => {
            setPanel(null);
            setFlash(`Imported ${count} users.`);
            list.reload();
          }}
        />
      )}
      <div className="toolbar">
        <label htmlFor="user-search">Search</label>
        <input
          id="user-search"
          type="search"
          placeholder="username or email prefix"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            pager.reset();
          }}
        />
        <label htmlFor="user-status">Status</label>
        <select
          id="user-status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as UserStatus | '');
            pager.reset();
          }}
        >
          <option value="">Any</option>
          <option value="ACTIVE">Active</option>
          <option value="DISABLED">Disabled</option>
          <option value="LOCKED">Locked</option>
        </select>
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !users && <Loading />}
      {users && users.nodes.length === 0 && (
        <Empty>{search || status ? 'No user matches.' : 'No users yet: create one or import a CSV file.'}</Empty>
      )}
      {users && users.nodes.length > 0 && (
        <table aria-busy={list.loading}>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Display name</th>
              <th scope="col">Email</th>
              <th scope="col">Groups</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.nodes.map((u) => (
              <tr key={u.id}>
                <td data-label="Username">
                  <Link to={u.id}>{u.username}</Link>
                </td>
                <td data-label="Display name">{u.displayName || '—'}</td>
                <td data-label="Email">{u.email ?? '—'}</td>
                <td data-label="Groups">{u.groups.map((g) => g.name).join(', ') || '—'}</td>
                <td data-label="Status">
                  <span className={`badge badge-${u.status.toLowerCase()}`}>{u.status.toLowerCase()}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {users && <Pager pager={pager} pageInfo={users.pageInfo} totalCount={users.totalCount} noun="users" />}
    </section>
  );
}

const USER_FIELDS = ['username', 'displayName', 'email', 'phone', 'externalId', 'password'] as const;
const USER_LABELS: Record<(typeof USER_FIELDS)[number], string> = {
  username: 'Username',
  displayName: 'Display name',
  email: 'Email',
  phone: 'Phone',
  externalId: 'External ID',
  password: 'Initial password (optional)',
};

function CreateUserForm({ instanceId, onCreated }: { instanceId: string; onCreated: (name: string) => void }) {
  const create = useMutation(CreateUser);
  const [values, setValues] = useState<Record<string, string>>({});
  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = {
      instanceId,
      username: values.username ?? '',
      displayName: values.displayName || null,
      email: values.email || null,
      phone: values.phone || null,
      externalId: values.externalId || null,
      password: values.password || null,
    };
    const result = await create.run({ input });
    if (result) onCreated(result.createUser.user.username);
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-user">
      <h2 id="create-user">Create a user</h2>
      <FormErrors error={create.error} fields={[...USER_FIELDS]} />
      <div className="grid2">
        {USER_FIELDS.map((f) => (
          <Field key={f} label={USER_LABELS[f]} name={f} error={create.error}>
            {(a) => (
              <input
                {...a}
                type={f === 'password' ? 'password' : f === 'email' ? 'email' : 'text'}
                autoComplete={f === 'password' ? 'new-password' : 'off'}
                required={f === 'username'}
                value={values[f] ?? ''}
                onChange={(e) => setValues({ ...values, [f]: e.target.value })}
              />
            )}
          </Field>
        ))}
      </div>
      <button type="submit" className="primary" disabled={create.pending}>
        {create.pending ? 'Creating…' : 'Create'}
      </button>
    </form>
  );
}

function ImportUsersForm({ instanceId, onImported }: { instanceId: string; onImported: (count: number) => void }) {
  const importUsers = useMutation(ImportUsers);
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string>();
  const [rowErrors, setRowErrors] = useState<ImportRowError[]>([]);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setParseError(undefined);
    setRowErrors([]);
    let users;
    try {
      users = csvToImportRows(text);
    } catch (err) {
      setParseError(err instanceof CsvError ? err.message : String(err));
      return;
    }
    const result = await importUsers.run({ input: { instanceId, users } });
    if (!result) return;
    if (result.importUsers.ok) onImported(result.importUsers.importedCount);
    else setRowErrors(result.importUsers.errors);
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="import-users">
      <h2 id="import-users">Import users from CSV</h2>
      <p className="muted">
        A header row with any of: <code>{IMPORT_COLUMNS.join(', ')}</code>. Group and org unit ids
        are separated by <code>;</code>. Up to 1,000 rows; nothing is saved unless every row is right.
      </p>
      <div className="field">
        <label htmlFor="csv-file">CSV file</label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) setText(await file.text());
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="csv-text">Or paste it</label>
        <textarea id="csv-text" rows={6} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      {parseError && (
        <div className="alert alert-error" role="alert">
          {parseError}
        </div>
      )}
      <ErrorBanner error={importUsers.error} />
      {rowErrors.length > 0 && (
        <div className="alert alert-error" role="alert">
          <p>Nothing was imported. Fix these rows:</p>
          <ul>
            {rowErrors.map((e, i) => (
              <li key={i}>
                Row {e.row + 1}
                {e.field ? `, ${e.field}` : ''}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="submit" className="primary" disabled={importUsers.pending || !text.trim()}>
        {importUsers.pending ? 'Importing…' : 'Import'}
      </button>
    </form>
  );
}

const UserQuery = graphql(`
  query User($instanceId: ID!, $id: ID!) {
    instance(id: $instanceId) {
      id
      user(id: $id) {
        id
        username
        displayName
        email
        phone
        externalId
        status
        hasPassword
        createdAt
        updatedAt
        groups {
          id
          name
        }
        orgUnits {
          id
          name
        }
        effectiveApplications {
          id
          name
        }
      }
    }
  }
`);

const UpdateUser = graphql(`
  mutation UpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      user {
        id
      }
    }
  }
`);

const SetUserStatus = graphql(`
  mutation SetUserStatus($input: SetUserStatusInput!) {
    setUserStatus(input: $input) {
      user {
        id
        status
      }
    }
  }
`);

const SetUserPassword = graphql(`
  mutation SetUserPassword($input: SetUserPasswordInput!) {
    setUserPassword(input: $input) {
      user {
        id
        hasPassword
      }
    }
  }
`);

const DeleteUser = graphql(`
  mutation DeleteUser($input: UserRefInput!) {
    deleteUser(input: $input) {
      deletedId
    }
  }
`);

const AddToGroup = graphql(`
  mutation AddToGroup($input: MembersInput!) {
    addGroupMembers(input: $input) {
      group {
        id
      }
    }
  }
`);

const RemoveFromGroup = graphql(`
  mutation RemoveFromGroup($input: MembersInput!) {
    removeGroupMembers(input: $input) {
      group {
        id
      }
    }
  }
`);

const AddToOrgUnit = graphql(`
  mutation AddToOrgUnit($input: MembersInput!) {
    addOrgUnitMembers(input: $input) {
      orgUnit {
        id
      }
    }
  }
`);

const RemoveFromOrgUnit = graphql(`
  mutation RemoveFromOrgUnit($input: MembersInput!) {
    removeOrgUnitMembers(input: $input) {
      orgUnit {
        id
      }
    }
  }
`);

const SessionsQuery = graphql(`
  query UserSessions($instanceId: ID!, $userId: ID!) {
    userSessions(instanceId: $instanceId, userId: $userId) {
      id
      createdAt
      expiresAt
      lastSeenAt
      authMethods
      clientIp
      userAgent
    }
  }
`);

const RevokeSession = graphql(`
  mutation RevokeSession($input: RevokeUserSessionInput!) {
    revokeUserSession(input: $input) {
      revokedCount
    }
  }
`);

const RevokeSessions = graphql(`
  mutation RevokeSessions($input: RevokeUserSessionsInput!) {
    revokeUserSessions(input: $input) {
      revokedCount
    }
  }
`);

export function UserDetail({ instanceId }: { instanceId: string }) {
  const { userId = '' } = useParams();
  const user = useQuery(UserQuery, { instanceId, id: userId });
  const status = useMutation(SetUserStatus);
  const remove = useMutation(DeleteUser);
  const navigate = useNavigate();
  const [flash, setFlash] = useFlash();
  const u = user.data?.instance.user;
  if (user.loading && !u) return <Loading />;
  if (!u) return <ErrorBanner error={user.error} onRetry={user.reload} />;
  return (
    <section>
      <p className="crumbs">
        <Link to={`/instances/${instanceId}/users`}>Users</Link> › {u.username}
      </p>
      <div className="title-row">
        <h1>
          {u.username} <span className={`badge badge-${u.status.toLowerCase()}`}>{u.status.toLowerCase()}</span>
        </h1>
        <span className="actions">
          {u.status === 'ACTIVE' ? (
            <ConfirmButton
              label="Disable"
              question={`Disable ${u.username}? Their sessions end and they cannot sign in.`}
              onConfirm={async () => {
                if (await status.run({ input: { instanceId, id: u.id, status: 'DISABLED' } })) {
                  setFlash('Disabled.');
                  user.reload();
                }
              }}
            />
          ) : (
            <button
              type="button"
              onClick={async () => {
                if (await status.run({ input: { instanceId, id: u.id, status: 'ACTIVE' } })) {
                  setFlash('Active again.');
                  user.reload();
                }
              }}
            >
              Activate
            </button>
          )}
          <ConfirmButton
            label="Delete"
            question={`Delete ${u.username} for good?`}
            onConfirm={async () => {
              if (await remove.run({ input: { instanceId, id: u.id } })) navigate(`/instances/${instanceId}/users`);
            }}
          />
        </span>
      </div>
      <Flash message={flash} />
      <ErrorBanner error={status.error ?? remove.error} />
      <div className="columns">
        <EditUserForm instanceId={instanceId} user={u} onSaved={() => { setFlash('Saved.'); user.reload(); }} />
        <div>
          <Memberships instanceId={instanceId} user={u} onChanged={user.reload} />
          <div className="card">
            <h2>Applications</h2>
            {u.effectiveApplications.length === 0 ? (
              <Empty>No application lets this user in.</Empty>
            ) : (
              <ul>
                {u.effectiveApplications.map((a) => (
                  <li key={a.id}>
                    <Link to={`/instances/${instanceId}/applications/${a.id}`}>{a.name}</Link>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <PasswordForm instanceId={instanceId} userId={u.id} hasPassword={u.hasPassword} />
        </div>
      </div>
      <Sessions instanceId={instanceId} userId={u.id} />
    </section>
  );
}

type UserData = NonNullable<import('../gql/graphql').UserQuery['instance']['user']>;

function EditUserForm({ instanceId, user, onSaved }: { instanceId: string; user: UserData; onSaved: () => void }) {
  const update = useMutation(UpdateUser);
  const [values, setValues] = useState({
    username: user.username,
    displayName: user.displayName,
    email: user.email ?? '',
    phone: user.phone ?? '',
    externalId: user.externalId ?? '',
  });
  const fields = Object.keys(values) as (keyof typeof values)[];
  return (
    <form
      className="card"
      aria-labelledby="profile"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await update.run({ input: { instanceId, id: user.id, ...values } })) onSaved();
      }}
    >
      <h2 id="profile">Profile</h2>
      <FormErrors error={update.error} fields={fields} />
      {fields.map((f) => (
        <Field key={f} label={USER_LABELS[f]} name={f} error={update.error}>
          {(a) => <input {...a} value={values[f]} onChange={(e) => setValues({ ...values, [f]: e.target.value })} />}
        </Field>
      ))}
      <p className="muted">
        Created {formatTime(user.createdAt)} · updated {formatTime(user.updatedAt)}
      </p>
      <button type="submit" className="primary" disabled={update.pending}>
        {update.pending ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

function PasswordForm({ instanceId, userId, hasPassword }: { instanceId: string; userId: string; hasPassword: boolean }) {
  const set = useMutation(SetUserPassword);
  const [password, setPassword] = useState('');
  const [flash, setFlash] = useFlash();
  return (
    <form
      className="card"
      aria-labelledby="password-title"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await set.run({ input: { instanceId, id: userId, password } })) {
          setPassword('');
          setFlash('Password set.');
        }
      }}
    >
      <h2 id="password-title">Password</h2>
      <p className="muted">{hasPassword ? 'The user has a password.' : 'The user has no password yet.'}</p>
      <FormErrors error={set.error} fields={['password']} />
      <Field label="New password" name="password" error={set.error}>
        {(a) => (
          <input {...a} type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        )}
      </Field>
      <button type="submit" disabled={set.pending}>
        Set password
      </button>
      <Flash message={flash} />
    </form>
  );
}

function Memberships({ instanceId, user, onChanged }: { instanceId: string; user: UserData; onChanged: () => void }) {
  const addGroup = useMutation(AddToGroup);
  const removeGroup = useMutation(RemoveFromGroup);
  const addUnit = useMutation(AddToOrgUnit);
  const removeUnit = useMutation(RemoveFromOrgUnit);
  const [adding, setAdding] = useState<'GROUP' | 'ORG_UNIT' | null>(null);
  const error: ApiError | undefined = addGroup.error ?? removeGroup.error ?? addUnit.error ?? removeUnit.error;
  const members = { instanceId, userIds: [user.id] };
  return (
    <div className="card">
      <h2>Memberships</h2>
      <ErrorBanner error={error} />
      <h3>Groups</h3>
      {user.groups.length === 0 ? (
        <p className="muted">In no group.</p>
      ) : (
        <ul className="chips">
          {user.groups.map((g) => (
            <li key={g.id}>
              <Link to={`/instances/${instanceId}/groups/${g.id}`}>{g.name}</Link>
              <button
                type="button"
                className="link"
                aria-label={`Remove from ${g.name}`}
                onClick={async () => {
                  if (await removeGroup.run({ input: { id: g.id, ...members } })) onChanged();
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Org units</h3>
      {user.orgUnits.length === 0 ? (
        <p className="muted">In no org unit.</p>
      ) : (
        <ul className="chips">
          {user.orgUnits.map((o) => (
            <li key={o.id}>
              {o.name}
              <button
                type="button"
                className="link"
                aria-label={`Remove from ${o.name}`}
                onClick={async () => {
                  if (await removeUnit.run({ input: { id: o.id, ...members } })) onChanged();
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="buttons">
        <button type="button" onClick={() => setAdding(adding === 'GROUP' ? null : 'GROUP')}>
          Add to a group
        </button>
        <button type="button" onClick={() => setAdding(adding === 'ORG_UNIT' ? null : 'ORG_UNIT')}>
          Add to an org unit
        </button>
      </div>
      {adding && (
        <SubjectPicker
          key={adding}
          instanceId={instanceId}
          kind={adding}
          actionLabel="Add to"
          onPick={async (picked) => {
            const run = adding === 'GROUP' ? addGroup.run : addUnit.run;
            if (await run({ input: { id: picked.id, ...members } })) {
              setAdding(null);
              onChanged();
            }
          }}
        />
      )}
    </div>
  );
}

function Sessions({ instanceId, userId }: { instanceId: string; userId: string }) {
  const sessions = useQuery(SessionsQuery, { instanceId, userId });
  const revoke = useMutation(RevokeSession);
  const revokeAll = useMutation(RevokeSessions);
  const list = sessions.data?.userSessions;
  return (
    <div className="card">
      <div className="title-row">
        <h2>Sessions</h2>
        {list && list.length > 0 && (
          <ConfirmButton
            label="Revoke all"
            question="Sign this user out everywhere?"
            onConfirm={async () => {
              if (await revokeAll.run({ input: { instanceId, userId } })) sessions.reload();
            }}
          />
        )}
      </div>
      <ErrorBanner error={sessions.error ?? revoke.error ?? revokeAll.error} onRetry={sessions.reload} />
      {!list && sessions.loading && <Loading />}
      {list && list.length === 0 && <Empty>No live sessions.</Empty>}
      {list && list.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">Expires</th>
              <th scope="col">From</th>
              <th scope="col">Operations</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <td data-label="Signed in">
                  {formatTime(s.createdAt)} <span className="muted">{s.authMethods.join(', ')}</span>
                </td>
                <td data-label="Last seen">{formatTime(s.lastSeenAt)}</td>
                <td data-label="Expires">{formatTime(s.expiresAt)}</td>
                <td data-label="From">
                  {s.clientIp ?? '—'} <span className="muted">{s.userAgent ?? ''}</span>
                </td>
                <td className="actions">
                  <ConfirmButton
                    label="Revoke"
                    question="End this session?"
                    onConfirm={async () => {
                      if (await revoke.run({ input: { instanceId, id: s.id } })) sessions.reload();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
