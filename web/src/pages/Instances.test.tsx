import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { Instances } from './Instances';

const empty = {
  data: { instances: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } },
};

const count = (totalCount: number) => () => ({ data: { instances: { totalCount } } });

afterEach(() => vi.unstubAllGlobals());

describe('Instances', () => {
  it('shows loading, then the empty state', async () => {
    server({ Instances: () => empty, InstancesCount: count(0) });
    render(<Instances />, { wrapper: MemoryRouter });
    expect(screen.getByText(/Loading/)).toHaveAttribute('role', 'status');
    expect(await screen.findByText(/No instances yet/)).toBeInTheDocument();
  });

  it('shows a refused name at the Name field and keeps what was typed', async () => {
    const calls = server({
      Instances: () => empty,
      InstancesCount: count(0),
      CreateInstance: () => ({
        data: null,
        errors: [
          {
            message: 'an instance named "Acme" exists already',
            extensions: { code: 'CONFLICT', field: 'name' },
          },
        ],
      }),
    });
    const user = userEvent.setup();
    render(<Instances />, { wrapper: MemoryRouter });
    await screen.findByText(/No instances yet/);
    const form = screen.getByRole('form', { name: 'Create an instance' });
    await user.type(within(form).getByLabelText('Name'), 'Acme');
    await user.click(within(form).getByRole('button', { name: 'Create instance' }));
    const name = within(form).getByLabelText('Name');
    expect(await within(form).findByRole('alert')).toHaveTextContent('exists already');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveValue('Acme');
    expect(calls.find((c) => c.operation === 'CreateInstance')?.variables).toEqual({
      input: { name: 'Acme', description: '' },
    });
  });

  it('lists instances with Manage, and deletes only after confirmation', async () => {
    const calls = server({
      Instances: () => ({
        data: {
          instances: {
            pageInfo: { hasNextPage: false, endCursor: null },
            nodes: [{ id: 'i1', name: 'Acme', description: '', createdAt: '2026-01-01T00:00:00Z' }],
          },
        },
      }),
      InstancesCount: count(1),
      DeleteInstance: () => ({ data: { deleteInstance: { deletedId: 'i1' } } }),
    });
    const user = userEvent.setup();
    render(<Instances />, { wrapper: MemoryRouter });
    const row = (await screen.findByText('Acme')).closest('tr')!;
    expect(within(row).getByRole('link', { name: 'Manage' })).toHaveAttribute('href', '/instances/i1/overview');
    await user.click(within(row).getByRole('button', { name: 'Delete' }));
    expect(calls.some((c) => c.operation === 'DeleteInstance')).toBe(false);
    await user.click(within(row).getByRole('button', { name: 'Yes, delete' }));
    expect(calls.find((c) => c.operation === 'DeleteInstance')?.variables).toEqual({ id: 'i1' });
  });

  it('speaks Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    server({
      Instances: () => ({
        data: {
          instances: {
            pageInfo: { hasNextPage: false, endCursor: null },
            nodes: [{ id: 'i1', name: 'Acme', description: '', secondFactor: 'EMAIL_CODE', createdAt: '2026-01-01T00:00:00Z' }],
          },
        },
      }),
      InstancesCount: count(1),
    });
    const user = userEvent.setup();
    render(<Instances />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { level: 1, name: '实例' })).toBeInTheDocument();
    expect(screen.getByText('管理', { selector: 'em' })).toBeInTheDocument();
    const row = (await screen.findByText('Acme')).closest('tr')!;
    expect(within(row).getByRole('link', { name: '管理' })).toHaveAttribute('href', '/instances/i1/overview');
    expect(within(row).getByText(/通过邮件发送登录验证码/)).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '创建时间' })).toBeInTheDocument();
    const form = screen.getByRole('form', { name: '创建实例' });
    expect(within(form).getByLabelText('名称')).toBeInTheDocument();
    expect(within(form).getByRole('button', { name: '创建实例' })).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: '编辑' }));
    expect(screen.getByRole('option', { name: '无需其他验证' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '取消' })).toBeInTheDocument();
  });
});
