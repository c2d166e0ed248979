// The instance overview, the console's landing page for an instance: what happened over the
// last day, week or month (counted from the audit log by `instanceActivity`), and what needs
// attention soon (signing keys and SP certificates that expire, emails waiting, event
// deliveries that failed). Every chart and number links to the audit log or the deliveries it
// was counted from.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
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
import { currentLanguage, formatNumber } from '../i18n';
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

const RANGES: ActivityRange[] = ['DAY', 'WEEK', 'MONTH'];

/** Certificates and keys expiring within this many days are flagged. */
const EXPIRY_WARNING_DAYS = 30;

const COLORS = {
  signIns: '#0b5cad',
  ssoAllowed: '#1a7f37',
  ssoDenied: '#a40e26',
  failedSignIns: '#9a6700',
};

/** A bucket's start on the time axis, as people of the console's language write it. */
function bucketLabel(iso: string, bucketSeconds: number): string {
  const date = new Date(iso);
  return bucketSeconds < 86_400
    ? date.toLocaleString(currentLanguage(), { month: 'short', day: 'numeric', hour: '2-digit' })
    : date.toLocaleDateString(currentLanguage(), { month: 'short', day: 'numeric' });
}

/** A count on an axis or in a tooltip. */
const count = (value: unknown) => (typeof value === 'number' ? formatNumber(value) : String(value ?? ''));

function daysUntil(iso: string): number {
  return Math.floor((new Date(iso).getTime() - Date.now()) / 86_400_000);
}

