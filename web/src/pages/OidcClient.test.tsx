import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { server } from '../test-server';
import { ApplicationDetail } from './Applications';

const ISSUER = 'https://id.acme.example/oidc/i1';

/** An OIDC application as the Application query returns it: SAML fields as the server leaves them. */
const APP = {
  id: 'a1',
  instanceId: 'i1',
  name: 'Grafana',
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
  idpEntityId: 'https://id.acme.example/saml/apps/a1',
  idpSsoUrl: 'https://id.acme.example/saml/apps/a1/sso',
  idpMetadataUrl: 'https://id.acme.example/saml/apps/a1/metadata',
  authorizationScope: 'MANUAL',
  template: { id: 'generic-oidc', name: 'Generic OpenID Connect', logo: '', protocol: 'OIDC', params: [] },
};

const registration = () => ({
  clientId: 'a1',
  issuer: ISSUER,
  discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
  clientType: 'CONFIDENTIAL',
  authMethod: 'CLIENT_SECRET_BASIC',
  redirectUris: ['https://grafana.acme.example/login/generic_oauth'],
  postLogoutRedirectUris: [],
  initiateLoginUri: null as string | null,
  scopes: ['openid', 'profile', 'email', 'phone', 'groups', 'offline_access'],
  claims: [{ name: 'department', source: 'literal', values: ['Sales'] }],
  jwks: null,
  assertionAlgorithm: null,
  idTokenLifetimeSeconds: 3600,
  accessTokenLifetimeSeconds: 3600,
  refreshTokenLifetimeSeconds: 2592000,
  secrets: [{ id: 's1', hint: 'x7Qa', createdAt: '2026-03-01T10:00:00Z', expiresAt: null as string | null }],
  missingSettings: [] as string[],
});

const ADMIN = { id: 'ad1', superAdmin: false, adminOf: ['i1'] };
const AUDITOR = { id: 'ad2', superAdmin: false, adminOf: [] };

/** A server that keeps the registration: a saved change or a new secret is read back. */
function stubServer(options: { viewer?: typeof ADMIN; configure?: (variables: Record<string, unknown>) => unknown } = {}) {
  const oidc = registration();
  return server({
    Application: () => ({ data: { application: APP } }),
    OidcClient: () => ({
      data: { application: { id: 'a1', oidc: structuredClone(oidc) }, viewer: options.viewer ?? ADMIN },
    }),
    ConfigureOidc:
      options.configure ??
      ((variables) => {
        const input = variables.input as { redirectUris: string[] };
        oidc.redirectUris = input.redirectUris;
        return { data: { configureApplicationOidc: { application: { id: 'a1' } } } };
      }),
    RotateOidcSecret: (variables) => {
      const { overlapSeconds } = variables.input as { overlapSeconds: number };
      for (const s of oidc.secrets) s.expiresAt = overlapSeconds ? '2026-03-04T10:00:00Z' : null;
      oidc.secrets.unshift({ id: 's2', hint: 'K9zP', createdAt: '2026-03-03T10:00:00Z', expiresAt: null });
      return { data: { rotateOidcClientSecret: { secret: 'lanyard_oidc_n3w-s3cr3t-K9zP', application: { id: 'a1' } } } };
    },
    RevokeOidcSecret: (variables) => {
      const { secretId } = variables.input as { secretId: string };
      oidc.secrets = oidc.secrets.filter((s) => s.id !== secretId);
      return { data: { revokeOidcClientSecret: { application: { id: 'a1' } } } };
    },
  });
}

function renderPage() {
  return render(
    <MemoryRouter initialEntries={['/instances/i1/applications/a1']}>
      <Routes>
        <Route path="/instances/:instanceId/applications/:applicationId/*" element={<ApplicationDetail instanceId="i1" />} />
      </Routes>
    </MemoryRouter>,
  );
}

