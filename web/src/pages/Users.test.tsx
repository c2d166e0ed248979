import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { TYPING_PAUSE_MS } from '../list';
import { heldBack, server, type Call } from '../test-server';
import { Users } from './Users';

const PEOPLE = ['ada', 'bea', 'bob', 'carol'];

/** The first page of the users whose name starts with the search, as the server answers it. */
function usersPage(variables: Record<string, unknown>, names = PEOPLE) {
  const search = (variables.filter as { search?: string | null }).search ?? '';
  const nodes = names
    .filter((n) => n.startsWith(search))
    .map((n) => ({ id: `u-${n}`, username: n, displayName: '', email: null, status: 'ACTIVE', groups: [] }));
  return {
    data: { instance: { id: 'i1', users: { pageInfo: { hasNextPage: true, endCursor: 'c1' }, nodes } } },
  };
}

function usersCount(totalCount: number) {
  return { data: { instance: { users: { totalCount } } } };
}

/** The search of each call of `operation`, in order. */
function searches(calls: Call[], operation: string) {
  return calls
    .filter((c) => c.operation === operation)
    .map((c) => (c.variables.filter as { search: string | null }).search);
}

/**
 * Types `text` at the end of the input, a key at a time, without time passing in between.
 * (user-event waits on a timer after each action, which fake timers hold still.)
 */
function type(input: HTMLElement, text: string) {
  for (const key of text) fireEvent.change(input, { target: { value: (input as HTMLInputElement).value + key } });
}

/** Lets time pass (fake timers), and the answers it lets through be rendered. */
async function pause(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

function renderUsers() {
  render(<Users instanceId="i1" />, { wrapper: MemoryRouter });
  return screen.getByRole('searchbox', { name: 'Search' });
}

const rowNames = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[0]!.textContent);

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('Users', () => {
  it('asks once, for the final text, when a search is typed fast', async () => {
    const calls = server({ Users: (v) => usersPage(v), UsersCount: () => usersCount(4) });
    const search = renderUsers();
    await pause(0);
    type(search, 'carol');
    expect(search).toHaveValue('carol');
    await pause(TYPING_PAUSE_MS - 1);
    expect(searches(calls, 'Users')).toEqual([null]);
    await pause(1);
    expect(searches(calls, 'Users')).toEqual([null, 'carol']);
    expect(searches(calls, 'UsersCount')).toEqual([null, 'carol']);
    expect(rowNames()).toEqual(['carol']);
  });

  it('cancels the request of a search typed over, and ignores its late answer', async () => {
    const old = heldBack<unknown>();
    const calls = server({
      Users: (v) => ((v.filter as { search: string | null }).search === 'b' ? old.answer : usersPage(v)),
      UsersCount: () => usersCount(4),
    });
    const search = renderUsers();
    await pause(0);
    type(search, 'b');
    await pause(TYPING_PAUSE_MS);
    type(search, 'o');
    await pause(TYPING_PAUSE_MS);
    expect(rowNames()).toEqual(['bob']);
    const [, forB, forBo] = calls.filter((c) => c.operation === 'Users');
    expect(forB?.signal?.aborted).toBe(true);
    expect(forBo?.signal?.aborted).toBe(false);

    old.release(usersPage({ filter: { search: 'b' } }));
    await pause(0);
    expect(rowNames()).toEqual(['bob']);
  });

  it('shows the rows without waiting for the count, and does not count again for the next page', async () => {
    const count = heldBack<unknown>();
    const calls = server({ Users: (v) => usersPage(v), UsersCount: () => count.answer });
    renderUsers();
    await pause(0);
    expect(rowNames()).toEqual(PEOPLE);
    const pager = screen.getByRole('navigation', { name: 'Pages of users' });
    expect(pager).toHaveTextContent('… users · page 1');

    count.release(usersCount(4000));
    await pause(0);
    expect(pager).toHaveTextContent('4000 users · page 1');

    fireEvent.click(within(pager).getByRole('button', { name: 'Next' }));
    await pause(0);
    expect(calls.filter((c) => c.operation === 'Users').map((c) => c.variables.after)).toEqual([null, 'c1']);
    expect(searches(calls, 'UsersCount')).toEqual([null]);
    expect(pager).toHaveTextContent('4000 users · page 2');
  });

  it('explains the CSV import in English as before', async () => {
    server({ Users: (v) => usersPage(v), UsersCount: () => usersCount(4) });
    renderUsers();
    await pause(0);
    fireEvent.click(screen.getByRole('button', { name: 'Import CSV' }));
    const form = screen.getByRole('form', { name: 'Import users from CSV' });
    const help = within(form).getByText(/^A header row with any of:/);
    expect(help.textContent).toMatch(
      /^A header row with any of: username, .+\. Group and org unit ids are separated by ;\. Up to 1,000 rows; nothing is saved unless every row is right\.$/,
    );
    expect(help.querySelectorAll('code')).toHaveLength(2);
  });

  it('speaks Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    server({ Users: (v) => usersPage(v), UsersCount: () => usersCount(4) });
    render(<Users instanceId="i1" />, { wrapper: MemoryRouter });
    await pause(0);
    expect(screen.getByRole('heading', { level: 1, name: '用户' })).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: '搜索' })).toHaveAttribute('placeholder', '用户名或邮箱前缀');
    expect(screen.getByRole('columnheader', { name: '显示名称' })).toBeInTheDocument();
    expect(screen.getAllByText('正常', { selector: '.badge' })).toHaveLength(PEOPLE.length);
    fireEvent.click(screen.getByRole('button', { name: '导入 CSV' }));
    const form = screen.getByRole('form', { name: '从 CSV 导入用户' });
    expect(within(form).getByText(/^第一行为表头/).querySelectorAll('code')).toHaveLength(2);
    expect(within(form).getByRole('button', { name: '导入' })).toBeDisabled();
  });
});
