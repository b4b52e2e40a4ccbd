// Flow 11: feed tokens. The admin reaches "Mã truy cập nguồn tin" from the header, creates a token for the radio outlet with a Vietnamese (and hostile) label, sees it once with its ready-to-copy subscribe URLs (webcal:// for the calendar, https?:// for Atom, RSS and JSON), the Atom URL serves the schedule, a reload no longer shows the token, the revoke button asks first (declined: nothing happens; accepted: 303 back with a flash) and the token's feed is then 404; the page in English; an approver gets 403; axe finds no serious or critical violation on each.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertPageBasics, axeViolations, formatViolations, launchBrowser, missingPages, newContext, open, screenshot,
  signIn, storySteps, uniqueSuffix,
} from '../lib/harness.js';

const pagePath = '/admin/feeds';
const outlet = 'thp-radio';
const pending = await missingPages(['/login', pagePath]);
const label = `Phần mềm phát sóng ${uniqueSuffix()} <script>alert(1)</script>`;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function axeClean(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], formatViolations(what, violations));
}

test('an admin creates a feed token, copies its subscribe URLs and revokes it', { skip: pending }, async (t) => {
  const step = storySteps();
  const context = await newContext(browser, { lang: 'vi', bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, 'admin');
  let token = '';
  let atomUrl = '';
  let rowId = '';

  await step(t, 'the header leads to the page', async () => {
    await open(page, '/');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Mã truy cập nguồn tin', exact: true }).click()]);
    assert.equal(new URL(page.url()).pathname, pagePath);
    await assertPageBasics(page, context);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Mã truy cập nguồn tin');
    assert.ok(await page.locator(`#outlet-${outlet}`).count(), 'the radio outlet is listed');
    await axeClean(page, 'feed tokens (vi)');
  });

  await step(t, 'a new token is shown once with its subscribe URLs', async () => {
    await page.locator('#token-outlet').selectOption(outlet);
    await page.locator('#token-label').fill(label);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#token-create').click()]);
    assert.equal((await page.locator('.flash').innerText()).trim(), 'Đã tạo mã truy cập.');
    token = await page.locator('#fresh-token-value').inputValue();
    assert.match(token, /^loa_ft_[A-Za-z0-9_-]{32}$/);
    const origin = new URL(page.url()).origin;
    const host = new URL(page.url()).host;
    const webcal = await page.locator('#subscribe-webcal').inputValue();
    assert.equal(webcal, `webcal://${host}/feeds/outlets/${outlet}/schedule.ics?token=${token}`);
    atomUrl = await page.locator('#subscribe-atom').inputValue();
    assert.equal(atomUrl, `${origin}/feeds/outlets/${outlet}/schedule.atom?token=${token}`);
    assert.equal(await page.locator('#subscribe-rss').inputValue(), `${origin}/feeds/outlets/${outlet}/schedule.rss?token=${token}`);
    assert.equal(await page.locator('#subscribe-json').inputValue(), `${origin}/feeds/outlets/${outlet}/schedule.json?token=${token}`);
    assert.equal(await page.locator('#subscribe-ics').inputValue(), `${origin}/feeds/outlets/${outlet}/schedule.ics?token=${token}`);
    // The label is text, not markup.
    const row = page.locator(`#outlet-${outlet} tbody tr`).filter({ hasText: label });
    assert.equal(await row.count(), 1);
    rowId = (await row.getAttribute('id')).replace('token-row-', '');
    assert.equal(await page.locator('main script').count(), 0);
    assert.deepEqual(context.dialogs, []);
    await screenshot(page, 'feed-tokens', 'vi');
    await axeClean(page, 'feed tokens with a new token (vi)');
  });

  await step(t, 'the Atom URL serves the schedule; the token is not shown again', async () => {
    const feed = await page.request.get(atomUrl);
    assert.equal(feed.status(), 200);
    assert.match(feed.headers()['content-type'], /^application\/atom\+xml/);
    assert.match(await feed.text(), /Hải Phòng/);
    await open(page, pagePath);
    assert.equal(await page.locator('#fresh-token').count(), 0);
    assert.ok(!(await page.content()).includes(token), 'the token is shown only once');
    assert.equal(await page.locator(`#token-row-${rowId}`).getAttribute('data-state'), 'live');
  });

  await step(t, 'revoking asks first: declined, nothing happens', async () => {
    const ask = await page.locator(`#revoke-${rowId}`).getAttribute('data-confirm');
    assert.ok(ask.startsWith(`Thu hồi mã “${label}”?`), ask);
    // The person answers "Cancel" (the harness accepts confirms, so this one is answered here).
    await page.evaluate(() => { window.confirm = () => false; });
    await page.locator(`#revoke-${rowId}`).click();
    await page.waitForTimeout(300);
    assert.equal(new URL(page.url()).pathname, pagePath);
    assert.equal(await page.locator(`#token-row-${rowId}`).getAttribute('data-state'), 'live');
    assert.equal((await page.request.get(atomUrl)).status(), 200);
    await open(page, pagePath);
  });

  await step(t, 'revoking answers 303 back with a flash; the feed is then 404', async () => {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(`#revoke-${rowId}`).click()]);
    // The browser's own confirm dialog asked, with the token's label, and was accepted.
    assert.equal(context.dialogs.length, 1);
    assert.equal(context.dialogs[0].type, 'confirm');
    assert.ok(context.dialogs[0].message.includes(`“${label}”`), context.dialogs[0].message);
    assert.equal(new URL(page.url()).pathname, pagePath);
    assert.match((await page.locator('.flash').innerText()).trim(), /^Mã đã bị thu hồi\./);
    assert.equal(await page.locator(`#token-row-${rowId}`).getAttribute('data-state'), 'revoked');
    assert.equal(await page.locator(`#revoke-${rowId}`).count(), 0);
    assert.match(await page.locator(`#token-row-${rowId} td`).nth(2).innerText(), /^Đã thu hồi /);
    assert.equal((await page.request.get(atomUrl)).status(), 404);
    await axeClean(page, 'feed tokens after revoking (vi)');
  });
  await context.close();
});

test('the page in English; an approver is refused', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'en', bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, 'admin');
  await open(page, '/');
  assert.equal(await page.locator('#feeds-admin-link').innerText(), 'Feed tokens');
  await open(page, pagePath);
  await assertPageBasics(page, context);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.locator('h1').innerText()).trim(), 'Feed tokens');
  assert.equal((await page.locator('#token-create').innerText()).trim(), 'Create token');
  // Errors are shown beside their field: no outlet chosen.
  await page.locator('#token-outlet').evaluate((el) => { el.removeAttribute('required'); });
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#token-create').click()]);
  assert.equal((await page.locator('#token-outlet-error').innerText()).trim(), 'Choose the outlet the token is for.');
  // The error summary has the focus (loa.js), so keyboard and screen-reader users start there.
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'token-errors');
  assert.equal((await page.request.get('/favicon.ico')).status(), 200);
  assert.equal(await page.locator('link[rel="icon"]').getAttribute('type'), 'image/svg+xml');
  await screenshot(page, 'feed-tokens', 'en');
  await axeClean(page, 'feed tokens with an error (en)');
  await context.close();

  const approverContext = await newContext(browser, { lang: 'vi' });
  const approver = await approverContext.newPage();
  await signIn(approver, 'approver');
  assert.equal(await approver.locator('#feeds-admin-link').count(), 0, 'no link for an approver');
  await open(approver, pagePath, { status: 403 });
  await approverContext.close();
});