const registrationForm = () => screen.getByRole('form', { name: 'Client registration' });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('An OIDC application', () => {
  it('shows its client registration instead of the SAML settings', async () => {
    stubServer();
    renderPage();
    expect(await screen.findByRole('heading', { name: 'OpenID Connect', level: 2 })).toBeInTheDocument();
    expect(screen.getByLabelText('Client ID')).toHaveValue('a1');
    expect(screen.getByLabelText('Issuer')).toHaveValue(ISSUER);
    expect(screen.getByLabelText('Discovery URL')).toHaveValue(`${ISSUER}/.well-known/openid-configuration`);
    expect(screen.getByLabelText('Logon link')).toHaveValue('https://id.acme.example/oidc/apps/a1/start');
    expect(screen.getByRole('button', { name: 'Copy Issuer' })).toBeInTheDocument();

    const form = registrationForm();
    expect(within(form).getByLabelText('Client type')).toHaveValue('CONFIDENTIAL');
    expect(within(form).getByLabelText('Authentication method')).toHaveValue('CLIENT_SECRET_BASIC');
    expect(within(form).getByLabelText('Redirect URIs')).toHaveValue('https://grafana.acme.example/login/generic_oauth');
    expect(within(form).getByRole('checkbox', { name: 'openid' })).toBeChecked();
    expect(within(form).getByRole('checkbox', { name: 'openid' })).toBeDisabled();
    expect(within(form).getByRole('checkbox', { name: 'offline_access' })).toBeChecked();
    const claim = within(form).getByRole('group', { name: 'Claim 1' });
    expect(within(claim).getByLabelText('Claim name')).toHaveValue('department');
    expect(within(claim).getByLabelText('Value')).toHaveValue('literal');
    expect(within(claim).getByLabelText('Values')).toHaveValue('Sales');
    // The keys show only for private_key_jwt.
    expect(within(form).queryByLabelText('Client public keys (JWKS)')).not.toBeInTheDocument();
    expect(within(form).getByLabelText('ID token lifetime (seconds)')).toHaveValue(3600);

    const secrets = screen.getByRole('table');
    expect(within(secrets).getByRole('row', { name: /…x7Qa/ })).toHaveTextContent('Current');

    // What becomes the NameID of a SAML app is the subject here; the SAML settings are gone.
    expect(screen.getByLabelText('Subject (sub)')).toHaveValue('USERNAME');
    expect(screen.queryByText('Application Settings')).not.toBeInTheDocument();
    expect(screen.queryByText('Advanced: service provider overrides')).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/RelayState/)).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Download' })).not.toBeInTheDocument();
  });

  it('saves its registration through configureApplicationOidc', async () => {
    const calls = stubServer();
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'OpenID Connect', level: 2 });
    const form = registrationForm();
    await user.type(within(form).getByLabelText('Redirect URIs'), '\n\nhttp://localhost:3000/callback ');
    await user.type(within(form).getByLabelText('Login initiation URI'), 'https://grafana.acme.example/login');
    await user.click(within(form).getByRole('checkbox', { name: 'phone' }));
    await user.click(within(form).getByRole('button', { name: 'Add a claim' }));
    const added = within(form).getByRole('group', { name: 'Claim 2' });
    await user.type(within(added).getByLabelText('Claim name'), 'teams');
    await user.selectOptions(within(added).getByLabelText('Value'), 'Group names');
    await user.clear(within(form).getByLabelText('Access token lifetime (seconds)'));
    await user.type(within(form).getByLabelText('Access token lifetime (seconds)'), '600');
    await user.click(within(form).getByRole('button', { name: 'Save registration' }));
    expect(await within(form).findByText('Client registration saved.')).toBeInTheDocument();
    expect(calls.filter((c) => c.operation === 'ConfigureOidc').map((c) => c.variables)).toEqual([
      {
        input: {
          id: 'a1',
          clientType: 'CONFIDENTIAL',
          authMethod: 'CLIENT_SECRET_BASIC',
          redirectUris: ['https://grafana.acme.example/login/generic_oauth', 'http://localhost:3000/callback'],
          postLogoutRedirectUris: [],
          initiateLoginUri: 'https://grafana.acme.example/login',
          scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
          claims: [
            { name: 'department', source: 'literal', values: ['Sales'] },
            { name: 'teams', source: 'groups', values: [] },
          ],
          idTokenLifetimeSeconds: 3600,
          accessTokenLifetimeSeconds: 600,
          refreshTokenLifetimeSeconds: 2592000,
        },
      },
    ]);
    // Read back after saving.
    expect(calls.filter((c) => c.operation === 'OidcClient').length).toBe(2);
  });

  it("shows the server's refusal of a redirect URI at the redirect URIs", async () => {
    stubServer({
      configure: () => ({
        errors: [
          {
            message: '"http://grafana.acme.example/cb" must be https (http only on localhost)',
            extensions: { code: 'BAD_USER_INPUT', field: 'redirectUris[1]' },
          },
        ],
      }),
    });
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'OpenID Connect', level: 2 });
    const form = registrationForm();
    const uris = within(form).getByLabelText('Redirect URIs');
    await user.type(uris, '\nhttp://grafana.acme.example/cb');
    await user.click(within(form).getByRole('button', { name: 'Save registration' }));
    const message = await within(form).findByRole('alert');
    expect(message).toHaveTextContent('"http://grafana.acme.example/cb" must be https (http only on localhost)');
    expect(message).toHaveClass('field-error');
    expect(uris).toHaveAttribute('aria-invalid', 'true');
    expect(uris).toHaveAccessibleDescription(/must be https/);
    expect(within(form).queryByText('Client registration saved.')).not.toBeInTheDocument();
  });

  it('shows a generated secret once, and revokes one after asking', async () => {
    const calls = stubServer();
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole('heading', { name: 'Client secrets' });
    expect(screen.getByLabelText('The current secrets keep working')).toHaveValue('86400');
    await user.selectOptions(screen.getByLabelText('The current secrets keep working'), 'For 7 days');
    await user.click(screen.getByRole('button', { name: 'Generate secret' }));
    const secret = await screen.findByLabelText('New client secret');
    expect(secret).toHaveValue('lanyard_oidc_n3w-s3cr3t-K9zP');
    expect(secret).toHaveFocus();
    expect(screen.getByText(/will not be shown again/)).toHaveTextContent(
      'The new client secret. Copy it now: it will not be shown again.',
    );
    expect(calls.filter((c) => c.operation === 'RotateOidcSecret').map((c) => c.variables)).toEqual([
      { input: { id: 'a1', overlapSeconds: 604800 } },
    ]);
    // The list read back: the new one current, the old one until the overlap ends; no value.
    const table = screen.getByRole('table');
    expect(await within(table).findByRole('row', { name: /…K9zP/ })).toHaveTextContent('Current');
    expect(within(table).getByRole('row', { name: /…x7Qa/ })).not.toHaveTextContent('Current');

    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe('lanyard_oidc_n3w-s3cr3t-K9zP');
    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByLabelText('New client secret')).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue('lanyard_oidc_n3w-s3cr3t-K9zP')).not.toBeInTheDocument();

    const old = within(table).getByRole('row', { name: /…x7Qa/ });
    await user.click(within(old).getByRole('button', { name: 'Revoke' }));
    expect(within(old).getByText(/Revoke the secret ending in x7Qa\?/)).toBeInTheDocument();
    await user.click(within(old).getByRole('button', { name: 'Yes, revoke' }));
    expect(await screen.findByText('The secret ending in x7Qa is revoked.')).toBeInTheDocument();
    expect(calls.filter((c) => c.operation === 'RevokeOidcSecret').map((c) => c.variables)).toEqual([
      { input: { id: 'a1', secretId: 's1' } },
    ]);
    await waitFor(() => expect(within(screen.getByRole('table')).queryByRole('row', { name: /…x7Qa/ })).not.toBeInTheDocument());
  });

  it('shows an auditor the registration and the secrets, but nothing to change', async () => {
    stubServer({ viewer: AUDITOR });
    renderPage();
    await screen.findByRole('heading', { name: 'OpenID Connect', level: 2 });
    expect(screen.getByText('You can read this registration but not change it.')).toBeInTheDocument();
    const form = registrationForm();
    expect(within(form).getByLabelText('Redirect URIs')).toBeDisabled();
    expect(within(form).getByLabelText('Client type')).toBeDisabled();
    expect(within(form).getByRole('checkbox', { name: 'profile' })).toBeDisabled();
    expect(within(form).queryByRole('button', { name: 'Save registration' })).not.toBeInTheDocument();
    expect(within(form).queryByRole('button', { name: 'Add a claim' })).not.toBeInTheDocument();
    expect(screen.getByRole('row', { name: /…x7Qa/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Generate secret' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();
    // What a relying party is configured with may still be copied.
    expect(screen.getByRole('button', { name: 'Copy Client ID' })).toBeEnabled();
  });

  it('reads in Chinese', async () => {
    await act(() => i18n.changeLanguage('zh-CN'));
    stubServer();
    renderPage();
    expect(await screen.findByRole('heading', { name: 'OpenID Connect 配置' })).toBeInTheDocument();
    expect(screen.getByLabelText('主体标识（sub）')).toBeInTheDocument();
    expect(screen.getByLabelText('重定向 URI')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '生成密钥' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '复制客户端 ID' })).toBeInTheDocument();
  });
});
