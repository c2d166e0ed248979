import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { ASSERTED_JSON, cancelled, fakePasskeys, removePasskeys } from '../test-passkeys';
import { SignIn } from './SignIn';

interface Sent {
  path: string;
  body: Record<string, unknown>;
}

/**
 * Stubs the sign-in routes: each answer is `[status, body]` by path (`GET <path>` for a GET),
 * in turn. The POSTs are returned, in order.
 */
function routes(answers: Record<string, [number, unknown][]>): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit = {}) => {
      const key = init.method === 'POST' ? path : `GET ${path}`;
      if (init.method === 'POST') sent.push({ path, body: JSON.parse(String(init.body)) as Record<string, unknown> });
      const next = answers[key]?.shift();
      if (!next) throw new Error(`unexpected request to ${key}`);
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

/** The server's options for using a passkey, binary values in base64url. */
const REQUEST_OPTIONS = {
  ceremony: 'c1',
  options: { publicKey: { challenge: 'AQID', rpId: 'localhost', allowCredentials: [{ type: 'public-key', id: 'BAUG' }] } },
};

afterEach(() => {
  vi.unstubAllGlobals();
  removePasskeys();
});

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

  it('offers a passkey as the second factor when the methods include it, and posts its answer after a cancelled prompt', async () => {
    const browser = fakePasskeys();
    browser.get.mockRejectedValueOnce(cancelled());
    const sent = routes({
      'GET /auth/admin/login': [[200, { passkeys: false }]],
      '/auth/admin/login': [[200, { step: 'factor', methods: ['totp', 'passkey', 'recovery_code'], expiresInSeconds: 300 }]],
      '/auth/admin/login/passkey/options': [
        [200, REQUEST_OPTIONS],
        [200, { ...REQUEST_OPTIONS, ceremony: 'c2' }],
      ],
      '/auth/admin/login/passkey': [[204, null]],
    });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<SignIn onSignedIn={onSignedIn} />);
    await typePassword(user);
    expect(await screen.findByRole('heading', { name: "Confirm it's you" })).toBeInTheDocument();
    // A passkey first, as nothing need be typed; the other ways a click away.
    const usePasskey = screen.getByRole('button', { name: 'Use a passkey' });
    expect(usePasskey).toHaveFocus();
    expect(screen.queryByLabelText('Code from your authenticator app')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Use your authenticator app instead' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Use a recovery code instead' })).toBeInTheDocument();

    // She closes the browser's prompt: a calm word, and she may try again.
    await user.click(usePasskey);
    expect(await screen.findByRole('alert')).toHaveTextContent('No passkey was used. Try again when you are ready.');
    expect(onSignedIn).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledTimes(1));

    const asked = browser.get.mock.calls[1]![0]!.publicKey!;
    expect(Array.from(new Uint8Array(asked.challenge as ArrayBuffer))).toEqual([1, 2, 3]);
    expect(Array.from(new Uint8Array(asked.allowCredentials![0]!.id as ArrayBuffer))).toEqual([4, 5, 6]);
    expect(sent.slice(1)).toEqual([
      { path: '/auth/admin/login/passkey/options', body: {} },
      { path: '/auth/admin/login/passkey/options', body: {} },
      { path: '/auth/admin/login/passkey', body: { ceremony: 'c2', credential: ASSERTED_JSON } },
    ]);
  });

  it('goes back to the password when the step ends while a passkey is given', async () => {
    fakePasskeys();
    routes({
      'GET /auth/admin/login': [[200, { passkeys: false }]],
      '/auth/admin/login': [[200, { step: 'factor', methods: ['passkey', 'recovery_code'], expiresInSeconds: 300 }]],
      '/auth/admin/login/passkey/options': [[200, REQUEST_OPTIONS]],
      '/auth/admin/login/passkey': [
        [401, { error: 'UNAUTHENTICATED', message: 'This sign-in has expired or its code was tried too often. Sign in again.' }],
      ],
    });
    const user = userEvent.setup();
    render(<SignIn onSignedIn={vi.fn()} />);
    await typePassword(user);
    await user.click(await screen.findByRole('button', { name: 'Use a passkey' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to the Lanyard console' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('This sign-in has expired');
  });

  it('offers no passkey to a browser without WebAuthn, even when the methods include one', async () => {
    routes({
      '/auth/admin/login': [[200, { step: 'factor', methods: ['passkey', 'recovery_code'], expiresInSeconds: 300 }]],
    });
    const user = userEvent.setup();
    render(<SignIn onSignedIn={vi.fn()} />);
    // Not even asked whether the server could.
    expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).not.toBeInTheDocument();
    await typePassword(user);
    expect(await screen.findByLabelText('Recovery code')).toHaveFocus();
    expect(screen.queryByRole('button', { name: /passkey/ })).not.toBeInTheDocument();
    expect(vi.mocked(fetch).mock.calls.map(([path, init]) => `${init?.method ?? 'GET'} ${String(path)}`)).toEqual([
      'POST /auth/admin/login',
    ]);
  });

  it('offers a passkey without a password only where the server can use passkeys', async () => {
    fakePasskeys();
    routes({ 'GET /auth/admin/login': [[200, { passkeys: false }]] });
    const { unmount } = render(<SignIn onSignedIn={vi.fn()} />);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledWith('/auth/admin/login', expect.anything()));
    // Its answer has been read once the form has settled.
    await new Promise((ok) => setTimeout(ok, 0));
    expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).not.toBeInTheDocument();
    unmount();

    // Nor where the server does not say (an older one answers 405).
    routes({ 'GET /auth/admin/login': [[405, {}]] });
    const again = render(<SignIn onSignedIn={vi.fn()} />);
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    await new Promise((ok) => setTimeout(ok, 0));
    expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).not.toBeInTheDocument();
    again.unmount();
  });

  it("signs in with a passkey alone, in Chinese, showing the server's refusal first", async () => {
    await i18n.changeLanguage('zh-CN');
    const browser = fakePasskeys();
    const sent = routes({
      'GET /auth/admin/login': [[200, { passkeys: true }]],
      '/auth/admin/passkey/options': [
        [200, { ceremony: 'c1', options: { publicKey: { challenge: 'AQID', rpId: 'localhost' } } }],
        [200, { ceremony: 'c2', options: { publicKey: { challenge: 'BAUG', rpId: 'localhost' } } }],
      ],
      '/auth/admin/passkey': [
        [400, { error: 'BAD_USER_INPUT', message: '此通行密钥未在此处注册。请换一个，或用其他方式登录。' }],
        [204, null],
      ],
    });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<SignIn onSignedIn={onSignedIn} />);
    const passkey = await screen.findByRole('button', { name: '使用通行密钥登录' });
    await user.click(passkey);
    expect(await screen.findByRole('alert')).toHaveTextContent('此通行密钥未在此处注册');
    expect(onSignedIn).not.toHaveBeenCalled();
    await user.click(passkey);
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledTimes(1));
    // Any of her passkeys: the browser asks which (a discoverable credential).
    expect(browser.get.mock.calls[1]![0]!.publicKey!.allowCredentials).toEqual([]);
    expect(sent).toEqual([
      { path: '/auth/admin/passkey/options', body: {} },
      { path: '/auth/admin/passkey', body: { ceremony: 'c1', credential: ASSERTED_JSON } },
      { path: '/auth/admin/passkey/options', body: {} },
      { path: '/auth/admin/passkey', body: { ceremony: 'c2', credential: ASSERTED_JSON } },
    ]);
  });
});
