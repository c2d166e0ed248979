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

const RULES = {
  mfaRequired: 'WHEN_ASKED',
  allowedFactors: ['EMAIL_CODE', 'TOTP', 'PASSKEY'],
  passkeySignIn: true,
  passkeyUserVerification: 'PREFERRED',
};

/** One instance, Acme, with these sign-in rules. */
const acme = (signInRules: object = RULES) => () => ({
  data: {
    instances: {
      pageInfo: { hasNextPage: false, endCursor: null },
      nodes: [{ id: 'i1', name: 'Acme', description: 'Acme Inc.', signInRules, createdAt: '2026-01-01T00:00:00Z' }],
    },
  },
});

/** The server's refusal of a rule that asks everyone for a second factor and allows none. */
const refusal = () => ({
  data: null,
  errors: [
    {
      message: 'a second factor required for everyone needs at least one allowed factor',
      extensions: { code: 'BAD_USER_INPUT', field: 'allowedFactors' },
    },
  ],
});

const saved = (signInRules: object) => () => ({
  data: { updateInstance: { instance: { id: 'i1', name: 'Acme', description: 'Acme Inc.', signInRules } } },
});

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
      Instances: acme(),
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

  it("summarises each instance's sign-in rules in the list", async () => {
    server({
      Instances: acme({ mfaRequired: 'EVERYONE', allowedFactors: ['TOTP', 'PASSKEY'], passkeySignIn: false, passkeyUserVerification: 'REQUIRED' }),
      InstancesCount: count(1),
    });
    render(<Instances />, { wrapper: MemoryRouter });
    const row = (await screen.findByText('Acme')).closest('tr')!;
    expect(within(row).getByRole('cell', { name: 'Second factor for everyone · authenticator app, passkey' })).toBeInTheDocument();
  });

  it("edits the sign-in rules, shows the server's refusal at the allowed factors, and saves", async () => {
    let answer = refusal as () => unknown;
    const calls = server({ Instances: acme(), InstancesCount: count(1), UpdateInstance: () => answer() });
    const user = userEvent.setup();
    render(<Instances />, { wrapper: MemoryRouter });
    const row = (await screen.findByText('Acme')).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit Acme' });
    const rules = within(form).getByRole('region', { name: 'Sign-in rules' });
    const who = within(rules).getByRole('group', { name: 'Who must give a second factor' });
    const allowed = within(rules).getByRole('group', { name: 'Allowed second factors' });
    // What is set now, each choice with what it means.
    expect(within(who).getByRole('radio', { name: 'Only when asked' })).toBeChecked();
    expect(within(who).getByRole('radio', { name: 'Everyone, at every sign-in' })).toHaveAccessibleDescription(
      /^After the password, every employee gives a second factor\./,
    );
    for (const name of ['Emailed code', 'Authenticator app', 'Passkey']) {
      expect(within(allowed).getByRole('checkbox', { name })).toBeChecked();
    }
    const alone = within(rules).getByRole('checkbox', { name: 'Employees may sign in with a passkey alone, without their password' });
    expect(alone).toBeChecked();
    expect(alone).toBeEnabled();

    // Everyone, with no factor allowed: the server refuses, and says so at the factors.
    await user.click(within(who).getByRole('radio', { name: 'Everyone, at every sign-in' }));
    await user.click(within(allowed).getByRole('checkbox', { name: 'Emailed code' }));
    await user.click(within(allowed).getByRole('checkbox', { name: 'Authenticator app' }));
    await user.click(within(allowed).getByRole('checkbox', { name: 'Passkey' }));
    // Without passkeys, a passkey cannot sign in alone.
    expect(alone).not.toBeChecked();
    expect(alone).toBeDisabled();
    expect(alone).toHaveAccessibleDescription('Allow passkeys above to use this.');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    const error = await within(allowed).findByRole('alert');
    expect(error).toHaveTextContent('a second factor required for everyone needs at least one allowed factor');
    const app = within(allowed).getByRole('checkbox', { name: 'Authenticator app' });
    expect(app).toHaveAttribute('aria-invalid', 'true');
    expect(app).toHaveAccessibleDescription(/needs at least one allowed factor$/);
    expect(within(who).getByRole('radio', { name: 'Everyone, at every sign-in' })).toHaveAttribute('aria-invalid', 'false');
    expect(calls.filter((c) => c.operation === 'UpdateInstance').at(-1)?.variables).toEqual({
      input: {
        id: 'i1',
        name: 'Acme',
        description: 'Acme Inc.',
        signInRules: { mfaRequired: 'EVERYONE', allowedFactors: [], passkeySignIn: true, passkeyUserVerification: 'PREFERRED' },
      },
    });

    // With the authenticator app allowed it is saved, and the list asked for again.
    const rulesSaved = { mfaRequired: 'EVERYONE', allowedFactors: ['TOTP'], passkeySignIn: true, passkeyUserVerification: 'PREFERRED' };
    answer = saved(rulesSaved);
    await user.click(app);
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Edit Acme' })).not.toBeInTheDocument();
    expect(calls.filter((c) => c.operation === 'UpdateInstance').at(-1)?.variables).toEqual({
      input: { id: 'i1', name: 'Acme', description: 'Acme Inc.', signInRules: rulesSaved },
    });
    expect(calls.filter((c) => c.operation === 'Instances')).toHaveLength(2);
  });

  it('speaks Chinese, in the sign-in rules and their refusal too', async () => {
    await i18n.changeLanguage('zh-CN');
    const calls = server({ Instances: acme(), InstancesCount: count(1), UpdateInstance: refusal });
    const user = userEvent.setup();
    render(<Instances />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { level: 1, name: '实例' })).toBeInTheDocument();
    expect(screen.getByText('管理', { selector: 'em' })).toBeInTheDocument();
    const row = (await screen.findByText('Acme')).closest('tr')!;
    expect(within(row).getByRole('link', { name: '管理' })).toHaveAttribute('href', '/instances/i1/overview');
    expect(within(row).getByRole('cell', { name: '要求时进行第二重验证 · 邮件验证码、身份验证器应用、通行密钥' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '创建时间' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '登录规则' })).toBeInTheDocument();
    const create = screen.getByRole('form', { name: '创建实例' });
    expect(within(create).getByLabelText('名称')).toBeInTheDocument();
    expect(within(create).getByRole('button', { name: '创建实例' })).toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: '编辑' }));
    const form = screen.getByRole('form', { name: '编辑 Acme' });
    const rules = within(form).getByRole('region', { name: '登录规则' });
    const who = within(rules).getByRole('group', { name: '谁需要进行第二重验证' });
    expect(within(who).getByRole('radio', { name: '仅在要求时' })).toBeChecked();
    await user.click(within(who).getByRole('radio', { name: '所有人，每次登录' }));
    const allowed = within(rules).getByRole('group', { name: '允许的第二重验证方式' });
    for (const name of ['邮件验证码', '身份验证器应用', '通行密钥']) {
      await user.click(within(allowed).getByRole('checkbox', { name }));
    }
    expect(within(rules).getByRole('checkbox', { name: '允许员工仅凭通行密钥登录，无需密码' })).toHaveAccessibleDescription(
      '请先在上方允许通行密钥。',
    );
    const verification = within(rules).getByRole('group', { name: '通行密钥的用户验证' });
    expect(within(verification).getByRole('radio', { name: '首选：密钥支持时验证' })).toBeChecked();
    expect(within(verification).getByRole('radio', { name: '必需：每次都验证' })).toBeDisabled();
    await user.click(within(form).getByRole('button', { name: '保存' }));
    // The server's own words (English, as the API writes them), at the factors.
    expect(await within(allowed).findByRole('alert')).toHaveTextContent('needs at least one allowed factor');
    expect(within(allowed).getByRole('checkbox', { name: '通行密钥' })).toHaveAttribute('aria-invalid', 'true');
    expect(calls.find((c) => c.operation === 'UpdateInstance')?.variables).toMatchObject({
      input: { signInRules: { mfaRequired: 'EVERYONE', allowedFactors: [] } },
    });
    expect(within(form).getByRole('button', { name: '取消' })).toBeInTheDocument();
  });

  it('asks whether passkeys must always verify the employee, only where passkeys are allowed, and saves it', async () => {
    let answer: () => unknown = () => ({
      data: null,
      errors: [
        {
          message: 'passkey user verification must be required where passkeys sign in alone',
          extensions: { code: 'BAD_USER_INPUT', field: 'passkeyUserVerification' },
        },
      ],
    });
    const calls = server({ Instances: acme(), InstancesCount: count(1), UpdateInstance: () => answer() });
    const user = userEvent.setup();
    render(<Instances />, { wrapper: MemoryRouter });
    const row = (await screen.findByText('Acme')).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit Acme' });
    const verification = within(form).getByRole('group', { name: 'Passkey user verification' });
    const preferred = within(verification).getByRole('radio', { name: 'Preferred: when the key can' });
    const required = within(verification).getByRole('radio', { name: 'Required: every time' });
    expect(preferred).toBeChecked();
    expect(preferred).toHaveAccessibleDescription(
      'Keys without a PIN are accepted as a second factor; signing in without a password always needs verification.',
    );
    expect(required).toHaveAccessibleDescription(
      'Passkeys and security keys must verify the employee (PIN or biometrics) every time; keys without a PIN cannot be registered or used.',
    );

    // Without passkeys allowed there is nothing to choose; the choice is kept.
    const passkeys = within(form).getByRole('checkbox', { name: 'Passkey' });
    await user.click(passkeys);
    expect(required).toBeDisabled();
    expect(preferred).toBeDisabled();
    expect(preferred).toBeChecked();
    expect(required).toHaveAccessibleDescription(/Allow passkeys above to use this\.$/);
    await user.click(passkeys);
    expect(required).toBeEnabled();

    // A refusal of the setting is shown at it.
    await user.click(required);
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(verification).findByRole('alert')).toHaveTextContent('must be required where passkeys sign in alone');
    expect(required).toHaveAttribute('aria-invalid', 'true');
    expect(calls.filter((c) => c.operation === 'UpdateInstance').at(-1)?.variables).toMatchObject({
      input: { signInRules: { passkeyUserVerification: 'REQUIRED' } },
    });

    answer = saved({ ...RULES, passkeyUserVerification: 'PREFERRED' });
    await user.click(preferred);
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(calls.filter((c) => c.operation === 'UpdateInstance').at(-1)?.variables).toEqual({
      input: { id: 'i1', name: 'Acme', description: 'Acme Inc.', signInRules: RULES },
    });
  });
});
