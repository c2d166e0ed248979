import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { Overview, PlatformOverview } from './Overview';

const bucket = (start: string, n: number) => ({
  start,
  signIns: n,
  failedSignIns: 1,
  lockouts: 0,
  ssoAllowed: n * 2,
  ssoDenied: 1,
});

const activity = (range: unknown) => ({
  data: {
    instanceActivity: {
      from: '2026-03-01T00:00:00Z',
      bucketSeconds: range === 'DAY' ? 3600 : 86_400,
      buckets: [bucket('2026-03-01T00:00:00Z', 600), bucket('2026-03-01T01:00:00Z', 634)],
      applications: [
        { applicationId: 'a1', name: 'Alibaba Cloud', allowed: 2468, denied: 2 },
        { applicationId: 'a2', name: null, allowed: 1, denied: 0 },
      ],
      refusalReasons: [{ reason: 'outside the authorization scope', count: 2 }],
    },
  },
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000 + 3_600_000).toISOString();

const attention = () => ({
  data: {
    signingKeys: [{ id: 'k1', state: 'ACTIVE', algorithm: 'RS256', notAfter: inDays(400) }],
    instance: {
      id: 'i1',
      applications: {
        nodes: [{ id: 'a1', name: 'Alibaba Cloud', spCertificateNotAfter: inDays(1), spEncryptionCertificateNotAfter: null }],
      },
    },
    pendingEmails: { totalCount: 3 },
    failedDeliveries: { totalCount: 0 },
  },
});

function stubServer() {
  return server({
    InstanceActivity: (v) => activity(v.range),
    InstanceAttention: attention,
  });
}

beforeEach(() => {
  // recharts measures its container; jsdom has no ResizeObserver.
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('Overview', () => {
  it('shows the totals and describes the charts in English', async () => {
    stubServer();
    render(<Overview instanceId="i1" />, { wrapper: MemoryRouter });
    const tiles = await screen.findByRole('list', { name: 'Totals, last 24 hours' });
    expect(within(tiles).getByRole('link', { name: /Sign-ins/ })).toHaveTextContent('1,234Sign-ins');
    expect(within(tiles).getByRole('link', { name: /SSO responses/ })).toHaveTextContent('2,468');
    expect(
      screen.getByRole('img', { name: 'Sign-ins, SSO responses, refused SSO and failed sign-ins, last 24 hours: 1,234, 2,468, 2 and 2.' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'SSO by application, last 24 hours: Alibaba Cloud 2,468 allowed, 2 refused; deleted application 1 allowed, 0 refused.',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Refused SSO by reason, last 24 hours: outside the authorization scope: 2.' })).toBeInTheDocument();
    expect(screen.getByText('(deleted application)')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Signing key (active, RS256)' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Alibaba Cloud: SP signing certificate' })).toBeInTheDocument();
    expect(screen.getByText('in 1 day')).toBeInTheDocument();
    expect(screen.getByText('in 400 days')).toBeInTheDocument();
  });

  it('speaks Chinese, with the range in its sentences', async () => {
    await i18n.changeLanguage('zh-CN');
    stubServer();
    const user = userEvent.setup();
    render(<Overview instanceId="i1" />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { name: '概览' })).toBeInTheDocument();
    const tiles = await screen.findByRole('list', { name: '合计（近 24 小时）' });
    expect(within(tiles).getByRole('link', { name: /被拒绝的 SSO/ })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: '登录和 SSO 趋势' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^各应用的 SSO（近 24 小时）：Alibaba Cloud 允许 2,468 次，拒绝 2 次；已删除的应用/ })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: '签名密钥（使用中，RS256）' })).toBeInTheDocument();
    expect(screen.getByText('1 天后')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: '近 7 天' }));
    expect(await screen.findByRole('list', { name: '合计（近 7 天）' })).toBeInTheDocument();
  });
});

describe('PlatformOverview', () => {
  it('lists the instances in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    server({
      PlatformActivity: () => ({
        data: {
          platformActivity: {
            from: '2026-03-01T00:00:00Z',
            bucketSeconds: 3600,
            buckets: [bucket('2026-03-01T00:00:00Z', 1)],
            instances: [
              { instanceId: 'i1', name: 'Acme', signIns: 1200, failedSignIns: 0, lockouts: 0, ssoAllowed: 2, ssoDenied: 0 },
              { instanceId: 'i2', name: null, signIns: 1, failedSignIns: 0, lockouts: 0, ssoAllowed: 0, ssoDenied: 0 },
            ],
            refusalReasons: [],
          },
        },
      }),
    });
    render(<PlatformOverview />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { name: '平台概览' })).toBeInTheDocument();
    expect(await screen.findByRole('columnheader', { name: '登录失败' })).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /Acme 1,200/ })).toBeInTheDocument();
    expect(screen.getByText('（已删除的实例）')).toBeInTheDocument();
    expect(screen.getByText('近 24 小时内没有被拒绝的 SSO。')).toBeInTheDocument();
  });
});
