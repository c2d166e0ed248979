import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { OrgUnits } from './OrgUnits';

/** The units under a parent: Globex at the top, nothing under it. */
function units(variables: Record<string, unknown>) {
  const nodes = variables.parentId
    ? []
    : [{ id: 'o1', name: 'Globex', children: { totalCount: 0 }, members: { totalCountEstimate: { count: 2, exact: true } } }];
  return { data: { instance: { id: 'i1', orgUnits: { pageInfo: { hasNextPage: false, endCursor: null }, nodes } } } };
}

const answers = {
  OrgUnits: units,
  OrgUnitsCount: (v: Record<string, unknown>) => ({
    data: { instance: { orgUnits: { totalCount: v.parentId ? 0 : 1 } } },
  }),
  OrgUnitMembers: () => ({
    data: {
      instance: {
        id: 'i1',
        orgUnit: { id: 'o1', members: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } },
      },
    },
  }),
  OrgUnitMembersCount: () => ({ data: { instance: { orgUnit: { members: { totalCount: 0 } } } } }),
};

afterEach(() => vi.unstubAllGlobals());

describe('OrgUnits', () => {
  it('opens a unit to show its sub-units and members', async () => {
    server(answers);
    const user = userEvent.setup();
    render(<OrgUnits instanceId="i1" />, { wrapper: MemoryRouter });
    await user.click(await screen.findByRole('button', { name: 'Globex' }));
    expect(await screen.findByText('Globex has no sub-units.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Add a sub-unit to Globex' })).toBeInTheDocument();
    expect(await screen.findByText('No direct members.')).toBeInTheDocument();
  });

  it('speaks Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    server(answers);
    const user = userEvent.setup();
    render(<OrgUnits instanceId="i1" />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { level: 1, name: '组织' })).toBeInTheDocument();
    const path = screen.getByRole('navigation', { name: '组织路径' });
    expect(within(path).getByRole('button', { name: '顶级' })).toBeInTheDocument();
    expect(await screen.findByRole('columnheader', { name: '成员数（含下级组织）' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: '添加顶级组织' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '移动' }));
    expect(screen.getByRole('group', { name: '移动 Globex' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '移到顶级' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '取消' }));
    await user.click(screen.getByRole('button', { name: 'Globex' }));
    expect(await screen.findByText('Globex 没有下级组织。')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: '在 Globex 下添加下级组织' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Globex 的成员' })).toBeInTheDocument();
    expect(await screen.findByText('暂无直属成员。')).toBeInTheDocument();
  });
});
