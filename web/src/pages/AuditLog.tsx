// The audit log of an instance (or of the platform), filtered by actor, application, action and
// outcome (allow/deny of SSO decisions, success/failure of changes).
import { useState } from 'react';
import { useQuery } from '../api';
import { graphql } from '../gql';
import { Empty, ErrorBanner, Loading, Pager, formatTime, usePager } from '../ui';

const AuditQuery = graphql(`
  query AuditEvents($instanceId: ID, $after: String, $filter: AuditEventFilter) {
    auditEvents(instanceId: $instanceId, first: 25, after: $after, filter: $filter) {
      totalCount
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
  const pager = usePager();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [targetId, setTargetId] = useState('');
  const [outcome, setOutcome] = useState('');
  const apps = useQuery(AuditApps, { instanceId: instanceId ?? '' }, { skip: !instanceId });
  const events = useQuery(AuditQuery, {
    instanceId: instanceId ?? null,
    after: pager.after,
    filter: {
      actor: actor.trim() || null,
      action: action.trim() || null,
      targetId: targetId || null,
      outcome: outcome || null,
    },
  });
  const [open, setOpen] = useState<string>();
  const list = events.data?.auditEvents;
  const change = (set: (v: string) => void) => (v: string) => {
    set(v);
    pager.reset();
  };
  return (
    <section>
      <h1>{instanceId ? 'Audit log' : 'Platform audit log'}</h1>
      <div className="toolbar filters">
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" type="search" placeholder="exact name or id" value={actor} onChange={(e) => change(setActor)(e.target.value)} />
        <label htmlFor="audit-action">Action</label>
        <input id="audit-action" type="search" placeholder="e.g. sso" value={action} onChange={(e) => change(setAction)(e.target.value)} />
        {instanceId && (
          <>
            <label htmlFor="audit-app">Application</label>
            <select id="audit-app" value={targetId} onChange={(e) => change(setTargetId)(e.target.value)}>
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
        <select id="audit-outcome" value={outcome} onChange={(e) => change(setOutcome)(e.target.value)}>
          <option value="">Any</option>
          <option value="allow">Allowed (SSO)</option>
          <option value="deny">Denied (SSO)</option>
          <option value="success">Changes</option>
        </select>
      </div>
      <ErrorBanner error={events.error} onRetry={events.reload} />
      {!list && events.loading && <Loading />}
      {list && list.nodes.length === 0 && <Empty>No events match.</Empty>}
      {list && list.nodes.length > 0 && (
        <table aria-busy={events.loading}>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {list.nodes.map((ev) => (
              <tr key={ev.id}>
                <td data-label="When">{formatTime(ev.createdAt)}</td>
                <td data-label="Actor">
                  {ev.actor.name} <span className="muted">{ev.actor.kind}</span>
                </td>
                <td data-label="Action">
                  <code>{ev.action}</code>
                </td>
                <td data-label="Target">
                  {ev.targetKind} <span className="muted">{ev.targetId ?? ''}</span>
                </td>
                <td data-label="Outcome">
                  <span className={`badge badge-${ev.outcome}`}>{ev.outcome}</span>
                </td>
                <td data-label="Details">
                  <button type="button" className="link" aria-expanded={open === ev.id} onClick={() => setOpen(open === ev.id ? undefined : ev.id)}>
                    {open === ev.id ? 'Hide' : 'Show'}
                  </button>
                  {open === ev.id && <pre className="code small">{JSON.stringify(ev.summary, null, 2)}</pre>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && <Pager pager={pager} pageInfo={list.pageInfo} totalCount={list.totalCount} noun="events" />}
    </section>
  );
}
