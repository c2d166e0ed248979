// What the outbox sends for an instance: emails and event callbacks with their retry state and
// attempts, sent again on demand; and the event subscriptions that callbacks go to.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request, useMutation, useQuery } from '../api';
import { useForm } from '../form';
import { graphql } from '../gql';
import type { DeliveryKind, DeliveryStatus, EventType } from '../gql/graphql';
import { formatNumber } from '../i18n';
import { ListView, useListControls, usePagedQuery } from '../list';
import { ConfirmButton, ErrorBanner, Field, Flash, FormErrors, Loading, formatTime, useFlash } from '../ui';

const DeliveriesQuery = graphql(`
  query Deliveries($instanceId: ID!, $after: String, $filter: DeliveryFilterInput) {
    deliveries(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        kind
        topic
        recipient
        status
        attempts
        lastError
        nextAttemptAt
        createdAt
        deliveredAt
      }
    }
  }
`);

const DeliveriesCount = graphql(`
  query DeliveriesCount($instanceId: ID!, $filter: DeliveryFilterInput) {
    deliveries(instanceId: $instanceId, first: 1, filter: $filter) {
      totalCount
    }
  }
`);

const DeliveryLog = graphql(`
  query DeliveryLog($instanceId: ID!, $id: ID!) {
    delivery(instanceId: $instanceId, id: $id) {
      id
      log {
        attempt
        startedAt
        durationMs
        delivered
        statusCode
        error
      }
    }
  }
`);

const Redeliver = graphql(`
  mutation Redeliver($input: RedeliverInput!) {
    redeliver(input: $input) {
      delivery {
        id
        status
      }
    }
  }
`);

const SubscriptionsQuery = graphql(`
  query EventSubscriptions($instanceId: ID!) {
    eventSubscriptions(instanceId: $instanceId) {
      id
      url
      eventTypes
      description
      enabled
      createdAt
    }
  }
`);

const CreateSubscription = graphql(`
  mutation CreateEventSubscription($input: CreateEventSubscriptionInput!) {
    createEventSubscription(input: $input) {
      eventSubscription {
        id
      }
    }
  }
`);

const UpdateSubscription = graphql(`
  mutation UpdateEventSubscription($input: UpdateEventSubscriptionInput!) {
    updateEventSubscription(input: $input) {
      eventSubscription {
        id
        enabled
      }
    }
  }
`);

const DeleteSubscription = graphql(`
  mutation DeleteEventSubscription($input: EventSubscriptionRefInput!) {
    deleteEventSubscription(input: $input) {
      deletedId
    }
  }
`);

const PingSubscription = graphql(`
  mutation PingEventSubscription($input: EventSubscriptionRefInput!) {
    pingEventSubscription(input: $input) {
      delivery {
        id
      }
    }
  }
`);

/** The badge style of each status (its text is `status.<STATUS>` of the catalog). */
const STATUS_BADGES: Record<DeliveryStatus, string> = {
  PENDING: 'badge-pending',
  DELIVERED: 'badge-delivered',
  DEAD: 'badge-failed',
};

