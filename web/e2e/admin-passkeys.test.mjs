// Passkeys of console admins in a real browser: Chromium's virtual authenticator (the DevTools
// protocol's WebAuthn domain: CTAP2, built in, discoverable credentials, user verification)
// against the real server on http://localhost (browsers refuse passkeys for IP addresses). An
// admin signs in with her password, registers a passkey on the Security page and sees her
// recovery codes once; then she signs in with her password and the passkey as second factor,
// then with the passkey alone. The same authenticator cannot register its passkey twice: the
// server excludes it, the browser refuses, and the page says so calmly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, assertAccessible, launchBrowser, screenshot, startServer } from './harness.mjs';

describe('console sign-in with a passkey', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;
  /** @type {import('playwright-core').BrowserContext} */ let context;
  /** @type {import('playwright-core').Page} */ let page;
  /** @type {import('playwright-core').CDPSession} */ let cdp;
  let authenticatorId = '';

  /** The credentials the virtual authenticator holds. */
  async function credentials() {
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    return credentials;
  }

  /**
   * How the console session of the page was opened (`GET /auth/admin/me`).
   * @returns {Promise<string[]>}
   */
  async function authMethods() {
    const me = await page.evaluate(async () => (await fetch('/auth/admin/me')).json());
    return me.authMethods;
  }

  /** Signs out from the console's top bar and waits for the sign-in page. */
  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the Lanyard console' }).waitFor();
  }

  /** Types the admin's username and password on the sign-in page and signs in. */
  async function typePassword() {
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  before(async () => {
    [server, browser] = await Promise.all([startServer({ host: 'localhost' }), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
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
    await server?.stop();
  });

  it('registers a passkey on the Security page and shows the recovery codes once', async () => {
    await page.goto(`${server.base}/console/`);
    // The server on a domain name can use passkeys, and so can this browser.
    await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
    await typePassword();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
    await page.getByText('You have no second factor yet.').waitFor();
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const form = page.getByRole('form', { name: 'Add a passkey' });
    await form.getByLabel('A name for this passkey (optional)').fill('Laptop');
    await assertAccessible(page, 'security-passkey');
    await form.getByRole('button', { name: 'Create the passkey' }).click();
    const codes = page.getByRole('list', { name: 'Your recovery codes' });
    await codes.waitFor();
    const recovery = (await codes.innerText()).split(/\s+/).filter(Boolean);
    assert.equal(recovery.length, 10);
    await screenshot(page, 'security-passkey-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await codes.waitFor({ state: 'detached' });
    const factors = page.getByRole('list', { name: 'Your second factors' });
    await factors.getByText('Laptop').waitFor();
    await factors.getByText('Passkey').waitFor();
    await page.getByText('10 recovery codes left.').waitFor();
    const held = await credentials();
    assert.equal(held.length, 1);
    assert.equal(held[0].rpId, 'localhost');
    assert.ok(held[0].isResidentCredential, 'a discoverable credential');
  });

  it('signs in with the password and the passkey as second factor', async () => {
    await signOut();
    await typePassword();
    await page.getByRole('heading', { name: "Confirm it's you" }).waitFor();
    // Nothing to type: the passkey comes first, the authenticator app is not hers.
    await page.getByRole('button', { name: 'Use a recovery code instead' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Use your authenticator app instead' }).count(), 0);
    await assertAccessible(page, 'sign-in-passkey-factor');
    await screenshot(page, 'sign-in-passkey-factor');
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
    await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
    assert.deepEqual(await authMethods(), ['password', 'passkey']);
    // A session that proved a factor may change them.
    await page.getByRole('button', { name: 'Make new recovery codes' }).waitFor();
  });

  it('signs in with the passkey alone, without a password', async () => {
    await signOut();
    await assertAccessible(page, 'sign-in-passkey');
    await screenshot(page, 'sign-in-passkey');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
    assert.deepEqual(await authMethods(), ['passkey']);
  });

  it('refuses to register the same passkey twice, and says so calmly', async () => {
    // A verified passkey proved two factors: she may add another.
    /** @type {string[]} */
    const operations = [];
    const record = (/** @type {import('playwright-core').Request} */ r) => {
      if (!r.url().endsWith('/graphql')) return;
      const name = /^\s*mutation (\w+)/.exec(r.postDataJSON()?.query ?? '')?.[1];
      if (name) operations.push(name);
    };
    page.on('request', record);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const form = page.getByRole('form', { name: 'Add a passkey' });
    await form.getByLabel('A name for this passkey (optional)').fill('Laptop again');
    await form.getByRole('button', { name: 'Create the passkey' }).click();
    await form.getByRole('alert').filter({ hasText: 'This passkey is registered already.' }).waitFor();
    page.off('request', record);
    // The server named her passkey to exclude, and the browser refused before anything was sent.
    assert.deepEqual(operations, ['BeginMyPasskey']);
    await screenshot(page, 'security-passkey-duplicate');
    // The form stays, to try another key or cancel.
    await form.getByRole('button', { name: 'Cancel' }).click();
    const factors = page.getByRole('list', { name: 'Your second factors' });
    assert.equal(await factors.getByRole('listitem').count(), 1);
    assert.equal((await credentials()).length, 1);
  });
});
