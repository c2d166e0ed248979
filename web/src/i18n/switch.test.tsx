import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SignIn } from '../pages/SignIn';
import { formatNumber, formatTime } from '.';
import i18n from '.';

describe('choosing the language', () => {
  it('switches the page, the document language and the cookie the server reads', async () => {
    document.cookie = 'lanyard_lang=; Path=/; Max-Age=0';
    render(<SignIn onSignedIn={() => {}} />);
    expect(screen.getByRole('heading', { name: 'Sign in to the Lanyard console' })).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Language' }), '简体中文');
    expect(await screen.findByRole('heading', { name: '登录 Lanyard 控制台' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '登录' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: '语言' })).toHaveValue('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(document.cookie).toContain('lanyard_lang=zh-CN');
  });

  it('formats dates and numbers the way each language writes them', async () => {
    await i18n.changeLanguage('en');
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatTime('2026-12-07T08:05:00Z')).toMatch(/Dec 7, 2026/);
    await i18n.changeLanguage('zh-CN');
    expect(formatTime('2026-12-07T08:05:00Z')).toMatch(/2026年12月7日/);
    expect(formatTime(null)).toBe('—');
  });
});