export function Deliveries({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('deliveries');
  const controls = useListControls({ kind: '' as DeliveryKind | '', status: '' as DeliveryStatus | '' });
  const { filters, setFilter } = controls;
  const applied = controls.applied.filters;
  const list = usePagedQuery(
    { page: DeliveriesQuery, count: DeliveriesCount, total: (d) => d.deliveries.totalCount },
    { instanceId, filter: { kind: applied.kind || null, status: applied.status || null } },
    controls.after,
  );
  const redeliver = useMutation(Redeliver);
  const [open, setOpen] = useState<string>();
  const [flash, setFlash] = useFlash();
  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="muted">{t('lead')}</p>
      <Flash message={flash} />
      <ListView
        query={list}
        error={redeliver.error}
        page={list.data?.deliveries}
        total={list.total}
        noun={t('noun')}
        controls={controls}
        empty={applied.kind || applied.status ? t('emptyFiltered') : t('empty')}
        toolbar={
          <>
            <label htmlFor="delivery-kind">{t('filters.kind')}</label>
            <select id="delivery-kind" value={filters.kind} onChange={(e) => setFilter('kind', e.target.value as DeliveryKind | '')}>
              <option value="">{t('filters.any')}</option>
              <option value="EMAIL">{t('filters.emails')}</option>
              <option value="EVENT">{t('filters.events')}</option>
            </select>
            <label htmlFor="delivery-status">{t('filters.status')}</label>
            <select id="delivery-status" value={filters.status} onChange={(e) => setFilter('status', e.target.value as DeliveryStatus | '')}>
              <option value="">{t('filters.any')}</option>
              <option value="PENDING">{t('filters.pending')}</option>
              <option value="DELIVERED">{t('filters.delivered')}</option>
              <option value="DEAD">{t('filters.failed')}</option>
            </select>
            <button type="button" onClick={list.reload}>
              {t('filters.refresh')}
            </button>
          </>
        }
        columns={[
          { header: t('columns.created'), cell: (d) => formatTime(d.createdAt) },
          { header: t('columns.what'), cell: (d) => <code>{d.topic}</code> },
          { header: t('columns.to'), cell: (d) => d.recipient },
          {
            header: t('columns.status'),
            cell: (d) => (
              <>
                <span className={`badge ${STATUS_BADGES[d.status]}`}>{t(`status.${d.status}`)}</span>{' '}
                <span className="muted">
                  {t('attemptCount', { count: d.attempts })}
                  {d.status === 'PENDING' && d.nextAttemptAt ? t('nextAttempt', { time: formatTime(d.nextAttemptAt) }) : ''}
                  {d.deliveredAt ? t('deliveredAt', { time: formatTime(d.deliveredAt) }) : ''}
                </span>
                {d.lastError && <div className="muted">{d.lastError}</div>}
              </>
            ),
          },
          {
            header: t('columns.operations'),
            actions: true,
            cell: (d) => (
              <>
                <button type="button" className="link" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? undefined : d.id)}>
                  {open === d.id ? t('hideAttempts') : t('attempts')}
                </button>
                {d.status === 'DEAD' && (
                  <button
                    type="button"
                    disabled={redeliver.pending}
                    onClick={async () => {
                      if (await redeliver.run({ input: { instanceId, id: d.id } })) {
                        setFlash(t('sentAgain', { topic: d.topic, recipient: d.recipient }));
                        list.reload();
                      }
                    }}
                  >
                    {t('sendAgain')}
                  </button>
                )}
                {open === d.id && <Attempts instanceId={instanceId} id={d.id} />}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}

function Attempts({ instanceId, id }: { instanceId: string; id: string }) {
  const { t } = useTranslation('deliveries');
  const log = useQuery(DeliveryLog, { instanceId, id });
  if (log.error) return <ErrorBanner error={log.error} />;
  if (!log.data) return <Loading />;
  const attempts = log.data.delivery.log;
  if (attempts.length === 0) return <p className="muted">{t('attempt.none')}</p>;
  return (
    <ol className="rows" aria-label={t('attempts')}>
      {attempts.map((a) => (
        <li key={a.attempt}>
          #{a.attempt} {formatTime(a.startedAt)} · {a.delivered ? t('attempt.delivered') : t('attempt.failed')}
          {a.statusCode !== null && a.statusCode !== undefined ? ` · ${a.statusCode}` : ''} ·{' '}
          {t('attempt.duration', { ms: formatNumber(a.durationMs) })}
          {a.error ? ` · ${a.error}` : ''}
        </li>
      ))}
    </ol>
  );
}

const EVENT_TYPES: EventType[] = [
  'USER_CREATED',
  'USER_UPDATED',
  'USER_DELETED',
  'GROUP_CREATED',
  'GROUP_UPDATED',
  'GROUP_DELETED',
  'GROUP_MEMBERS_ADDED',
  'GROUP_MEMBERS_REMOVED',
  'ORG_UNIT_CREATED',
  'ORG_UNIT_UPDATED',
  'ORG_UNIT_DELETED',
  'ORG_UNIT_MEMBERS_ADDED',
  'ORG_UNIT_MEMBERS_REMOVED',
  'APPLICATION_ACCOUNT_UPDATED',
  'APPLICATION_ACCOUNT_REMOVED',
];

/** `USER_CREATED` → `user.created`, as receivers see it. */
const wireName = (t: EventType) => t.toLowerCase().replace('_', '.');

export function EventSubscriptions({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('deliveries');
  const subscriptions = useQuery(SubscriptionsQuery, { instanceId });
  const update = useMutation(UpdateSubscription);
  const remove = useMutation(DeleteSubscription);
  const ping = useMutation(PingSubscription);
  const [flash, setFlash] = useFlash();
  const create = useForm({
    initial: { url: '', description: '', eventTypes: [] as EventType[] },
    submit: ({ url, description, eventTypes }) =>
      request(CreateSubscription, { input: { instanceId, url, description: description || null, eventTypes } }),
    onSuccess: () => {
      create.reset();
      setFlash(t('subscriptions.created'));
      subscriptions.reload();
    },
  });
  const chosen = create.values.eventTypes;
  return (
    <section>
      <h1>{t('subscriptions.title')}</h1>
      <p className="muted">{t('subscriptions.lead')}</p>
      <Flash message={flash} />
      <ErrorBanner error={subscriptions.error ?? update.error ?? remove.error ?? ping.error} />
      {!subscriptions.data ? (
        <Loading />
      ) : subscriptions.data.eventSubscriptions.length === 0 ? (
        <p>{t('subscriptions.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('subscriptions.receiver')}</th>
              <th>{t('subscriptions.events')}</th>
              <th>{t('subscriptions.state')}</th>
              <th>{t('subscriptions.operations')}</th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.data.eventSubscriptions.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.url}
                  {s.description && <div className="muted">{s.description}</div>}
                </td>
                <td>{s.eventTypes.map(wireName).join(', ')}</td>
                <td>{s.enabled ? t('subscriptions.enabled') : t('subscriptions.disabled')}</td>
                <td className="actions">
                  <button
                    type="button"
                    onClick={async () => {
                      if (await ping.run({ input: { instanceId, id: s.id } })) setFlash(t('subscriptions.pinged', { url: s.url }));
                    }}
                  >
                    {t('subscriptions.ping')}
                  </button>
                  <button
                    type="button"
                    onClick={async () => {
                      if (await update.run({ input: { instanceId, id: s.id, enabled: !s.enabled } })) subscriptions.reload();
                    }}
                  >
                    {s.enabled ? t('subscriptions.disable') : t('subscriptions.enable')}
                  </button>
                  <ConfirmButton
                    label={t('subscriptions.delete')}
                    question={t('subscriptions.deleteQuestion', { url: s.url })}
                    onConfirm={async () => {
                      if (await remove.run({ input: { instanceId, id: s.id } })) subscriptions.reload();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="card" onSubmit={create.onSubmit} aria-labelledby="new-subscription">
        <h2 id="new-subscription">{t('subscriptions.subscribeTitle')}</h2>
        <FormErrors error={create.error} fields={['url', 'description', 'eventTypes']} />
        <Field label={t('subscriptions.url')} name="url" error={create.error} hint={t('subscriptions.urlHint')}>
          {(a) => <input {...a} required {...create.bind('url')} />}
        </Field>
        <Field label={t('subscriptions.description')} name="description" error={create.error}>
          {(a) => <input {...a} {...create.bind('description')} />}
        </Field>
        <fieldset>
          <legend>{t('subscriptions.eventTypes')}</legend>
          {EVENT_TYPES.map((t) => (
            <span key={t} className="checkbox">
              <input
                id={`event-${t}`}
                type="checkbox"
                checked={chosen.includes(t)}
                onChange={(e) =>
                  create.set('eventTypes', e.target.checked ? [...chosen, t] : chosen.filter((c) => c !== t))
                }
              />
              <label htmlFor={`event-${t}`}>{wireName(t)}</label>
            </span>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={create.pending}>
          {t('subscriptions.subscribe')}
        </button>
      </form>
    </section>
  );
}
