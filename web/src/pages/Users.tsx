// Users of an instance: search, status filter, pages, create, CSV import; one user's profile,
// status, memberships, applications, second factors and IdP sessions.
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { request, useMutation, useQuery, type ApiError } from '../api';
import { csvToImportRows, IMPORT_COLUMNS } from '../csv';
import { useForm } from '../form';
import { graphql } from '../gql';
import type { ImportUsersMutation, UserQuery as UserData, UserStatus } from '../gql/graphql';
import { ListView, useListControls, usePagedQuery } from '../list';
import { SubjectPicker } from '../pickers';
import { ConfirmButton, ConfirmDialog, Empty, ErrorBanner, Field, Flash, FormErrors, Loading, formatTime, useFlash } from '../ui';

type ImportRowError = ImportUsersMutation['importUsers']['errors'][number];

const UsersQuery = graphql(`
  query Users($instanceId: ID!, $after: String, $filter: UserFilter) {
    instance(id: $instanceId) {
      id
      users(first: 20, after: $after, filter: $filter) {
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

const UsersCount = graphql(`
  query UsersCount($instanceId: ID!, $filter: UserFilter) {
    instance(id: $instanceId) {
      users(first: 1, filter: $filter) {
        totalCount
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

/** Whose members the list shows: everyone, a group's, or an org unit's (with its sub-units or not). */
type MembersOf = { kind: 'GROUP' | 'ORG_UNIT'; id: string; name: string } | null;

export function Users({ instanceId }: { instanceId: string }) {
  const controls = useListControls({
    status: '' as UserStatus | '',
    membersOf: null as MembersOf,
    subUnits: true,
  });
  const { t } = useTranslation('users');
  const { search, filters } = controls.applied;
  const { status, membersOf, subUnits } = filters;
  const list = usePagedQuery(
    { page: UsersQuery, count: UsersCount, total: (d) => d.instance.users.totalCount },
    {
      instanceId,
      filter: {
        search: search || null,
        status: status || null,
        groupId: membersOf?.kind === 'GROUP' ? membersOf.id : null,
        orgUnitId: membersOf?.kind === 'ORG_UNIT' ? membersOf.id : null,
        includeSubUnits: subUnits,
      },
    },
    controls.after,
  );
  const [choosing, setChoosing] = useState<'GROUP' | 'ORG_UNIT' | null>(null);
  const [panel, setPanel] = useState<'create' | 'import' | null>(null);
  const [flash, setFlash] = useFlash();
  return (
    <section>
      <div className="title-row">
        <h1>{t('title')}</h1>
        <span className="actions">
          <button type="button" className="primary" onClick={() => setPanel(panel === 'create' ? null : 'create')}>
            {t('createUser')}
          </button>
          <button type="button" onClick={() => setPanel(panel === 'import' ? null : 'import')}>
            {t('importCsv')}
          </button>
        </span>
      </div>
      <Flash message={flash} />
      {panel === 'create' && (
        <CreateUserForm
          instanceId={instanceId}
          onCreated={(name) => {
            setPanel(null);
            setFlash(t('created', { name }));
            list.reload();
          }}
        />
      )}
      {panel === 'import' && (
        <ImportUsersForm
          instanceId={instanceId}
          onImported={(count) => {
            setPanel(null);
            setFlash(t('imported', { count }));
            list.reload();
          }}
        />
      )}
      {choosing && (
        <div className="card" aria-label={choosing === 'GROUP' ? t('chooseGroup') : t('chooseOrgUnit')}>
          <SubjectPicker
            key={choosing}
            instanceId={instanceId}
            kind={choosing}
            actionLabel={t('showMembers')}
            onPick={(picked) => {
              setChoosing(null);
              controls.setFilter('membersOf', { kind: choosing, id: picked.id, name: picked.name });
            }}
          />
          <button type="button" onClick={() => setChoosing(null)}>
            {t('cancel')}
          </button>
        </div>
      )}
      <ListView
        query={list}
        page={list.data?.instance.users}
        total={list.total}
        noun={t('noun')}
        controls={controls}
        search={{ id: 'user-search', label: t('search'), placeholder: t('searchPlaceholder') }}
        toolbar={
          <>
            <label htmlFor="user-status">{t('filter.status')}</label>
            <select id="user-status" value={controls.filters.status} onChange={(e) => controls.setFilter('status', e.target.value as UserStatus | '')}>
              <option value="">{t('filter.any')}</option>
              <option value="ACTIVE">{t('status.ACTIVE')}</option>
              <option value="DISABLED">{t('status.DISABLED')}</option>
              <option value="LOCKED">{t('status.LOCKED')}</option>
            </select>
            <label htmlFor="user-members-of">{t('filter.membersOf')}</label>
            <select
              id="user-members-of"
              value={choosing ?? controls.filters.membersOf?.kind ?? ''}
              onChange={(e) => {
                const kind = e.target.value as 'GROUP' | 'ORG_UNIT' | '';
                if (kind === '') {
                  setChoosing(null);
                  controls.setFilter('membersOf', null);
                } else {
                  setChoosing(kind);
                }
              }}
            >
              <option value="">{t('filter.everyone')}</option>
              <option value="GROUP">{t('filter.aGroup')}</option>
              <option value="ORG_UNIT">{t('filter.anOrgUnit')}</option>
            </select>
            {controls.filters.membersOf && !choosing && (
              <span className="chip">
                {controls.filters.membersOf.kind === 'GROUP'
                  ? t('filter.groupChip', { name: controls.filters.membersOf.name })
                  : t('filter.orgUnitChip', { name: controls.filters.membersOf.name })}{' '}
                <button type="button" className="link" onClick={() => controls.setFilter('membersOf', null)}>
                  {t('filter.clear')}
                </button>
              </span>
            )}
            {controls.filters.membersOf?.kind === 'ORG_UNIT' && !choosing && (
              <span className="checkbox">
                <input
                  id="user-sub-units"
                  type="checkbox"
                  checked={controls.filters.subUnits}
                  onChange={(e) => controls.setFilter('subUnits', e.target.checked)}
                />
                <label htmlFor="user-sub-units">{t('filter.withSubUnits')}</label>
              </span>
            )}
          </>
        }
        empty={search || status || membersOf ? t('empty.noMatch') : t('empty.none')}
        columns={[
          { header: t('columns.username'), cell: (u) => <Link to={u.id}>{u.username}</Link> },
          { header: t('columns.displayName'), cell: (u) => u.displayName || '—' },
          { header: t('columns.email'), cell: (u) => u.email ?? '—' },
          { header: t('columns.groups'), cell: (u) => u.groups.map((g) => g.name).join(', ') || '—' },
          {
            header: t('columns.status'),
            cell: (u) => <span className={`badge badge-${u.status.toLowerCase()}`}>{t(`badge.${u.status}`)}</span>,
          },
        ]}
      />
    </section>
  );
}

/** The fields of a user; each one's label is `fields.<name>` in the `users` catalog. */
const USER_FIELDS = ['username', 'displayName', 'email', 'phone', 'externalId', 'password'] as const;

function CreateUserForm({ instanceId, onCreated }: { instanceId: string; onCreated: (name: string) => void }) {
  const { t } = useTranslation('users');
  const create = useForm({
    initial: { username: '', displayName: '', email: '', phone: '', externalId: '', password: '' },
    submit: ({ username, ...optional }) =>
      request(CreateUser, {
        input: {
          instanceId,
          username,
          displayName: optional.displayName || null,
          email: optional.email || null,
          phone: optional.phone || null,
          externalId: optional.externalId || null,
          password: optional.password || null,
        },
      }),
    onSuccess: (result) => onCreated(result.createUser.user.username),
  });
  return (
    <form className="card" onSubmit={create.onSubmit} aria-labelledby="create-user">
      <h2 id="create-user">{t('create.title')}</h2>
      <FormErrors error={create.error} fields={[...USER_FIELDS]} />
      <div className="grid2">
        {USER_FIELDS.map((f) => (
          <Field key={f} label={t(`fields.${f}`)} name={f} error={create.error}>
            {(a) => (
              <input
                {...a}
                type={f === 'password' ? 'password' : f === 'email' ? 'email' : 'text'}
                autoComplete={f === 'password' ? 'new-password' : 'off'}
                required={f === 'username'}
                {...create.bind(f)}
              />
            )}
          </Field>
        ))}
      </div>
      <button type="submit" className="primary" disabled={create.pending}>
        {create.pending ? t('create.pending') : t('create.submit')}
      </button>
    </form>
  );
}

function ImportUsersForm({ instanceId, onImported }: { instanceId: string; onImported: (count: number) => void }) {
  const { t } = useTranslation('users');
  const [rowErrors, setRowErrors] = useState<ImportRowError[]>([]);
  const importUsers = useForm({
    initial: { text: '' },
    submit: async ({ text }) => {
      setRowErrors([]);
      return request(ImportUsers, { input: { instanceId, users: csvToImportRows(text) } });
    },
    onSuccess: ({ importUsers: result }) => {
      if (result.ok) onImported(result.importedCount);
      else setRowErrors(result.errors);
    },
  });
  return (
    <form className="card" onSubmit={importUsers.onSubmit} aria-labelledby="import-users">
      <h2 id="import-users">{t('import.title')}</h2>
      <p className="muted">
        <Trans t={t} i18nKey="import.help" values={{ columns: IMPORT_COLUMNS.join(', ') }} components={{ code: <code /> }} />
      </p>
      <div className="field">
        <label htmlFor="csv-file">{t('import.file')}</label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) importUsers.set('text', await file.text());
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="csv-text">{t('import.paste')}</label>
        <textarea id="csv-text" rows={6} {...importUsers.bind('text')} />
      </div>
      <ErrorBanner error={importUsers.error} />
      {rowErrors.length > 0 && (
        <div className="alert alert-error" role="alert">
          <p>{t('import.failed')}</p>
          <ul>
            {rowErrors.map((e, i) => (
              <li key={i}>
                {e.field
                  ? t('import.rowField', { row: e.row + 1, field: e.field, message: e.message })
                  : t('import.row', { row: e.row + 1, message: e.message })}
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="submit" className="primary" disabled={importUsers.pending || !importUsers.values.text.trim()}>
        {importUsers.pending ? t('import.pending') : t('import.submit')}
      </button>
    </form>
  );
}

const UserQuery = graphql(`
  query User($instanceId: ID!, $id: ID!) {
    instance(id: $instanceId) {
      id
      signInRules {
        mfaRequired
        allowedFactors
      }
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
      applications {
        applicationId
        name
        singleLogout
      }
    }
  }
`);

const FactorsQuery = graphql(`
  query UserFactors($instanceId: ID!, $userId: ID!) {
    userFactors(instanceId: $instanceId, userId: $userId) {
      factors {
        id
        kind
        name
        createdAt
        lastUsedAt
      }
      recoveryCodesLeft
    }
  }
`);

const ResetFactors = graphql(`
  mutation ResetUserFactors($input: ResetUserFactorsInput!) {
    resetUserFactors(input: $input) {
      removedCount
      sessionsEnded
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
  const { t } = useTranslation('users');
  const { userId = '' } = useParams();
  const user = useQuery(UserQuery, { instanceId, id: userId });
  const status = useMutation(SetUserStatus);
  const remove = useMutation(DeleteUser);
  const navigate = useNavigate();
  const [flash, setFlash] = useFlash();
  // A reset of her second factors ends her sessions: the list of them is then asked for again.
  const [sessionsShown, setSessionsShown] = useState(0);
  const u = user.data?.instance.user;
  if (user.loading && !u) return <Loading />;
  if (!u) return <ErrorBanner error={user.error} onRetry={user.reload} />;
  return (
    <section>
      <p className="crumbs">
        <Link to={`/instances/${instanceId}/users`}>{t('title')}</Link> › {u.username}
      </p>
      <div className="title-row">
        <h1>
          {u.username} <span className={`badge badge-${u.status.toLowerCase()}`}>{t(`badge.${u.status}`)}</span>
        </h1>
        <span className="actions">
          {u.status === 'ACTIVE' ? (
            <ConfirmButton
              label={t('detail.disable')}
              question={t('detail.disableQuestion', { name: u.username })}
              onConfirm={async () => {
                if (await status.run({ input: { instanceId, id: u.id, status: 'DISABLED' } })) {
                  setFlash(t('detail.disabled'));
                  user.reload();
                }
              }}
            />
          ) : (
            <button
              type="button"
              onClick={async () => {
                if (await status.run({ input: { instanceId, id: u.id, status: 'ACTIVE' } })) {
                  setFlash(t('detail.activated'));
                  user.reload();
                }
              }}
            >
              {t('detail.activate')}
            </button>
          )}
          <ConfirmButton
            label={t('detail.delete')}
            question={t('detail.deleteQuestion', { name: u.username })}
            onConfirm={async () => {
              if (await remove.run({ input: { instanceId, id: u.id } })) navigate(`/instances/${instanceId}/users`);
            }}
          />
        </span>
      </div>
      <Flash message={flash} />
      <ErrorBanner error={status.error ?? remove.error} />
      <div className="columns">
        <EditUserForm instanceId={instanceId} user={u} onSaved={() => { setFlash(t('detail.saved')); user.reload(); }} />
        <div>
          <Memberships instanceId={instanceId} user={u} onChanged={user.reload} />
          <div className="card">
            <h2>{t('detail.applications')}</h2>
            {u.effectiveApplications.length === 0 ? (
              <Empty>{t('detail.noApplications')}</Empty>
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
      <SecondFactors
        instanceId={instanceId}
        user={u}
        rules={user.data!.instance.signInRules}
        onReset={() => setSessionsShown((n) => n + 1)}
      />
      <Sessions key={sessionsShown} instanceId={instanceId} userId={u.id} />
    </section>
  );
}

type User = UserData['instance']['user'];
type InstanceRules = UserData['instance']['signInRules'];

function EditUserForm({ instanceId, user, onSaved }: { instanceId: string; user: User; onSaved: () => void }) {
  const { t } = useTranslation('users');
  const update = useForm({
    initial: {
      username: user.username,
      displayName: user.displayName,
      email: user.email ?? '',
      phone: user.phone ?? '',
      externalId: user.externalId ?? '',
    },
    submit: (values) => request(UpdateUser, { input: { instanceId, id: user.id, ...values } }),
    onSuccess: onSaved,
  });
  const fields = Object.keys(update.values) as (keyof typeof update.values)[];
  return (
    <form className="card" aria-labelledby="profile" onSubmit={update.onSubmit}>
      <h2 id="profile">{t('profile.title')}</h2>
      <FormErrors error={update.error} fields={fields} />
      {fields.map((f) => (
        <Field key={f} label={t(`fields.${f}`)} name={f} error={update.error}>
          {(a) => <input {...a} {...update.bind(f)} />}
        </Field>
      ))}
      <p className="muted">
        {t('profile.times', { created: formatTime(user.createdAt), updated: formatTime(user.updatedAt) })}
      </p>
      <button type="submit" className="primary" disabled={update.pending}>
        {update.pending ? t('profile.saving') : t('profile.save')}
      </button>
    </form>
  );
}

function PasswordForm({ instanceId, userId, hasPassword }: { instanceId: string; userId: string; hasPassword: boolean }) {
  const { t } = useTranslation('users');
  const [flash, setFlash] = useFlash();
  const set = useForm({
    initial: { password: '' },
    submit: ({ password }) => request(SetUserPassword, { input: { instanceId, id: userId, password } }),
    onSuccess: () => {
      set.reset();
      setFlash(t('password.done'));
    },
  });
  return (
    <form className="card" aria-labelledby="password-title" onSubmit={set.onSubmit}>
      <h2 id="password-title">{t('password.title')}</h2>
      <p className="muted">{hasPassword ? t('password.has') : t('password.none')}</p>
      <FormErrors error={set.error} fields={['password']} />
      <Field label={t('password.new')} name="password" error={set.error}>
        {(a) => <input {...a} type="password" autoComplete="new-password" required {...set.bind('password')} />}
      </Field>
      <button type="submit" disabled={set.pending}>
        {t('password.set')}
      </button>
      <Flash message={flash} />
    </form>
  );
}

function Memberships({ instanceId, user, onChanged }: { instanceId: string; user: User; onChanged: () => void }) {
  const { t } = useTranslation('users');
  const addGroup = useMutation(AddToGroup);
  const removeGroup = useMutation(RemoveFromGroup);
  const addUnit = useMutation(AddToOrgUnit);
  const removeUnit = useMutation(RemoveFromOrgUnit);
  const [adding, setAdding] = useState<'GROUP' | 'ORG_UNIT' | null>(null);
  const error: ApiError | undefined = addGroup.error ?? removeGroup.error ?? addUnit.error ?? removeUnit.error;
  const members = { instanceId, userIds: [user.id] };
  return (
    <div className="card">
      <h2>{t('memberships.title')}</h2>
      <ErrorBanner error={error} />
      <h3>{t('memberships.groups')}</h3>
      {user.groups.length === 0 ? (
        <p className="muted">{t('memberships.noGroup')}</p>
      ) : (
        <ul className="chips">
          {user.groups.map((g) => (
            <li key={g.id}>
              <Link to={`/instances/${instanceId}/groups/${g.id}`}>{g.name}</Link>
              <button
                type="button"
                className="link"
                aria-label={t('memberships.removeFrom', { name: g.name })}
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
      <h3>{t('memberships.orgUnits')}</h3>
      {user.orgUnits.length === 0 ? (
        <p className="muted">{t('memberships.noOrgUnit')}</p>
      ) : (
        <ul className="chips">
          {user.orgUnits.map((o) => (
            <li key={o.id}>
              {o.name}
              <button
                type="button"
                className="link"
                aria-label={t('memberships.removeFrom', { name: o.name })}
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
          {t('memberships.addToGroup')}
        </button>
        <button type="button" onClick={() => setAdding(adding === 'ORG_UNIT' ? null : 'ORG_UNIT')}>
          {t('memberships.addToOrgUnit')}
        </button>
      </div>
      {adding && (
        <SubjectPicker
          key={adding}
          instanceId={instanceId}
          kind={adding}
          actionLabel={t('memberships.addTo')}
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

/**
 * Her authenticator apps and passkeys (what and when, never a secret), her recovery codes
 * left, and a reset for when she lost them: after a dialog that says what it does, it removes
 * them all, ends her sessions and emails her.
 */
function SecondFactors(props: { instanceId: string; user: User; rules: InstanceRules; onReset: () => void }) {
  const { instanceId, user, rules, onReset } = props;
  const { t } = useTranslation('users');
  const factors = useQuery(FactorsQuery, { instanceId, userId: user.id });
  const reset = useMutation(ResetFactors);
  // Open, and whether its reset was tried (a refusal is shown only in the dialog it answers).
  const [asking, setAsking] = useState(false);
  const [tried, setTried] = useState(false);
  const [result, setResult] = useState<{ removed: number; ended: number; email: string | null }>();
  const resetButton = useRef<HTMLButtonElement>(null);
  const resultRef = useRef<HTMLParagraphElement>(null);
  // The reset button is gone with what it reset: focus goes to what happened.
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);
  /** What a reset did, in words. */
  const outcome = (done: NonNullable<typeof result>) => {
    const counts = {
      removed: t('factors.removedCount', { count: done.removed }),
      ended: t('factors.endedCount', { count: done.ended }),
    };
    return done.email
      ? t('factors.resultEmailed', { ...counts, email: done.email })
      : t('factors.resultNotEmailed', counts);
  };
  const data = factors.data?.userFactors;
  const anything = Boolean(data && (data.factors.length > 0 || data.recoveryCodesLeft > 0));
  const emailFallback = rules.allowedFactors.includes('EMAIL_CODE') && Boolean(user.email);
  const next =
    rules.mfaRequired === 'EVERYONE'
      ? emailFallback
        ? t('factors.dialog.next.everyoneEmail')
        : rules.allowedFactors.includes('TOTP')
          ? t('factors.dialog.next.everyoneEnrol')
          : t('factors.dialog.next.everyoneLocked')
      : emailFallback
        ? t('factors.dialog.next.whenAskedEmail')
        : t('factors.dialog.next.whenAsked');
  return (
    <div className="card">
      <div className="title-row">
        <h2>{t('factors.title')}</h2>
        {anything && (
          <button
            type="button"
            className="danger"
            ref={resetButton}
            onClick={() => {
              setResult(undefined);
              setTried(false);
              setAsking(true);
            }}
          >
            {t('factors.reset')}
          </button>
        )}
      </div>
      <p className="muted">{t('factors.lead')}</p>
      <div role="status">
        {result && (
          <p ref={resultRef} tabIndex={-1} className="alert alert-ok">
            {outcome(result)}
          </p>
        )}
      </div>
      <ListView
        query={factors}
        rows={data?.factors}
        empty={t('factors.empty')}
        columns={[
          { header: t('factors.kind'), cell: (f) => t(`factors.kinds.${f.kind}`) },
          { header: t('factors.name'), cell: (f) => f.name || '—' },
          { header: t('factors.added'), cell: (f) => formatTime(f.createdAt) },
          { header: t('factors.lastUsed'), cell: (f) => (f.lastUsedAt ? formatTime(f.lastUsedAt) : t('factors.never')) },
        ]}
      />
      {data && anything && <p>{t('factors.recoveryLeft', { count: data.recoveryCodesLeft })}</p>}
      {asking && data && (
        <ConfirmDialog
          title={t('factors.dialog.title', { name: user.username })}
          confirmLabel={t('factors.dialog.confirm')}
          pendingLabel={t('factors.dialog.pending')}
          pending={reset.pending}
          error={tried ? reset.error : undefined}
          onClose={() => {
            setAsking(false);
            resetButton.current?.focus();
          }}
          onConfirm={async () => {
            setTried(true);
            const done = await reset.run({ input: { instanceId, userId: user.id } });
            if (!done) return;
            setAsking(false);
            setResult({
              removed: done.resetUserFactors.removedCount,
              ended: done.resetUserFactors.sessionsEnded,
              email: user.email ?? null,
            });
            factors.reload();
            onReset();
          }}
        >
          <p>{t('factors.dialog.intro')}</p>
          <ul>
            <li>
              {t('factors.dialog.removes', { factors: data.factors.length, codes: data.recoveryCodesLeft })}
            </li>
            <li>{t('factors.dialog.sessions')}</li>
            <li>
              {user.email ? t('factors.dialog.emailed', { email: user.email }) : t('factors.dialog.noEmail')}
            </li>
            <li>{next}</li>
          </ul>
          <p className="muted">{t('factors.dialog.audit')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function Sessions({ instanceId, userId }: { instanceId: string; userId: string }) {
  const { t } = useTranslation('users');
  const sessions = useQuery(SessionsQuery, { instanceId, userId });
  const revoke = useMutation(RevokeSession);
  const revokeAll = useMutation(RevokeSessions);
  const list = sessions.data?.userSessions;
  return (
    <div className="card">
      <div className="title-row">
        <h2>{t('sessions.title')}</h2>
        {list && list.length > 0 && (
          <ConfirmButton
            label={t('sessions.revokeAll')}
            question={t('sessions.revokeAllQuestion')}
            onConfirm={async () => {
              if (await revokeAll.run({ input: { instanceId, userId } })) sessions.reload();
            }}
          />
        )}
      </div>
      <ListView
        query={sessions}
        error={revoke.error ?? revokeAll.error}
        rows={list}
        empty={t('sessions.empty')}
        columns={[
          {
            header: t('sessions.signedIn'),
            cell: (s) => (
              <>
                {formatTime(s.createdAt)} <span className="muted">{s.authMethods.join(', ')}</span>
              </>
            ),
          },
          {
            header: t('sessions.applications'),
            cell: (s) =>
              s.applications.length === 0 ? (
                <span className="muted">—</span>
              ) : (
                s.applications.map((a, i) => (
                  <span key={a.applicationId}>
                    {i > 0 && ', '}
                    {a.name}
                    {!a.singleLogout && <span className="muted"> {t('sessions.noSingleLogout')}</span>}
                  </span>
                ))
              ),
          },
          { header: t('sessions.lastSeen'), cell: (s) => formatTime(s.lastSeenAt) },
          { header: t('sessions.expires'), cell: (s) => formatTime(s.expiresAt) },
          {
            header: t('sessions.from'),
            cell: (s) => (
              <>
                {s.clientIp ?? '—'} <span className="muted">{s.userAgent ?? ''}</span>
              </>
            ),
          },
          {
            header: t('sessions.operations'),
            actions: true,
            cell: (s) => (
              <ConfirmButton
                label={t('sessions.revoke')}
                question={t('sessions.revokeQuestion')}
                onConfirm={async () => {
                  if (await revoke.run({ input: { instanceId, id: s.id } })) sessions.reload();
                }}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
