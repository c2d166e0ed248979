import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { Provisioning } from './Provisioning';

const BASE_URL = 'https://id.acme.example/scim/v2/i1';

const token = (id: string, name: string, revokedAt: string | null = null) => ({
  id,
  name,
  createdBy: 'alice',
  createdAt: '2026-03-01T10:00:00Z',
  lastUsedAt: id === 'p1' ? '2026-03-02T09:30:00Z' : null,
  revokedAt,
});

const event = (id: string, kind: string, name: string, action: string, targetKind: string, summary: unknown) => ({
  id,
  actor: { kind, name },
  action,
  targetKind,
  targetId: `${targetKind}-1`,
  summary,
  createdAt: '2026-03-02T09:30:00Z',
});

const ADMIN = { id: 'ad1', superAdmin: false, adminOf: ['i1'] };
const AUDITOR = { id: 'ad2', superAdmin: false, adminOf: [] };

/** A server that keeps its tokens: a revoked one stays revoked, a created one is listed. */
function stubServer(options: { viewer?: typeof ADMIN; create?: () => unknown; revoke?: () => unknown } = {}) {
  const tokens = [token('p2', 'Workday'), token('p1', 'Okta'), token('p0', 'old', '2026-02-01T08:00:00Z')];
  return server({
    Provisioning: () => ({
      data: { provisioning: { scimBaseUrl: BASE_URL, tokens: tokens.map((t) => ({ ...t })) }, viewer: options.viewer ?? ADMIN },
    }),
    ProvisioningChanges: () => ({
      data: {
        auditEvents: {
          nodes: [
            event('e4', 'provisioning', 'Okta', 'setUserStatus', 'user', { username: 'dana', status: { from: 'ACTIVE', to: 'DISABLED' } }),
            event('e2', 'provisioning', 'Okta', 'updateGroup', 'group', { name: { from: 'Agents', to: 'Special agents' } }),
            event('e1', 'provisioning', 'Workday', 'createUser', 'user', {}),
          ],
        },
      },
    }),
    CreateProvisioningToken:
      options.create ??
      ((variables) => {
        const input = variables.input as { name: string };
        tokens.unshift(token('p3', input.name));
        return {
          data: {
            createProvisioningToken: { secret: 'lanyard_scim_s3cr3t', provisioningToken: { id: 'p3', name: input.name } },
          },
        };
      }),
    RevokeProvisioningToken:
      options.revoke ??
      ((variables) => {
        const { id } = variables.input as { id: string };
        const revoked = tokens.find((t) => t.id === id)!;
        revoked.revokedAt = '2026-03-03T12:00:00Z';
        return { data: { revokeProvisioningToken: { provisioningToken: { id, revokedAt: revoked.revokedAt } } } };
      }),
  });
}

const tokens = () => screen.getByRole('region', { name: /^(Tokens|令牌)$/ });
const changes = () => screen.getByRole('region', { name: /^(Latest provisioning changes|最近的预配变更)$/ });

