import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n, { formatTime } from '../i18n';
import { TYPING_PAUSE_MS } from '../list';
import { heldBack, server, type Call } from '../test-server';
import { UserDetail, Users } from './Users';

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

/** carol, on an instance with these sign-in rules. */
function carol(rules = { mfaRequired: 'WHEN_ASKED', allowedFactors: ['TOTP', 'PASSKEY'] }, email: string | null = 'carol@example.com') {
  return {
    data: {
      instance: {
        id: 'i1',
        signInRules: rules,
        user: {
          id: 'u1',
          username: 'carol',
          displayName: 'Carol',
          email,
          phone: null,
          externalId: null,
          status: 'ACTIVE',
          hasPassword: true,
          createdAt: '2026-01-05T08:00:00Z',
          updatedAt: '2026-01-05T08:00:00Z',
          groups: [],
          orgUnits: [],
          effectiveApplications: [],
        },
      },
    },
  };
}

const ADDED = '2026-03-01T09:00:00Z';
const USED = '2026-03-02T10:30:00Z';

function factorsOf(recoveryCodesLeft = 8, factors = [
  { id: 'f1', kind: 'TOTP', name: 'iPhone', createdAt: ADDED, lastUsedAt: USED },
  { id: 'f2', kind: 'PASSKEY', name: 'YubiKey', createdAt: ADDED, lastUsedAt: null },
]) {
  return { data: { userFactors: { factors, recoveryCodesLeft } } };
}

const sessions = () => ({
  data: {
    userSessions: [
      {
        id: 's1',
        createdAt: ADDED,
        expiresAt: '2026-03-01T17:00:00Z',
        lastSeenAt: ADDED,
        authMethods: ['password', 'totp'],
        clientIp: '192.0.2.7',
        userAgent: 'Firefox',
        applications: [],
      },
    ],
  },
});

async function renderDetail() {
  render(
    <MemoryRouter initialEntries={['/instances/i1/users/u1']}>
      <Routes>
        <Route path="/instances/:instanceId/users/:userId" element={<UserDetail instanceId="i1" />} />
      </Routes>
    </MemoryRouter>,
  );
  await pause(0);
  await pause(0);
  const heading = screen.getByRole('heading', { level: 2, name: /^(Second factors|第二重验证)$/ });
  return heading.closest('.card') as HTMLElement;
}

