import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { AuditLog } from './AuditLog';

const event = (id: string, outcome: string, targetKind: string) => ({
  id,
  actor: { kind: 'user', id: 'u1', name: 'bob' },
  action: 'sso',
  targetKind,
  targetId: 'a1',
  outcome,
  summary: {},
  clientIp: null,
  createdAt: '2026-03-01T10:00:00Z',
});

function stubServer() {
  return server({
    AuditEvents: () => ({
      data: {
        auditEvents: {
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: [event('e1', 'deny', 'application'), event('e2', 'weird', 'something_new')],
        },
      },
    }),
    AuditEventsCount: () => ({ data: { auditEvents: { totalCount: 2 } } }),
    AuditApplications: () => ({
      data: { instance: { id: 'i1', applications: { nodes: [{ id: 'a1', name: 'Alibaba Cloud' }] } } },
    }),
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('AuditLog', () => {
  it('shows the recorded values as they are in English', async () => {
    stubServer();
    render(<AuditLog instanceId="i1" />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { name: 'Audit log' })).toBeInTheDocument();
    const row = (await screen.findAllByRole('row'))[1]!;
    expect(within(row).getByText('deny')).toHaveClass('badge', 'badge-deny');
    expect(within(row).getByText('user')).toBeInTheDocument();
    expect(within(row).getByText(/^application/)).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Denied (SSO)' })).toHaveValue('deny');
  });

  it('reads in Chinese, keeping what it has no label for', async () => {
    await i18n.changeLanguage('zh-CN');
    stubServer();
    render(<AuditLog />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { name: '平台审计日志' })).toBeInTheDocument();
    const [, first, second] = await screen.findAllByRole('row');
    expect(within(first!).getByText('拒绝')).toHaveClass('badge-deny');
    expect(within(first!).getByText('用户')).toBeInTheDocument();
    expect(within(first!).getByText(/^应用/)).toBeInTheDocument();
    expect(within(first!).getByRole('button', { name: '展开' })).toBeInTheDocument();
    expect(within(second!).getByText('weird')).toHaveClass('badge-weird');
    expect(within(second!).getByText(/^something_new/)).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '结果' })).toBeInTheDocument();
    expect(screen.getByLabelText('操作者')).toHaveAttribute('placeholder', '完整名称或 ID');
  });

  it("names a SCIM provisioning token's changes in both languages", async () => {
    server({
      AuditEvents: () => ({
        data: {
          auditEvents: {
            pageInfo: { hasNextPage: false, endCursor: null },
            nodes: [
              { ...event('e1', 'success', 'user'), actor: { kind: 'provisioning', id: 'p1', name: 'Okta' }, action: 'createUser' },
              { ...event('e2', 'success', 'provisioning_token'), actor: { kind: 'admin', id: 'ad1', name: 'admin' } },
            ],
          },
        },
      }),
      AuditEventsCount: () => ({ data: { auditEvents: { totalCount: 2 } } }),
      AuditApplications: () => ({ data: { instance: { id: 'i1', applications: { nodes: [] } } } }),
    });
    render(<AuditLog instanceId="i1" />, { wrapper: MemoryRouter });
    const [, scim, created] = await screen.findAllByRole('row');
    expect(within(scim!).getByText('provisioning token')).toBeInTheDocument();
    expect(within(created!).getByText(/^provisioning_token/)).toBeInTheDocument();
    await i18n.changeLanguage('zh-CN');
    expect(await within(scim!).findByText('预配令牌')).toBeInTheDocument();
    expect(within(created!).getByText(/^预配令牌/)).toBeInTheDocument();
  });
});
