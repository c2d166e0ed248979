// An instance's SCIM 2.0 provisioning: the base URL and the bearer tokens an HR system or a
// directory provisions users and groups with (a token's secret shown once, at its creation), and
// what those tokens changed lately.
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { request, useMutation, useQuery, type ApiError, type QueryState } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import type { ProvisioningChangesQuery, ProvisioningQuery as ProvisioningData } from '../gql/graphql';
import { ListView, type Column } from '../list';
import { ConfirmDialog, Field, Flash, FormErrors, copy, formatTime, useFlash } from '../ui';

const ProvisioningQuery = graphql(`
  query Provisioning($instanceId: ID!) {
    provisioning(instanceId: $instanceId) {
      scimBaseUrl
      tokens {
        id
        name
        createdBy
        createdAt
        lastUsedAt
        revokedAt
      }
    }
    viewer {
      id
      superAdmin
      adminOf
    }
  }
`);

// The changes of the instance's provisioning tokens, newest first: the audit log filtered by
// the actor's kind.
const ChangesQuery = graphql(`
  query ProvisioningChanges($instanceId: ID!, $first: Int!) {
    auditEvents(instanceId: $instanceId, first: $first, filter: { actorKind: "provisioning" }) {
      nodes {
        id
        actor {
          kind
          name
        }
        action
        targetKind
        targetId
        summary
        createdAt
      }
    }
  }
`);

const CreateToken = graphql(`
  mutation CreateProvisioningToken($input: CreateProvisioningTokenInput!) {
    createProvisioningToken(input: $input) {
      secret
      provisioningToken {
        id
        name
      }
    }
  }
`);

const RevokeToken = graphql(`
  mutation RevokeProvisioningToken($input: RevokeProvisioningTokenInput!) {
    revokeProvisioningToken(input: $input) {
      provisioningToken {
        id
        revokedAt
      }
    }
  }
`);

/** How many provisioning changes are shown. */
const CHANGES_SHOWN = 20;

type Token = ProvisioningData['provisioning']['tokens'][number];
type Viewer = ProvisioningData['viewer'];

/**
 * Whether the caller may create and revoke this instance's tokens (`manageProvisioningTokens`):
 * super admins and the instance's admins, as the policies say; auditors read only. The server
 * decides; this only keeps buttons it would refuse off the page.
 */
function mayManage(viewer: Viewer, instanceId: string): boolean {
  return viewer.superAdmin || viewer.adminOf.includes(instanceId);
}

/** The name an audit summary gives its target: a username, a group's (new) name. */
function targetName(summary: unknown): string | undefined {
  if (!summary || typeof summary !== 'object') return undefined;
  const { username, name } = summary as { username?: unknown; name?: unknown };
  for (const value of [username, name]) {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && typeof (value as { to?: unknown }).to === 'string') {
      return (value as { to: string }).to;
    }
  }
  return undefined;
}

export function Provisioning({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('provisioning');
  const provisioning = useQuery(ProvisioningQuery, { instanceId });
  const data = provisioning.data;
  const manage = data ? mayManage(data.viewer, instanceId) : false;
  const [flash, setFlash] = useFlash();
  // The secret just created, of this instance only: it is gone when the page is left.
  const [secret, setSecret] = useState<{ instanceId: string; name: string; secret: string }>();
  const shown = secret?.instanceId === instanceId ? secret : undefined;
  const events = useQuery(ChangesQuery, { instanceId, first: CHANGES_SHOWN });
  const tokensHeading = useRef<HTMLHeadingElement>(null);
  const baseUrlRef = useRef<HTMLInputElement>(null);
  const create = useForm({
    initial: { name: '' },
    submit: ({ name }) => request(CreateToken, { input: { instanceId, name } }),
    onSuccess: (r) => {
      const { provisioningToken, secret } = r.createProvisioningToken;
      setSecret({ instanceId, name: provisioningToken.name, secret });
      create.reset();
      provisioning.reload();
      events.reload();
    },
  });

  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="lead">{t('lead')}</p>
      <Flash message={flash} />
      <div className="card">
        <h2>{t('endpoint.title')}</h2>
        {data && (
          <Field label={t('endpoint.label')} name="scimBaseUrl" hint={t('endpoint.help')}>
            {(a) => (
              <div className="copy-row">
                <input {...a} ref={baseUrlRef} readOnly className="code" value={data.provisioning.scimBaseUrl} onFocus={(e) => e.target.select()} />
                <button
                  type="button"
                  onClick={async () => setFlash((await copy(data.provisioning.scimBaseUrl, baseUrlRef.current)) ? t('copied') : t('copyByHand'))}
                >
                  {t('endpoint.copy')}
                </button>
              </div>
            )}
          </Field>
        )}
      </div>

      <section aria-labelledby="provisioning-tokens">
        <h2 id="provisioning-tokens" ref={tokensHeading} tabIndex={-1}>
          {t('tokens.title')}
        </h2>
        {shown && <Secret name={shown.name} secret={shown.secret} onDone={() => setSecret(undefined)} onCopied={setFlash} />}
        <Tokens
          instanceId={instanceId}
          query={provisioning}
          tokens={data?.provisioning.tokens}
          manage={manage}
          onRevoked={(name) => {
            setFlash(t('revoke.done', { name }));
            provisioning.reload();
            events.reload();
            tokensHeading.current?.focus();
          }}
        />
        {data && !manage && <p className="muted">{t('tokens.readOnly')}</p>}
        {manage && (
          <form className="card" onSubmit={create.onSubmit} aria-labelledby="new-provisioning-token">
            <h2 id="new-provisioning-token">{t('create.title')}</h2>
            <FormErrors error={create.error} fields={['name']} />
            <Field label={t('create.name')} name="name" error={create.error} hint={t('create.hint')}>
              {(a) => <input {...a} required maxLength={128} {...create.bind('name')} />}
            </Field>
            <button type="submit" className="primary" disabled={create.pending}>
              {create.pending ? t('create.creating') : t('create.submit')}
            </button>
          </form>
        )}
      </section>

      <Changes instanceId={instanceId} events={events} />
    </section>
  );
}