describe("A user's second factors", () => {
  it('lists them (never a secret) with the recovery codes left, and resets them after a dialog that says what happens', async () => {
    let reset = false;
    const calls = server({
      User: () => carol(),
      UserSessions: sessions,
      UserFactors: () => (reset ? factorsOf(0, []) : factorsOf()),
      ResetUserFactors: () => {
        reset = true;
        return { data: { resetUserFactors: { removedCount: 2, sessionsEnded: 1 } } };
      },
    });
    const card = await renderDetail();
    expect(calls.find((c) => c.operation === 'UserFactors')?.variables).toEqual({ instanceId: 'i1', userId: 'u1' });
    const rows = within(card)
      .getAllByRole('row')
      .slice(1)
      .map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['Authenticator app', 'iPhone', formatTime(ADDED), formatTime(USED)],
      ['Passkey', 'YubiKey', formatTime(ADDED), 'Never'],
    ]);
    expect(within(card).getByText('8 recovery codes left.')).toBeInTheDocument();

    // The question first: nothing is reset until it is answered.
    const button = within(card).getByRole('button', { name: 'Reset second factors' });
    fireEvent.click(button);
    let dialog = screen.getByRole('alertdialog', { name: 'Reset the second factors of carol?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    const said = within(dialog).getAllByRole('listitem').map((li) => li.textContent);
    expect(said).toEqual([
      'Their second factors (2) and recovery codes (8 left) are removed and stop working.',
      'All their sessions end: they must sign in again everywhere.',
      'They are emailed at carol@example.com that their second factors were reset.',
      'They must set up a new one on their account page before applications that ask for a second factor let them in.',
    ]);
    expect(dialog).toHaveAccessibleDescription(/^Do this when they lost their phone or security key\./);
    fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Cancel' }), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(calls.some((c) => c.operation === 'ResetUserFactors')).toBe(false);

    fireEvent.click(button);
    dialog = screen.getByRole('alertdialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset second factors' }));
    await pause(0);
    await pause(0);
    expect(calls.find((c) => c.operation === 'ResetUserFactors')?.variables).toEqual({
      input: { instanceId: 'i1', userId: 'u1' },
    });
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    const result = within(card).getByText(/^Reset:/);
    expect(result).toHaveTextContent(
      'Reset: 2 second factors removed and 1 session ended. An email telling them is on its way to carol@example.com.',
    );
    expect(result).toHaveFocus();
    // What is left, and her sessions, asked for again.
    expect(within(card).getByText('No second factor set up.')).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: 'Reset second factors' })).not.toBeInTheDocument();
    expect(calls.filter((c) => c.operation === 'UserFactors')).toHaveLength(2);
    expect(calls.filter((c) => c.operation === 'UserSessions')).toHaveLength(2);
  });

  it("shows the server's refusal in the dialog, which stays open", async () => {
    server({
      User: () => carol(),
      UserSessions: sessions,
      UserFactors: () => factorsOf(),
      ResetUserFactors: () => ({
        data: null,
        errors: [{ message: 'not allowed: resetUserFactors', extensions: { code: 'FORBIDDEN' } }],
      }),
    });
    const card = await renderDetail();
    fireEvent.click(within(card).getByRole('button', { name: 'Reset second factors' }));
    const dialog = screen.getByRole('alertdialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset second factors' }));
    await pause(0);
    expect(within(dialog).getByRole('alert')).toHaveTextContent('not allowed: resetUserFactors');
    expect(screen.getByRole('alertdialog')).toBe(dialog);
    expect(within(card).getByText('8 recovery codes left.')).toBeInTheDocument();
    // Asked again, the question starts afresh.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Reset second factors' }));
    expect(within(screen.getByRole('alertdialog')).queryByRole('alert')).not.toBeInTheDocument();
  });

  it("says what the instance's rules mean for her next sign-in, and when nobody can tell her", async () => {
    server({
      User: () => carol({ mfaRequired: 'EVERYONE', allowedFactors: ['EMAIL_CODE', 'TOTP'] }, null),
      UserSessions: sessions,
      UserFactors: () => factorsOf(1, [{ id: 'f1', kind: 'TOTP', name: '', createdAt: ADDED, lastUsedAt: null }]),
      ResetUserFactors: () => ({ data: { resetUserFactors: { removedCount: 1, sessionsEnded: 0 } } }),
    });
    const card = await renderDetail();
    expect(within(card).getByText('1 recovery code left.')).toBeInTheDocument();
    fireEvent.click(within(card).getByRole('button', { name: 'Reset second factors' }));
    const said = within(screen.getByRole('alertdialog')).getAllByRole('listitem').map((li) => li.textContent);
    // Without an address she gets no emailed code: she sets up an app at her next sign-in.
    expect(said.slice(2)).toEqual([
      'They have no email address, so they are not told: let them know yourself.',
      'Everyone here gives a second factor: at their next sign-in they must set up a new authenticator app before they get in.',
    ]);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Reset second factors' }));
    await pause(0);
    expect(within(card).getByText(/^Reset:/)).toHaveTextContent(
      'Reset: 1 second factor removed and 0 sessions ended. They have no email address: let them know yourself.',
    );
  });

  it('speaks Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    const calls = server({
      User: () => carol({ mfaRequired: 'EVERYONE', allowedFactors: ['EMAIL_CODE', 'TOTP'] }),
      UserSessions: sessions,
      UserFactors: () => factorsOf(),
      ResetUserFactors: () => ({
        data: null,
        errors: [{ message: 'not allowed: resetUserFactors', extensions: { code: 'FORBIDDEN' } }],
      }),
    });
    const card = await renderDetail();
    expect(within(card).getByRole('columnheader', { name: '最近使用' })).toBeInTheDocument();
    const rows = within(card)
      .getAllByRole('row')
      .slice(1)
      .map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['身份验证器应用', 'iPhone', formatTime(ADDED), formatTime(USED)],
      ['通行密钥', 'YubiKey', formatTime(ADDED), '从未使用'],
    ]);
    expect(formatTime(ADDED)).toMatch(/2026年3月1日/);
    expect(within(card).getByText('剩余 8 个恢复码。')).toBeInTheDocument();
    fireEvent.click(within(card).getByRole('button', { name: '重置第二重验证' }));
    const dialog = screen.getByRole('alertdialog', { name: '确定重置 carol 的第二重验证？' });
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '其第二重验证方式（2 个）和恢复码（剩余 8 个）将被删除并立即失效。',
      '其所有会话都将结束：需要在各处重新登录。',
      '系统将发送邮件至 carol@example.com，告知其第二重验证方式已被移除。',
      '本实例要求所有人进行第二重验证：在账户页面设置新的验证方式之前，将使用邮件验证码登录。',
    ]);
    expect(within(dialog).getByRole('button', { name: '取消' })).toHaveFocus();
    fireEvent.click(within(dialog).getByRole('button', { name: '重置第二重验证' }));
    await pause(0);
    expect(calls.find((c) => c.operation === 'ResetUserFactors')?.variables).toEqual({
      input: { instanceId: 'i1', userId: 'u1' },
    });
    expect(within(dialog).getByRole('alert')).toHaveTextContent('not allowed: resetUserFactors');
  });

  it('speaks Chinese in the result', async () => {
    await i18n.changeLanguage('zh-CN');
    server({
      User: () => carol(),
      UserSessions: sessions,
      UserFactors: () => factorsOf(),
      ResetUserFactors: () => ({ data: { resetUserFactors: { removedCount: 2, sessionsEnded: 1 } } }),
    });
    const card = await renderDetail();
    fireEvent.click(within(card).getByRole('button', { name: '重置第二重验证' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '重置第二重验证' }));
    await pause(0);
    await pause(0);
    expect(within(card).getByText(/^已重置/)).toHaveTextContent(
      '已重置：删除了 2 个第二重验证方式，结束了 1 个会话。通知邮件正在发送至 carol@example.com。',
    );
  });
});
