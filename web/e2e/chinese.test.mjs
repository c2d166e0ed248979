// Chinese and English (issue 24): a browser whose language is Chinese gets the console, the
// portal and the server's own pages in Chinese — every console page and the employee pages are
// visited, screenshot (zh-*.png), checked by axe-core and searched for English left behind —
// and the language switch of either brings the other back to English, for both of them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_PASSWORD, assertAccessible, gql, launchBrowser, screenshot, startServer } from './harness.mjs';
import { totp } from './totp.mjs';

/**
 * The visible texts of the page that read as English UI text: a label of two or more words,
 * the first capitalised ("Sign out"), or any run of three English words. Product and protocol
 * names, the same in every language, are not counted.
 * @param {import('playwright-core').Page} page
 */
async function englishLeft(page) {
  return page.evaluate(() => {
    // Product and protocol names, the same in every language, and browsers' user agents.
    const same =
      /Mozilla\/5\.0 .*|Alibaba Cloud [\w-]+ SSO \((?:International|China) Site\)|Alibaba Cloud|Lanyard|SAML 2\.0|SAML|OpenID Connect|Cedar|Entity ID|NameID|ACS|RSA|ECDSA|HTTP-\w+|IDaaS|RAM|Microsoft Entra ID|English/g;
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('code, pre, textarea, script, style, [hidden], svg')) continue;
      if (!parent.checkVisibility?.()) continue;
      const text = (node.textContent ?? '').trim();
      const rest = text.replace(same, ' ');
      // A label ("Sign out") or any run of three English words ("the profile picture").
      if (/^[A-Z][a-z]+(?: [A-Za-z][a-z]+)+[.…:]?$/.test(rest.trim()) || /[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}/.test(rest)) {
        found.push(text);
      }
    }
    return found;
  });
}

