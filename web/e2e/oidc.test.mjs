// OpenID Connect against the real server: an admin adds a Generic OpenID Connect application
// from the marketplace, registers a relying party's redirect and login initiation URIs and
// generates its client secret, all on the application's page; an employee signs in to the portal
// once and opens a SAML application and the OIDC one from it, and both receive her identity
// without a second password (the relying party, openid-client in this process, runs the code
// flow with PKCE and validates the ID token); an employee outside the OIDC application's
// authorization scope is refused with `error=access_denied` at the relying party.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { ADMIN_PASSWORD, assertAccessible, gql, launchBrowser, screenshot, startServer, startServiceProvider } from './harness.mjs';
import { readMetadata, verifyResponse } from './saml.mjs';

const passwords = { alice: 'alice-oidc-Passw0rd!', bob: 'bob-oidc-Passw0rd!' };

/** @param {string} text */
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A relying party on `localhost` (another site than the IdP's 127.0.0.1), as a web application
 * built on openid-client would be: `/login` is its login initiation URI and starts the
 * authorization code flow with PKCE; `/callback` is its redirect URI, exchanges the code with its
 * client secret, validates the ID token and says who signed in. `results` keeps what each
 * callback ended with.
 */
async function startRelyingParty() {
  /** @type {oidc.Configuration | undefined} */
  let config;
  /** @type {Map<string, { verifier: string, nonce: string }>} */
  const pending = new Map();
  /** @type {({ claims: Record<string, unknown> } | { error: string } | { failure: string })[]} */
  const results = [];
  const page = (/** @type {import('node:http').ServerResponse} */ res, /** @type {number} */ status, /** @type {string} */ heading) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>Test RP</title><h1>${escapeHtml(heading)}</h1></html>`);
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    try {
      if (!config) throw new Error('the relying party has no client registration yet');
      if (url.pathname === '/login') {
        // Third-party initiated login: only from the issuer it trusts.
        const iss = url.searchParams.get('iss');
        if (iss && iss !== config.serverMetadata().issuer) throw new Error(`unknown issuer ${iss}`);
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        pending.set(state, { verifier, nonce });
        const authorize = oidc.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: 'openid profile',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        res.writeHead(302, { location: authorize.href });
        res.end();
      } else if (url.pathname === '/callback') {
        const state = url.searchParams.get('state') ?? '';
        const started = pending.get(state);
        if (!started) throw new Error('a callback for no login this relying party started');
        pending.delete(state);
        const error = url.searchParams.get('error');
        if (error) {
          results.push({ error });
          page(res, 200, `The identity provider refused: ${error}`);
          return;
        }
        const tokens = await oidc.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: started.verifier,
          expectedState: state,
          expectedNonce: started.nonce,
          idTokenExpected: true,
        });
        const claims = /** @type {Record<string, unknown>} */ (tokens.claims() ?? {});
        results.push({ claims });
        page(res, 200, `Signed in to the relying party as ${String(claims.preferred_username)}`);
      } else {
        res.writeHead(404);
        res.end();
      }
    } catch (e) {
      results.push({ failure: String(e) });
      page(res, 500, `The relying party failed: ${String(e)}`);
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://localhost:${port}`;
  const redirectUri = `${base}/callback`;
  return {
    base,
    redirectUri,
    loginUri: `${base}/login`,
    results,
    /**
     * Discovers the provider (from this process, at its loopback address) with the client's
     * credentials, authenticating with client_secret_basic as registered.
     * @param {string} issuer @param {string} clientId @param {string} secret
     */
    register: async (issuer, clientId, secret) => {
      config = await oidc.discovery(new URL(issuer), clientId, secret, oidc.ClientSecretBasic(secret), {
        execute: [oidc.allowInsecureRequests],
      });
    },
    stop: () => new Promise((ok) => server.close(() => ok(undefined))),
  };
}

describe('OpenID Connect: registered in the console, opened from the portal', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {Awaited<ReturnType<typeof startServiceProvider>>} */ let sp;
  /** @type {Awaited<ReturnType<typeof startRelyingParty>>} */ let rp;
  /** @type {import('playwright-core').Browser} */ let browser;
  /** @type {import('playwright-core').BrowserContext} */ let admin;
  /** @type {import('playwright-core').Page} */ let page;
  let instanceId = '';
  let oidcAppId = '';
  /** @type {string[]} */ let certificates = [];
  let secret = '';
  /** @type {Record<string, string>} */ const userIds = {};

  /** @param {string} query @param {Record<string, unknown>} [variables] */
  const q = (query, variables) => gql(admin, server.base, query, variables);

  before(async () => {
    [server, sp, rp, browser] = await Promise.all([startServer(), startServiceProvider(), startRelyingParty(), launchBrowser()]);
    admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await admin.newPage();
    await page.goto(`${server.base}/console/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    // The directory and the SAML application through the API, as a script would.
    const { createInstance } = await q(`mutation { createInstance(input: {name: "Acme"}) { instance { id } } }`);
    instanceId = createInstance.instance.id;
    for (const [username, password] of Object.entries(passwords)) {
      const { createUser } = await q(
        `mutation($i: ID!, $u: String!, $p: String!) { createUser(input: {instanceId: $i, username: $u, displayName: $u, password: $p}) { user { id } } }`,
        { i: instanceId, u: username, p: password },
      );
      userIds[username] = createUser.user.id;
    }
    const { addApplication } = await q(
      `mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: "generic-saml2", name: "Example SP"}) { application { id } } }`,
      { i: instanceId },
    );
    const samlAppId = addApplication.application.id;
    await q(
      `mutation($id: ID!, $e: String!, $acs: String!) { configureApplicationSso(input: {id: $id, spEntityId: $e, acsUrl: $acs, ssoEnabled: true}) { application { id } } }`,
      { id: samlAppId, e: `${sp.base}/metadata`, acs: sp.acsUrl },
    );
    await q(`mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }`, {
      a: samlAppId,
    });
    const metadata = await admin.request.get(`${server.base}/saml/apps/${samlAppId}/metadata`);
    certificates = readMetadata(await metadata.text()).certificates;
  });

  after(async () => {
    await browser?.close();
    await rp?.stop();
    await sp?.stop();
    await server?.stop();
  });

  it('adds Generic OpenID Connect and registers the relying party on its page', async () => {
    await page.goto(`${server.base}/console/instances/${instanceId}/applications/new`);
    await page.getByLabel('Search the marketplace').fill('Generic OpenID Connect');
    await page.getByRole('button', { name: 'Add Application Generic OpenID Connect' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Application Name').fill('Team Wiki');
    await dialog.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('heading', { name: 'OpenID Connect', exact: true }).waitFor();
    oidcAppId = new URL(page.url()).pathname.split('/')[5] ?? '';
    assert.match(oidcAppId, /^[0-9a-f-]{36}$/);
    // The client ID is the application's id; the issuer is the instance's.
    assert.equal(await page.getByRole('textbox', { name: 'Client ID' }).inputValue(), oidcAppId);
    assert.equal(await page.getByRole('textbox', { name: 'Issuer', exact: true }).inputValue(), `${server.base}/oidc/${instanceId}`);
    await page.getByText('To finish setting up, fill in: redirectUris.').waitFor();
    // No SAML settings for an OIDC client; the account mode names its subject.
    assert.equal(await page.getByRole('link', { name: 'Download' }).count(), 0);
    await page.getByLabel('Subject (sub)').waitFor();

    const form = page.getByRole('form', { name: 'Client registration' });
    const redirectUris = form.getByLabel('Redirect URIs', { exact: true });
    // A plain-HTTP redirect URI off localhost is refused, at its field.
    await redirectUris.fill('http://wiki.acme.example/callback');
    await form.getByRole('button', { name: 'Save registration' }).click();
    const refusal = form.locator('.field-invalid').getByRole('alert');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /must use https/);
    assert.equal(await redirectUris.getAttribute('aria-invalid'), 'true');

    await redirectUris.fill(rp.redirectUri);
    await form.getByLabel('Login initiation URI').fill(rp.loginUri);
    await form.getByRole('button', { name: 'Save registration' }).click();
    await form.getByText('Client registration saved.').waitFor();
    await page.getByText(/To finish setting up/).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Generate secret' }).click();
    const shown = page.getByLabel('New client secret');
    await shown.waitFor();
    secret = await shown.inputValue();
    assert.ok(secret.length >= 32, 'a long random secret');
    await page.getByText('Copy it now: it will not be shown again.').waitFor();
    const row = page.getByRole('row', { name: new RegExp(`…${secret.slice(-4)}`) });
    await row.waitFor();
    await screenshot(page, 'oidc-01-registration');
    await assertAccessible(page, 'oidc-01-registration');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await page.getByLabel('New client secret').count(), 0);

    // Only alice may use it.
    await q(`mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: MANUAL}) { changed } }`, { a: oidcAppId });
    await q(`mutation($a: ID!, $u: ID!) { grantApplicationAccess(input: {applicationId: $a, subjects: [{kind: USER, id: $u}]}) { changed } }`, {
      a: oidcAppId,
      u: userIds.alice,
    });
    await rp.register(`${server.base}/oidc/${instanceId}`, oidcAppId, secret);
  });

  it('lets alice sign in to the portal once and open the SAML and the OIDC application from it', async () => {
    const employee = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const portal = await employee.newPage();
    /** Every page the tab asked for, redirects included. @type {string[]} */
    const shown = [];
    portal.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === portal.mainFrame()) shown.push(request.url());
    });
    await portal.goto(`${server.base}/sso/${instanceId}/portal`);
    await portal.getByLabel('Username').fill('alice');
    await portal.getByLabel('Password').fill(passwords.alice);
    await portal.getByRole('button', { name: 'Sign in' }).click();
    await portal.getByRole('heading', { name: 'Your applications' }).waitFor();
    const signedIn = shown.length;
    await screenshot(portal, 'oidc-02-portal-alice');

    await portal.getByRole('link', { name: 'Example SP' }).click();
    await portal.getByRole('heading', { name: 'Test SP received a SAML Response' }).waitFor();
    await sp.waitFor(1);
    const response = verifyResponse(sp.received[0]?.SAMLResponse ?? '', certificates);
    assert.equal(response.nameId, 'alice');
    assert.equal(response.status, 'urn:oasis:names:tc:SAML:2.0:status:Success');

    await portal.goto(`${server.base}/sso/${instanceId}/portal`);
    await portal.getByRole('link', { name: 'Team Wiki' }).click();
    const reached = await Promise.race([
      portal.getByRole('heading', { name: /^Signed in to the relying party as / }).waitFor().then(() => 'the relying party'),
      portal.getByLabel('Password').waitFor().then(() => 'a password prompt'),
      portal.getByRole('heading', { name: /^The (relying party failed|identity provider refused)/ }).waitFor().then(() => 'a failure'),
    ]);
    assert.equal(reached, 'the relying party', JSON.stringify(rp.results));
    await portal.getByRole('heading', { name: 'Signed in to the relying party as alice' }).waitFor();
    const [result] = rp.results;
    assert.ok(result && 'claims' in result, JSON.stringify(rp.results));
    assert.equal(result.claims.preferred_username, 'alice');
    assert.equal(result.claims.iss, `${server.base}/oidc/${instanceId}`);
    assert.equal(result.claims.aud, oidcAppId);
    const after = shown.slice(signedIn);
    // The tile starts at the login initiation URI, naming the issuer (third-party initiated login).
    assert.ok(
      after.some((url) => url === `${rp.loginUri}?iss=${encodeURIComponent(`${server.base}/oidc/${instanceId}`)}`),
      `through the login initiation URI: ${after.join(' → ')}`,
    );
    assert.ok(
      after.some((url) => url.startsWith(`${server.base}/oidc/${instanceId}/authorize`)),
      `through the authorization endpoint: ${after.join(' → ')}`,
    );
    assert.ok(
      after.every((url) => !url.includes('/login') || url.startsWith(rp.base)),
      `no sign-in page on the way: ${after.join(' → ')}`,
    );
    await screenshot(portal, 'oidc-03-relying-party-alice');
    await employee.close();
  });

  it('refuses bob, outside the OIDC application’s scope, with access_denied at the relying party', async () => {
    const employee = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const portal = await employee.newPage();
    await portal.goto(`${server.base}/sso/${instanceId}/portal`);
    await portal.getByLabel('Username').fill('bob');
    await portal.getByLabel('Password').fill(passwords.bob);
    await portal.getByRole('button', { name: 'Sign in' }).click();
    await portal.getByRole('heading', { name: 'Your applications' }).waitFor();
    // The SAML application is for all members; the OIDC one is not his.
    await portal.getByRole('link', { name: 'Example SP' }).waitFor();
    assert.equal(await portal.getByRole('link', { name: 'Team Wiki' }).count(), 0);

    const before = rp.results.length;
    await portal.goto(rp.loginUri);
    await portal.getByRole('heading', { name: 'The identity provider refused: access_denied' }).waitFor();
    assert.deepEqual(rp.results.slice(before), [{ error: 'access_denied' }]);
    assert.ok(portal.url().startsWith(rp.redirectUri), portal.url());
    await employee.close();
  });
});
