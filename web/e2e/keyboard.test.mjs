// Keyboard alone (issue 24): an admin signs in to the console, creates an instance, opens it
// and creates a user, and an employee signs in to the portal and opens an application — with
// Tab, Shift+Tab, typing and Enter only, never the mouse. Every element reached shows where the
// focus is (a visible outline).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, assertAccessible, gql, launchBrowser, startServer } from './harness.mjs';

/**
 * Presses Tab until the focused element's accessible name (its label, text or aria-label)
 * matches, at most `max` times; fails if it never does, or if the element shows no focus.
 * @param {import('playwright-core').Page} page
 * @param {RegExp} name
 */
async function tabTo(page, name, max = 60) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = /** @type {HTMLElement | null} */ (document.activeElement);
      if (!el || el === document.body) return null;
      const labels = 'labels' in el && el.labels ? Array.from(/** @type {NodeListOf<HTMLLabelElement>} */ (el.labels)) : [];
      const name =
        el.getAttribute('aria-label') ??
        (labels.length ? labels.map((l) => l.textContent ?? '').join(' ') : (el.textContent ?? ''));
      const style = getComputedStyle(el);
      return { name: name.trim(), outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 };
    });
    if (focused && name.test(focused.name)) {
      assert.ok(focused.outline, `the focus on “${focused.name}” is not visible`);
      return;
    }
  }
  assert.fail(`Tab never reached ${name}`);
}

describe('the console and the portal by keyboard alone', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;
  let instanceId = '';

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in, creates an instance, opens it and creates a user', async () => {
    await page.goto(`${server.base}/console/`);
    await tabTo(page, /^Username/);
    await page.keyboard.type('admin');
    await tabTo(page, /^Password/);
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Instances' }).waitFor();

    await tabTo(page, /^Name/);
    await page.keyboard.type('Initech');
    await tabTo(page, /^Create instance$/);
    await page.keyboard.press('Enter');
    await page.getByRole('row', { name: /Initech/ }).waitFor();
    await tabTo(page, /^Manage$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    instanceId = new URL(page.url()).pathname.split('/')[3] ?? '';

    await tabTo(page, /^Users$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await tabTo(page, /^Create user$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Username/);
    await page.keyboard.type('peter');
    await tabTo(page, /^Display name/);
    await page.keyboard.type('Peter Gibbons');
    await tabTo(page, /^Initial password/);
    await page.keyboard.type('a keyboard passphrase');
    await tabTo(page, /^Create$/);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'peter' }).waitFor();
    await assertAccessible(page, 'keyboard-users');
  });

  it('lets an employee sign in to the portal and open an application', async () => {
    const context = page.context();
    const { addApplication } = await gql(
      context,
      server.base,
      `mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: "alibaba-cloud-user-sso-intl", name: "Alibaba Cloud", params: {accountId: "5123456789012345"}}) { application { id } } }`,
      { i: instanceId },
    );
    await gql(
      context,
      server.base,
      `mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { changed } }`,
      { a: addApplication.application.id },
    );
    const employee = await browser.newContext();
    const portal = await employee.newPage();
    // The ACS is answered here: what matters is that Enter on the tile starts the SSO.
    await employee.route('https://signin-intl.aliyun.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>ACS</title><h1>ACS reached</h1>' }),
    );
    await portal.goto(`${server.base}/sso/${instanceId}/portal`);
    await tabTo(portal, /^Username/);
    await portal.keyboard.type('peter');
    await tabTo(portal, /^Password/);
    await portal.keyboard.type('a keyboard passphrase');
    await portal.keyboard.press('Enter');
    await portal.getByRole('heading', { name: 'Your applications' }).waitFor();
    await tabTo(portal, /^Search your applications/);
    await portal.keyboard.type('alibaba');
    await portal.keyboard.press('Enter');
    await portal.getByRole('heading', { name: /Matching/ }).waitFor();
    await tabTo(portal, /Alibaba Cloud/);
    await portal.keyboard.press('Enter');
    await portal.getByRole('heading', { name: 'ACS reached' }).waitFor();
    await employee.close();
  });
});
