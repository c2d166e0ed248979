// The seed guide (shared/seeds/alibaba-cloud-user-sso.txt), steps 1–5, clicked through in
// headless Chromium against the real server: an admin adds Alibaba Cloud User-based SSO from the
// marketplace, configures it, grants a group, downloads the IdP metadata and maps an application
// account; an employee in the group signs in to the portal, clicks the tile and reaches the
// service provider's ACS with a signed assertion; one outside the scope gets neither.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, assertAccessible, gql, launchBrowser, screenshot, startServer, startServiceProvider } from './harness.mjs';
import { readMetadata, redirectAuthnRequest, verifyResponse } from './saml.mjs';

const ACCOUNT_ID = '5123456789012345';
const TEMPLATE = 'Alibaba Cloud User-based SSO (International Site)';

describe('seed: Alibaba Cloud user-based SSO, by clicking', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {Awaited<ReturnType<typeof startServiceProvider>>} */ let sp;
  /** @type {import('playwright-core').Browser} */ let browser;
  /** @type {import('playwright-core').BrowserContext} */ let admin;
  /** @type {import('playwright-core').Page} */ let page;
  let instanceId = '';
  let applicationId = '';
  /** @type {ReturnType<typeof readMetadata>} */ let metadata;
  const passwords = { alice: 'alice-e2e-Passw0rd!', bob: 'bob-e2e-Passw0rd!' };

  before(async () => {
    [server, sp, browser] = await Promise.all([startServer(), startServiceProvider(), launchBrowser()]);
    admin = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await admin.newPage();
  });

  after(async () => {
    await browser?.close();
    await sp?.stop();
    await server?.stop();
  });

  it('signs the admin in to the console', async () => {
    await page.goto(`${server.base}/console/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
  });

  it('creates an instance and opens it with Manage (step 1.2)', async () => {
    await page.getByText('No instances yet').waitFor();
    const form = page.getByRole('form', { name: 'Create an instance' });
    await form.getByLabel('Name').fill('Acme');
    await form.getByLabel('Description').fill('Acme Corp employees');
    await form.getByRole('button', { name: 'Create instance' }).click();
    const row = page.getByRole('row', { name: /Acme/ });
    await row.waitFor();
    await screenshot(page, '01-instances');
    await assertAccessible(page, '01-instances');
    await row.getByRole('link', { name: 'Manage' }).click();
    // An instance opens on its overview.
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('navigation', { name: 'Instance' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    instanceId = new URL(page.url()).pathname.split('/')[3] ?? '';
    assert.match(instanceId, /^[0-9a-f-]{36}$/);
  });

  it('creates employees and a group in the directory', async () => {
    await page.getByRole('button', { name: 'Create user' }).click();
    const form = page.getByRole('form', { name: 'Create a user' });
    await form.getByLabel('Username').fill('alice.wong');
    await form.getByLabel('Display name').fill('Alice Wong');
    await form.getByLabel('Email').fill('alice@acme.example');
    await form.getByLabel('Initial password (optional)').fill(passwords.alice);
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('link', { name: 'alice.wong' }).waitFor();
    // The rest through the API, as a script would: bob, and the group alice is in.
    const { createUser } = await gql(
      admin,
      server.base,
      `mutation($i: ID!, $p: String!) { createUser(input: {instanceId: $i, username: "bob", displayName: "Bob", password: $p}) { user { id } } }`,
      { i: instanceId, p: passwords.bob },
    );
    assert.ok(createUser.user.id);
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByText('No groups yet.').waitFor();
    const groupForm = page.getByRole('form', { name: 'Create a group' });
    await groupForm.getByLabel('Name').fill('Cloud Admins');
    await groupForm.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'Cloud Admins' }).click();
    await page.getByLabel('Search users').fill('alice');
    await page.getByRole('button', { name: 'Add alice.wong' }).click();
    await page.getByRole('link', { name: 'alice.wong' }).waitFor();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: 'Cloud Admins' }).waitFor();
    await screenshot(page, '02-users');
    await assertAccessible(page, '02-users');
  });

  it('adds Alibaba Cloud User-based SSO from the marketplace (step 1.3–1.4)', async () => {
    await page.getByRole('link', { name: 'Applications' }).click();
    await page.getByText('No applications yet').waitFor();
    await page.getByRole('link', { name: 'Add Application' }).click();
    await page.getByLabel('Search the marketplace').fill(TEMPLATE);
    const add = page.getByRole('button', { name: `Add Application ${TEMPLATE}` });
    await add.waitFor();
    // The search narrows the marketplace: the China-site template is not offered.
    await page.waitForFunction(() => document.querySelectorAll('.templates li').length === 1);
    await screenshot(page, '03-marketplace');
    await assertAccessible(page, '03-marketplace');
    await add.click();
    const dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByLabel('Application Name').inputValue(), TEMPLATE);
    await dialog.getByLabel('Application Name').fill('Alibaba Cloud');
    await dialog.getByRole('button', { name: 'Add' }).click();
    // Straight on to the SSO configuration (step 2).
    await page.getByRole('heading', { name: 'Single sign-on' }).waitFor();
    applicationId = new URL(page.url()).pathname.split('/')[5] ?? '';
    assert.match(applicationId, /^[0-9a-f-]{36}$/);
    await page.getByText(/To finish setting up, fill in/).waitFor();
  });

  it('configures the account ID, showing a wrong one at its field (step 2.1–2.2, 2.4)', async () => {
    const accountId = page.getByLabel('Alibaba Cloud account ID');
    await accountId.fill('12345');
    await page.getByRole('button', { name: 'Save' }).click();
    const error = page.locator('.field-invalid').getByRole('alert');
    await error.waitFor();
    assert.match(await error.innerText(), /16 digits/);
    assert.equal(await accountId.getAttribute('aria-invalid'), 'true');

    await accountId.fill(ACCOUNT_ID);
    // Application account name: the RAM user prefix differs from the IDaaS username.
    await page.getByLabel('Application account name').selectOption({ label: 'Application username' });
    // The test's loopback SP stands in for signin.alibabacloud.com.
    await page.getByText('Advanced: service provider overrides').click();
    // RAM matches the NameID's value: the format stays unspecified, as the template set it.
    assert.equal(
      await page.getByLabel('NameID format').inputValue(),
      'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    );
    // Alibaba Cloud takes signed assertions in the clear.
    assert.equal(await page.getByLabel('Encrypt assertions for the service provider').isChecked(), false);
    // Single logout is on for every application, and reaches one only with the SP's SLO URL.
    assert.equal(await page.getByLabel('Take part in single logout').isChecked(), true);
    assert.equal(await page.getByLabel('SP single logout URL').inputValue(), '');
    await page.getByLabel('ACS URL').fill(sp.acsUrl);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('SSO configuration saved.').waitFor();
    await page.getByText(`<account name>@${ACCOUNT_ID}.onaliyun.com`).waitFor();
    assert.equal(await page.getByText(/To finish setting up/).count(), 0);
    await screenshot(page, '04-sso-configuration');
    await assertAccessible(page, '04-sso-configuration');
  });

  it('downloads the IdP metadata as a file (step 2.3)', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.xml$/);
    const path = await download.path();
    const xml = readFileSync(path, 'utf8');
    metadata = readMetadata(xml);
    assert.equal(metadata.entityId, `${server.base}/saml/apps/${applicationId}`);
    assert.ok(
      metadata.sso.some((s) => s.location === `${server.base}/saml/apps/${applicationId}/sso`),
      JSON.stringify(metadata.sso),
    );
    assert.ok(metadata.certificates.length >= 1);
    assert.ok(metadata.certificates.every((c) => c.length > 500), 'a DER certificate in base64');
  });

  it('keeps the scope manual and grants it to a group (step 2.2)', async () => {
    await page.getByRole('link', { name: 'Authorization' }).click();
    const manual = page.getByRole('radio', { name: /Manual/ });
    await manual.waitFor();
    if (!(await manual.isChecked())) await manual.check();
    await page.getByText('Nobody is granted yet.').waitFor();
    await page.getByLabel('Grant to').selectOption('GROUP');
    await page.getByLabel('Search groups').fill('Cloud');
    await page.getByRole('button', { name: 'Grant Cloud Admins' }).click();
    await page.getByRole('cell', { name: 'Cloud Admins' }).waitFor();
    await page.getByText(/1 active user may use it: alice\.wong/).waitFor();
    await screenshot(page, '05-authorization');
    await assertAccessible(page, '05-authorization');
  });

  it('maps alice to her RAM user on the Application users page (step 2.4)', async () => {
    await page.getByRole('link', { name: 'Application users' }).click();
    await page.getByText('No application accounts yet.').waitFor();
    await page.getByLabel('Search users').fill('alice');
    await page.getByRole('button', { name: 'Select alice.wong' }).click();
    // Before the mapping, APP_ACCOUNT has no NameID for her and says why.
    await page.getByText(/^Now:/).waitFor();
    await page.getByLabel('Application account name').fill('alice');
    await page.getByRole('button', { name: 'Save account' }).click();
    await page.getByRole('cell', { name: 'alice', exact: true }).waitFor();
    await screenshot(page, '06-application-users');
    await assertAccessible(page, '06-application-users');
  });

  it('lets alice sign in to the portal, click the tile and reach the ACS signed in (step 5, IdP-initiated)', async () => {
    const employee = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const portal = await employee.newPage();
    await portal.goto(`${server.base}/sso/${instanceId}/portal`);
    await portal.getByLabel('Username').fill('alice.wong');
    await portal.getByLabel('Password').fill(passwords.alice);
    await portal.getByRole('button', { name: 'Sign in' }).click();
    await portal.getByRole('heading', { name: 'Your applications' }).waitFor();
    const tiles = portal.getByRole('list', { name: 'All applications' }).getByRole('listitem');
    assert.equal(await tiles.count(), 1);
    await screenshot(portal, '07-portal-alice');
    await assertAccessible(portal, '07-portal-alice');
    // Her own account: this session, and the password form.
    await portal.getByRole('link', { name: 'Your account' }).click();
    await portal.getByRole('heading', { name: 'Your account' }).waitFor();
    await portal.getByText('(this browser)').waitFor();
    await portal.getByLabel('Current password').waitFor();
    await screenshot(portal, '07-account-alice');
    await assertAccessible(portal, '07-account-alice');
    await portal.getByRole('link', { name: '← Your applications' }).click();
    await portal.getByRole('heading', { name: 'Your applications' }).waitFor();
    await portal.getByRole('link', { name: 'Alibaba Cloud' }).click();
    await portal.getByRole('heading', { name: 'Test SP received a SAML Response' }).waitFor();
    await sp.waitFor(1);
    const post = sp.received[0];
    assert.ok(post?.SAMLResponse);
    const response = verifyResponse(post.SAMLResponse, metadata.certificates);
    assert.equal(response.nameId, `alice@${ACCOUNT_ID}.onaliyun.com`);
    assert.equal(response.destination, sp.acsUrl);
    assert.equal(response.recipient, sp.acsUrl);
    assert.equal(response.audience, `https://signin-intl.aliyun.com/${ACCOUNT_ID}/saml/SSO`);
    assert.equal(response.issuer, metadata.entityId);
    assert.equal(response.status, 'urn:oasis:names:tc:SAML:2.0:status:Success');
    // The check is live: the same response with another NameID does not verify.
    const xml = Buffer.from(post.SAMLResponse, 'base64').toString('utf8');
    assert.ok(xml.includes(`>alice@${ACCOUNT_ID}.onaliyun.com<`));
    const forged = Buffer.from(xml.replace(`>alice@`, `>mallory@`)).toString('base64');
    assert.throws(() => verifyResponse(forged, metadata.certificates), /does not verify/);
    await employee.close();
  });

  it('shows bob no tile and refuses his SP-initiated sign-in (outside the scope)', async () => {
    const employee = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const portal = await employee.newPage();
    await portal.goto(`${server.base}/sso/${instanceId}/portal`);
    await portal.getByLabel('Username').fill('bob');
    await portal.getByLabel('Password').fill(passwords.bob);
    await portal.getByRole('button', { name: 'Sign in' }).click();
    await portal.getByText('No applications are assigned to you yet.').waitFor();
    assert.equal(await portal.locator('ul.tiles li').count(), 0);
    await screenshot(portal, '08-portal-bob-phone');
    await assertAccessible(portal, '08-portal-bob-phone');

    const { application } = await gql(admin, server.base, `query($id: ID!) { application(id: $id) { spEntityId } }`, {
      id: applicationId,
    });
    const before = sp.received.length;
    const sso = await portal.goto(
      redirectAuthnRequest({
        issuer: application.spEntityId,
        acsUrl: sp.acsUrl,
        destination: `${server.base}/saml/apps/${applicationId}/sso`,
      }),
    );
    assert.equal(sso?.status(), 403);
    await portal.getByRole('heading', { name: 'You do not have access to Alibaba Cloud' }).waitFor();
    assert.equal(sp.received.length, before, 'no response reached the ACS');
    // Bob may take the refusal back: the application learns it was denied, and no more.
    await portal.getByRole('button', { name: 'Return to Alibaba Cloud' }).click();
    await sp.waitFor(before + 1);
    const answer = Buffer.from(sp.received[before].SAMLResponse ?? '', 'base64').toString('utf8');
    assert.match(answer, /urn:oasis:names:tc:SAML:2\.0:status:RequestDenied/);
    assert.doesNotMatch(answer, /Assertion/);
    await employee.close();
  });

  it('finds both decisions in the audit log, filtered by application and decision', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Application').selectOption({ label: 'Alibaba Cloud' });
    // Each filter reloads the list: wait for the rows it excludes to go, then check the rest.
    await page.getByRole('cell', { name: /^alice\.wong/ }).first().waitFor();
    await page.getByRole('cell', { name: /^bob/ }).first().waitFor();
    await page.getByLabel('Outcome').selectOption('deny');
    await page.getByRole('cell', { name: /^alice\.wong/ }).first().waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: /^bob/ }).first().waitFor();
    assert.equal(await page.getByRole('cell', { name: /^alice\.wong/ }).count(), 0);
    await page.getByLabel('Outcome').selectOption('allow');
    await page.getByRole('cell', { name: /^bob/ }).first().waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: /^alice\.wong/ }).first().waitFor();
    assert.equal(await page.getByRole('cell', { name: /^bob/ }).count(), 0);
    await screenshot(page, '09-audit-log');
    await assertAccessible(page, '09-audit-log');
  });

  it("shows the day's SSO on the overview, each number linked to the audit log", async () => {
    await page.getByRole('navigation', { name: 'Instance' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    /** @param {RegExp} name */
    const tile = (name) => page.getByRole('list', { name: /Totals/ }).getByRole('link', { name });
    /** @param {RegExp} name */
    const count = async (name) => Number.parseInt(await tile(name).locator('.tile-value').innerText(), 10);
    // alice's SSO into Alibaba Cloud was allowed; bob's refused (outside the scope).
    await tile(/SSO responses/).locator('.tile-value').filter({ hasText: /^\d+$/ }).waitFor();
    assert.ok((await count(/SSO responses/)) >= 1);
    assert.ok((await count(/Refused SSO/)) >= 1);
    assert.ok((await count(/Sign-ins/)) >= 1);
    await page.getByRole('img', { name: /Sign-ins, SSO responses, refused SSO and failed sign-ins, last 24 hours/ }).waitFor();
    await page.getByRole('img', { name: /SSO by application, last 24 hours: Alibaba Cloud \d+ allowed, \d+ refused/ }).waitFor();
    await page.getByRole('img', { name: /Refused SSO by reason, last 24 hours/ }).waitFor();
    // The signing key's expiry is listed.
    await page.getByRole('link', { name: /Signing key \(active/ }).waitFor();
    await page.getByRole('radio', { name: 'Last 7 days' }).check();
    await page.getByRole('img', { name: /last 7 days/ }).first().waitFor();
    await screenshot(page, '10-overview');
    await assertAccessible(page, '10-overview');
    // The platform's overview lists the instance with its numbers, and leads back to it.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Platform overview' }).click();
    await page.getByRole('heading', { name: 'Platform overview' }).waitFor();
    const acme = page.getByRole('row', { name: /Acme/ });
    await acme.waitFor();
    await screenshot(page, '10-platform-overview');
    await assertAccessible(page, '10-platform-overview');
    await acme.getByRole('link', { name: 'Acme' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    // A number opens the audit log with its filter applied: bob's refusal, not alice's SSO.
    await tile(/Refused SSO/).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    assert.equal(await page.getByLabel('Outcome').inputValue(), 'deny');
    await page.getByRole('cell', { name: /^bob/ }).first().waitFor();
    assert.equal(await page.getByRole('cell', { name: /^alice\.wong/ }).count(), 0);
  });
});
