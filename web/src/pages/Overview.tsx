// The instance overview, the console's landing page for an instance: what happened over the
// last day, week or month (counted from the audit log by `instanceActivity`), and what needs
// attention soon (signing keys and SP certificates that expire, emails waiting, event
// deliveries that failed). Every chart and number links to the audit log or the deliveries it
// was counted from.
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useQuery } from '../api';
import { graphql } from '../gql';
import type { ActivityRange, InstanceAttentionQuery } from '../gql/graphql';
import { ErrorBanner, Loading, formatTime } from '../ui';

const ActivityQuery = graphql(`
  query InstanceActivity($instanceId: ID!, $range: ActivityRange!) {
    instanceActivity(instanceId: $instanceId, range: $range) {
      from
      bucketSeconds
      buckets {
        start
        signIns
        failedSignIns
        lockouts
        ssoAllowed
        ssoDenied
      }
      applications {
        applicationId
        name
        allowed
        denied
      }
      refusalReasons {
        reason
        count
      }
    }
  }
`);

const AttentionQuery = graphql(`
  query InstanceAttention($instanceId: ID!) {
    signingKeys(instanceId: $instanceId) {
      id
      state
      algorithm
      notAfter
    }
    instance(id: $instanceId) {
      id
      applications(first: 100) {
        nodes {
          id
          name
          spCertificateNotAfter
          spEncryptionCertificateNotAfter
        }
      }
    }
    pendingEmails: deliveries(
      instanceId: $instanceId
      first: 1
      filter: { kind: EMAIL, status: PENDING }
    ) {
      totalCount
    }
    failedDeliveries: deliveries(
      instanceId: $instanceId
      first: 1
      filter: { kind: EVENT, status: DEAD }
    ) {
      totalCount
    }
  }
`);

const PlatformActivityQuery = graphql(`
  query PlatformActivity($range: ActivityRange!) {
    platformActivity(range: $range) {
      from
      bucketSeconds
      buckets {
        start
        signIns
        failedSignIns
        lockouts
        ssoAllowed
        ssoDenied
      }
      instances {
        instanceId
        name
        signIns
        failedSignIns
        lockouts
        ssoAllowed
        ssoDenied
      }
      refusalReasons {
        reason
        count
      }
    }
  }
`);

const RANGES: { value: ActivityRange; label: string }[] = [
  { value: 'DAY', label: 'Last 24 hours' },
  { value: 'WEEK', label: 'Last 7 days' },
  { value: 'MONTH', label: 'Last 30 days' },
];

/** Certificates and keys expiring within this many days are flagged. */
const EXPIRY_WARNING_DAYS = 30;

const COLORS = {
  signIns: '#0b5cad',
  ssoAllowed: '#1a7f37',
  ssoDenied: '#a40e26',
  failedSignIns: '#9a6700',
};

