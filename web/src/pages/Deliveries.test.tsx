import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { Deliveries, EventSubscriptions } from './Deliveries';

const delivery = (id: string, status: string, attempts: number) => ({
  id,
  kind: 'EVENT',
  topic: 'ping',
  recipient: 'https://hooks.example/in',
  status,
  attempts,
  lastError: status === 'DEAD' ? 'HTTP 503' : null,
  nextAttemptAt: null,
  createdAt: '2026-03-01T10:00:00Z',
  deliveredAt: status === 'DELIVERED' ? '2026-03-01T10:00:05Z' : null,
});

function stubServer() {
  return server({
    Deliveries: () => ({
      data: {
        deliveries: {
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: [delivery('d1', 'DEAD', 1), delivery('d2', 'DELIVERED', 3)],
        },
      },
    }),
    DeliveriesCount: () => ({ data: { deliveries: { totalCount: 2 } } }),
    DeliveryLog: () => ({
      data: {
        delivery: {
          id: 'd1',
          log: [{ attempt: 1, startedAt: '2026-03-01T10:00:00Z', durationMs: 1500, delivered: false, statusCode: 503, error: null }],
        },
      },
    }),
    Redeliver: () => ({ data: { redeliver: { delivery: { id: 'd1', status: 'PENDING' } } } }),
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('Deliveries', () => {
  it('counts attempts and sends again, in English', async () => {
    stubServer();
    const user = userEvent.setup();
    render(<Deliveries instanceId="i1" />, { wrapper: MemoryRouter });
    const [, dead, delivered] = await screen.findAllByRole('row');
    expect(within(dead!).getByText('failed')).toHaveClass('badge', 'badge-failed');
    expect(within(dead!).getByText(/^1 attempt$/)).toBeInTheDocument();
    expect(within(delivered!).getByText('delivered')).toHaveClass('badge-delivered');
    expect(within(delivered!).getByText(/^3 attempts, /)).toBeInTheDocument();
    await user.click(within(dead!).getByRole('button', { name: 'Attempts' }));
    expect(await within(dead!).findByText(/^#1 .* · failed · 503 · 1,500 ms$/)).toBeInTheDocument();
    await user.click(within(dead!).getByRole('button', { name: 'Send again' }));
    expect(await screen.findByText('ping to https://hooks.example/in is sent again.')).toBeInTheDocument();
  });

  it('reads in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    stubServer();
    const user = userEvent.setup();
    render(<Deliveries instanceId="i1" />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { name: '投递' })).toBeInTheDocument();
    const [, dead] = await screen.findAllByRole('row');
    expect(within(dead!).getByText('失败')).toHaveClass('badge-failed');
    expect(within(dead!).getByText('已尝试 1 次')).toBeInTheDocument();
    await user.click(within(dead!).getByRole('button', { name: '尝试记录' }));
    expect(await within(dead!).findByText(/ · 失败 · 503 · 1,500 毫秒$/)).toBeInTheDocument();
    expect(within(dead!).getByRole('button', { name: '隐藏尝试记录' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: '事件回调' })).toHaveValue('EVENT');
  });
});

describe('EventSubscriptions', () => {
  it('reads in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    server({ EventSubscriptions: () => ({ data: { eventSubscriptions: [] } }) });
    render(<EventSubscriptions instanceId="i1" />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { name: '事件订阅' })).toBeInTheDocument();
    expect(await screen.findByText('暂无订阅。')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: '事件' })).toBeInTheDocument();
    expect(screen.getByLabelText('user.created')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '订阅' })).toBeInTheDocument();
  });
});
