import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { ApiTokens } from './ApiTokens';

const token = (id: string, name: string, state: string, roles: { role: string; instanceId: string | null }[]) => ({
  id,
  name,
  createdAt: '2026-03-01T10:00:00Z',
  expiresAt: '2026-06-01T10:00:00Z',
  lastUsedAt: null,
  state,
  roles,
});

function stubServer() {
  return server({
    ApiTokens: () => ({
      data: {
        apiTokens: {
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: [
            token('t1', 'nightly sync', 'ACTIVE', [
              { role: 'INSTANCE_ADMIN', instanceId: 'i1' },
              { role: 'AUDITOR', instanceId: null },
            ]),
            token('t2', 'old', 'REVOKED', [{ role: 'SUPER_ADMIN', instanceId: null }]),
          ],
        },
        instances: { nodes: [{ id: 'i1', name: 'Acme' }] },
      },
    }),
    ApiTokensCount: () => ({ data: { apiTokens: { totalCount: 2 } } }),
    CreateApiToken: () => ({ data: { createApiToken: { secret: 'eyJ.secret', token: { id: 't3', name: 'ci' } } } }),
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('ApiTokens', () => {
  it('names roles and states in English as before', async () => {
    stubServer();
    render(<ApiTokens />, { wrapper: MemoryRouter });
    const row = await screen.findByRole('row', { name: /nightly sync/ });
    expect(within(row).getByText('instance admin of Acme, auditor')).toBeInTheDocument();
    expect(within(row).getByText('active')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Revoke' })).toBeInTheDocument();
    const old = screen.getByRole('row', { name: /old/ });
    expect(within(old).getByText('super admin')).toBeInTheDocument();
    expect(within(old).getByText('revoked')).toBeInTheDocument();
  });

  it('reads in Chinese, and shows a new secret once', async () => {
    await i18n.changeLanguage('zh-CN');
    stubServer();
    const user = userEvent.setup();
    render(<ApiTokens />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { name: 'API 令牌' })).toBeInTheDocument();
    const row = await screen.findByRole('row', { name: /nightly sync/ });
    expect(within(row).getByText('Acme 的实例管理员、审计员')).toBeInTheDocument();
    expect(within(row).getByText('有效')).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: '撤销' }));
    expect(within(row).getByRole('group', { name: '确定撤销 nightly sync？使用它的脚本将立即停止工作。' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: '所有实例' })).toBeInTheDocument();
    const form = screen.getByRole('form', { name: '创建令牌' });
    await user.type(within(form).getByLabelText('名称'), 'ci');
    await user.click(within(form).getByRole('button', { name: '创建令牌' }));
    expect(await screen.findByLabelText('令牌密钥')).toHaveValue('eyJ.secret');
    expect(screen.getByText(/的密钥。请立即复制/)).toHaveTextContent('ci 的密钥。请立即复制：它不会再次显示。');
  });
});
