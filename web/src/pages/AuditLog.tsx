// The audit log of an instance (or of the platform), filtered by actor, application, action and
// outcome (allow/deny of SSO decisions, success/failure of changes), from the URL when the
// overview links here.
import { useState } from 'react';
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

export function AuditLog({ instanceId }: { instanceId?: string }) {
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
      <h1>{instanceId ? 'Audit log' : 'Platform audit log'}</h1>
      <ListView
        query={events}
        page={events.data?.auditEvents}
        total={events.total}
        noun="events"
        controls={controls}
        empty="No events match."
        toolbar={
          <>
            <label htmlFor="audit-actor">Actor</label>
            <input id="audit-actor" type="search" placeholder="exact name or id" value={filters.actor} onChange={(e) => typeFilter('actor', e.target.value)} />
            <label htmlFor="audit-action">Action</label>
            <input id="audit-action" type="search" placeholder="e.g. sso" value={filters.action} onChange={(e) => typeFilter('action', e.target.value)} />
            {instanceId && (
              <>
                <label htmlFor="audit-app">Application</label>
                <select id="audit-app" value={filters.targetId} onChange={(e) => setFilter('targetId', e.target.value)}>
                  <option value="">Any</option>
                  {apps.data?.instance.applications.nodes.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </>
            )}
            <label htmlFor="audit-outcome">Outcome</label>
            <select id="audit-outcome" value={filters.outcome} onChange={(e) => setFilter('outcome', e.target.value)}>
              <option value="">Any</option>
              <option value="allow">Allowed (SSO)</option>
              <option value="deny">Denied (SSO)</option>
              <option value="success">Changes</option>
            </select>
          </>
        }
        columns={[
          { header: 'When', cell: (ev) => formatTime(ev.createdAt) },
          {
            header: 'Actor',
            cell: (ev) => (
              <>
                {ev.actor.name} <span className="muted">{ev.actor.kind}</span>
              </>
            ),
          },
          { header: 'Action', cell: (ev) => <code>{ev.action}</code> },
          {
            header: 'Target',
            cell: (ev) => (
              <>
                {ev.targetKind} <span className="muted">{ev.targetId ?? ''}</span>
              </>
            ),
          },
          { header: 'Outcome', cell: (ev) => <span className={`badge badge-${ev.outcome}`}>{ev.outcome}</span> },
          {
            header: 'Details',
            cell: (ev) => (
              <>
                <button type="button" className="link" aria-expanded={open === ev.id} onClick={() => setOpen(open === ev.id ? undefined : ev.id)}>
                  {open === ev.id ? 'Hide' : 'Show'}
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
