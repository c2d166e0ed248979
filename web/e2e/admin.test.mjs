// The rest of the console, clicked through against the real server: CSV import, org units,
// sessions, an instance's sign-in rules and a user's second factors (an employee sets up an
// authenticator app, the admin resets it), access policies (validation at line and column,
// what-if, explain), signing keys, API tokens, and deleting an instance after confirmation; at
// desktop and phone width.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, assertAccessible, gql, launchBrowser, screenshot, startServer } from './harness.mjs';
import { totp } from './totp.mjs';

describe('console pages', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;
  /** @type {import('playwright-core').BrowserContext} */ let admin;
  /** @type {import('playwright-core').Page} */ let page;
  let instanceId = '';
  let applicationId = '';
  const base = () => `${server.base}/console/instances/${instanceId}`;

  before(async () => {
    // Event callbacks may go to a receiver on loopback, and give up after one attempt.
    const env = { LANYARD_EVENTS__ALLOW_INSECURE_LOOPBACK: 'true', LANYARD_OUTBOX__MAX_ATTEMPTS: '1' };
    [server, browser] = await Promise.all([startServer({ env }), launchBrowser()]);
    admin = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await admin.newPage();
    await page.goto(`${server.base}/console/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    const data = await gql(
      admin,
      server.base,
      `mutation { createInstance(input: {name: "Globex"}) { instance { id } } }`,
    );
    instanceId = data.createInstance.instance.id;
    const app = await gql(
      admin,
      server.base,
      `mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: "alibaba-cloud-user-sso-intl", name: "Alibaba Cloud"}) { application { id } } }`,
      { i: instanceId },
    );
    applicationId = app.addApplication.application.id;
    await gql(
      admin,
      server.base,
      `mutation($a: ID!) {
        configureApplicationSso(input: {id: $a, params: {accountId: "5123456789012345"}}) { application { id } }
        setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed }
      }`,
      { a: applicationId },
    );
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('imports users from CSV: a wrong row is shown and nothing saved, then all of them', async () => {
    await page.goto(`${base()}/users`);
    await page.getByText('No users yet').waitFor();
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const csv = page.getByLabel('Or paste it');
    await csv.fill('username,displayName,email,password\ncarol,Carol,carol@globex.example,carol-Passw0rd!\ndave,Dave,not-an-email,\n');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Nothing was imported' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /Row 2, email/);
    await csv.fill('username,displayName,email,password\ncarol,Carol,carol@globex.example,carol-Passw0rd!\ndave,Dave,dave@globex.example,\n');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Imported 2 users.').waitFor();
    await page.getByRole('link', { name: 'carol' }).waitFor();
    await page.getByRole('link', { name: 'dave' }).waitFor();
    await page.getByLabel('Search').fill('car');
    await page.getByText('1 users · page 1').waitFor();
  });

  it('builds an org unit tree and puts a user in it', async () => {
    await page.getByRole('link', { name: 'Org units' }).click();
    await page.getByText('No org units yet.').waitFor();
    await page.getByLabel('Name').fill('Globex');
    await page.getByRole('button', { name: 'Add org unit' }).click();
    await page.getByRole('button', { name: 'Globex' }).click();
    await page.getByText('Globex has no sub-units.').waitFor();
    await page.getByLabel('Name').fill('Engineering');
    await page.getByRole('button', { name: 'Add org unit' }).click();
    await page.getByRole('button', { name: 'Engineering' }).click();
    await page.getByLabel('Search users').fill('carol');
    await page.getByRole('button', { name: 'Add carol' }).click();
    await page.getByRole('link', { name: 'carol' }).waitFor();
    await page.getByRole('button', { name: 'Top level' }).click();
    await page.getByRole('row', { name: /Globex 1 1/ }).waitFor();
    await screenshot(page, '10-org-units');
    await assertAccessible(page, '10-org-units');
  });

  it('lists the members of an org unit, with or without its sub-units', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: 'dave' }).waitFor();
    await page.getByLabel('Members of').selectOption('ORG_UNIT');
    await page.getByRole('button', { name: 'Show members Globex' }).click();
    // carol is in Engineering, below Globex: a member of its subtree, not of Globex itself.
    await page.getByText('Org unit: Globex').waitFor();
    await page.getByRole('link', { name: 'dave' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'carol' }).waitFor();
    await page.getByLabel('With sub-units').uncheck();
    await page.getByText('No user matches.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('link', { name: 'dave' }).waitFor();
  });

  it('moves an org unit, and shows why a move into its own subtree is refused', async () => {
    await page.getByRole('link', { name: 'Org units' }).click();
    await page.getByRole('row', { name: /Globex/ }).getByRole('button', { name: 'Move' }).click();
    const globex = page.getByRole('group', { name: 'Move Globex' });
    await globex.getByRole('button', { name: 'Open Globex' }).click();
    await globex.getByRole('button', { name: 'Move under Engineering' }).click();
    await globex.getByRole('alert').filter({ hasText: 'cannot move under itself or one of its descendants' }).waitFor();
    await globex.getByRole('button', { name: 'Cancel' }).click();
    // Engineering to the top level, then back under Globex, its members with it.
    await page.getByRole('button', { name: 'Globex', exact: true }).click();
    await page.getByRole('row', { name: /Engineering/ }).getByRole('button', { name: 'Move' }).click();
    await page.getByRole('group', { name: 'Move Engineering' }).getByRole('button', { name: 'Move to the top level' }).click();
    await page.getByText('Moved Engineering to the top level.').waitFor();
    await page.getByText('Globex has no sub-units.').waitFor();
    await page.getByRole('button', { name: 'Top level' }).click();
    await page.getByRole('row', { name: /Engineering 0 1/ }).getByRole('button', { name: 'Move' }).click();
    await page.getByRole('group', { name: 'Move Engineering' }).getByRole('button', { name: 'Move under Globex' }).click();
    await page.getByText('Moved Engineering under Globex.').waitFor();
    await page.getByRole('row', { name: /Globex 1 1/ }).waitFor();
  });

  it("lists a user's IdP sessions and revokes them after confirmation", async () => {
    const employee = await browser.newContext();
    const portal = await employee.newPage();
    await portal.goto(`${server.base}/sso/${instanceId}/login`);
    await portal.getByLabel('Username').fill('carol');
    await portal.getByLabel('Password').fill('carol-Passw0rd!');
    await portal.getByRole('button', { name: 'Sign in' }).click();
    // carol opens Alibaba Cloud (its ACS answered here): the session now lists it.
    await employee.route('https://signin-intl.aliyun.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Alibaba Cloud</title>' }),
    );
    await portal.getByRole('link', { name: 'Alibaba Cloud' }).click();
    await portal.waitForURL('https://signin-intl.aliyun.com/**');
    await portal.goto(`${server.base}/sso/${instanceId}/portal`);

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: 'carol' }).click();
    const sessions = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Sessions' }) });
    // Alibaba Cloud has no SP single logout URL: signing out of Lanyard does not reach it.
    await sessions.getByRole('cell', { name: 'Alibaba Cloud (no single logout)' }).waitFor();
    await sessions.getByRole('button', { name: 'Revoke', exact: true }).click();
    await sessions.getByRole('button', { name: 'Yes, revoke' }).click();
    await sessions.getByText('No live sessions.').waitFor();
    await screenshot(page, '11-user');
    await assertAccessible(page, '11-user');
    await portal.reload();
    await portal.getByRole('button', { name: 'Sign in' }).waitFor();
    await employee.close();
  });

  it("sets an instance's sign-in rules: the server's refusal at the allowed factors, then a second factor of everyone", async () => {
    await page.getByRole('link', { name: 'Instances' }).click();
    const row = page.getByRole('row', { name: /Globex/ });
    // A new instance asks for a second factor only when a policy or an application does.
    await row.getByRole('cell', { name: 'Second factor when asked · emailed code, authenticator app, passkey' }).waitFor();
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit Globex' });
    const rules = form.getByRole('region', { name: 'Sign-in rules' });
    const allowed = rules.getByRole('group', { name: 'Allowed second factors' });
    assert.equal(await rules.getByRole('radio', { name: 'Only when asked' }).isChecked(), true);
    await rules.getByRole('radio', { name: 'Everyone, at every sign-in' }).check();
    // Passkeys must verify the employee every time: a choice kept while passkeys are not allowed.
    const verification = rules.getByRole('group', { name: 'Passkey user verification' });
    assert.equal(await verification.getByRole('radio', { name: 'Preferred: when the key can' }).isChecked(), true);
    const required = verification.getByRole('radio', { name: 'Required: every time' });
    await required.check();
    for (const name of ['Emailed code', 'Authenticator app', 'Passkey']) {
      await allowed.getByRole('checkbox', { name, exact: true }).uncheck();
    }
    const alone = rules.getByRole('checkbox', { name: /passkey alone/ });
    assert.equal(await alone.isDisabled(), true, 'no passkey sign-in without passkeys');
    assert.equal(await required.isDisabled(), true, 'no verification to choose without passkeys');
    await form.getByRole('button', { name: 'Save' }).click();
    // Everyone must give a factor and none is allowed: nobody could sign in, the server says.
    await allowed.getByRole('alert').filter({ hasText: 'needs at least one allowed factor' }).waitFor();
    const app = allowed.getByRole('checkbox', { name: 'Authenticator app' });
    assert.equal(await app.getAttribute('aria-invalid'), 'true');
    await screenshot(page, '11a-sign-in-rules-refused');
    await assertAccessible(page, '11a-sign-in-rules-refused');
    await app.check();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await row.getByRole('cell', { name: 'Second factor for everyone · authenticator app' }).waitFor();
    const { instance } = await gql(
      admin,
      server.base,
      `query($i: ID!) { instance(id: $i) { signInRules { mfaRequired allowedFactors passkeySignIn passkeyUserVerification } } }`,
      { i: instanceId },
    );
    assert.deepEqual(instance.signInRules, {
      mfaRequired: 'EVERYONE',
      allowedFactors: ['TOTP'],
      passkeySignIn: true,
      passkeyUserVerification: 'REQUIRED',
    });
  });

  it("resets an employee's second factors after a dialog that says what happens", async () => {
    // carol signs in; everyone must give a second factor and she has none: she sets up an
    // authenticator app on the way, and gets her recovery codes.
    const employee = await browser.newContext();
    const portal = await employee.newPage();
    const signIn = async () => {
      await portal.goto(`${server.base}/sso/${instanceId}/login`);
      await portal.getByLabel('Username').fill('carol');
      await portal.getByLabel('Password').fill('carol-Passw0rd!');
      await portal.getByRole('button', { name: 'Sign in' }).click();
      await portal.getByRole('heading', { name: 'Set up an authenticator app' }).waitFor();
    };
    await signIn();
    const key = await portal.locator('#totp-secret').innerText();
    await portal.getByLabel('A name for this app (optional)').fill('Pixel 9');
    await portal.getByLabel('Code from the app').fill(totp(key));
    await portal.getByRole('button', { name: 'Turn on' }).click();
    await portal.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    assert.equal(await portal.locator('#recovery-codes li').count(), 10);
    await portal.getByRole('link', { name: 'I have saved them: continue' }).click();
    await portal.getByRole('heading', { name: 'Your applications' }).waitFor();

    // The admin sees what she has (never its key) and her session with both factors.
    await page.goto(`${base()}/users`);
    await page.getByRole('link', { name: 'carol' }).click();
    const factors = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Second factors' }) });
    const factor = factors.getByRole('row', { name: /Pixel 9/ });
    await factor.getByRole('cell', { name: 'Authenticator app' }).waitFor();
    await factors.getByText('10 recovery codes left.').waitFor();
    assert.equal(await factors.getByText(key).count(), 0);
    const sessions = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Sessions' }) });
    await sessions.getByText(/password, totp/).waitFor();

    // She lost her phone: the admin resets, after the dialog, or not at all.
    const reset = factors.getByRole('button', { name: 'Reset second factors' });
    await reset.click();
    let dialog = page.getByRole('alertdialog', { name: 'Reset the second factors of carol?' });
    await dialog.getByText('Their second factors (1) and recovery codes (10 left) are removed and stop working.').waitFor();
    await dialog.getByText('All their sessions end: they must sign in again everywhere.').waitFor();
    await dialog.getByText('They are emailed at carol@globex.example that their second factors were reset.').waitFor();
    await dialog
      .getByText('Everyone here gives a second factor: at their next sign-in they must set up a new authenticator app before they get in.')
      .waitFor();
    await screenshot(page, '11b-reset-factors-dialog');
    await assertAccessible(page, '11b-reset-factors-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await reset.evaluate((b) => b === document.activeElement), true, 'focus back on the button');
    await factor.waitFor();
    await reset.click();
    dialog = page.getByRole('alertdialog', { name: 'Reset the second factors of carol?' });
    await dialog.getByRole('button', { name: 'Reset second factors' }).click();
    await factors
      .getByText('Reset: 1 second factor removed and 1 session ended. An email telling them is on its way to carol@globex.example.')
      .waitFor();
    await factors.getByText('No second factor set up.').waitFor();
    await sessions.getByText('No live sessions.').waitFor();
    await screenshot(page, '11c-factors-reset');
    await assertAccessible(page, '11c-factors-reset');
    const { auditEvents } = await gql(
      admin,
      server.base,
      `query($i: ID!) { auditEvents(instanceId: $i, first: 5) { nodes { action summary } } }`,
      { i: instanceId },
    );
    const audited = auditEvents.nodes.find((/** @type {{ action: string }} */ e) => e.action === 'resetUserFactors');
    assert.ok(audited, 'the reset is audited');
    assert.equal(audited.summary.factorsRemoved, 1);

    // She is signed out, and sets up a new app at her next sign-in.
    await portal.reload();
    await portal.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn();
    await employee.close();
  });

  it("edits a user's profile, and disables and reactivates them after confirmation", async () => {
    const profile = page.getByRole('form', { name: 'Profile' });
    await profile.getByLabel('Email').fill('not an address');
    await profile.getByRole('button', { name: 'Save' }).click();
    await profile.locator('.field-invalid').getByRole('alert').waitFor();
    assert.equal(await profile.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    await profile.getByLabel('Email').fill('carol@globex.example');
    await profile.getByLabel('Display name').fill('Carol Danvers');
    await profile.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Yes, disable' }).click();
    await page.locator('h1 .badge').filter({ hasText: 'disabled' }).waitFor();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.locator('h1 .badge').filter({ hasText: 'active' }).waitFor();
  });

  it('edits an access policy: problems at line and column, the effect before saving, and explain', async () => {
    await page.getByRole('link', { name: 'Access policies' }).click();
    await page.getByText('No instance policies').waitFor();
    await page.getByRole('button', { name: 'New policy' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Office network');
    const source = page.getByLabel('Cedar policy');
    await source.fill('forbid (principal, action == Lanyard::Action::"sso", resource)\nunless { context.sourceIpp.isInRange(ip("10.0.0.0/8")) };');
    const problem = page.locator('.problems li').first();
    await problem.waitFor();
    assert.match(await problem.innerText(), /^Line 2, column \d+: /);
    assert.equal(await page.getByRole('button', { name: 'Save policy' }).isDisabled(), true);
    await source.fill('forbid (principal, action == Lanyard::Action::"sso", resource)\nunless { context.sourceIp.isInRange(ip("10.0.0.0/8")) };');
    await page.getByText('Valid against the schema.').waitFor();
    await page.getByRole('button', { name: 'What would change?' }).click();
    // From no address (the simulation's default context) nobody is in the office range: both
    // users, let in by the all-members scope, would lose the application.
    await page.getByText('Of 2 user–application pairs, 0 would gain access and 2 would lose it.').waitFor();
    await page.getByText('carol loses Alibaba Cloud').waitFor();
    await screenshot(page, '12-policy-editor');
    await assertAccessible(page, '12-policy-editor');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy saved.').waitFor();
    await page.getByRole('cell', { name: /Office network/ }).waitFor();

    await page.getByLabel('Search users').fill('carol');
    await page.getByRole('button', { name: 'Choose carol' }).click();
    await page.getByLabel('Application').selectOption({ label: 'Alibaba Cloud' });
    await page.getByLabel('From address (optional)').fill('192.0.2.7');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByText(/^Denied\./).waitFor();
    await page.getByLabel('From address (optional)').fill('10.1.2.3');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByText(/^Allowed\./).waitFor();
    await page.getByLabel('From address (optional)').fill('not an address');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.locator('.field-invalid').getByRole('alert').waitFor();
    await screenshot(page, '13-explain');
    await assertAccessible(page, '13-explain');
  });

  it('rotates and activates a signing key', async () => {
    await page.getByRole('link', { name: 'Signing keys' }).click();
    await page.getByText('active', { exact: true }).waitFor();
    await page.getByLabel('Algorithm').selectOption('ECDSA_P256');
    await page.getByRole('button', { name: 'Rotate: add a pending key' }).click();
    await page.getByText('Added a pending key.').waitFor();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('button', { name: 'Yes, activate' }).click();
    await page.getByText('Activated; the previous key is retired.').waitFor();
    await page.getByText('retired', { exact: true }).waitFor();
    await page.getByRole('cell', { name: 'ECDSA P256' }).waitFor();
    await screenshot(page, '14-signing-keys');
    await assertAccessible(page, '14-signing-keys');
  });

  it('creates an API token whose secret is shown once, and revokes it', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Name').fill('nightly sync');
    await page.getByLabel('Role').selectOption('AUDITOR');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.getByLabel('Token secret').inputValue();
    assert.match(secret, /^eyJ/);
    // The secret works as a bearer token (auditors may read).
    const response = await fetch(`${server.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: '{ viewer { name } }' }),
    });
    assert.equal((await response.json()).data.viewer.name, 'nightly sync');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await page.getByLabel('Token secret').count(), 0);
    await screenshot(page, '15-api-tokens');
    await assertAccessible(page, '15-api-tokens');
    const row = page.getByRole('row', { name: /nightly sync/ });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText('revoked').waitFor();
  });

  it('subscribes a receiver, shows a failed callback with its attempts, and sends it again', async () => {
    // A receiver that refuses until told otherwise.
    let accept = false;
    const received = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(body);
        res.writeHead(accept ? 202 : 503);
        res.end();
      });
    });
    await new Promise((ok) => receiver.listen(0, '127.0.0.1', () => ok(undefined)));
    const address = receiver.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    try {
      await page.goto(`${base()}/events`);
      await page.getByText('No subscriptions yet.').waitFor();
      await page.getByLabel('Receiver URL').fill(url);
      await page.getByLabel('user.created').check();
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await page.getByText('Subscription created.').waitFor();
      await page.getByRole('row', { name: /user\.created/ }).getByRole('button', { name: 'Ping' }).click();
      await page.getByText(`A ping is on its way to ${url}.`).waitFor();

      await page.getByRole('link', { name: 'Deliveries' }).click();
      await page.getByLabel('Kind').selectOption('EVENT');
      const row = page.getByRole('row', { name: /ping/ });
      const refreshUntil = async (/** @type {import('playwright-core').Locator} */ shown) => {
        for (let i = 0; i < 50 && !(await shown.count()); i++) {
          await new Promise((ok) => setTimeout(ok, 200));
          await page.getByRole('button', { name: 'Refresh' }).click();
        }
        await shown.waitFor();
      };
      // The one attempt fails: the callback is given up, with the receiver's answer.
      await page.getByLabel('Status').selectOption('DEAD');
      await refreshUntil(row.getByText('failed'));
      await row.getByRole('button', { name: 'Attempts' }).click();
      await row.getByText(/#1 .* · failed · 503/).waitFor();
      accept = true;
      await row.getByRole('button', { name: 'Send again' }).click();
      await page.getByText(`ping to ${url} is sent again.`).waitFor();
      await page.getByLabel('Status').selectOption('DELIVERED');
      await refreshUntil(page.getByRole('row', { name: /ping.*delivered/ }));
      assert.equal(received.length, 2, 'one refused attempt, then one delivered');
      await screenshot(page, '14-deliveries');
      await assertAccessible(page, '14-deliveries');
    } finally {
      await new Promise((ok) => receiver.close(() => ok(undefined)));
    }
  });

  it('works at phone width', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await admin.storageState() });
    const small = await phone.newPage();
    const pages = [
      ['applications/' + applicationId, 'Single sign-on', '16-sso-configuration-phone'],
      ['users', 'Users', '17-users-phone'],
      ['policies', 'Access policies', '18-policies-phone'],
      ['audit', 'Audit log', '19-audit-phone'],
    ];
    for (const [path, heading, name] of pages) {
      await small.goto(`${base()}/${path}`);
      await small.getByRole('heading', { name: heading, exact: true }).waitFor();
      await small.locator('.loading').waitFor({ state: 'detached' });
      await screenshot(small, name);
      const wide = await small.evaluate(() =>
        Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
          .slice(0, 5),
      );
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${path} scrolls sideways by ${overflow}px: ${wide.join(', ')}`);
    }
    await phone.close();
  });

  it('edits an instance (a second factor only when asked again) and deletes it only after confirmation', async () => {
    await page.getByRole('link', { name: 'Instances' }).click();
    const row = page.getByRole('row', { name: /Globex/ });
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit Globex' });
    await form.getByLabel('Description').fill('Globex Corporation');
    await form.getByRole('radio', { name: 'Only when asked' }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Globex Corporation' }).waitFor();
    await row.getByRole('cell', { name: 'Second factor when asked · authenticator app' }).waitFor();
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('Deleted Globex.').waitFor();
    await page.getByText('No instances yet').waitFor();
  });
});