function bucketLabel(iso: string, bucketSeconds: number): string {
  const date = new Date(iso);
  return bucketSeconds < 86_400
    ? date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit' })
    : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

function daysUntil(iso: string): number {
  return Math.floor((new Date(iso).getTime() - Date.now()) / 86_400_000);
}

export function Overview({ instanceId }: { instanceId: string }) {
  const [range, setRange] = useState<ActivityRange>('DAY');
  const activity = useQuery(ActivityQuery, { instanceId, range });
  const attention = useQuery(AttentionQuery, { instanceId });
  const audit = (filter: Record<string, string>) =>
    `/instances/${instanceId}/audit?${new URLSearchParams(filter).toString()}`;
  const data = activity.data?.instanceActivity;
  const sum = (field: 'signIns' | 'failedSignIns' | 'lockouts' | 'ssoAllowed' | 'ssoDenied') =>
    data?.buckets.reduce((total, b) => total + b[field], 0) ?? 0;
  const series = (data?.buckets ?? []).map((b) => ({
    ...b,
    label: bucketLabel(b.start, data?.bucketSeconds ?? 3600),
  }));
  const rangeLabel = RANGES.find((r) => r.value === range)?.label.toLowerCase() ?? '';

  return (
    <section className="overview">
      <div className="title-row">
        <h1>Overview</h1>
        <RangePicker range={range} onChange={setRange} />
      </div>
      <ErrorBanner error={activity.error ?? attention.error} onRetry={activity.reload} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <ul className="tiles" aria-label={`Totals, ${rangeLabel}`}>
            <Tile label="Sign-ins" value={sum('signIns')} to={audit({ action: 'signIn' })} />
            <Tile
              label="SSO responses"
              value={sum('ssoAllowed')}
              to={audit({ action: 'sso', outcome: 'allow' })}
            />
            <Tile
              label="Refused SSO"
              value={sum('ssoDenied')}
              to={audit({ action: 'sso', outcome: 'deny' })}
              warn={sum('ssoDenied') > 0}
            />
            <Tile
              label="Failed sign-ins"
              value={sum('failedSignIns')}
              to={audit({ action: 'signInFailed' })}
              warn={sum('failedSignIns') > 0}
            />
            <Tile
              label="Lockouts"
              value={sum('lockouts')}
              to={audit({ action: 'accountLocked' })}
              warn={sum('lockouts') > 0}
            />
          </ul>

          <ActivityChart
            series={series}
            rangeLabel={rangeLabel}
            totals={[sum('signIns'), sum('ssoAllowed'), sum('ssoDenied'), sum('failedSignIns')]}
            link={<Link to={audit({ action: 'sso' })}>SSO decisions in the audit log</Link>}
          />

          <div className="columns">
            <div className="card chart">
              <div className="title-row">
                <h2>Top applications</h2>
              </div>
              {data.applications.length === 0 ? (
                <p className="muted">No SSO {rangeLabel}.</p>
              ) : (
                <>
                  <figure
                    role="img"
                    aria-label={`SSO by application, ${rangeLabel}: ${data.applications
                      .map((a) => `${a.name ?? 'deleted application'} ${a.allowed} allowed, ${a.denied} refused`)
                      .join('; ')}.`}
                  >
                    <ResponsiveContainer width="100%" height={40 + 32 * Math.min(data.applications.length, 8)}>
                      <BarChart
                        data={data.applications.slice(0, 8).map((a) => ({ ...a, name: a.name ?? '(deleted)' }))}
                        layout="vertical"
                        margin={{ top: 0, right: 16, bottom: 0, left: 0 }}
                      >
                        <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
                        <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 12 }} />
                        <Tooltip />
                        <Bar dataKey="allowed" name="Allowed" stackId="sso" fill={COLORS.ssoAllowed} isAnimationActive={false} />
                        <Bar dataKey="denied" name="Refused" stackId="sso" fill={COLORS.ssoDenied} isAnimationActive={false} />
                      </BarChart>
                    </ResponsiveContainer>
                  </figure>
                  <ul className="plain">
                    {data.applications.slice(0, 8).map((a) => (
                      <li key={a.applicationId}>
                        <Link to={audit({ action: 'sso', targetId: a.applicationId })}>
                          {a.name ?? '(deleted application)'}
                        </Link>{' '}
                        <span className="muted">
                          {a.allowed} allowed, {a.denied} refused
                        </span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>

            <ReasonsChart
              reasons={data.refusalReasons}
              rangeLabel={rangeLabel}
              link={<Link to={audit({ action: 'sso', outcome: 'deny' })}>Refusals in the audit log</Link>}
            />
          </div>
        </>
      )}

      <div className="columns">
        <div className="card">
          <h2>Keys and certificates</h2>
          <Expiries instanceId={instanceId} data={attention.data} />
        </div>
        <div className="card">
          <h2>Delivery</h2>
          <ul className="tiles">
            <Tile
              label="Emails waiting"
              value={attention.data?.pendingEmails.totalCount}
              to={`/instances/${instanceId}/deliveries`}
            />
            <Tile
              label="Failed event deliveries"
              value={attention.data?.failedDeliveries.totalCount}
              to={`/instances/${instanceId}/deliveries`}
              warn={(attention.data?.failedDeliveries.totalCount ?? 0) > 0}
            />
          </ul>
        </div>
      </div>
    </section>
  );
}

function Tile(props: { label: string; value?: number; to?: string; warn?: boolean }) {
  const content = (
    <>
      <span className="tile-value">{props.value ?? '…'}</span>
      <span className="tile-label">{props.label}</span>
    </>
  );
  return (
    <li className={props.warn ? 'tile warn' : 'tile'}>
      {props.to ? <Link to={props.to}>{content}</Link> : <div className="tile-box">{content}</div>}
    </li>
  );
}

type Point = { label: string; signIns: number; ssoAllowed: number; ssoDenied: number; failedSignIns: number };

function ActivityChart(props: {
  series: Point[];
  rangeLabel: string;
  totals: [number, number, number, number];
  link?: ReactNode;
}) {
  const [signIns, allowed, denied, failed] = props.totals;
  return (
    <div className="card chart">
      <div className="title-row">
        <h2>Sign-ins and SSO over time</h2>
        {props.link}
      </div>
      <figure
        role="img"
        aria-label={`Sign-ins, SSO responses, refused SSO and failed sign-ins, ${props.rangeLabel}: ${signIns}, ${allowed}, ${denied} and ${failed}.`}
      >
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={props.series} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#d0d7de" />
            <XAxis dataKey="label" minTickGap={24} tick={{ fontSize: 12 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={40} />
            <Tooltip />
            <Legend />
            {(
              [
                ['signIns', 'Sign-ins', COLORS.signIns],
                ['ssoAllowed', 'SSO responses', COLORS.ssoAllowed],
                ['ssoDenied', 'Refused SSO', COLORS.ssoDenied],
                ['failedSignIns', 'Failed sign-ins', COLORS.failedSignIns],
              ] as const
            ).map(([key, name, color]) => (
              <Line
                key={key}
                type="monotone"
                dataKey={key}
                name={name}
                stroke={color}
                dot={{ r: 2 }}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}

function ReasonsChart(props: {
  reasons: { reason: string; count: number }[];
  rangeLabel: string;
  link?: ReactNode;
}) {
  return (
    <div className="card chart">
      <div className="title-row">
        <h2>Refused SSO by reason</h2>
        {props.link}
      </div>
      {props.reasons.length === 0 ? (
        <p className="muted">No refused SSO {props.rangeLabel}.</p>
      ) : (
        <figure
          role="img"
          aria-label={`Refused SSO by reason, ${props.rangeLabel}: ${props.reasons
            .map((r) => `${r.reason}: ${r.count}`)
            .join('; ')}.`}
        >
          <ResponsiveContainer width="100%" height={40 + 32 * props.reasons.length}>
            <BarChart data={props.reasons} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
              <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
              <YAxis type="category" dataKey="reason" width={200} tick={{ fontSize: 11 }} />
              <Tooltip />
              <Bar dataKey="count" name="Refusals" fill={COLORS.ssoDenied} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      )}
    </div>
  );
}

function RangePicker({ range, onChange }: { range: ActivityRange; onChange: (r: ActivityRange) => void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Period">
      {RANGES.map((r) => (
        <label key={r.value}>
          <input
            type="radio"
            name="range"
            value={r.value}
            checked={range === r.value}
            onChange={() => onChange(r.value)}
          />
          {r.label}
        </label>
      ))}
    </div>
  );
}

/** The platform's overview: the same counts over every instance, and each instance's totals. */
export function PlatformOverview() {
  const [range, setRange] = useState<ActivityRange>('DAY');
  const activity = useQuery(PlatformActivityQuery, { range });
  const data = activity.data?.platformActivity;
  const rangeLabel = RANGES.find((r) => r.value === range)?.label.toLowerCase() ?? '';
  const sum = (field: 'signIns' | 'failedSignIns' | 'lockouts' | 'ssoAllowed' | 'ssoDenied') =>
    data?.buckets.reduce((total, b) => total + b[field], 0) ?? 0;
  return (
    <section className="overview">
      <div className="title-row">
        <h1>Platform overview</h1>
        <RangePicker range={range} onChange={setRange} />
      </div>
      <ErrorBanner error={activity.error} onRetry={activity.reload} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <ul className="tiles" aria-label={`Totals, ${rangeLabel}`}>
            <Tile label="Sign-ins" value={sum('signIns')} />
            <Tile label="SSO responses" value={sum('ssoAllowed')} />
            <Tile label="Refused SSO" value={sum('ssoDenied')} warn={sum('ssoDenied') > 0} />
            <Tile label="Failed sign-ins" value={sum('failedSignIns')} warn={sum('failedSignIns') > 0} />
            <Tile label="Lockouts" value={sum('lockouts')} warn={sum('lockouts') > 0} />
          </ul>
          <ActivityChart
            series={data.buckets.map((b) => ({ ...b, label: bucketLabel(b.start, data.bucketSeconds) }))}
            rangeLabel={rangeLabel}
            totals={[sum('signIns'), sum('ssoAllowed'), sum('ssoDenied'), sum('failedSignIns')]}
          />
          <div className="columns">
            <div className="card">
              <h2>Instances</h2>
              {data.instances.length === 0 ? (
                <p className="muted">No sign-ins or SSO {rangeLabel}.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Instance</th>
                      <th scope="col">Sign-ins</th>
                      <th scope="col">SSO</th>
                      <th scope="col">Refused</th>
                      <th scope="col">Failed sign-ins</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.instances.map((i) => (
                      <tr key={i.instanceId}>
                        <td>
                          {i.name ? (
                            <Link to={`/instances/${i.instanceId}/overview`}>{i.name}</Link>
                          ) : (
                            <span className="muted">(deleted instance)</span>
                          )}
                        </td>
                        <td>{i.signIns}</td>
                        <td>{i.ssoAllowed}</td>
                        <td>{i.ssoDenied}</td>
                        <td>{i.failedSignIns}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <ReasonsChart reasons={data.refusalReasons} rangeLabel={rangeLabel} />
          </div>
        </>
      )}
    </section>
  );
}

function Expiries({ instanceId, data }: { instanceId: string; data?: InstanceAttentionQuery }) {
  if (!data) return <Loading />;
  const rows = [
    ...data.signingKeys
      .filter((k) => k.state !== 'RETIRED')
      .map((k) => ({
        key: `key-${k.id}`,
        what: `Signing key (${k.state.toLowerCase()}, ${k.algorithm})`,
        notAfter: k.notAfter,
        to: `/instances/${instanceId}/keys`,
      })),
    ...data.instance.applications.nodes.flatMap((a) =>
      [
        { use: 'signing', notAfter: a.spCertificateNotAfter },
        { use: 'encryption', notAfter: a.spEncryptionCertificateNotAfter },
      ]
        .filter((c) => c.notAfter)
        .map((c) => ({
          key: `${a.id}-${c.use}`,
          what: `${a.name}: SP ${c.use} certificate`,
          notAfter: c.notAfter as string,
          to: `/instances/${instanceId}/applications/${a.id}`,
        })),
    ),
  ].sort((a, b) => a.notAfter.localeCompare(b.notAfter));
  if (rows.length === 0) return <p className="muted">No keys or certificates.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Key or certificate</th>
          <th scope="col">Expires</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const days = daysUntil(r.notAfter);
          return (
            <tr key={r.key}>
              <td>
                <Link to={r.to}>{r.what}</Link>
              </td>
              <td className={days < EXPIRY_WARNING_DAYS ? 'warn' : undefined}>
                {formatTime(r.notAfter)}{' '}
                <span className="muted">
                  {days < 0 ? 'expired' : `in ${days} day${days === 1 ? '' : 's'}`}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
