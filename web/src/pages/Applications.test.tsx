import { act, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { ApplicationDetail, Applications } from './Applications';
import { SigningKeys } from './SigningKeys';

const APP = {
  id: 'a1',
  instanceId: 'i1',
  name: 'Wiki',
  enabled: true,
  ssoEnabled: true,
  initiation: 'IDP_OR_SP',
  params: {},
  accountMode: 'USERNAME',
  spEntityId: null,
  spEntityIdOverridden: false,
  acsUrl: null,
  acsUrlOverridden: false,
  nameIdSuffix: null,
  nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  encryptAssertions: false,
  assertionEncryption: 'aes256-gcm',
  spEncryptionCertificatePem: null,
  singleLogout: false,
  sloUrl: null,
  sloResponseUrl: null,
  sloBinding: 'redirect',
  defaultRelayState: null,
  missingSettings: [],
  idpEntityId: 'https://idp.example/saml/a1',
  idpSsoUrl: 'https://idp.example/saml/a1/sso',
  idpMetadataUrl: 'https://idp.example/saml/a1/metadata',
  authorizationScope: 'MANUAL',
  template: { id: 'generic-saml2', name: 'SAML 2.0', logo: '', params: [] },
};

/** The authorization tab of an application that 1,234 active users may use. */
function authorization(count: number) {
  server({
    Application: () => ({ data: { application: APP } }),
    ApplicationAuthorization: () => ({
      data: {
        application: {
          id: 'a1',
          authorizationScope: 'MANUAL',
          accessGrants: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] },
          effectiveUsers: {
            totalCountEstimate: { count, exact: true },
            nodes: [{ id: 'u1', username: 'ada' }, { id: 'u2', username: 'bea' }].slice(0, count),
          },
        },
      },
    }),
    AccessGrantsCount: () => ({ data: { application: { accessGrants: { totalCount: 0 } } } }),
  });
  render(
    <MemoryRouter initialEntries={['/instances/i1/applications/a1/authorization']}>
      <Routes>
        <Route path="/instances/:instanceId/applications/:applicationId/*" element={<ApplicationDetail instanceId="i1" />} />
      </Routes>
    </MemoryRouter>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('Applications in two languages', () => {
  it('lists applications in English', async () => {
    server({
      Applications: () => ({
        data: { instance: { id: 'i1', applications: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } },
      }),
      ApplicationsCount: () => ({ data: { instance: { applications: { totalCount: 0 } } } }),
    });
    render(<Applications instanceId="i1" />, { wrapper: MemoryRouter });
    expect(await screen.findByText(/No applications yet\./)).toHaveTextContent(
      'No applications yet. Add one from the marketplace.',
    );
    expect(screen.getByRole('link', { name: 'Add one from the marketplace' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Applications' })).toBeInTheDocument();
  });

  it('lists applications in Chinese', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    server({
      Applications: () => ({
        data: { instance: { id: 'i1', applications: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } },
      }),
      ApplicationsCount: () => ({ data: { instance: { applications: { totalCount: 0 } } } }),
    });
    render(<Applications instanceId="i1" />, { wrapper: MemoryRouter });
    expect(screen.getByRole('heading', { name: '应用' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '添加应用' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: '从应用市场添加' })).toBeInTheDocument();
  });

  it('says who may use an application, in English as before', async () => {
    authorization(1);
    expect(await screen.findByText('1 active user may use it: ada.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Authorization scope' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Disable' })).toBeInTheDocument();
  });

  it('says who may use an application, in Chinese', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    authorization(1234);
    expect(await screen.findByText('1,234 个正常状态的用户可以使用：ada, bea, …。')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: '授权范围' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '应用账号' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '禁用' })).toBeInTheDocument();
  });
});

describe('SigningKeys in two languages', () => {
  const keys = () =>
    server({
      SigningKeys: () => ({
        data: {
          signingKeys: [
            {
              id: 'k1',
              algorithm: 'ECDSA_P256',
              state: 'ACTIVE',
              fingerprintSha256: 'ab:cd',
              notAfter: '2030-01-01T00:00:00Z',
              createdAt: '2025-01-01T00:00:00Z',
              activatedAt: '2025-01-01T00:00:00Z',
              retiredAt: null,
            },
          ],
        },
      }),
    });

  it('shows the keys in English', async () => {
    keys();
    render(<SigningKeys instanceId="i1" />);
    expect(await screen.findByText('active', { exact: true })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'ECDSA P256' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rotate: add a pending key' })).toBeInTheDocument();
  });

  it('shows the keys in Chinese', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    keys();
    render(<SigningKeys instanceId="i1" />);
    expect(screen.getByRole('heading', { name: '签名密钥' })).toBeInTheDocument();
    expect(await screen.findByText('使用中', { exact: true })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '轮换：添加待激活的密钥' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '创建时间' })).toBeInTheDocument();
  });
});
