import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { CREATED_JSON, cancelled, fakePasskeys, removePasskeys } from '../test-passkeys';
import { server } from '../test-server';
import { Security } from './Security';

const phone = {
  id: 'f1',
  kind: 'TOTP',
  name: 'Phone',
  createdAt: '2026-03-01T10:00:00Z',
  lastUsedAt: null,
};

function mine(overrides: Record<string, unknown> = {}) {
  return {
    data: {
      myFactors: {
        factors: [],
        recoveryCodesLeft: 0,
        sessionProvedFactor: false,
        mayChange: true,
        required: false,
        ...overrides,
      },
    },
  };
}

const laptop = {
  id: 'f2',
  kind: 'PASSKEY',
  name: 'Laptop',
  createdAt: '2026-03-02T10:00:00Z',
  lastUsedAt: '2026-03-03T10:00:00Z',
};

/** The server's options for registering a passkey, binary values in base64url. */
const CREATION = {
  ceremony: 'c1',
  options: {
    publicKey: {
      rp: { id: 'localhost', name: 'Lanyard' },
      user: { id: 'AQID', name: 'admin', displayName: 'admin' },
      challenge: 'BAUG',
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [{ type: 'public-key', id: 'BwgJ' }],
    },
  },
};

afterEach(() => {
  vi.unstubAllGlobals();
  removePasskeys();
});