describe('the console and the employee pages in Chinese', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
  /** @type {import('playwright-core').Browser} */ let browser;
  /** @type {import('playwright-core').BrowserContext} */ let admin;
  /** @type {import('playwright-core').Page} */ let page;
  let instanceId = '';
  let userId = '';
  let applicationId = '';

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    admin = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    page = await admin.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs the admin in to the console in Chinese, as the browser asks', async () => {
    await page.goto(`${server.base}/console/`);
    await page.getByRole('heading', { name: '登录 Lanyard 控制台', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '实例', exact: true }).waitFor();
    await screenshot(page, 'zh-00-sign-in-done');
    // Data for the pages: an instance with a user, a group, an org unit and an application.
    const { createInstance } = await gql(admin, server.base, `mutation { createInstance(input: {name: "示例公司"}) { instance { id } } }`);
    instanceId = createInstance.instance.id;
    const { createUser } = await gql(
      admin,
      server.base,
      `mutation($i: ID!) { createUser(input: {instanceId: $i, username: "xiaoming", displayName: "王小明", email: "xm@example.com", password: "xiaoming-Passw0rd!"}) { user { id } } }`,
      { i: instanceId },
    );
    userId = createUser.user.id;
    await gql(admin, server.base, `mutation($i: ID!) { createGroup(input: {instanceId: $i, name: "云管理员"}) { group { id } } }`, { i: instanceId });
    await gql(admin, server.base, `mutation($i: ID!) { createOrgUnit(input: {instanceId: $i, name: "研发部"}) { orgUnit { id } } }`, { i: instanceId });
    const { addApplication } = await gql(
      admin,
      server.base,
      `mutation($i: ID!) { addApplication(input: {instanceId: $i, templateId: "alibaba-cloud-user-sso-intl", name: "阿里云", params: {accountId: "5123456789012345"}}) { application { id } } }`,
      { i: instanceId },
    );
    applicationId = addApplication.application.id;
    await gql(
      admin,
      server.base,
      `mutation($a: ID!) { setAuthorizationScope(input: {applicationId: $a, scope: ALL_MEMBERS}) { application { id } } }`,
      { a: applicationId },
    );
  });

  /** Every console page, by its path and the Chinese heading it shows. */
  const pages = () => [
    ['instances', '/console/', '实例'],
    ['tokens', '/console/tokens', 'API 令牌'],
    ['platform-overview', '/console/overview', '平台概览'],
    ['platform-audit', '/console/audit', '平台审计日志'],
    ['security', '/console/security', '安全'],
    ['overview', `/console/instances/${instanceId}/overview`, '概览'],
    ['users', `/console/instances/${instanceId}/users`, '用户'],
    ['user', `/console/instances/${instanceId}/users/${userId}`, /^xiaoming/],
    ['groups', `/console/instances/${instanceId}/groups`, '用户组'],
    ['org-units', `/console/instances/${instanceId}/org-units`, '组织'],
    ['provisioning', `/console/instances/${instanceId}/provisioning`, '用户预配'],
    ['applications', `/console/instances/${instanceId}/applications`, '应用'],
    ['marketplace', `/console/instances/${instanceId}/applications/new`, '应用市场'],
    ['application', `/console/instances/${instanceId}/applications/${applicationId}`, '阿里云'],
    ['policies', `/console/instances/${instanceId}/policies`, '访问策略'],
    ['keys', `/console/instances/${instanceId}/keys`, '签名密钥'],
    ['audit', `/console/instances/${instanceId}/audit`, '审计日志'],
    ['deliveries', `/console/instances/${instanceId}/deliveries`, '投递'],
    ['events', `/console/instances/${instanceId}/events`, '事件订阅'],
  ];

  it('shows every console page in Chinese, accessible, with no English left', async () => {
    for (const [name, path, heading] of pages()) {
      await page.goto(`${server.base}${path}`);
      await page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
      // Wait for what loads after the heading (lists, counts, charts).
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
      await screenshot(page, `zh-console-${name}`);
      await assertAccessible(page, `zh-console-${name}`);
      assert.deepEqual(await englishLeft(page), [], `English on the ${name} page`);
    }
  });

  it('shows the sign-in page, the portal, the account page and recovery in Chinese', async () => {
    const employee = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const portal = await employee.newPage();
    await portal.goto(`${server.base}/sso/${instanceId}/portal`);
    await portal.getByRole('heading', { name: '登录 示例公司', exact: true }).waitFor();
    assert.equal(await portal.evaluate(() => document.documentElement.lang), 'zh-CN');
    await screenshot(portal, 'zh-sso-sign-in');
    await assertAccessible(portal, 'zh-sso-sign-in');
    await portal.getByLabel('用户名').fill('xiaoming');
    await portal.getByLabel('密码').fill('wrong password');
    await portal.getByRole('button', { name: '登录' }).click();
    await portal.getByRole('alert').filter({ hasText: '用户名或密码不正确。' }).waitFor();
    await portal.getByLabel('密码').fill('xiaoming-Passw0rd!');
    await portal.getByRole('button', { name: '登录' }).click();
    await portal.getByRole('heading', { name: '我的应用', exact: true }).waitFor();
    await portal.getByRole('link', { name: '阿里云' }).waitFor();
    await screenshot(portal, 'zh-sso-portal');
    await assertAccessible(portal, 'zh-sso-portal');
    assert.deepEqual(await englishLeft(portal), [], 'English on the portal');
    await portal.getByRole('link', { name: '我的账户' }).click();
    await portal.getByRole('heading', { name: '修改密码', exact: true }).waitFor();
    await screenshot(portal, 'zh-sso-account');
    await assertAccessible(portal, 'zh-sso-account');
    assert.deepEqual(await englishLeft(portal), [], 'English on the account page');
    // The server's own refusals are Chinese too: a new password against the rules.
    await portal.getByLabel('当前密码').fill('xiaoming-Passw0rd!');
    await portal.getByLabel('新密码').fill('short');
    await portal.getByRole('button', { name: '修改密码' }).click();
    await portal.getByText('密码至少需要 8 个字符').waitFor();
    assert.deepEqual(await englishLeft(portal), [], 'English in the refusal');
    await portal.goto(`${server.base}/i/${instanceId}/password/forgot`);
    await portal.getByRole('heading', { name: '忘记密码？', exact: true }).waitFor();
    await screenshot(portal, 'zh-sso-forgot');
    await assertAccessible(portal, 'zh-sso-forgot');
    assert.deepEqual(await englishLeft(portal), [], 'English on the recovery page');

    // The switch at the foot of the page: English, for this page and the console alike.
    await portal.getByRole('link', { name: 'English' }).click();
    await portal.getByRole('heading', { name: 'Forgot your password?', exact: true }).waitFor();
    assert.equal(await portal.evaluate(() => document.documentElement.lang), 'en');
    const cookies = await employee.cookies(server.base);
    assert.equal(cookies.find((c) => c.name === 'lanyard_lang')?.value, 'en');
    await portal.goto(`${server.base}/sso/${instanceId}/portal`);
    await portal.getByRole('heading', { name: 'Your applications', exact: true }).waitFor();
    await portal.goto(`${server.base}/console/`);
    await portal.getByRole('heading', { name: 'Sign in to the Lanyard console', exact: true }).waitFor();
    await employee.close();
  });

  it("shows an instance's sign-in rules and a user's second factors, and their reset, in Chinese", async () => {
    // xiaoming sets up an authenticator app on his account page.
    const employee = await browser.newContext({ locale: 'zh-CN' });
    const portal = await employee.newPage();
    await portal.goto(`${server.base}/sso/${instanceId}/login`);
    await portal.getByLabel('用户名').fill('xiaoming');
    await portal.getByLabel('密码').fill('xiaoming-Passw0rd!');
    await portal.getByRole('button', { name: '登录' }).click();
    await portal.getByRole('heading', { name: '我的应用', exact: true }).waitFor();
    await portal.goto(`${server.base}/sso/${instanceId}/account`);
    await portal.getByRole('link', { name: '设置身份验证器应用' }).click();
    const key = await portal.locator('#totp-secret').innerText();
    await portal.getByLabel('为此应用命名（可选）').fill('小明的手机');
    await portal.getByLabel('应用中的验证码').fill(totp(key));
    await portal.getByRole('button', { name: '启用' }).click();
    await portal.getByText('身份验证器应用已设置好。').waitFor();
    await employee.close();

    await page.goto(`${server.base}/console/`);
    await page.getByRole('row', { name: /示例公司/ }).getByRole('button', { name: '编辑' }).click();
    await page.getByRole('form', { name: '编辑 示例公司' }).getByRole('region', { name: '登录规则' }).waitFor();
    await screenshot(page, 'zh-console-sign-in-rules');
    await assertAccessible(page, 'zh-console-sign-in-rules');
    assert.deepEqual(await englishLeft(page), [], 'English in the sign-in rules');

    await page.goto(`${server.base}/console/instances/${instanceId}/users/${userId}`);
    const factors = page.locator('.card').filter({ has: page.getByRole('heading', { name: '第二重验证', exact: true }) });
    await factors.getByRole('row', { name: /小明的手机/ }).getByRole('cell', { name: '身份验证器应用' }).waitFor();
    await factors.getByText('剩余 10 个恢复码。').waitFor();
    await factors.getByRole('button', { name: '重置第二重验证' }).click();
    const dialog = page.getByRole('alertdialog', { name: '确定重置 xiaoming 的第二重验证？' });
    await dialog.getByText('系统将发送邮件至 xm@example.com，告知其第二重验证方式已被移除。').waitFor();
    await screenshot(page, 'zh-console-reset-factors');
    await assertAccessible(page, 'zh-console-reset-factors');
    assert.deepEqual(await englishLeft(page), [], 'English in the reset dialog');
    await dialog.getByRole('button', { name: '重置第二重验证' }).click();
    // His sessions of this test and of the one before end with it.
    await factors.getByText(/^已重置：删除了 1 个第二重验证方式，结束了 \d+ 个会话。通知邮件正在发送至 xm@example\.com。$/).waitFor();
    await factors.getByText('尚未设置第二重验证方式。').waitFor();
    assert.deepEqual(await englishLeft(page), [], 'English after the reset');
  });

  it('switches the console to English and the server pages follow', async () => {
    await page.goto(`${server.base}/console/`);
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('heading', { name: 'Instances', exact: true }).waitFor();
    await page.goto(`${server.base}/sso/${instanceId}/login`);
    await page.getByRole('heading', { name: 'Sign in to 示例公司', exact: true }).waitFor();
    await page.getByRole('link', { name: '简体中文' }).click();
    await page.getByRole('heading', { name: '登录 示例公司', exact: true }).waitFor();
    await page.goto(`${server.base}/console/`);
    await page.getByRole('heading', { name: '实例', exact: true }).waitFor();
  });
});
