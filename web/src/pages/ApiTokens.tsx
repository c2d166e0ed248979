import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
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

const TOKEN_STATES = ['ACTIVE', 'EXPIRED', 'REVOKED'] as const;

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

export function ApiTokens() {
  const { t } = useTranslation('tokens');
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
      <h1>{t('title')}</h1>
      {secret && (
        <div className="alert alert-ok" role="status">
          <p>
            <Trans t={t} i18nKey="secret.shownOnce" values={{ name: secret.name }} components={{ strong: <strong /> }} />
          </p>
          <textarea
            readOnly
            className="code"
            rows={3}
            value={secret.secret}
            aria-label={t('secret.label')}
            onFocus={(e) => e.target.select()}
          />
          <div className="buttons">
            <button type="button" onClick={() => navigator.clipboard?.writeText(secret.secret)}>
              {t('secret.copy')}
            </button>
            <button type="button" onClick={() => setSecret(undefined)}>
              {t('secret.copied')}
            </button>
          </div>
        </div>
      )}
      <ListView
        query={tokens}
        error={revoke.error}
        page={tokens.data?.apiTokens}
        total={tokens.total}
        noun={t('noun')}
        controls={controls}
        empty={t('empty')}
        columns={[
          { header: t('columns.name'), cell: (token) => token.name },
          {
            header: t('columns.roles'),
            cell: (token) =>
              token.roles
                .map((r) =>
                  r.instanceId
                    ? t('roleOfInstance', { role: t(`role.${r.role}`), instance: instanceName(r.instanceId) })
                    : t(`role.${r.role}`),
                )
                .join(t('roleSeparator')),
          },
          {
            header: t('columns.state'),
            cell: (token) => (oneOf(TOKEN_STATES, token.state) ? t(`state.${token.state}`) : token.state.toLowerCase()),
          },
          { header: t('columns.lastUsed'), cell: (token) => formatTime(token.lastUsedAt) },
          { header: t('columns.expires'), cell: (token) => formatTime(token.expiresAt) },
          {
            header: t('columns.operations'),
            actions: true,
            cell: (token) =>
              token.state === 'ACTIVE' && (
                <ConfirmButton
                  label={t('revoke')}
                  question={t('revokeQuestion', { name: token.name })}
                  onConfirm={async () => {
                    if (await revoke.run({ id: token.id })) tokens.reload();
                  }}
                />
              ),
          },
        ]}
      />
      <form className="card" onSubmit={create.onSubmit} aria-labelledby="new-token">
        <h2 id="new-token">{t('create.title')}</h2>
        <FormErrors error={create.error} fields={['name', 'expiresInDays', 'roles']} />
        <Field label={t('create.name')} name="name" error={create.error}>
          {(a) => <input {...a} required {...create.bind('name')} />}
        </Field>
        <Field label={t('create.expiresInDays')} name="expiresInDays" error={create.error}>
          {(a) => <input {...a} type="number" min={1} max={366} {...create.bind('days')} />}
        </Field>
        <Field label={t('create.role')} name="roles" error={create.error}>
          {(a) => (
            <select {...a} {...create.bind('role')}>
              <option value="AUDITOR">{t('create.roleOption.AUDITOR')}</option>
              <option value="INSTANCE_ADMIN">{t('create.roleOption.INSTANCE_ADMIN')}</option>
              <option value="SUPER_ADMIN">{t('create.roleOption.SUPER_ADMIN')}</option>
            </select>
          )}
        </Field>
        {role !== 'SUPER_ADMIN' && (
          <div className="field">
            <label htmlFor="token-instance">{t('create.instance')}</label>
            <select id="token-instance" required={role === 'INSTANCE_ADMIN'} {...create.bind('instanceId')}>
              <option value="">{role === 'AUDITOR' ? t('create.allInstances') : t('create.chooseInstance')}</option>
              {instances.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="primary" disabled={create.pending}>
          {create.pending ? t('create.creating') : t('create.submit')}
        </button>
      </form>
    </section>
  );
}
