// Flow 7: axe-core on every page an admin can reach by following links from the home page (plus the main pages, a form with errors and the error pages), in Vietnamese, and on the main pages in English: zero serious or critical violations.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  axeViolations, baseUrl, campaignPath, formatViolations, launchBrowser, localLinks, missingPages,
  newContext, signIn,
} from '../lib/harness.js';
import { mainPages } from '../lib/pages.js';

// Skipped, with the reason, while this build lacks a page the flow needs.
const pending = await missingPages(['/login']);
const formsMissing = {
  activity: await missingPages([`${campaignPath}/activities/new`]),
  message: await missingPages([`${campaignPath}/messages/new`]),
};

// The crawl stops after this many pages; links of the same shape (a message, an activity, a
// calendar view with another date or filter) are visited twice at most.
const maxPages = 30;
const perShape = 2;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Links that differ only in an item's id or a date or filter value have one shape.
function shapeOf(pathAndQuery) {
  const u = new URL(pathAndQuery, baseUrl);
  const path = u.pathname
    .replace(/\/(messages|activities)\/(?!new$)[^/]+/, '/$1/{id}');
  // A calendar's shape is its view; other pages' shapes are the names of their parameters.
  if (path.endsWith('/calendar')) return `${path}#${u.searchParams.get('view') || 'month'}`;
  const keys = [...u.searchParams.keys()].sort();
  return `${path}?${keys.join('&')}`;
}

// Violations already reported to the page's owner: they are listed by a `todo` test instead of
// failing the run. Remove an entry once its page is fixed.
const knownIssues = [];
const known = [];

function isKnown(url, v) {
  return knownIssues.some((k) => k.rule === v.id && k.path.test(url));
}

// Scans the page now shown; new violations go to `found`, known ones to `known`.
async function check(page, url, found) {
  const violations = await axeViolations(page);
  const fresh = violations.filter((v) => !isKnown(url, v));
  const old = violations.filter((v) => isKnown(url, v));
  if (fresh.length) found.push(formatViolations(url, fresh));
  if (old.length) known.push(formatViolations(url, old));
}

async function scan(page, url, expectStatus, found) {
  const response = await page.goto(url, { waitUntil: 'load' });
  const status = response?.status();
  if (expectStatus !== undefined) assert.equal(status, expectStatus, `GET ${url}`);
  await check(page, url, found);
  return status;
}

test('axe: no serious or critical violations on any page an admin reaches', { skip: pending }, async (t) => {
  const found = [];
  const visited = [];

  await t.test('signed out: the login page and a 404 page, in both languages', async () => {
    for (const lang of ['vi', 'en']) {
      const context = await newContext(browser, { lang, bypassCSP: true });
      const page = await context.newPage();
      await scan(page, '/login', 200, found);
      await scan(page, '/no-such-page', 404, found);
      await context.close();
    }
  });

  await t.test('signed in as admin (vi): crawl from the home page', async () => {
    const context = await newContext(browser, { lang: 'vi', bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, 'admin');
    const queue = ['/', ...mainPages.filter((p) => p.who && !p.pending).map((p) => p.path)];
    const seen = new Set();
    const shapes = new Map();
    while (queue.length && visited.length < maxPages) {
      const url = queue.shift();
      if (seen.has(url)) continue;
      seen.add(url);
      const shape = shapeOf(url);
      if ((shapes.get(shape) || 0) >= perShape) continue;
      shapes.set(shape, (shapes.get(shape) || 0) + 1);
      const status = await scan(page, url, undefined, found);
      visited.push(`${status} ${url}`);
      assert.ok(status < 500, `GET ${url}: ${status}`);
      for (const link of await localLinks(page)) if (!seen.has(link)) queue.push(link);
    }
    // A form sent empty comes back with its errors: that page must be accessible too.
    if (!formsMissing.activity) {
      await page.goto(`${campaignPath}/activities/new`);
      await Promise.all([page.waitForNavigation(), page.locator('#activity-save').click()]);
      assert.equal(await page.locator('.field__error').count() > 0, true, 'the empty activity form shows errors');
      await check(page, 'activity form with errors', found);
      visited.push('422 activity form with errors');
    }
    if (!formsMissing.message) {
      await page.goto(`${campaignPath}/messages/new`);
      await Promise.all([page.waitForNavigation(), page.locator('#message-save').click()]);
      assert.equal(await page.locator('.field__error').count() > 0, true, 'the empty message form shows errors');
      await check(page, 'message form with errors', found);
      visited.push('422 message form with errors');
    }
    assert.deepEqual(context.pageErrors, []);
    await context.close();
  });

  await t.test('signed in as admin (en): the main pages', async () => {
    const context = await newContext(browser, { lang: 'en', bypassCSP: true });
    const page = await context.newPage();
    await signIn(page, 'admin');
    for (const p of mainPages.filter((m) => m.who && !m.pending)) await scan(page, p.path, 200, found);
    await context.close();
  });

  console.log(`axe scanned ${visited.length} pages signed in (vi):\n  ${visited.join('\n  ')}`);
  assert.ok(visited.length >= 10, `the crawl reached only ${visited.length} pages`);
  assert.equal(found.length, 0, `serious or critical accessibility violations:\n${found.join('\n')}`);
});

test('axe: known violations, reported to their pages\' owners', {
  // With no known violation listed there is nothing this test could find.
  skip: pending || (knownIssues.length === 0 && 'no known violations are listed'),
  todo: knownIssues.length ? knownIssues.map((k) => k.note).join('; ') : false,
}, () => {
  assert.equal(known.length, 0, `known serious or critical violations still present:\n${known.join('\n')}`);
});
