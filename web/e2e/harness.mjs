// What the browser tests run against: the real `lanyard` binary on a temp SQLite database,
// Debian's Chromium driven by playwright-core, and a loopback service provider that records
// what is POSTed to its ACS.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { postAuthnRequestPage, redirectAuthnRequest } from './saml.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const webDir = resolve(here, '..');
export const repoDir = resolve(webDir, '..');
export const screenshotDir = join(webDir, 'test-results', 'screenshots');
export const ADMIN_PASSWORD = 'console-e2e correct horse';

/** The binary `make test-web` built: $LANYARD_BIN, else the cargo target directory's. */
function lanyardBinary() {
  const bin =
    process.env.LANYARD_BIN ??
    join(process.env.CARGO_TARGET_DIR ?? join(repoDir, 'target'), 'debug', 'lanyard');
  if (!existsSync(bin)) {
    throw new Error(`${bin} does not exist: build it with \`cargo build --bin lanyard\` (or set LANYARD_BIN)`);
  }
  return bin;
}

async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((ok) => server.close(() => ok(undefined)));
  return port;
}

/**
 * Starts `lanyard serve` on a free port with a fresh database and the built console. `host`
 * names it in its public URL (`base`); the browser resolves it to loopback ([`launchBrowser`]),
 * and `local` reaches it from this process.
 * `env` adds configuration (`LANYARD_…` variables).
 * @param {{ host?: string, env?: Record<string, string> }} [options]
 * @returns {Promise<{ base: string, local: string, stop: () => Promise<void>, log: () => string }>}
 */
export async function startServer({ host = '127.0.0.1', env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lanyard-console-e2e-'));
  const port = await freePort();
  const local = `http://127.0.0.1:${port}`;
  const base = `http://${host}:${port}`;
  const consoleDir = join(webDir, 'dist');
  if (!existsSync(join(consoleDir, 'index.html'))) {
    throw new Error('web/dist is not built: run `npm run build` first');
  }
  let output = '';
  const child = spawn(
    lanyardBinary(),
    [
      'serve',
      '--listen', `127.0.0.1:${port}`,
      '--public-url', base,
      '--database-url', `sqlite://${join(dir, 'lanyard.db')}?mode=rwc`,
      '--data-dir', dir,
    ],
    {
      cwd: dir,
      env: {
        ...process.env,
        LANYARD_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LANYARD_CONSOLE_DIR: consoleDir,
        LANYARD_LOG__LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((ok) => child.on('exit', ok));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`lanyard exited early:\n${output}`);
    try {
      const r = await fetch(`${local}/readyz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`lanyard did not become ready:\n${output}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return {
    base,
    local,
    log: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A loopback service provider: its ACS records every POST and answers with a page that says
 * what it received. `host` names it in its URLs, as [`startServer`]'s does. `/login?binding=…`
 * starts an SP-initiated sign-in, once `idp` is set: a 302 with the request (HTTP-Redirect) or
 * an auto-submitting form (HTTP-POST), as the SP's own login page would.
 * @param {{ host?: string }} [options]
 */
export async function startServiceProvider({ host = '127.0.0.1' } = {}) {
  /** @type {{ issuer: string, destination: string } | undefined} */
  let idp;
  /** @type {{ SAMLResponse?: string, RelayState?: string }[]} */
  const received = [];
  /** @type {((value: unknown) => void)[]} */
  const waiters = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/acs') {
        const form = new URLSearchParams(body);
        received.push({
          SAMLResponse: form.get('SAMLResponse') ?? undefined,
          RelayState: form.get('RelayState') ?? undefined,
        });
        waiters.splice(0).forEach((w) => w(undefined));
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Test SP</title><h1>Test SP received a SAML Response</h1>');
      } else if (req.method === 'GET' && req.url?.startsWith('/login?') && idp) {
        const binding = new URL(req.url, 'http://sp').searchParams.get('binding');
        const request = { ...idp, acsUrl };
        if (binding === 'post') {
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(postAuthnRequestPage(request));
        } else {
          res.writeHead(302, { location: redirectAuthnRequest(request) });
          res.end();
        }
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://${host}:${port}`;
  const acsUrl = `${base}/acs`;
  return {
    base,
    acsUrl,
    received,
    /** The IdP the login page sends requests to. @param {{ issuer: string, destination: string }} to */
    useIdp: (to) => {
      idp = to;
    },
    /** Resolves when the ACS has received `count` responses. */
    waitFor: async (/** @type {number} */ count) => {
      while (received.length < count) await new Promise((ok) => waiters.push(ok));
    },
    stop: () => new Promise((ok) => server.close(() => ok(undefined))),
  };
}

/**
 * Debian's Chromium. `hosts` are resolved to loopback, so that the IdP and an SP can be two
 * different sites on one machine, as they are in production.
 * @param {{ hosts?: string[] }} [options]
 */
export async function launchBrowser({ hosts = [] } = {}) {
  const rules = hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ');
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      ...(rules ? [`--host-resolver-rules=${rules}`] : []),
    ],
  });
}

/** @param {import('playwright-core').Page} page @param {string} name */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * GraphQL through the browser context, so that it carries the console's session cookie.
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} base
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 */
export async function gql(context, base, query, variables = {}) {
  const response = await context.request.post(`${base}/graphql`, {
    headers: { 'content-type': 'application/json' },
    data: { query, variables },
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is and fails on any violation of
 * serious or critical impact, naming the rule and the elements.
 * @param {import('playwright-core').Page} page
 * @param {string} what
 */
export async function assertAccessible(page, what) {
  // Evaluated through the debugging protocol, which the pages' CSP does not govern.
  await page.evaluate(readFileSync(join(webDir, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    // @ts-ignore -- axe is the global the script defines
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations
      .filter((/** @type {{ impact: string }} */ v) => v.impact === 'serious' || v.impact === 'critical')
      .map((/** @type {{ id: string, help: string, nodes: { target: string[] }[] }} */ v) => ({
        id: v.id,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
      }));
  });
  if (violations.length > 0) {
    throw new Error(`${what} has accessibility violations:\n${JSON.stringify(violations, null, 2)}`);
  }
}