describe('Security', () => {
  it('sets up a first authenticator app and shows its recovery codes once', async () => {
    let factors: unknown[] = [];
    const calls = server({
      MyFactors: () => mine({ factors, recoveryCodesLeft: factors.length ? 10 : 0 }),
      BeginMyTotp: () => ({
        data: {
          beginMyTotp: {
            factorId: 'f1',
            secret: 'JBSWY3DPEHPK3PXP',
            otpauthUrl: 'otpauth://totp/Lanyard:alice?secret=JBSWY3DPEHPK3PXP',
            qrCode: 'data:image/svg+xml;base64,PHN2Zy8+',
          },
        },
      }),
      ConfirmMyTotp: () => {
        factors = [phone];
        return { data: { confirmMyTotp: { factor: { id: 'f1' }, recoveryCodes: ['aaaaa-bbbbb', 'ccccc-ddddd'] } } };
      },
    });
    const user = userEvent.setup();
    render(<Security onSignInAgain={vi.fn()} />, { wrapper: MemoryRouter });
    expect(await screen.findByText('You have no second factor yet.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Set up an authenticator app' }));
    expect(await screen.findByRole('img', { name: 'QR code of the key for your authenticator app' })).toBeInTheDocument();
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP')).toBeInTheDocument();
    await user.type(screen.getByLabelText('A name for this app (optional)'), 'Phone');
    await user.type(screen.getByLabelText('Code from the app'), '123456');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByRole('list', { name: 'Your recovery codes' })).toHaveTextContent('aaaaa-bbbbb');
    expect(await screen.findByText('Phone')).toBeInTheDocument();
    expect(screen.getByText('10 recovery codes left.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'I have saved them' }));
    expect(screen.queryByRole('list', { name: 'Your recovery codes' })).not.toBeInTheDocument();
    expect(calls.find((c) => c.operation === 'ConfirmMyTotp')?.variables).toEqual({
      input: { factorId: 'f1', code: '123456', name: 'Phone' },
    });
  });

  it('shows a wrong first code beside the field', async () => {
    server({
      MyFactors: () => mine(),
      BeginMyTotp: () => ({
        data: { beginMyTotp: { factorId: 'f1', secret: 'JBSWY3DPEHPK3PXP', otpauthUrl: 'otpauth://x', qrCode: 'data:,' } },
      }),
      ConfirmMyTotp: () => ({
        data: null,
        errors: [
          {
            message: "That is not the app's current code. Check that your phone's clock is right and try again.",
            extensions: { code: 'BAD_USER_INPUT', field: 'code' },
          },
        ],
      }),
    });
    const user = userEvent.setup();
    render(<Security onSignInAgain={vi.fn()} />, { wrapper: MemoryRouter });
    await user.click(await screen.findByRole('button', { name: 'Set up an authenticator app' }));
    await user.type(await screen.findByLabelText('Code from the app'), '000000');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByLabelText('Code from the app')).toHaveAccessibleDescription(
      "That is not the app's current code. Check that your phone's clock is right and try again.",
    );
  });

  it('asks a session without a second factor to sign in again before changes', async () => {
    fakePasskeys();
    server({ MyFactors: () => mine({ factors: [phone], recoveryCodesLeft: 10, mayChange: false }) }, { passkeys: true });
    const onSignInAgain = vi.fn();
    const user = userEvent.setup();
    render(<Security onSignInAgain={onSignInAgain} />, { wrapper: MemoryRouter });
    expect(await screen.findByText('To change your second factors, sign in again with one of them.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Set up an authenticator app' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add a passkey' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Make new recovery codes' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(onSignInAgain).toHaveBeenCalledTimes(1);
  });

  it('reads in Chinese, removes a factor after confirmation and makes new recovery codes', async () => {
    await i18n.changeLanguage('zh-CN');
    let factors: unknown[] = [laptop];
    const calls = server({
      MyFactors: () => mine({ factors, recoveryCodesLeft: factors.length ? 1 : 0, sessionProvedFactor: true, required: true }),
      NewMyRecoveryCodes: () => ({ data: { newMyRecoveryCodes: { recoveryCodes: ['eeeee-fffff'] } } }),
      RemoveMyFactor: () => {
        factors = [];
        return { data: { removeMyFactor: { removedFactorId: 'f2', recoveryCodesLeft: 0 } } };
      },
    });
    const user = userEvent.setup();
    render(<Security onSignInAgain={vi.fn()} />, { wrapper: MemoryRouter });
    expect(await screen.findByRole('heading', { name: '安全' })).toBeInTheDocument();
    expect(screen.getByText('每位控制台管理员都必须使用第二重验证：最后一种不能移除。')).toBeInTheDocument();
    expect(screen.getByText('还剩 1 个恢复码。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '生成新的恢复码' }));
    await user.click(screen.getByRole('button', { name: '确定生成新的恢复码' }));
    expect(await screen.findByRole('list', { name: '您的恢复码' })).toHaveTextContent('eeeee-fffff');
    const factorsList = screen.getByRole('list', { name: '您的第二重验证方式' });
    expect(within(factorsList).getByText('通行密钥')).toBeInTheDocument();
    await user.click(within(factorsList).getByRole('button', { name: '移除' }));
    await user.click(within(factorsList).getByRole('button', { name: '确定移除' }));
    expect(await screen.findByText('您还没有设置第二重验证。')).toBeInTheDocument();
    expect(calls.map((c) => c.operation)).toContain('RemoveMyFactor');
  });

  it('registers a first passkey and shows its recovery codes once', async () => {
    const browser = fakePasskeys();
    let factors: unknown[] = [];
    const calls = server(
      {
        MyFactors: () => mine({ factors, recoveryCodesLeft: factors.length ? 10 : 0 }),
        BeginMyPasskey: () => ({ data: { beginMyPasskey: CREATION } }),
        FinishMyPasskey: () => {
          factors = [laptop];
          return { data: { finishMyPasskey: { factor: { id: 'f2' }, recoveryCodes: ['aaaaa-bbbbb', 'ccccc-ddddd'] } } };
        },
      },
      { passkeys: true },
    );
    const user = userEvent.setup();
    render(<Security onSignInAgain={vi.fn()} />, { wrapper: MemoryRouter });
    await user.click(await screen.findByRole('button', { name: 'Add a passkey' }));
    const form = screen.getByRole('form', { name: 'Add a passkey' });
    const name = within(form).getByLabelText('A name for this passkey (optional)');
    expect(name).toHaveFocus();
    await user.type(name, 'Laptop');
    await user.click(within(form).getByRole('button', { name: 'Create the passkey' }));
    expect(await screen.findByRole('list', { name: 'Your recovery codes' })).toHaveTextContent('aaaaa-bbbbb');
    expect(screen.getByText('Your passkey is added.')).toBeInTheDocument();
    const listed = within(await screen.findByRole('list', { name: 'Your second factors' })).getByRole('listitem');
    expect(listed).toHaveTextContent('Laptop');
    expect(listed).toHaveTextContent('Passkey');
    expect(screen.queryByRole('form', { name: 'Add a passkey' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'I have saved them' }));
    expect(screen.queryByRole('list', { name: 'Your recovery codes' })).not.toBeInTheDocument();

    // The browser was given bytes, and the server its answer.
    const asked = browser.create.mock.calls[0]![0]!.publicKey!;
    expect(Array.from(new Uint8Array(asked.challenge as ArrayBuffer))).toEqual([4, 5, 6]);
    expect(Array.from(new Uint8Array(asked.user.id as ArrayBuffer))).toEqual([1, 2, 3]);
    expect(Array.from(new Uint8Array(asked.excludeCredentials![0]!.id as ArrayBuffer))).toEqual([7, 8, 9]);
    expect(calls.find((c) => c.operation === 'FinishMyPasskey')?.variables).toEqual({
      input: { ceremony: 'c1', name: 'Laptop', credential: CREATED_JSON },
    });
  });

  it('says calmly that a passkey is registered already, or that none was made', async () => {
    const browser = fakePasskeys();
    browser.create
      .mockRejectedValueOnce(new DOMException('The authenticator contains an excluded credential.', 'InvalidStateError'))
      .mockRejectedValueOnce(cancelled());
    const calls = server(
      {
        MyFactors: () => mine({ factors: [laptop], recoveryCodesLeft: 10, sessionProvedFactor: true }),
        BeginMyPasskey: () => ({ data: { beginMyPasskey: CREATION } }),
      },
      { passkeys: true },
    );
    const user = userEvent.setup();
    render(<Security onSignInAgain={vi.fn()} />, { wrapper: MemoryRouter });
    await user.click(await screen.findByRole('button', { name: 'Add a passkey' }));
    const form = screen.getByRole('form', { name: 'Add a passkey' });
    await user.click(within(form).getByRole('button', { name: 'Create the passkey' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('This passkey is registered already.');
    await user.click(within(form).getByRole('button', { name: 'Create the passkey' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('No passkey was used. Try again when you are ready.');
    expect(calls.map((c) => c.operation)).not.toContain('FinishMyPasskey');
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Add a passkey' })).toBeInTheDocument();
  });

  it('offers no passkey where the browser or the server cannot use one', async () => {
    fakePasskeys();
    server({ MyFactors: () => mine() }, { passkeys: false });
    const first = render(<Security onSignInAgain={vi.fn()} />, { wrapper: MemoryRouter });
    await screen.findByRole('button', { name: 'Set up an authenticator app' });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledWith('/auth/admin/login', expect.anything()));
    await new Promise((ok) => setTimeout(ok, 0));
    expect(screen.queryByRole('button', { name: 'Add a passkey' })).not.toBeInTheDocument();
    first.unmount();

    removePasskeys();
    vi.unstubAllGlobals();
    server({ MyFactors: () => mine() }, { passkeys: true });
    render(<Security onSignInAgain={vi.fn()} />, { wrapper: MemoryRouter });
    await screen.findByRole('button', { name: 'Set up an authenticator app' });
    await new Promise((ok) => setTimeout(ok, 0));
    expect(screen.queryByRole('button', { name: 'Add a passkey' })).not.toBeInTheDocument();
    expect(vi.mocked(fetch).mock.calls.map(([url]) => url)).toEqual(['/graphql']);
  });
});