/** The page inside the instance's routes, with the audit log a link away and a link back. */
function renderPage() {
  return render(
    <MemoryRouter initialEntries={['/instances/i1/provisioning']}>
      <Routes>
        <Route path="/instances/i1/provisioning" element={<Provisioning instanceId="i1" />} />
        <Route path="/instances/i1/audit" element={<Link to="/instances/i1/provisioning">back to provisioning</Link>} />
      </Routes>
    </MemoryRouter>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Provisioning', () => {
  it('shows the SCIM base URL, the tokens and the changes of provisioning tokens only', async () => {
    const calls = stubServer();
    renderPage();
    expect(screen.getByRole('heading', { name: 'Provisioning', level: 1 })).toBeInTheDocument();
    const url = await screen.findByLabelText('SCIM base URL');
    expect(url).toHaveValue(BASE_URL);
    expect(url).toHaveAccessibleDescription(/Okta, Microsoft Entra ID…\) as its SCIM 2.0 connector's base URL and bearer token/);
    expect(screen.getByRole('button', { name: 'Copy' })).toBeInTheDocument();

    const okta = within(tokens()).getByRole('row', { name: /Okta/ });
    expect(within(okta).getByText('alice')).toBeInTheDocument();
    expect(within(okta).getByText('Active')).toHaveClass('badge', 'badge-active');
    expect(within(okta).getByRole('button', { name: 'Revoke' })).toBeInTheDocument();
    expect(within(within(tokens()).getByRole('row', { name: /Workday/ })).getByText('never')).toBeInTheDocument();
    const old = within(tokens()).getByRole('row', { name: /old/ });
    expect(within(old).getByText('Revoked')).toHaveClass('badge-revoked');
    expect(within(old).queryByRole('button')).not.toBeInTheDocument();

    // The server's filtered list, as it comes; targets are named from the summary.
    await within(changes()).findByText(/dana/);
    const [, first, second, third, ...rest] = within(changes()).getAllByRole('row');
    expect(rest).toEqual([]);
    expect(first).toHaveTextContent(/Okta\s*setUserStatus\s*user dana/);
    expect(second).toHaveTextContent(/Okta\s*updateGroup\s*group Special agents/);
    expect(third).toHaveTextContent(/Workday\s*createUser\s*user user-1/);
    expect(calls.find((c) => c.operation === 'ProvisioningChanges')?.variables).toEqual({ instanceId: 'i1', first: 20 });
    expect(screen.getByRole('link', { name: 'The audit log has every event.' })).toHaveAttribute('href', '/instances/i1/audit');
  });

  it('copies the base URL, or selects it where the browser has no clipboard for the page', async () => {
    stubServer();
    const user = userEvent.setup();
    renderPage();
    const url = await screen.findByLabelText('SCIM base URL');
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(BASE_URL);
    expect(await screen.findByText('Copied.')).toBeInTheDocument();
    // Plain HTTP on another host than localhost: no navigator.clipboard.
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue(undefined as unknown as Clipboard);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await screen.findByText('Selected: copy it with your keyboard.')).toBeInTheDocument();
    expect(url).toHaveFocus();
    const input = url as HTMLInputElement;
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, BASE_URL.length]);
  });

  it('shows a new token once: gone when she has copied it, and when she leaves the page', async () => {
    const calls = stubServer();
    const user = userEvent.setup();
    renderPage();
    const form = await screen.findByRole('form', { name: 'Create a token' });
    await user.type(within(form).getByLabelText('Name'), 'Entra ID');
    await user.click(within(form).getByRole('button', { name: 'Create token' }));
    const secret = await screen.findByLabelText('Token secret');
    expect(secret).toHaveValue('lanyard_scim_s3cr3t');
    expect(secret).toHaveFocus();
    expect(screen.getByText(/Copy it now/)).toHaveTextContent('The token Entra ID. Copy it now: it is not shown again.');
    expect(calls.filter((c) => c.operation === 'CreateProvisioningToken').map((c) => c.variables)).toEqual([
      { input: { instanceId: 'i1', name: 'Entra ID' } },
    ]);
    expect(await within(tokens()).findByRole('row', { name: /Entra ID/ })).toBeInTheDocument();
    expect(within(form).getByLabelText('Name')).toHaveValue('');

    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByLabelText('Token secret')).not.toBeInTheDocument();
    expect(screen.queryByText('lanyard_scim_s3cr3t')).not.toBeInTheDocument();

    await user.type(within(form).getByLabelText('Name'), 'Okta 2');
    await user.click(within(form).getByRole('button', { name: 'Create token' }));
    expect(await screen.findByLabelText('Token secret')).toHaveValue('lanyard_scim_s3cr3t');
    await user.click(screen.getByRole('link', { name: 'The audit log has every event.' }));
    await user.click(screen.getByRole('link', { name: 'back to provisioning' }));
    expect(await within(tokens()).findByRole('row', { name: /Okta 2/ })).toBeInTheDocument();
    expect(screen.queryByLabelText('Token secret')).not.toBeInTheDocument();
  });

  it('revokes a token only after the dialog, and the row says so', async () => {
    const calls = stubServer();
    const user = userEvent.setup();
    renderPage();
    const okta = await within(tokens()).findByRole('row', { name: /Okta/ });
    const revoke = within(okta).getByRole('button', { name: 'Revoke' });
    await user.click(revoke);
    let dialog = screen.getByRole('alertdialog', { name: 'Revoke the token Okta?' });
    expect(dialog).toHaveTextContent('The users and groups it provisioned stay as they are.');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(revoke).toHaveFocus();
    expect(calls.some((c) => c.operation === 'RevokeProvisioningToken')).toBe(false);

    await user.click(revoke);
    dialog = screen.getByRole('alertdialog', { name: 'Revoke the token Okta?' });
    await user.click(within(dialog).getByRole('button', { name: 'Revoke token' }));
    expect(await screen.findByText('Revoked Okta.')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(calls.filter((c) => c.operation === 'RevokeProvisioningToken').map((c) => c.variables)).toEqual([
      { input: { instanceId: 'i1', id: 'p1' } },
    ]);
    const revoked = within(tokens()).getByRole('row', { name: /Okta/ });
    expect(await within(revoked).findByText('Revoked')).toHaveClass('badge-revoked');
    expect(within(revoked).queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Tokens' })).toHaveFocus();
  });

  it('keeps the dialog open with the refusal when revoking fails', async () => {
    stubServer({
      revoke: () => ({ errors: [{ message: 'not allowed: manageProvisioningTokens', extensions: { code: 'FORBIDDEN' } }] }),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await within(tokens()).findByRole('row', { name: /Okta/ })).getByRole('button', { name: 'Revoke' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Revoke the token Okta?' });
    await user.click(within(dialog).getByRole('button', { name: 'Revoke token' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('not allowed: manageProvisioningTokens');
    expect(within(within(tokens()).getByRole('row', { name: /Okta/ })).getByText('Active')).toBeInTheDocument();
  });

  it('shows an auditor the tokens and the changes, but nothing to create or revoke', async () => {
    stubServer({ viewer: AUDITOR });
    renderPage();
    expect(await within(tokens()).findByRole('row', { name: /Okta/ })).toBeInTheDocument();
    expect(screen.getByText("Only the instance's admins create and revoke tokens.")).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Operations' })).not.toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Create a token' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create token' })).not.toBeInTheDocument();
    expect(await within(changes()).findByText(/Special agents/)).toBeInTheDocument();
  });

  it("lets a super admin of no instance in particular manage the instance's tokens", async () => {
    stubServer({ viewer: { id: 'root', superAdmin: true, adminOf: [] } });
    renderPage();
    expect(await screen.findByRole('form', { name: 'Create a token' })).toBeInTheDocument();
    expect(within(within(tokens()).getByRole('row', { name: /Okta/ })).getByRole('button', { name: 'Revoke' })).toBeInTheDocument();
  });

  it("shows the server's refusal at the name", async () => {
    stubServer({
      create: () => ({
        errors: [
          {
            message: 'a provisioning token needs a name of 1 to 128 characters',
            extensions: { code: 'BAD_USER_INPUT', field: 'name' },
          },
        ],
      }),
    });
    const user = userEvent.setup();
    renderPage();
    const form = await screen.findByRole('form', { name: 'Create a token' });
    const name = within(form).getByLabelText('Name');
    await user.type(name, '   ');
    await user.click(within(form).getByRole('button', { name: 'Create token' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('a provisioning token needs a name of 1 to 128 characters');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(/needs a name of 1 to 128 characters/);
    expect(screen.queryByLabelText('Token secret')).not.toBeInTheDocument();
  });

  it('reads in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    stubServer();
    const user = userEvent.setup();
    renderPage();
    expect(screen.getByRole('heading', { name: '用户预配', level: 1 })).toBeInTheDocument();
    expect(await screen.findByLabelText('SCIM 基础 URL')).toHaveValue(BASE_URL);
    const okta = within(tokens()).getByRole('row', { name: /Okta/ });
    expect(within(okta).getByText('有效')).toHaveClass('badge-active');
    expect(within(within(tokens()).getByRole('row', { name: /Workday/ })).getByText('从未使用')).toBeInTheDocument();
    expect(within(within(tokens()).getByRole('row', { name: /old/ })).getByText('已撤销')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '上次使用时间' })).toBeInTheDocument();
    await within(changes()).findByText(/dana/);
    expect(within(changes()).getAllByRole('row')[1]).toHaveTextContent(/setUserStatus\s*用户 dana/);
    await user.click(within(okta).getByRole('button', { name: '撤销' }));
    const dialog = screen.getByRole('alertdialog', { name: '确定撤销令牌 Okta？' });
    await user.click(within(dialog).getByRole('button', { name: '取消' }));
    const form = screen.getByRole('form', { name: '创建令牌' });
    await user.type(within(form).getByLabelText('名称'), 'Entra ID');
    await user.click(within(form).getByRole('button', { name: '创建令牌' }));
    expect(await screen.findByLabelText('令牌密钥')).toHaveValue('lanyard_scim_s3cr3t');
    expect(screen.getByText(/请立即复制/)).toHaveTextContent('令牌 Entra ID。请立即复制：它不会再次显示。');
    expect(screen.getByRole('button', { name: '我已复制' })).toBeInTheDocument();
  });
});
