// Shared by the browser flows: the server run.sh started, its users, one Chromium per test file, sign-in, screenshots, axe.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the flows through tests/browser/run.sh`);
  return value;
}

// Set by run.sh: the server's base URL, the campaign it imported, and the users it created
// ({ admin, approver, editorEducation, editorPolice, viewer } → { name, password, role, department }).
export const baseUrl = required('LOA_URL');
export const campaign = required('LOA_CAMPAIGN');
export const users = JSON.parse(required('LOA_USERS'));
export const screenshotDir = process.env.LOA_SCREENSHOTS || '';
export const campaignPath = `/campaigns/${campaign}`;

// Both languages every page is served in; Vietnamese is the default.
export const languages = ['vi', 'en'];

// The hostile titles of the issue: they must show as text everywhere.
export const hostileTitles = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];

// The flags this machine's Chromium needs: no sandbox as root, and no background connections (the
// network is closed; without these Chromium retries Google's hosts at every start). Playwright gives
// each launch a fresh, empty profile (user-data-dir) of its own and removes it on close.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.LOA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    timeout: 30_000,
  });
}

// A fresh context (no cookies) in `lang` (Accept-Language; the server's choice when no user
// preference or lang cookie says otherwise). Every page of it fails the test on a JavaScript error
// (or a console error, e.g. a CSP refusal) and records dialogs: none of loa's pages opens one unless a
// button asks for confirmation.
export async function newContext(browser, { lang = 'vi', viewport = { width: 1280, height: 900 }, bypassCSP = false } = {}) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
    extraHTTPHeaders: { 'Accept-Language': lang === 'vi' ? 'vi-VN,vi;q=0.9' : 'en-GB,en;q=0.9' },
    viewport,
    bypassCSP,
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  context.pageErrors = [];
  context.dialogs = [];
  context.on('page', (page) => watchPage(context, page));
  return context;
}

function watchPage(context, page) {
  page.on('pageerror', (error) => context.pageErrors.push(`${page.url()}: ${error.message}`));
  // Console errors are what the CSP refuses (an inline script or style) and script failures; a
  // failed resource load is the 403/404 a test asked for.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      context.pageErrors.push(`${page.url()}: console: ${message.text()}`);
    }
  });
  page.on('dialog', async (dialog) => {
    context.dialogs.push({ type: dialog.type(), message: dialog.message(), url: page.url() });
    // A confirm asked by a data-confirm button is accepted; anything else is dismissed (and the
    // test that did not expect it fails on context.dialogs).
    if (dialog.type() === 'confirm') await dialog.accept();
    else await dialog.dismiss();
  });
}

// Navigates and asserts the status (200 unless told otherwise).
export async function open(page, url, { status = 200 } = {}) {
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.ok(response, `no response for ${url}`);
  assert.equal(response.status(), status, `GET ${url}: status ${response.status()}, expected ${status}`);
  return response;
}

// Signs in through the login form like a person would, then checks that the session took.
export async function signIn(page, who, { next } = {}) {
  const user = typeof who === 'string' ? users[who] : who;
  assert.ok(user, `unknown test user ${who}`);
  await open(page, next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.locator('#login-name').fill(user.name);
  await page.locator('#login-password').fill(user.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#login-submit').click()]);
  await assert.doesNotReject(page.locator('#logout-button').waitFor({ state: 'attached', timeout: 5_000 }),
    `signing in as ${user.name} did not lead to a signed-in page (now at ${page.url()})`);
  return user;
}

// The CSRF token of the signed-in page (every layout carries it in the logout form).
export async function csrfToken(page) {
  return page.locator('form.logout-form input[name="csrf_token"]').first().inputValue();
}

// A full-page screenshot in the build folder (LOA_SCREENSHOTS), named `<name>.<lang>.png`.
export async function screenshot(page, name, lang) {
  if (!screenshotDir) return;
  await mkdir(screenshotDir, { recursive: true });
  // Very long pages (a whole month of the master calendar) are cut at 6000 px: enough to look at,
  // and much quicker to take.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const width = page.viewportSize()?.width ?? 1280;
  await page.screenshot({
    path: path.join(screenshotDir, `${name}.${lang}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(height, 6000) },
  });
}

// Every page must have one <main> and an <h1>, and no script or console errors so far.
export async function assertPageBasics(page, context) {
  assert.equal(await page.locator('main').count(), 1, `${page.url()}: expected one <main>`);
  assert.ok((await page.locator('h1').count()) >= 1, `${page.url()}: expected an <h1>`);
  assert.deepEqual(context.pageErrors, [], 'JavaScript or console errors on the page');
}

// ---- axe-core ---------------------------------------------------------------------------------

const axePath = require.resolve('axe-core/axe.min.js');

// Runs axe on the page and returns its serious and critical violations. The context must have been
// made with bypassCSP: loa's CSP allows only its own scripts, and axe is injected by the test.
export async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// One readable block per violation, for the test output.
export function formatViolations(url, violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${url}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 5)) {
      lines.push(`    at ${n.target}: ${n.html.slice(0, 200)}`);
      if (n.summary) lines.push(`       ${n.summary.replace(/\n/g, '\n       ')}`);
    }
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more`);
  }
  return lines.join('\n');
}

// ---- Pages --------------------------------------------------------------------------------------

// Same-site links on the current page, as paths with query, without fragments, that a GET may follow
// (no logout, no downloads: the API, files such as the compliance CSV, links marked `download`).
export async function localLinks(page) {
  const hrefs = await page.locator('a[href]:not([download])').evaluateAll((as) => as.map((a) => a.href));
  const out = new Set();
  for (const href of hrefs) {
    const u = new URL(href);
    if (u.origin !== new URL(baseUrl).origin) continue;
    if (u.pathname.startsWith('/api/') || u.pathname.startsWith('/static/')) continue;
    if (u.pathname === '/logout' || u.pathname === '/lang') continue;
    if (/\.(csv|ics|atom|rss|json)$/.test(u.pathname)) continue;
    out.add(u.pathname + u.search);
  }
  return [...out];
}

// A unique suffix so that flows running against the same database never collide.
export function uniqueSuffix() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

// The text of a page's error summary, for assertion messages.
export async function errorSummary(page) {
  const summary = page.locator('.error-summary');
  return (await summary.count()) ? (await summary.first().innerText()).replace(/\s+/g, ' ') : 'no error summary';
}

export function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

// ---- Which pages this build has ---------------------------------------------------------------

// The reason to skip a flow when the binary under test lacks one of its pages, else false. Pages
// land one engineer at a time: a flow runs as soon as all of its pages are served. A page that needs
// a signed-in user answers a signed-out GET with a redirect to /login when its route exists, and
// 404 when it does not; public pages answer 200.
export async function missingPages(paths) {
  const missing = [];
  for (const p of paths) {
    const r = await fetch(new URL(p, baseUrl), { redirect: 'manual', headers: { Accept: 'text/html' } });
    await r.arrayBuffer();
    if (r.status === 404) missing.push(p);
  }
  return missing.length ? `not in this build yet: ${missing.join(', ')}` : false;
}

// Steps of one story: once a step fails, the later ones are skipped (naming the failed step)
// instead of failing again for the same reason.
export function storySteps() {
  let failed = '';
  return async function step(t, name, fn) {
    await t.test(name, { skip: failed ? `an earlier step failed: ${failed}` : false }, async () => {
      try {
        await fn();
      } catch (error) {
        failed = name;
        throw error;
      }
    });
  };
}
