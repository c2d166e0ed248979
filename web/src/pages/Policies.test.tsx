import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { Policies } from './Policies';

const answers = {
  AccessPolicies: () => ({ data: { instance: { id: 'i1', accessPolicies: [] } } }),
  AppsForExplain: () => ({
    data: { instance: { id: 'i1', applications: { nodes: [{ id: 'a1', name: 'Alibaba Cloud' }] } } },
  }),
  PickUsers: () => ({
    data: { instance: { id: 'i1', users: { nodes: [{ id: 'u1', username: 'carol', displayName: '' }] } } },
  }),
  ValidatePolicy: () => ({ data: { validateAccessPolicy: { valid: true, problems: [] } } }),
  AccessSimulation: () => ({
    data: {
      simulateAccessChange: {
        evaluatedPairs: 2,
        gained: 0,
        lost: 2,
        changes: {
          totalCount: 2,
          nodes: [
            { gainsAccess: false, user: { id: 'u1', username: 'carol' }, application: { id: 'a1', name: 'Alibaba Cloud' } },
            { gainsAccess: false, user: { id: 'u2', username: 'dan' }, application: { id: 'a1', name: 'Alibaba Cloud' } },
          ],
        },
      },
    },
  }),
  ExplainAccess: () => ({
    data: {
      explainAccess: {
        allowed: false,
        summary: 'office forbids it',
        reasons: [{ policyId: 'office', effect: 'FORBID', origin: 'INSTANCE', description: 'Office <network> only' }],
        diagnostics: [],
      },
    },
  }),
};

afterEach(() => vi.unstubAllGlobals());

describe('Policies', () => {
  it('tells in English what a change would do', async () => {
    server(answers);
    const user = userEvent.setup();
    render(<Policies instanceId="i1" />, { wrapper: MemoryRouter });
    expect(await screen.findByText('No instance policies: the authorization scopes alone decide.')).toBeInTheDocument();
    expect(screen.getByText(/always wins\./)).toHaveTextContent("Cedar rules on top of each application's authorization scope. A forbid always wins.");
    await user.click(screen.getByRole('button', { name: 'New policy' }));
    expect((screen.getByLabelText('Cedar policy') as HTMLTextAreaElement).value).toMatch(/^\/\/ Office network only\.\nforbid/);
    expect(await screen.findByText('Valid against the schema.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'What would change?' }));
    // Playwright's getByText (the browser tests) reads the whole paragraph, <strong>s included.
    expect(await screen.findByText(/user–application pairs/)).toHaveTextContent(
      /^Of 2 user–application pairs, 0 would gain access and 2 would lose it\.$/,
    );
    expect(screen.getByText('carol loses Alibaba Cloud')).toBeInTheDocument();
  });

  it('edits and explains in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    server(answers);
    const user = userEvent.setup();
    render(<Policies instanceId="i1" />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { name: '访问策略' })).toBeInTheDocument();
    expect(await screen.findByText('没有实例策略：仅由授权范围决定访问。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '新建策略' }));
    expect(screen.getByRole('heading', { name: '新建策略' })).toBeInTheDocument();
    expect((screen.getByLabelText('Cedar 策略') as HTMLTextAreaElement).value).toMatch(/^\/\/ 仅限办公网络。\nforbid/);
    await user.click(screen.getByRole('button', { name: '会有哪些变化？' }));
    const status = await screen.findByText(/个用户–应用组合中/);
    expect(status).toHaveTextContent('在 2 个用户–应用组合中，0 个将获得访问权限，2 个将失去访问权限。');
    expect(screen.getByText('carol 将失去 Alibaba Cloud 的访问权限')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '取消' }));

    expect(screen.getByRole('heading', { name: '用户能否使用某个应用？' })).toBeInTheDocument();
    const carol = await screen.findByText('carol');
    await user.click(within(carol.closest('li')!).getByRole('button'));
    await user.selectOptions(screen.getByLabelText('应用'), 'a1');
    await user.click(screen.getByRole('button', { name: '解释' }));
    expect(await screen.findByText('拒绝。')).toBeInTheDocument();
    const reason = screen.getByText(/Office <network> only/);
    expect(reason).toHaveTextContent('禁止 office（实例策略）：Office <network> only');
    expect(within(reason).getByText('office').tagName).toBe('CODE');
  });
});
