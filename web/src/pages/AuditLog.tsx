// The audit log of an instance (or of the platform), filtered by actor, application, action and
// outcome (allow/deny of SSO decisions, success/failure of changes), from the URL when the
// overview links here.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQuery } from '../api';
import { graphql } from '../gql';
import { ListView, useListControls, usePagedQuery } from '../list';
import { formatTime } from '../ui';

const AuditQuery = graphql(`
  query AuditEvents($instanceId: ID, $after: String, $filter: AuditEventFilter) {
    auditEvents(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        actor {
          kind
          id
          name
        }
        action
        targetKind
        targetId
        outcome
        summary
        clientIp
        createdAt
      }
    }
  }
`);

const AuditCount = graphql(`
  query AuditEventsCount($instanceId: ID, $filter: AuditEventFilter) {
    auditEvents(instanceId: $instanceId, first: 1, filter: $filter) {
      totalCount
    }
  }
`);

const AuditApps = graphql(`
  query AuditApplications($instanceId: ID!) {
    instance(id: $instanceId) {
      id
      applications(first: 100) {
        nodes {
          id
          name
        }
      }
    }
  }
`);

/** The values the server records, each with a label in both languages; others are shown as they are. */
const OUTCOMES = ['allow', 'deny', 'success', 'failure'] as const;
const ACTOR_KINDS = ['admin', 'token', 'system', 'user', 'anonymous', 'provisioning'] as const;
const TARGET_KINDS = [
  'access_grant',
  'access_policy',
  'admin',
  'admin_session',
  'api_token',
  'application',
  'delivery',
  'employee_session',
  'event_subscription',
  'group',
  'instance',
  'org_unit',
  'provisioning_token',
  'signing_key',
  'user',
] as const;

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

export function AuditLog({ instanceId }: { instanceId?: string }) {
  const { t } = useTranslation('audit');
  const outcome = (o: string) => (oneOf(OUTCOMES, o) ? t(`outcome.${o}`) : o);
  const actorKind = (k: string) => (oneOf(ACTOR_KINDS, k) ? t(`actorKind.${k}`) : k);
  const targetKind = (k: string) => (oneOf(TARGET_KINDS, k) ? t(`targetKind.${k}`) : k);
  // The overview links here with its filters in the URL.
  const [params] = useSearchParams();
  const controls = useListControls({
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    targetId: params.get('targetId') ?? '',
    outcome: params.get('outcome') ?? '',
  });
  const { filters, setFilter, typeFilter } = controls;
  const applied = controls.applied.filters;
  const apps = useQuery(AuditApps, { instanceId: instanceId ?? '' }, { skip: !instanceId });
  const events = usePagedQuery(
    { page: AuditQuery, count: AuditCount, total: (d) => d.auditEvents.totalCount },
    {
      instanceId: instanceId ?? null,
      filter: {
        actor: applied.actor.trim() || null,
        action: applied.action.trim() || null,
        targetId: applied.targetId || null,
        outcome: applied.outcome || null,
      },
    },
    controls.after,
  );
  const [open, setOpen] = useState<string>();
  return (
    <section>
      <h1>{instanceId ? t('title') : t('platformTitle')}</h1>
      <ListView
        query={events}
        page={events.data?.auditEvents}
        total={events.total}
        noun={t('noun')}
        controls={controls}
        empty={t('empty')}
        toolbar={
          <>
            <label htmlFor="audit-actor">{t('filters.actor')}</label>
            <input
              id="audit-actor"
              type="search"
              placeholder={t('filters.actorPlaceholder')}
              value={filters.actor}
              onChange={(e) => typeFilter('actor', e.target.value)}
            />
            <label htmlFor="audit-action">{t('filters.action')}</label>
            <input
              id="audit-action"
              type="search"
              placeholder={t('filters.actionPlaceholder')}
              value={filters.action}
              onChange={(e) => typeFilter('action', e.target.value)}
            />
            {instanceId && (
              <>
                <label htmlFor="audit-app">{t('filters.application')}</label>
                <select id="audit-app" value={filters.targetId} onChange={(e) => setFilter('targetId', e.target.value)}>
                  <option value="">{t('filters.any')}</option>
                  {apps.data?.instance.applications.nodes.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </>
            )}
            <label htmlFor="audit-outcome">{t('filters.outcome')}</label>
            <select id="audit-outcome" value={filters.outcome} onChange={(e) => setFilter('outcome', e.target.value)}>
              <option value="">{t('filters.any')}</option>
              <option value="allow">{t('filters.allowed')}</option>
              <option value="deny">{t('filters.denied')}</option>
              <option value="success">{t('filters.changes')}</option>
            </select>
          </>
        }
        columns={[
          { header: t('columns.when'), cell: (ev) => formatTime(ev.createdAt) },
          {
            header: t('columns.actor'),
            cell: (ev) => (
              <>
                {ev.actor.name} <span className="muted">{actorKind(ev.actor.kind)}</span>
              </>
            ),
          },
          { header: t('columns.action'), cell: (ev) => <code>{ev.action}</code> },
          {
            header: t('columns.target'),
            cell: (ev) => (
              <>
                {targetKind(ev.targetKind)} <span className="muted">{ev.targetId ?? ''}</span>
              </>
            ),
          },
          {
            header: t('columns.outcome'),
            cell: (ev) => <span className={`badge badge-${ev.outcome}`}>{outcome(ev.outcome)}</span>,
          },
          {
            header: t('columns.details'),
            cell: (ev) => (
              <>
                <button type="button" className="link" aria-expanded={open === ev.id} onClick={() => setOpen(open === ev.id ? undefined : ev.id)}>
                  {open === ev.id ? t('hide') : t('show')}
                </button>
                {open === ev.id && <pre className="code small">{JSON.stringify(ev.summary, null, 2)}</pre>}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}
