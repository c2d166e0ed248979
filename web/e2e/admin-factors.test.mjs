// Second factors of console admins in a real browser against the real server: an admin sets
// up an authenticator app on the Security page (its codes computed here with node:crypto, an
// implementation of RFC 6238 independent of the server's), then signs in with a code after her
// password — the code that confirmed the app refused, the next one accepted. Where a second
// factor is required of every admin (`LANYARD_ADMIN_REQUIRE_SECOND_FACTOR`), one without sets
// up an app on the sign-in page itself and sees her recovery codes once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, assertAccessible, launchBrowser, screenshot, startServer } from './harness.mjs';
import { totp as totpAt } from './totp.mjs';

/**
 * The six-digit code of time step `step` (e2e/totp.mjs: HMAC-SHA1, RFC 6238's defaults).
 * @param {string} secret
 * @param {number} step
 */
const totp = (secret, step) => totpAt(secret, step * 30_000);

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

/** @param {import('playwright-core').Page} page @param {string} base */
async function signInWithPassword(page, base) {
  await page.goto(`${base}/console/`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The key the page shows, without the spaces that group it.
 * @param {import('playwright-core').Page} page
 */
async function shownKey(page) {
  const text = await page.locator('code.totp-secret').innerText();
  return text.replace(/\s/g, '');
}

describe('console sign-in with an authenticator app', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('computes the codes of RFC 6238 (appendix B)', () => {
    assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1), '287082');
    assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 37_037_036), '081804');
  });

  it('sets up an app on the Security page, then signs in with its next code', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInWithPassword(page, server.base);
    await page.getByRole('heading', { name: 'Instances' }).waitFor();

    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
    await page.getByText('You have no second factor yet.').waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const qr = page.getByRole('img', { name: 'QR code of the key for your authenticator app' });
    await qr.waitFor();
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
    assert.ok(await qr.evaluate((img) => img instanceof HTMLImageElement && img.naturalWidth > 0), 'the QR code shows');
    const secret = await shownKey(page);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await assertAccessible(page, 'security-setup');
    await screenshot(page, 'security-setup');
    await page.getByLabel('A name for this app (optional)').fill('Laptop');
    const confirmed = stepNow();
    await page.getByLabel('Code from the app').fill(totp(secret, confirmed));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Your recovery codes' });
    await codes.waitFor();
    const recovery = (await codes.innerText()).split(/\s+/).filter(Boolean);
    assert.equal(recovery.length, 10);
    assert.ok(recovery.every((c) => /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(c)), recovery.join(' '));
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText('Laptop').waitFor();
    await page.getByText('10 recovery codes left.').waitFor();
    // This session gave no second factor: changes wait for a sign-in with the app.
    await page.getByText('To change your second factors, sign in again with one of them.').waitFor();
    await page.getByRole('button', { name: 'Sign in again' }).click();

    // The password now leads to the code.
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: "Confirm it's you" }).waitFor();
    await assertAccessible(page, 'sign-in-code');
    await screenshot(page, 'sign-in-code');
    const code = page.getByLabel('Code from your authenticator app');
    await code.fill(totp(secret, confirmed));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('The code is not correct. 4 tries left.').waitFor();
    await code.fill(totp(secret, stepNow() + 1));
    await page.getByRole('button', { name: 'Continue' }).click();
    // Back where she was, with a session that proved the app: now she may change her factors.
    await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/auth/admin/me')).json());
    assert.deepEqual(me.authMethods, ['password', 'totp']);
    await page.getByRole('button', { name: 'Make new recovery codes' }).waitFor();
    await page.getByRole('button', { name: 'Remove' }).waitFor();
    await assertAccessible(page, 'security');
    await screenshot(page, 'security');
    await context.close();
  });
});

describe('console sign-in where a second factor is required', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;

  before(async () => {
    [server, browser] = await Promise.all([
      startServer({ env: { LANYARD_ADMIN_REQUIRE_SECOND_FACTOR: 'true' } }),
      launchBrowser(),
    ]);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('has an admin without a factor set up an app while signing in', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signInWithPassword(page, server.base);
    await page.getByRole('heading', { name: 'Set up a second factor' }).waitFor();
    await page.getByRole('img', { name: 'QR code of the key for your authenticator app' }).waitFor();
    await assertAccessible(page, 'sign-in-enrol');
    await screenshot(page, 'sign-in-enrol');
    const secret = await shownKey(page);
    await page.getByLabel('Code from the app').fill(totp(secret, stepNow() - 3));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText("That is not the app's current code.", { exact: false }).waitFor();
    await page.getByLabel('Code from the app').fill(totp(secret, stepNow()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Your recovery codes' });
    await codes.waitFor();
    assert.equal((await codes.innerText()).split(/\s+/).filter(Boolean).length, 10);
    await page.getByRole('button', { name: 'Continue to the console' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    await page.getByRole('link', { name: 'Security' }).click();
    await page
      .getByText('A second factor is required of every console admin: your last one cannot be removed.')
      .waitFor();
    await context.close();
  });
});
