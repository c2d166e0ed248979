import { useState } from 'react';
import { request, useMutation } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import type { Role } from '../gql/graphql';
import { ListView, useListControls, usePagedQuery } from '../list';
import { ConfirmButton, Field, FormErrors, formatTime } from '../ui';

const TokensQuery = graphql(`
  query ApiTokens($after: String) {
    apiTokens(first: 20, after: $after) {
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

const TokensCount = graphql(`
  query ApiTokensCount {
    apiTokens(first: 1) {
      totalCount
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
  const controls = useListControls({});
  const tokens = usePagedQuery(
    { page: TokensQuery, count: TokensCount, total: (d) => d.apiTokens.totalCount },
    {},
    controls.after,
  );
  const revoke = useMutation(RevokeToken);
  const [secret, setSecret] = useState<{ name: string; secret: string }>();
  const instances = tokens.data?.instances.nodes ?? [];
  const instanceName = (id?: string | null) => instances.find((i) => i.id === id)?.name ?? id;
  const create = useForm({
    initial: { name: '', days: '90', role: 'AUDITOR' as Role, instanceId: '' },
    submit: ({ name, days, role, instanceId }) => {
      const roles = [{ role, instanceId: role === 'SUPER_ADMIN' || !instanceId ? null : instanceId }];
      return request(CreateToken, { input: { name, expiresInDays: Number(days), roles } });
    },
    onSuccess: (r) => {
      setSecret({ name: r.createApiToken.token.name, secret: r.createApiToken.secret });
      create.set('name', '');
      tokens.reload();
    },
  });
  const { role } = create.values;

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
      <ListView
        query={tokens}
        error={revoke.error}
        page={tokens.data?.apiTokens}
        total={tokens.total}
        noun="tokens"
        controls={controls}
        empty="No API tokens."
        columns={[
          { header: 'Name', cell: (t) => t.name },
          {
            header: 'Roles',
            cell: (t) =>
              t.roles
                .map((r) => `${r.role.toLowerCase().replace('_', ' ')}${r.instanceId ? ` of ${instanceName(r.instanceId)}` : ''}`)
                .join(', '),
          },
          { header: 'State', cell: (t) => t.state.toLowerCase() },
          { header: 'Last used', cell: (t) => formatTime(t.lastUsedAt) },
          { header: 'Expires', cell: (t) => formatTime(t.expiresAt) },
          {
            header: 'Operations',
            actions: true,
            cell: (t) =>
              t.state === 'ACTIVE' && (
                <ConfirmButton
                  label="Revoke"
                  question={`Revoke ${t.name}? Scripts using it stop working at once.`}
                  onConfirm={async () => {
                    if (await revoke.run({ id: t.id })) tokens.reload();
                  }}
                />
              ),
          },
        ]}
      />
      <form className="card" onSubmit={create.onSubmit} aria-labelledby="new-token">
        <h2 id="new-token">Create a token</h2>
        <FormErrors error={create.error} fields={['name', 'expiresInDays', 'roles']} />
        <Field label="Name" name="name" error={create.error}>
          {(a) => <input {...a} required {...create.bind('name')} />}
        </Field>
        <Field label="Expires in (days)" name="expiresInDays" error={create.error}>
          {(a) => <input {...a} type="number" min={1} max={366} {...create.bind('days')} />}
        </Field>
        <Field label="Role" name="roles" error={create.error}>
          {(a) => (
            <select {...a} {...create.bind('role')}>
              <option value="AUDITOR">Auditor</option>
              <option value="INSTANCE_ADMIN">Instance admin</option>
              <option value="SUPER_ADMIN">Super admin</option>
            </select>
          )}
        </Field>
        {role !== 'SUPER_ADMIN' && (
          <div className="field">
            <label htmlFor="token-instance">Of instance</label>
            <select id="token-instance" required={role === 'INSTANCE_ADMIN'} {...create.bind('instanceId')}>
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
