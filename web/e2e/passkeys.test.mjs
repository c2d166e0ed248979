// Passkeys in a real browser (issue 22): Chromium's virtual authenticator (the DevTools
// protocol's WebAuthn domain: CTAP2, built in, discoverable credentials, user verification)
// against the real server on http://localhost (browsers refuse passkeys for IP addresses).
// An employee registers a passkey on her account page, signs in with it without a password,
// gives it as the second factor after her password when a policy asks for MFA (on to the
// service provider's verified SAML Response), cannot register the same credential twice, and
// a page of another origin gets nothing from it.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, before, describe, it } from 'node:test';
import {
  ADMIN_PASSWORD,
  assertAccessible,
  gql,
  launchBrowser,
  screenshot,
  startServer,
  startServiceProvider,
} from './harness.mjs';
import { readMetadata, verifyResponse } from './saml.mjs';

const PASSWORD = 'passkey correct horse';
// Another origin of this machine: the same server under another name (Chromium resolves it to
// loopback).
const OTHER_HOST = 'other.localhost';

describe('passkeys', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {Awaited<ReturnType<typeof startServiceProvider>>} */ let sp;
  /** @type {import('playwright-core').Browser} */ let browser;
  /** @type {import('playwright-core').BrowserContext} */ let admin;
  /** @type {import('playwright-core').BrowserContext} */ let context;
  /** @type {import('playwright-core').Page} */ let page;
  /** @type {import('playwright-core').CDPSession} */ let cdp;
  let authenticatorId = '';
  let instanceId = '';
  let aliceId = '';
  /** @type {string[]} */ let certificates = [];

  /** @param {string} query @param {Record<string, unknown>} [variables] */
  const q = (query, variables = {}) => gql(admin, server.local, query, variables);

  /** The methods of alice's sessions, newest last. */
  async function sessionMethods() {
    const { userSessions } = await q(
      `query($i: ID!, $u: ID!) { userSessions(instanceId: $i, userId: $u) { authMethods } }`,
      { i: instanceId, u: aliceId },
    );
    return userSessions.map((/** @type {{ authMethods: string[] }} */ s) => s.authMethods.join('+'));
  }

  /** The credentials the virtual authenticator holds. */
  async function credentials() {
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    return credentials;
  }

  before(async () => {
    [server, sp, browser] = await Promise.all([
      startServer({ host: 'localhost' }),
      startServiceProvider(),
      launchBrowser({ hosts: [OTHER_HOST] }),
    ]);
    admin = await browser.newContext();
    const login = await admin.request.post(`${server.local}/auth/admin/login`, {
      data: { username: 'admin', password: ADMIN_PASSWORD },
    });
    assert.equal(login.status(), 204);
    const { createInstance } = await q(`mutation { createInstance(input: {name: "Acme"}) { instance { id } } }`);
    instanceId = createInstance.instance.id;
    const { createUser } = await q(
      `mutation($i: ID!, $p: String!) { createUser(input: {instanceId: $i, username: "alice", displayName: "Alice", password: $p}) { user { id } } }`,
      { i: instanceId, p: PASSWORD },
    );
    aliceId = createUser.user.id;
    const { addApplication } = await q(
      `mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: "generic-saml2", name: "Example SP"}) { application { id } } }`,
      { i: instanceId },
    );
    const applicationId = addApplication.application.id;
    const spEntityId = `${sp.base}/metadata`;
    await q(
      `mutation($id: ID!, $e: String!, $acs: String!) { configureApplicationSso(input: {id: $id, spEntityId: $e, acsUrl: $acs, ssoEnabled: true}) { application { id } } }`,
      { id: applicationId, e: spEntityId, acs: sp.acsUrl },
    );
    await q(`mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }`, {
      a: applicationId,
    });
    const metadata = await admin.request.get(`${server.local}/saml/apps/${applicationId}/metadata`);
    certificates = readMetadata(await metadata.text()).certificates;
    sp.useIdp({ issuer: spEntityId, destination: `${server.base}/saml/apps/${applicationId}/sso` });

    context = await browser.newContext();
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
  });

  after(async () => {
    await browser?.close();
    await sp?.stop();
    await server?.stop();
  });

  it('registers a passkey on the account page', async () => {
    await page.goto(`${server.base}/sso/${instanceId}/account`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByLabel('A name for this passkey').fill('Laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    // Her first factor: the recovery codes, shown once in place of the form.
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    await screenshot(page, 'passkeys-registered');
    await page.getByRole('link', { name: 'I have saved them: continue' }).click();
    await page.getByText('Laptop').waitFor();
    await assertAccessible(page, 'passkeys-account');
    const held = await credentials();
    assert.equal(held.length, 1);
    assert.equal(held[0].rpId, 'localhost');
    assert.ok(held[0].isResidentCredential, 'a discoverable credential');
  });

  it('signs in with the passkey alone, without a password', async () => {
    await context.clearCookies();
    await page.goto(`${server.base}/sso/${instanceId}/login?continue=portal`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { name: 'Your applications' }).waitFor();
    assert.ok((await sessionMethods()).includes('passkey'), 'a session of the passkey alone');
  });

  it('refuses to register the same credential a second time', async () => {
    // The session proved two factors (a verified passkey): she may add another.
    await page.goto(`${server.base}/sso/${instanceId}/account`);
    await page.getByLabel('A name for this passkey').fill('Laptop again');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('alert').filter({ hasText: 'This passkey is registered already.' }).waitFor();
    const { userFactors } = await q(
      `query($i: ID!, $u: ID!) { userFactors(instanceId: $i, userId: $u) { factors { name kind } } }`,
      { i: instanceId, u: aliceId },
    );
    assert.deepEqual(userFactors.factors, [{ name: 'Laptop', kind: 'PASSKEY' }]);
    assert.equal((await credentials()).length, 1);
  });

  it('is the second factor after a password when a policy asks for MFA, on to the SAML Response', async () => {
    await q(
      `mutation($i: ID!, $s: String!) { createAccessPolicy(input: {instanceId: $i, name: "MFA", source: $s}) { accessPolicy { id } } }`,
      { i: instanceId, s: 'forbid (principal, action == Lanyard::Action::"sso", resource)\nunless { context.mfa };' },
    );
    await context.clearCookies();
    const before = sp.received.length;
    await page.goto(`${sp.base}/login?binding=redirect`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // The password alone is not enough for this application: the factor page asks.
    await page.getByText('This application asks for a second factor.').waitFor();
    await assertAccessible(page, 'passkeys-factor');
    await screenshot(page, 'passkeys-factor');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByRole('heading', { name: 'Test SP received a SAML Response' }).waitFor();
    await sp.waitFor(before + 1);
    const posted = sp.received[before]?.SAMLResponse ?? '';
    const response = verifyResponse(posted, certificates);
    assert.equal(response.nameId, 'alice');
    assert.equal(response.status, 'urn:oasis:names:tc:SAML:2.0:status:Success');
    assert.ok(Buffer.from(posted, 'base64').toString('utf8').includes('https://refeds.org/profile/mfa'));
    assert.ok((await sessionMethods()).includes('password+passkey'), (await sessionMethods()).join(', '));
  });

  /**
   * Clicks "Sign in with a passkey" on the sign-in page at `base` and waits for the refusal;
   * returns the statuses of the answers the page sent to the server.
   * @param {string} base
   */
  async function refusedSignIn(base) {
    /** @type {number[]} */
    const finishes = [];
    const record = (/** @type {import('playwright-core').Response} */ r) => {
      if (r.url().endsWith('/login/passkey/finish')) finishes.push(r.status());
    };
    page.on('response', record);
    await page.goto(`${base}/sso/${instanceId}/login?continue=portal`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    // She reads why, whoever refused: the browser (no such relying party there) or the
    // server (an answer made for another site).
    await page.getByRole('alert').filter({ hasText: 'another site' }).waitFor();
    page.off('response', record);
    const portal = await page.goto(`${base}/sso/${instanceId}/portal`);
    assert.match(portal?.url() ?? '', /\/login\?continue=portal$/, 'no session');
    return finishes;
  }

  it('gives nothing to a page of another origin', async () => {
    await context.clearCookies();
    const sessions = (await sessionMethods()).length;
    // The same server under another name: the browser will not use the relying party
    // `localhost` there, and nothing is sent.
    const other = server.base.replace('//localhost:', `//${OTHER_HOST}:`);
    assert.deepEqual(await refusedSignIn(other), []);
    await screenshot(page, 'passkeys-other-origin');
    // A phishing proxy there that rewrites the relying party to its own name, with her very
    // key copied into the authenticator for that name: the browser signs, and the server
    // refuses an answer made for another origin and relying party.
    const [original] = await credentials();
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: original.credentialId });
    await cdp.send('WebAuthn.addCredential', {
      authenticatorId,
      credential: { ...original, rpId: OTHER_HOST, signCount: original.signCount + 100 },
    });
    await page.route('**/login/passkey/options', async (route) => {
      // Fetched from here, where the other name does not resolve: to the same server.
      const response = await route.fetch({
        url: route.request().url().replace(`//${OTHER_HOST}:`, '//127.0.0.1:'),
        headers: await route.request().allHeaders(),
      });
      const body = await response.json();
      body.options.publicKey.rpId = OTHER_HOST;
      await route.fulfill({ response, json: body });
    });
    assert.deepEqual(await refusedSignIn(other), [400]);
    // On Lanyard's own address, a relying party that is not Lanyard's: the browser refuses.
    await page.unroute('**/login/passkey/options');
    await page.route('**/login/passkey/options', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.options.publicKey.rpId = 'example.com';
      await route.fulfill({ response, json: body });
    });
    assert.deepEqual(await refusedSignIn(server.base), []);
    await page.unroute('**/login/passkey/options');
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: original.credentialId });
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: original });
    assert.equal((await sessionMethods()).length, sessions, 'no session opened');
  });
});
