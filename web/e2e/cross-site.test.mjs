// SP-initiated SSO as employees meet it in production: the service provider and Lanyard are two
// different sites (idp.lanyard.test and sp.example.test, both resolved to loopback by
// Chromium), so the browser sends Lanyard's SameSite=Lax session cookie with the SP's top-level
// redirect but not with its cross-site POST. An employee already signed in to the portal reaches
// the SP's ACS by either binding without a second password prompt; one who is not signs in once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, gql, launchBrowser, screenshot, startServer, startServiceProvider } from './harness.mjs';
import { readMetadata, verifyResponse } from './saml.mjs';

const IDP_HOST = 'idp.lanyard.test';
const SP_HOST = 'sp.example.test';
const PASSWORD = 'cross-site correct horse';

describe('SP-initiated SSO from another site', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {Awaited<ReturnType<typeof startServiceProvider>>} */ let sp;
  /** @type {import('playwright-core').Browser} */ let browser;
  let instanceId = '';
  /** @type {string[]} */ let certificates = [];

  before(async () => {
    [server, sp, browser] = await Promise.all([
      startServer({ host: IDP_HOST }),
      startServiceProvider({ host: SP_HOST }),
      launchBrowser({ hosts: [IDP_HOST, SP_HOST] }),
    ]);
    // The admin's setup, through the API as a script would do it.
    const admin = await browser.newContext();
    const login = await admin.request.post(`${server.local}/auth/admin/login`, {
      data: { username: 'admin', password: ADMIN_PASSWORD },
    });
    assert.equal(login.status(), 204);
    const q = (/** @type {string} */ query, /** @type {Record<string, unknown>} */ variables) =>
      gql(admin, server.local, query, variables);
    const { createInstance } = await q(`mutation { createInstance(input: {name: "Acme"}) { instance { id } } }`, {});
    instanceId = createInstance.instance.id;
    await q(
      `mutation($i: ID!, $p: String!) { createUser(input: {instanceId: $i, username: "alice", displayName: "Alice", password: $p}) { user { id } } }`,
      { i: instanceId, p: PASSWORD },
    );
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
    await q(
      `mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }`,
      { a: applicationId },
    );
    const metadata = await admin.request.get(`${server.local}/saml/apps/${applicationId}/metadata`);
    certificates = readMetadata(await metadata.text()).certificates;
    assert.ok(certificates.length >= 1);
    await admin.close();
    sp.useIdp({ issuer: spEntityId, destination: `${server.base}/saml/apps/${applicationId}/sso` });
  });

  after(async () => {
    await browser?.close();
    await sp?.stop();
    await server?.stop();
  });

  /**
   * Starts a sign-in at the SP's login page and waits for its ACS; returns every URL the page
   * showed on the way and the response the ACS got.
   * @param {import('playwright-core').Page} page
   * @param {'redirect' | 'post'} binding
   * @param {() => Promise<void>} [signIn] fills the sign-in form when it is expected
   */
  async function ssoFromSp(page, binding, signIn) {
    /** @type {string[]} */
    const shown = [];
    const record = (/** @type {import('playwright-core').Frame} */ frame) => {
      if (frame === page.mainFrame()) shown.push(frame.url());
    };
    page.on('framenavigated', record);
    const before = sp.received.length;
    await page.goto(`${sp.base}/login?binding=${binding}`);
    const atAcs = page.getByRole('heading', { name: 'Test SP received a SAML Response' });
    if (signIn) {
      await signIn();
    } else {
      const reached = await Promise.race([
        atAcs.waitFor().then(() => 'the ACS'),
        page.getByLabel('Password').waitFor().then(() => 'a password prompt'),
      ]);
      assert.equal(reached, 'the ACS', `${binding}: an employee with a session was asked for the password again`);
    }
    await atAcs.waitFor();
    page.off('framenavigated', record);
    await sp.waitFor(before + 1);
    const posted = sp.received[before];
    assert.ok(posted?.SAMLResponse);
    return { shown, response: verifyResponse(posted.SAMLResponse, certificates) };
  }

  it('answers both bindings without a second password prompt when the employee is signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.base}/sso/${instanceId}/portal`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your applications' }).waitFor();

    for (const binding of /** @type {const} */ (['redirect', 'post'])) {
      const { shown, response } = await ssoFromSp(page, binding);
      assert.equal(response.nameId, 'alice', binding);
      assert.equal(response.destination, sp.acsUrl, binding);
      assert.equal(response.status, 'urn:oasis:names:tc:SAML:2.0:status:Success', binding);
      assert.ok(
        shown.every((url) => !url.includes('/login?continue=')),
        `${binding}: no sign-in page on the way: ${shown.join(' → ')}`,
      );
      assert.ok(
        shown.some((url) => url.startsWith(sp.acsUrl)),
        `${binding}: ended at the ACS: ${shown.join(' → ')}`,
      );
    }
    await screenshot(page, 'cross-site-post-signed-in');
    await context.close();
  });

  it('asks an employee without a session to sign in once, then answers the SP', async () => {
    for (const binding of /** @type {const} */ (['redirect', 'post'])) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let prompts = 0;
      const { response } = await ssoFromSp(page, binding, async () => {
        await page.getByLabel('Username').waitFor();
        prompts += 1;
        await page.getByLabel('Username').fill('alice');
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
      });
      assert.equal(prompts, 1, binding);
      assert.equal(response.nameId, 'alice', binding);
      await context.close();
    }
  });
});
