import { render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { GroupDetail, Groups } from './Groups';

const groups = {
  data: {
    instance: {
      id: 'i1',
      groups: {
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: [
          { id: 'g1', name: 'Admins', description: '', members: { totalCountEstimate: { count: 3, exact: true } } },
        ],
      },
    },
  },
};

const group = {
  data: {
    instance: {
      id: 'i1',
      group: {
        id: 'g1',
        name: 'Admins',
        description: 'People who run it',
        members: {
          pageInfo: { hasNextPage: false, endCursor: null },
          nodes: [{ id: 'u1', username: 'ada', displayName: 'Ada' }],
        },
      },
    },
  },
};

afterEach(() => vi.unstubAllGlobals());

describe('Groups', () => {
  it('lists the groups, with a form to create one', async () => {
    server({ Groups: () => groups, GroupsCount: () => ({ data: { instance: { groups: { totalCount: 1 } } } }) });
    render(<Groups instanceId="i1" />, { wrapper: MemoryRouter });
    expect(await screen.findByRole('link', { name: 'Admins' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Groups' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Pages of groups' })).toHaveTextContent('1 groups · page 1');
    const form = screen.getByRole('form', { name: 'Create a group' });
    expect(within(form).getByRole('button', { name: 'Create group' })).toBeInTheDocument();
  });

  it('speaks Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    server({ Groups: () => groups, GroupsCount: () => ({ data: { instance: { groups: { totalCount: 1 } } } }) });
    render(<Groups instanceId="i1" />, { wrapper: MemoryRouter });
    expect(await screen.findByRole('link', { name: 'Admins' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: '用户组' })).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: '搜索' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '成员数' })).toBeInTheDocument();
    const form = screen.getByRole('form', { name: '创建用户组' });
    expect(within(form).getByLabelText('描述')).toBeInTheDocument();
    expect(within(form).getByRole('button', { name: '创建用户组' })).toBeInTheDocument();
  });

  it('shows a group in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    server({
      Group: () => group,
      GroupMembersCount: () => ({ data: { instance: { group: { members: { totalCount: 1 } } } } }),
    });
    render(
      <MemoryRouter initialEntries={['/instances/i1/groups/g1']}>
        <Routes>
          <Route path="/instances/:instanceId/groups/:groupId" element={<GroupDetail instanceId="i1" />} />
        </Routes>
      </MemoryRouter>,
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Admins' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '用户组' })).toHaveAttribute('href', '/instances/i1/groups');
    expect(screen.getByRole('button', { name: '删除' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: '成员' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '移除 ada' })).toHaveTextContent('移除');
    expect(screen.getByRole('heading', { level: 3, name: '添加成员' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '保存' })).toBeInTheDocument();
  });
});
