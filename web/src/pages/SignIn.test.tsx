import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { SignIn } from './SignIn';

interface Sent {
  path: string;
  body: Record<string, unknown>;
}

/** Stubs the sign-in routes: each answer is `[status, body]` by path, in turn. */
function routes(answers: Record<string, [number, unknown][]>): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit) => {
      sent.push({ path, body: JSON.parse(String(init.body)) as Record<string, unknown> });
      const next = answers[path]?.shift();
      if (!next) throw new Error(`unexpected request to ${path}`);
      const [status, body] = next;
      return new Response(status === 204 ? null : JSON.stringify(body), { status });
    }),
  );
  return sent;
}

const SETUP = {
  factorId: 'f1',
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  otpauthUrl: 'otpauth://totp/Lanyard:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Lanyard',
  qrCode: 'data:image/svg+xml;base64,PHN2Zy8+',
};

async function typePassword(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Username'), 'alice');
  await user.type(screen.getByLabelText('Password'), 'her password');
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

afterEach(() => vi.unstubAllGlobals());

describe('SignIn', () => {
  it('signs in with the password alone when no second factor is owed', async () => {
    const sent = routes({ '/auth/admin/login': [[204, null]] });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<SignIn onSignedIn={onSignedIn} />);
    await typePassword(user);
    expect(onSignedIn).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([{ path: '/auth/admin/login', body: { username: 'alice', password: 'her password' } }]);
  });

  it('asks for a code of the authenticator app, shows a wrong one beside the field, or takes a recovery code', async () => {
    const sent = routes({
      '/auth/admin/login': [[200, { step: 'factor', methods: ['totp', 'recovery_code'], expiresInSeconds: 300 }]],
      '/auth/admin/login/factor': [
        [400, { error: 'BAD_USER_INPUT', message: 'The code is not correct. 4 tries left.', field: 'code' }],
        [204, null],
      ],
    });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<SignIn onSignedIn={onSignedIn} />);
    await typePassword(user);
    expect(await screen.findByRole('heading', { name: "Confirm it's you" })).toBeInTheDocument();
    const code = screen.getByLabelText('Code from your authenticator app');
    expect(code).toHaveAttribute('autocomplete', 'one-time-code');
    await user.type(code, '123456');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByLabelText('Code from your authenticator app')).toHaveAccessibleDescription(
      'The code is not correct. 4 tries left.',
    );
    expect(onSignedIn).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    await user.type(screen.getByLabelText('Recovery code'), 'abcde-fghjk');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(onSignedIn).toHaveBeenCalledTimes(1);
    expect(sent.slice(1).map((s) => s.body)).toEqual([
      { method: 'totp', code: '123456' },
      { method: 'recovery_code', code: 'abcde-fghjk' },
    ]);
  });

  it('goes back to the password, saying why, when the step has expired', async () => {
    routes({
      '/auth/admin/login': [[200, { step: 'factor', methods: ['totp'], expiresInSeconds: 300 }]],
      '/auth/admin/login/factor': [
        [401, { error: 'UNAUTHENTICATED', message: 'This sign-in has expired or its code was tried too often. Sign in again.' }],
      ],
    });
    const user = userEvent.setup();
    render(<SignIn onSignedIn={vi.fn()} />);
    await typePassword(user);
    expect(screen.queryByRole('button', { name: 'Use a recovery code instead' })).not.toBeInTheDocument();
    await user.type(await screen.findByLabelText('Code from your authenticator app'), '123456');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to the Lanyard console' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('This sign-in has expired');
  });

  it('sets up an authenticator app when a second factor is required, in Chinese, and shows the recovery codes once', async () => {
    await i18n.changeLanguage('zh-CN');
    const sent = routes({
      '/auth/admin/login': [[200, { step: 'enrol', enrolment: SETUP, expiresInSeconds: 300 }]],
      '/auth/admin/login/enrol': [[200, { recoveryCodes: ['aaaaa-bbbbb', 'ccccc-ddddd'] }]],
    });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<SignIn onSignedIn={onSignedIn} />);
    await user.type(screen.getByLabelText('用户名'), 'alice');
    await user.type(screen.getByLabelText('密码'), 'her password');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(await screen.findByRole('heading', { name: '设置第二重验证' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: '身份验证器应用密钥的二维码' })).toHaveAttribute('src', SETUP.qrCode);
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeInTheDocument();
    await user.type(screen.getByLabelText('为此应用命名（可选）'), 'Phone');
    await user.type(screen.getByLabelText('应用中的验证码'), '654321');
    await user.click(screen.getByRole('button', { name: '启用' }));
    const codes = await screen.findByRole('list', { name: '您的恢复码' });
    expect(codes).toHaveTextContent('aaaaa-bbbbb');
    expect(codes).toHaveTextContent('ccccc-ddddd');
    expect(onSignedIn).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: '进入控制台' }));
    expect(onSignedIn).toHaveBeenCalledTimes(1);
    expect(sent[1]).toEqual({ path: '/auth/admin/login/enrol', body: { factorId: 'f1', code: '654321', name: 'Phone' } });
  });
});