/** The secret of a token just created, in a box to copy it from, until she says she has. */
function Secret(props: { name: string; secret: string; onDone: () => void; onCopied: (message: string) => void }) {
  const { t } = useTranslation('provisioning');
  const field = useRef<HTMLTextAreaElement>(null);
  // Where she is looking after creating: the form is further down.
  useEffect(() => field.current?.focus(), [props.secret]);
  return (
    <div className="alert alert-warn secret" role="status">
      <p>
        <Trans t={t} i18nKey="secret.shownOnce" values={{ name: props.name }} components={{ strong: <strong /> }} />
      </p>
      <textarea
        ref={field}
        readOnly
        className="code"
        rows={2}
        value={props.secret}
        aria-label={t('secret.label')}
        onFocus={(e) => e.target.select()}
      />
      <div className="buttons">
        <button type="button" onClick={async () => props.onCopied((await copy(props.secret, field.current)) ? t('copied') : t('copyByHand'))}>
          {t('secret.copy')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('secret.done')}
        </button>
      </div>
    </div>
  );
}

function Tokens(props: {
  instanceId: string;
  query: { error?: ApiError; loading: boolean; reload: () => void };
  tokens: Token[] | undefined;
  manage: boolean;
  onRevoked: (name: string) => void;
}) {
  const { t } = useTranslation('provisioning');
  const revoke = useMutation(RevokeToken);
  const [asking, setAsking] = useState<Token>();
  // The dialog shows the error of its own attempt, not one left from an earlier token.
  const [tried, setTried] = useState(false);
  const opener = useRef<HTMLButtonElement | null>(null);
  const columns: Column<Token>[] = [
    { header: t('tokens.columns.name'), cell: (k) => k.name },
    { header: t('tokens.columns.createdBy'), cell: (k) => k.createdBy },
    { header: t('tokens.columns.created'), cell: (k) => formatTime(k.createdAt) },
    { header: t('tokens.columns.lastUsed'), cell: (k) => (k.lastUsedAt ? formatTime(k.lastUsedAt) : t('tokens.never')) },
    {
      header: t('tokens.columns.status'),
      cell: (k) =>
        k.revokedAt ? (
          <>
            <span className="badge badge-revoked">{t('tokens.status.revoked')}</span>{' '}
            <span className="muted">{t('tokens.revokedAt', { time: formatTime(k.revokedAt) })}</span>
          </>
        ) : (
          <span className="badge badge-active">{t('tokens.status.active')}</span>
        ),
    },
  ];
  if (props.manage) {
    columns.push({
      header: t('tokens.columns.operations'),
      actions: true,
      cell: (k) =>
        !k.revokedAt && (
          <button
            type="button"
            className="danger"
            onClick={(e) => {
              opener.current = e.currentTarget;
              setTried(false);
              setAsking(k);
            }}
          >
            {t('tokens.revoke')}
          </button>
        ),
    });
  }
  return (
    <>
      <ListView query={props.query} rows={props.tokens} empty={t('tokens.empty')} columns={columns} />
      {asking && (
        <ConfirmDialog
          title={t('revoke.title', { name: asking.name })}
          confirmLabel={t('revoke.confirm')}
          pendingLabel={t('revoke.pending')}
          pending={revoke.pending}
          error={tried ? revoke.error : undefined}
          onClose={() => {
            setAsking(undefined);
            opener.current?.focus();
          }}
          onConfirm={async () => {
            setTried(true);
            const done = await revoke.run({ input: { instanceId: props.instanceId, id: asking.id } });
            if (!done) return;
            setAsking(undefined);
            props.onRevoked(asking.name);
          }}
        >
          <ul>
            <li>{t('revoke.stops')}</li>
            <li>{t('revoke.stays')}</li>
          </ul>
          <p className="muted">{t('revoke.final')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The newest changes made with the instance's provisioning tokens. */
function Changes({ instanceId, events }: { instanceId: string; events: QueryState<ProvisioningChangesQuery> }) {
  const { t } = useTranslation('provisioning');
  const changes = events.data?.auditEvents.nodes;
  const targetKind = (kind: string) => (kind === 'user' || kind === 'group' ? t(`changes.targetKind.${kind}`) : kind);
  return (
    <section aria-labelledby="provisioning-changes">
      <h2 id="provisioning-changes">{t('changes.title')}</h2>
      <p className="muted">
        {t('changes.window', { count: CHANGES_SHOWN })} <Link to={`/instances/${instanceId}/audit`}>{t('changes.auditLog')}</Link>
      </p>
      <ListView
        query={events}
        rows={changes}
        empty={t('changes.empty')}
        columns={[
          { header: t('changes.columns.time'), cell: (e) => formatTime(e.createdAt) },
          { header: t('changes.columns.token'), cell: (e) => e.actor.name },
          { header: t('changes.columns.action'), cell: (e) => <code>{e.action}</code> },
          {
            header: t('changes.columns.target'),
            cell: (e) => (
              <>
                {targetKind(e.targetKind)} {targetName(e.summary) ?? <span className="muted">{e.targetId ?? ''}</span>}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}
