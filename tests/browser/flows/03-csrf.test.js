// Flow 3: a state-changing form posted without this session's CSRF token (or with a wrong one) is refused with 403 and changes nothing; the same post with the token goes through.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { campaignPath, csrfToken, launchBrowser, missingPages, newContext, open, signIn, uniqueSuffix, users } from '../lib/harness.js';

// Skipped, with the reason, while this build lacks a page the flow needs.
const pending = await missingPages([
  '/login', `${campaignPath}/activities/new`, `${campaignPath}/calendar`, `${campaignPath}/messages/new`,
]);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

function activityForm(title) {
  return {
    department: 'education', kind: 'school_session', title_vi: title,
    start_date: '2024-07-11', start_time: '08:00', end_date: '2024-07-11', end_time: '09:00',
    repeat: 'none', visibility: 'public',
  };
}

async function monthGridHas(page, title) {
  await open(page, `${campaignPath}/calendar?view=month&date=2024-07-11&department=education`);
  return (await page.locator('#month-grid').getByText(title).count()) > 0;
}

test('a form posted without the CSRF token is refused', { skip: pending }, async (t) => {
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await signIn(page, 'editorEducation');
  const suffix = uniqueSuffix();

  await t.test('the activity form submitted by the browser without its token: 403, nothing saved', async () => {
    const title = `Buổi học không có mã CSRF (${suffix})`;
    await open(page, `${campaignPath}/activities/new?date=2024-07-11`);
    await page.locator('#title_vi').fill(title);
    await page.locator('#start_date').fill('2024-07-11');
    await page.locator('#start_time').fill('08:00');
    await page.locator('#end_date').fill('2024-07-11');
    await page.locator('#end_time').fill('09:00');
    await page.locator('#activity-form input[name="csrf_token"]').evaluate((input) => input.remove());
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.locator('#activity-save').click(),
    ]);
    assert.equal(response.status(), 403);
    await page.waitForLoadState();
    assert.equal(await page.locator('#activity-form').count(), 0, 'the 403 page is not the form');
    assert.equal(await monthGridHas(page, title), false, 'the refused activity was not saved');
  });

  await t.test('page.request: no token, an empty token and a wrong token are 403; the right token saves', async () => {
    await open(page, `${campaignPath}/activities/new`);
    const token = await csrfToken(page);
    assert.ok(token.length >= 32, 'the page carries a token');
    const title = `Buổi học qua yêu cầu trực tiếp (${suffix})`;
    for (const [what, extra] of [['no token', {}], ['empty token', { csrf_token: '' }],
      ['wrong token', { csrf_token: `${token.slice(0, -2)}xx` }]]) {
      const r = await page.request.post(`${campaignPath}/activities`, { form: { ...activityForm(title), ...extra }, maxRedirects: 0 });
      assert.equal(r.status(), 403, `${what}: status ${r.status()}`);
    }
    assert.equal(await monthGridHas(page, title), false, 'nothing refused was saved');
    const ok = await page.request.post(`${campaignPath}/activities`, {
      form: { ...activityForm(title), csrf_token: token }, maxRedirects: 0,
    });
    assert.ok([302, 303].includes(ok.status()), `with the token: status ${ok.status()}`);
    assert.equal(await monthGridHas(page, title), true, 'with the token the activity is saved');
  });

  await t.test('fetch from the page: a message posted without the token is 403', async () => {
    await open(page, `${campaignPath}/messages/new`);
    const status = await page.evaluate(async (url) => {
      const body = new URLSearchParams({
        department: 'education', text_vi: 'Cảnh giác với lời mời việc nhẹ lương cao.', channels: 'sms',
        flight_start: '2024-07-20', flight_end: '2024-07-30', airings: '1', priority: '5', duration_s: '0', action: 'save',
      });
      const r = await fetch(url, { method: 'POST', body, redirect: 'manual' });
      return r.status;
    }, `${campaignPath}/messages`);
    assert.equal(status, 403);
  });

  await t.test('logout and the language switch without the token are 403; the session stays', async () => {
    const logout = await page.request.post('/logout', { form: {}, maxRedirects: 0 });
    assert.equal(logout.status(), 403);
    const lang = await page.request.post('/lang', { form: { to: 'en', next: '/' }, maxRedirects: 0 });
    assert.equal(lang.status(), 403);
    await open(page, campaignPath);
    assert.equal(await page.locator('#logout-button').count(), 1, 'still signed in');
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi', 'the language did not change');
  });
  await context.close();

  await t.test('the login form without its pre-session token is 403', async () => {
    const fresh = await newContext(browser, { lang: 'vi' });
    const p = await fresh.newPage();
    await open(p, '/login');
    const r = await p.request.post('/login', {
      form: { name: users.viewer.name, password: users.viewer.password }, maxRedirects: 0,
    });
    assert.equal(r.status(), 403, `login without a token: ${r.status()}`);
    await p.goto(campaignPath);
    assert.match(new URL(p.url()).pathname, /^\/login/, 'not signed in');
    await fresh.close();
  });
});
