// SCIM provisioning from the console against the real server: an admin creates a provisioning
// token on the Provisioning page and reads its secret there; this test, as the HR system would,
// creates a user through the SCIM endpoint with it; the page then shows the token's last use and
// the change; an auditor sees all that and nothing to change; the admin revokes the token after
// the dialog, and the HR system's next call is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, assertAccessible, gql, launchBrowser, screenshot, startServer } from './harness.mjs';

const AUDITOR_PASSWORD = 'auditor-e2e correct horse';

/**
 * Signs in to the console in a new context of its own.
 * @param {import('playwright-core').Browser} browser
 * @param {string} base
 * @param {string} username
 * @param {string} password
 * @param {{ width: number, height: number }} [viewport]
 */
async function signIn(browser, base, username, password, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${base}/console/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Instances' }).waitFor();
  return { context, page };
}

describe('SCIM provisioning in the console', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;
  /** @type {import('playwright-core').BrowserContext} */ let admin;
  /** @type {import('playwright-core').Page} */ let page;
  let instanceId = '';
  /** The SCIM base URL the page shows, as this process reaches it. */
  let scimUrl = '';
  /** The token's secret, read from the page. */
  let secret = '';

  /**
   * What the HR system does: creates `scim.user` with the token.
   * @param {string} bearer
   */
  const createScimUser = (bearer) =>
    fetch(`${scimUrl}/Users`, {
      method: 'POST',
      headers: { 'content-type': 'application/scim+json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'scim.user' }),
    });

  const tokens = () => page.getByRole('region', { name: 'Tokens' });
  const changes = () => page.getByRole('region', { name: 'Latest provisioning changes' });

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    ({ context: admin, page } = await signIn(browser, server.base, 'admin', ADMIN_PASSWORD));
    const { createInstance } = await gql(admin, server.base, `mutation { createInstance(input: {name: "Initech"}) { instance { id } } }`);
    instanceId = createInstance.instance.id;
    await gql(
      admin,
      server.base,
      `mutation($i: ID!, $p: String!) {
        createAdmin(input: {username: "audrey", password: $p, roles: [{role: AUDITOR, instanceId: $i}]}) { admin { id } }
      }`,
      { i: instanceId, p: AUDITOR_PASSWORD },
    );
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a token whose secret is shown once, and the HR system provisions a user with it', async () => {
    await page.goto(`${server.base}/console/instances/${instanceId}/users`);
    await page.getByRole('navigation', { name: 'Instance' }).getByRole('link', { name: 'Provisioning' }).click();
    await page.getByRole('heading', { name: 'Provisioning', exact: true }).waitFor();
    await tokens().getByText('No provisioning tokens yet.').waitFor();
    const shown = await page.getByLabel('SCIM base URL').inputValue();
    assert.match(shown, new RegExp(`/scim/v2/${instanceId}$`));
    // The server builds the URL from its public URL; this process reaches the server at `local`.
    const url = new URL(shown);
    scimUrl = `${server.local}${url.pathname}`;

    await page.getByLabel('Name').fill('Okta');
    await page.getByRole('button', { name: 'Create token' }).click();
    const box = page.getByLabel('Token secret');
    secret = await box.inputValue();
    assert.match(secret, /^lanyard_scim_\w{43}$/);
    await page.getByText('The token Okta. Copy it now: it is not shown again.').waitFor();
    await tokens().getByRole('row', { name: /Okta/ }).getByText('Active').waitFor();
    await screenshot(page, '20-provisioning-secret');
    await assertAccessible(page, '20-provisioning-secret');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await box.count(), 0);
    assert.equal(await page.getByText(secret).count(), 0);

    const created = await createScimUser(secret);
    const body = await created.text();
    assert.equal(created.status, 201, body);
    assert.equal(JSON.parse(body).userName, 'scim.user');

    await page.reload();
    const row = tokens().getByRole('row', { name: /Okta/ });
    await row.getByText('Active').waitFor();
    const lastUsed = await row.locator('td[data-label="Last used"]').innerText();
    assert.notEqual(lastUsed, 'never');
    assert.match(lastUsed, /\d/);
    assert.equal(await row.locator('td[data-label="Created by"]').innerText(), 'admin');
    // The secret is not on the page any more, nor in what it loaded.
    assert.equal(await page.getByLabel('Token secret').count(), 0);
    const change = changes().getByRole('row', { name: /createUser/ });
    await change.waitFor();
    assert.match(await change.innerText(), /Okta\s+createUser\s+user scim\.user/);
    await screenshot(page, '21-provisioning');
    await assertAccessible(page, '21-provisioning');
  });

  it('shows an auditor the tokens and the changes, and nothing to change', async () => {
    const auditor = await signIn(browser, server.base, 'audrey', AUDITOR_PASSWORD);
    try {
      const { page: audrey } = auditor;
      await audrey.goto(`${server.base}/console/instances/${instanceId}/provisioning`);
      const tokenRow = audrey.getByRole('region', { name: 'Tokens' }).getByRole('row', { name: /Okta/ });
      await tokenRow.getByText('Active').waitFor();
      await audrey.getByRole('region', { name: 'Latest provisioning changes' }).getByRole('row', { name: /createUser/ }).waitFor();
      await audrey.getByText("Only the instance's admins create and revoke tokens.").waitFor();
      assert.equal(await audrey.getByRole('button', { name: 'Revoke' }).count(), 0);
      assert.equal(await audrey.getByRole('button', { name: 'Create token' }).count(), 0);
      // What the page leaves out, the server refuses.
      await assert.rejects(
        gql(auditor.context, server.base, `mutation($i: ID!) { createProvisioningToken(input: {instanceId: $i, name: "sneaky"}) { secret } }`, {
          i: instanceId,
        }),
        /FORBIDDEN/,
      );
    } finally {
      await auditor.context.close();
    }
  });

  it('fits a phone without scrolling sideways', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await admin.storageState() });
    try {
      const small = await phone.newPage();
      await small.goto(`${server.base}/console/instances/${instanceId}/provisioning`);
      await small.getByRole('region', { name: 'Tokens' }).getByRole('row', { name: /Okta/ }).waitFor();
      await screenshot(small, '22-provisioning-phone');
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    } finally {
      await phone.close();
    }
  });

  it("revokes the token after the dialog, and the HR system's next call is refused", async () => {
    const row = tokens().getByRole('row', { name: /Okta/ });
    const revoke = row.getByRole('button', { name: 'Revoke' });
    await revoke.click();
    const dialog = page.getByRole('alertdialog', { name: 'Revoke the token Okta?' });
    await dialog.getByText('The users and groups it provisioned stay as they are.').waitFor();
    await screenshot(page, '23-provisioning-revoke');
    await assertAccessible(page, '23-provisioning-revoke');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Active').waitFor();

    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('Revoked Okta.').waitFor();
    await row.getByText('Revoked', { exact: true }).waitFor();
    assert.equal(await row.getByRole('button', { name: 'Revoke' }).count(), 0);

    const refused = await createScimUser(secret);
    assert.equal(refused.status, 401, await refused.text());
  });
});
