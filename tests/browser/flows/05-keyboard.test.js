// Flow 5: the keyboard alone: skip link first, the login form filled and sent with Tab and Enter, a visible focus indicator on every stop, and the main forms reachable by Tab.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { campaignPath, launchBrowser, missingPages, newContext, open, users } from '../lib/harness.js';

// Skipped, with the reason, while this build lacks a page the flow needs.
const pending = await missingPages(['/login']);
const pendingForms = await missingPages(['/login', `${campaignPath}/activities/new`, `${campaignPath}/messages/new`]);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// What has the focus, and whether it is visibly marked: loa's focus ring (an outline or a box
// shadow on :focus-visible). Date and time inputs move the focus inside their own (browser) parts,
// which the browser marks itself.
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    const rect = el.getBoundingClientRect();
    const native = el.tagName === 'INPUT' && ['date', 'time', 'datetime-local'].includes(el.type) && !el.matches(':focus');
    return {
      id: el.id,
      tag: el.tagName.toLowerCase(),
      name: el.getAttribute('name'),
      text: (el.innerText || el.value || '').trim().slice(0, 40),
      visible: native || (el.matches(':focus-visible') && (outline || shadow)),
      onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
        && rect.top < window.innerHeight && rect.left < window.innerWidth,
    };
  });
}

// Presses `key` (Tab or Shift+Tab) until `id` has the focus (at most `limit` times); every stop on
// the way must be visibly marked and on screen.
async function tabTo(page, id, limit = 25, key = 'Tab') {
  const stops = [];
  for (let i = 0; i < limit; ++i) {
    await page.keyboard.press(key);
    const f = await focused(page);
    assert.ok(f, `${key} moved the focus into the page (stops so far: ${stops.join(', ')})`);
    stops.push(f.id || f.tag);
    assert.ok(f.visible, `focus on ${f.tag}#${f.id} "${f.text}" is visibly marked`);
    assert.ok(f.onScreen, `focused ${f.tag}#${f.id} is on screen`);
    if (f.id === id) return stops;
  }
  assert.fail(`#${id} not reached in ${limit} presses of ${key}; stops: ${stops.join(', ')}`);
}

// Chromium applies `autofocus` after the load event, a moment after open() returns: wait for it
// (up to 5 s) instead of reading the focus too early.
async function arrivalFocus(page) {
  await page.waitForFunction(() => document.activeElement && document.activeElement.id !== '',
    null, { timeout: 5000 }).catch(() => {});
  return focused(page);
}

test('the login form with the keyboard only', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await open(page, '/login');
  // The page puts the focus in a field of the form (see the test below for which one); the name
  // field is reached from there with Shift+Tab when needed.
  const start = await arrivalFocus(page);
  assert.ok(start && ['login-name', 'login-password'].includes(start.id), `focus on arrival: ${start?.id}`);
  if (start.id !== 'login-name') await tabTo(page, 'login-name', 3, 'Shift+Tab');
  const name = await focused(page);
  assert.ok(name.visible, 'the focused name field is visibly marked');
  await page.keyboard.type(users.viewer.name);
  await page.keyboard.press('Tab');
  const password = await focused(page);
  assert.equal(password?.id, 'login-password', 'Tab goes from the name to the password');
  assert.ok(password.visible, 'the focused password field is visibly marked');
  await page.keyboard.type(users.viewer.password);
  await page.keyboard.press('Tab');
  const submit = await focused(page);
  assert.equal(submit?.id, 'login-submit', 'Tab goes from the password to the button');
  assert.ok(submit.visible, 'the focused button is visibly marked');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('#logout-button').count(), 1, `signed in with the keyboard (now at ${page.url()})`);

  // On the fresh page the first Tab stop is the skip link, visible when focused; the sign-out
  // button is reachable too, and Enter on it signs out.
  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.equal(first?.tag, 'a', 'the first stop is the skip link');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#main');
  assert.ok(first.onScreen && first.visible, 'the skip link shows when focused');
  await tabTo(page, 'logout-button', 60);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.locator('#login-signed-out').count(), 1, 'the login page says you signed out');
  assert.deepEqual(context.pageErrors, []);
  await context.close();
});

// The template once gave the autofocus to the password field ({{^name_value}} treats an empty string
// as set in kainjow): kept as a regression test.
test('a fresh login page puts the focus in the name field', {
  skip: pending,
}, async () => {
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await open(page, '/login');
  assert.equal((await arrivalFocus(page))?.id, 'login-name');
  await context.close();
});

test('the skip link moves the focus to the main content', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'en' });
  const page = await context.newPage();
  // A page without autofocus: the first Tab reaches the skip link.
  await open(page, '/no-such-page', { status: 404 });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#main');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  await context.close();
});

test('the activity and message forms can be reached field by field with Tab', { skip: pendingForms }, async () => {
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await open(page, '/login');
  await page.locator('#login-name').fill(users.editorEducation.name);
  await page.locator('#login-password').fill(users.editorEducation.password);
  await Promise.all([page.waitForNavigation(), page.locator('#login-password').press('Enter')]);

  await open(page, `${campaignPath}/activities/new`);
  const stops = await tabTo(page, 'activity-save', 120);
  for (const id of ['department', 'kind', 'title_vi', 'start_date', 'repeat-none']) {
    assert.ok(stops.includes(id), `#${id} is a Tab stop (stops: ${stops.join(', ')})`);
  }

  await open(page, `${campaignPath}/messages/new`);
  const messageStops = await tabTo(page, 'message-save', 120);
  for (const id of ['message-department', 'message-text-vi', 'message-channel-sms', 'message-preview']) {
    assert.ok(messageStops.includes(id), `#${id} is a Tab stop (stops: ${messageStops.join(', ')})`);
  }
  await context.close();
});