export function Overview({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation('overview');
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
  const rangeLabel = t(`rangeInSentence.${range}`);
  const separator = t('listSeparator');

  return (
    <section className="overview">
      <div className="title-row">
        <h1>{t('title')}</h1>
        <RangePicker range={range} onChange={setRange} />
      </div>
      <ErrorBanner error={activity.error ?? attention.error} onRetry={activity.reload} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <ul className="tiles" aria-label={t('totals', { range: rangeLabel })}>
            <Tile label={t('tiles.signIns')} value={sum('signIns')} to={audit({ action: 'signIn' })} />
            <Tile
              label={t('tiles.ssoAllowed')}
              value={sum('ssoAllowed')}
              to={audit({ action: 'sso', outcome: 'allow' })}
            />
            <Tile
              label={t('tiles.ssoDenied')}
              value={sum('ssoDenied')}
              to={audit({ action: 'sso', outcome: 'deny' })}
              warn={sum('ssoDenied') > 0}
            />
            <Tile
              label={t('tiles.failedSignIns')}
              value={sum('failedSignIns')}
              to={audit({ action: 'signInFailed' })}
              warn={sum('failedSignIns') > 0}
            />
            <Tile
              label={t('tiles.lockouts')}
              value={sum('lockouts')}
              to={audit({ action: 'accountLocked' })}
              warn={sum('lockouts') > 0}
            />
          </ul>

          <ActivityChart
            series={series}
            rangeLabel={rangeLabel}
            totals={[sum('signIns'), sum('ssoAllowed'), sum('ssoDenied'), sum('failedSignIns')]}
            link={<Link to={audit({ action: 'sso' })}>{t('activity.auditLink')}</Link>}
          />

          <div className="columns">
            <div className="card chart">
              <div className="title-row">
                <h2>{t('applications.title')}</h2>
              </div>
              {data.applications.length === 0 ? (
                <p className="muted">{t('applications.none', { range: rangeLabel })}</p>
              ) : (
                <>
                  <figure
                    role="img"
                    aria-label={t('applications.figure', {
                      range: rangeLabel,
                      list: data.applications
                        .map((a) =>
                          t('applications.figureItem', {
                            name: a.name ?? t('applications.figureDeleted'),
                            allowed: formatNumber(a.allowed),
                            denied: formatNumber(a.denied),
                          }),
                        )
                        .join(separator),
                    })}
                  >
                    <ResponsiveContainer width="100%" height={40 + 32 * Math.min(data.applications.length, 8)}>
                      <BarChart
                        data={data.applications.slice(0, 8).map((a) => ({ ...a, name: a.name ?? t('applications.chartDeleted') }))}
                        layout="vertical"
                        margin={{ top: 0, right: 16, bottom: 0, left: 0 }}
                      >
                        <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} tickFormatter={count} />
                        <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 12 }} />
                        <Tooltip formatter={count} />
                        <Bar dataKey="allowed" name={t('applications.allowed')} stackId="sso" fill={COLORS.ssoAllowed} isAnimationActive={false} />
                        <Bar dataKey="denied" name={t('applications.refused')} stackId="sso" fill={COLORS.ssoDenied} isAnimationActive={false} />
                      </BarChart>
                    </ResponsiveContainer>
                  </figure>
                  <ul className="plain">
                    {data.applications.slice(0, 8).map((a) => (
                      <li key={a.applicationId}>
                        <Link to={audit({ action: 'sso', targetId: a.applicationId })}>
                          {a.name ?? t('applications.deleted')}
                        </Link>{' '}
                        <span className="muted">
                          {t('applications.counts', { allowed: formatNumber(a.allowed), denied: formatNumber(a.denied) })}
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
              link={<Link to={audit({ action: 'sso', outcome: 'deny' })}>{t('reasons.auditLink')}</Link>}
            />
          </div>
        </>
      )}

      <div className="columns">
        <div className="card">
          <h2>{t('expiries.title')}</h2>
          <Expiries instanceId={instanceId} data={attention.data} />
        </div>
        <div className="card">
          <h2>{t('delivery.title')}</h2>
          <ul className="tiles">
            <Tile
              label={t('tiles.emailsWaiting')}
              value={attention.data?.pendingEmails.totalCount}
              to={`/instances/${instanceId}/deliveries`}
            />
            <Tile
              label={t('tiles.failedDeliveries')}
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
      <span className="tile-value">{props.value === undefined ? '…' : formatNumber(props.value)}</span>
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
  const { t } = useTranslation('overview');
  const [signIns, allowed, denied, failed] = props.totals.map(formatNumber);
  return (
    <div className="card chart">
      <div className="title-row">
        <h2>{t('activity.title')}</h2>
        {props.link}
      </div>
      <figure
        role="img"
        aria-label={t('activity.figure', { range: props.rangeLabel, signIns, allowed, denied, failed })}
      >
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={props.series} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#d0d7de" />
            <XAxis dataKey="label" minTickGap={24} tick={{ fontSize: 12 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={40} tickFormatter={count} />
            <Tooltip formatter={count} />
            <Legend />
            {(['signIns', 'ssoAllowed', 'ssoDenied', 'failedSignIns'] as const).map((key) => (
              <Line
                key={key}
                type="monotone"
                dataKey={key}
                name={t(`tiles.${key}`)}
                stroke={COLORS[key]}
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
  const { t } = useTranslation('overview');
  return (
    <div className="card chart">
      <div className="title-row">
        <h2>{t('reasons.title')}</h2>
        {props.link}
      </div>
      {props.reasons.length === 0 ? (
        <p className="muted">{t('reasons.none', { range: props.rangeLabel })}</p>
      ) : (
        <figure
          role="img"
          aria-label={t('reasons.figure', {
            range: props.rangeLabel,
            list: props.reasons
              .map((r) => t('reasons.figureItem', { reason: r.reason, refusals: formatNumber(r.count) }))
              .join(t('listSeparator')),
          })}
        >
          <ResponsiveContainer width="100%" height={40 + 32 * props.reasons.length}>
            <BarChart data={props.reasons} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
              <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} tickFormatter={count} />
              <YAxis type="category" dataKey="reason" width={200} tick={{ fontSize: 11 }} />
              <Tooltip formatter={count} />
              <Bar dataKey="count" name={t('reasons.refusals')} fill={COLORS.ssoDenied} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      )}
    </div>
  );
}

function RangePicker({ range, onChange }: { range: ActivityRange; onChange: (r: ActivityRange) => void }) {
  const { t } = useTranslation('overview');
  return (
    <div className="segmented" role="radiogroup" aria-label={t('period')}>
      {RANGES.map((r) => (
        <label key={r}>
          <input
            type="radio"
            name="range"
            value={r}
            checked={range === r}
            onChange={() => onChange(r)}
          />
          {t(`range.${r}`)}
        </label>
      ))}
    </div>
  );
}

/** The platform's overview: the same counts over every instance, and each instance's totals. */
export function PlatformOverview() {
  const { t } = useTranslation('overview');
  const [range, setRange] = useState<ActivityRange>('DAY');
  const activity = useQuery(PlatformActivityQuery, { range });
  const data = activity.data?.platformActivity;
  const rangeLabel = t(`rangeInSentence.${range}`);
  const sum = (field: 'signIns' | 'failedSignIns' | 'lockouts' | 'ssoAllowed' | 'ssoDenied') =>
    data?.buckets.reduce((total, b) => total + b[field], 0) ?? 0;
  return (
    <section className="overview">
      <div className="title-row">
        <h1>{t('platformTitle')}</h1>
        <RangePicker range={range} onChange={setRange} />
      </div>
      <ErrorBanner error={activity.error} onRetry={activity.reload} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <ul className="tiles" aria-label={t('totals', { range: rangeLabel })}>
            <Tile label={t('tiles.signIns')} value={sum('signIns')} />
            <Tile label={t('tiles.ssoAllowed')} value={sum('ssoAllowed')} />
            <Tile label={t('tiles.ssoDenied')} value={sum('ssoDenied')} warn={sum('ssoDenied') > 0} />
            <Tile label={t('tiles.failedSignIns')} value={sum('failedSignIns')} warn={sum('failedSignIns') > 0} />
            <Tile label={t('tiles.lockouts')} value={sum('lockouts')} warn={sum('lockouts') > 0} />
          </ul>
          <ActivityChart
            series={data.buckets.map((b) => ({ ...b, label: bucketLabel(b.start, data.bucketSeconds) }))}
            rangeLabel={rangeLabel}
            totals={[sum('signIns'), sum('ssoAllowed'), sum('ssoDenied'), sum('failedSignIns')]}
          />
          <div className="columns">
            <div className="card">
              <h2>{t('instances.title')}</h2>
              {data.instances.length === 0 ? (
                <p className="muted">{t('instances.none', { range: rangeLabel })}</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('instances.instance')}</th>
                      <th scope="col">{t('instances.signIns')}</th>
                      <th scope="col">{t('instances.sso')}</th>
                      <th scope="col">{t('instances.refused')}</th>
                      <th scope="col">{t('instances.failedSignIns')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.instances.map((i) => (
                      <tr key={i.instanceId}>
                        <td>
                          {i.name ? (
                            <Link to={`/instances/${i.instanceId}/overview`}>{i.name}</Link>
                          ) : (
                            <span className="muted">{t('instances.deleted')}</span>
                          )}
                        </td>
                        <td>{formatNumber(i.signIns)}</td>
                        <td>{formatNumber(i.ssoAllowed)}</td>
                        <td>{formatNumber(i.ssoDenied)}</td>
                        <td>{formatNumber(i.failedSignIns)}</td>
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
  const { t } = useTranslation('overview');
  if (!data) return <Loading />;
  const rows = [
    ...data.signingKeys
      .filter((k) => k.state !== 'RETIRED')
      .map((k) => ({
        key: `key-${k.id}`,
        what: t('expiries.signingKey', { state: t(`expiries.keyState.${k.state}`), algorithm: k.algorithm }),
        notAfter: k.notAfter,
        to: `/instances/${instanceId}/keys`,
      })),
    ...data.instance.applications.nodes.flatMap((a) =>
      [
        { use: 'signing', what: t('expiries.spSigningCertificate', { name: a.name }), notAfter: a.spCertificateNotAfter },
        {
          use: 'encryption',
          what: t('expiries.spEncryptionCertificate', { name: a.name }),
          notAfter: a.spEncryptionCertificateNotAfter,
        },
      ]
        .filter((c) => c.notAfter)
        .map((c) => ({
          key: `${a.id}-${c.use}`,
          what: c.what,
          notAfter: c.notAfter as string,
          to: `/instances/${instanceId}/applications/${a.id}`,
        })),
    ),
  ].sort((a, b) => a.notAfter.localeCompare(b.notAfter));
  if (rows.length === 0) return <p className="muted">{t('expiries.none')}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('expiries.what')}</th>
          <th scope="col">{t('expiries.expires')}</th>
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
                  {days < 0 ? t('expiries.expired') : t('expiries.inDays', { count: days })}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
