import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '../api';
import { graphql } from '../gql';
import type { Role } from '../gql/graphql';
import { ConfirmButton, Empty, ErrorBanner, Field, FormErrors, Loading, Pager, formatTime, usePager } from '../ui';

const TokensQuery = graphql(`
  query ApiTokens($after: String) {
    apiTokens(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        createdAt
        expiresAt
        lastUsedAt
        state
        roles {
          role
          instanceId
        }
      }
    }
    instances(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`);

const CreateToken = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      secret
      token {
        id
        name
      }
    }
  }
`);

const RevokeToken = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(input: { id: $id }) {
      token {
        id
        state
      }
    }
  }
`);

export function ApiTokens() {
  const pager = usePager();
  const tokens = useQuery(TokensQuery, { after: pager.after });
  const create = useMutation(CreateToken);
  const revoke = useMutation(RevokeToken);
  const [name, setName] = useState('');
  const [days, setDays] = useState(90);
  const [role, setRole] = useState<Role>('AUDITOR');
  const [instanceId, setInstanceId] = useState('');
  const [secret, setSecret] = useState<{ name: string; secret: string }>();
  const list = tokens.data?.apiTokens;
  const instances = tokens.data?.instances.nodes ?? [];
  const instanceName = (id?: string | null) => instances.find((i) => i.id === id)?.name ?? id;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const roles = [{ role, instanceId: role === 'SUPER_ADMIN' || !instanceId ? null : instanceId }];
    const r = await create.run({ input: { name, expiresInDays: days, roles } });
    if (r) {
      setSecret({ name: r.createApiToken.token.name, secret: r.createApiToken.secret });
      setName('');
      tokens.reload();
    }
  }

  return (
    <section>
      <h1>API tokens</h1>
      {secret && (
        <div className="alert alert-ok" role="status">
          <p>
            The secret of <strong>{secret.name}</strong>. Copy it now: it is not shown again.
          </p>
          <textarea readOnly className="code" rows={3} value={secret.secret} aria-label="Token secret" onFocus={(e) => e.target.select()} />
          <div className="buttons">
            <button type="button" onClick={() => navigator.clipboard?.writeText(secret.secret)}>
              Copy
            </button>
            <button type="button" onClick={() => setSecret(undefined)}>
              I have copied it
            </button>
          </div>
        </div>
      )}
      <ErrorBanner error={tokens.error ?? revoke.error} onRetry={tokens.reload} />
      {!list && tokens.loading && <Loading />}
      {list && list.nodes.length === 0 && <Empty>No API tokens.</Empty>}
      {list && list.nodes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Roles</th>
              <th scope="col">State</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">Operations</th>
            </tr>
          </thead>
          <tbody>
            {list.nodes.map((t) => (
              <tr key={t.id}>
                <td data-label="Name">{t.name}</td>
                <td data-label="Roles">
                  {t.roles.map((r) => `${r.role.toLowerCase().replace('_', ' ')}${r.instanceId ? ` of ${instanceName(r.instanceId)}` : ''}`).join(', ')}
                </td>
                <td data-label="State">{t.state.toLowerCase()}</td>
                <td data-label="Last used">{formatTime(t.lastUsedAt)}</td>
                <td data-label="Expires">{formatTime(t.expiresAt)}</td>
                <td className="actions">
                  {t.state === 'ACTIVE' && (
                    <ConfirmButton
                      label="Revoke"
                      question={`Revoke ${t.name}? Scripts using it stop working at once.`}
                      onConfirm={async () => {
                        if (await revoke.run({ id: t.id })) tokens.reload();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && <Pager pager={pager} pageInfo={list.pageInfo} totalCount={list.totalCount} noun="tokens" />}
      <form className="card" onSubmit={submit} aria-labelledby="new-token">
        <h2 id="new-token">Create a token</h2>
        <FormErrors error={create.error} fields={['name', 'expiresInDays', 'roles']} />
        <Field label="Name" name="name" error={create.error}>
          {(a) => <input {...a} required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Expires in (days)" name="expiresInDays" error={create.error}>
          {(a) => <input {...a} type="number" min={1} max={366} value={days} onChange={(e) => setDays(Number(e.target.value))} />}
        </Field>
        <Field label="Role" name="roles" error={create.error}>
          {(a) => (
            <select {...a} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="AUDITOR">Auditor</option>
              <option value="INSTANCE_ADMIN">Instance admin</option>
              <option value="SUPER_ADMIN">Super admin</option>
            </select>
          )}
        </Field>
        {role !== 'SUPER_ADMIN' && (
          <div className="field">
            <label htmlFor="token-instance">Of instance</label>
            <select id="token-instance" value={instanceId} onChange={(e) => setInstanceId(e.target.value)} required={role === 'INSTANCE_ADMIN'}>
              <option value="">{role === 'AUDITOR' ? 'All instances' : 'Choose…'}</option>
              {instances.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="primary" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create token'}
        </button>
      </form>
    </section>
  );
}
