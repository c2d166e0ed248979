import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
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

afterEach(() => vi.unstubAllGlobals());

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
    server({ MyFactors: () => mine({ factors: [phone], recoveryCodesLeft: 10, mayChange: false }) });
    const onSignInAgain = vi.fn();
    const user = userEvent.setup();
    render(<Security onSignInAgain={onSignInAgain} />, { wrapper: MemoryRouter });
    expect(await screen.findByText('To change your second factors, sign in again with one of them.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Set up an authenticator app' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Make new recovery codes' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(onSignInAgain).toHaveBeenCalledTimes(1);
  });

  it('reads in Chinese, removes a factor after confirmation and makes new recovery codes', async () => {
    await i18n.changeLanguage('zh-CN');
    let factors: unknown[] = [phone];
    const calls = server({
      MyFactors: () => mine({ factors, recoveryCodesLeft: factors.length ? 1 : 0, sessionProvedFactor: true, required: true }),
      NewMyRecoveryCodes: () => ({ data: { newMyRecoveryCodes: { recoveryCodes: ['eeeee-fffff'] } } }),
      RemoveMyFactor: () => {
        factors = [];
        return { data: { removeMyFactor: { removedFactorId: 'f1', recoveryCodesLeft: 0 } } };
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
    const factorsList = screen.getByRole('list', { name: '身份验证器应用' });
    await user.click(within(factorsList).getByRole('button', { name: '移除' }));
    await user.click(within(factorsList).getByRole('button', { name: '确定移除' }));
    expect(await screen.findByText('您还没有设置第二重验证。')).toBeInTheDocument();
    expect(calls.map((c) => c.operation)).toContain('RemoveMyFactor');
  });
});
