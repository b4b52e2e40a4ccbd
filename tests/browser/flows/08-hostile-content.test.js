// Flow 8: activities and a message titled `<script>alert(1)</script>` and `"><img src=x onerror=alert(1)>` show as text on every page that lists them; no dialog opens and no element is injected, even with the CSP bypassed (so escaping, not the CSP, is what is tested).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  campaignPath, errorSummary, hostileTitles, launchBrowser, missingPages, newContext, open, screenshot, signIn,
  storySteps,
} from '../lib/harness.js';

// Skipped, with the reason, while this build lacks a page the flow needs.
const pending = await missingPages([
  '/login', `${campaignPath}/activities/new`, `${campaignPath}/calendar`, `${campaignPath}/messages/new`,
  `${campaignPath}/messages`, `${campaignPath}/approvals`, `${campaignPath}/audit`, '/audit',
]);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const [scriptTitle, imgTitle] = hostileTitles;
const day = '2024-07-16';

// Nothing the hostile strings could have made: no element with an event-handler attribute, no
// image from "x", no inline script mentioning alert, no dialog.
async function assertInert(page, context, where) {
  const injected = await page.evaluate(() => ({
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)))
      .map((el) => el.outerHTML.slice(0, 120)),
    images: [...document.querySelectorAll('img')].filter((img) => img.getAttribute('src') === 'x').length,
    scripts: [...document.scripts].filter((s) => /alert/.test(s.textContent)).length,
  }));
  assert.deepEqual(injected.handlers, [], `${where}: elements with event handlers`);
  assert.equal(injected.images, 0, `${where}: an injected <img src=x>`);
  assert.equal(injected.scripts, 0, `${where}: an injected <script>`);
  assert.deepEqual(context.dialogs, [], `${where}: a dialog opened`);
}

async function assertShowsAsText(page, text, where) {
  const body = await page.locator('body').innerText();
  assert.ok(body.includes(text), `${where}: "${text}" shows as text`);
}

test('hostile titles show as text on every page', { skip: pending }, async (t) => {
  const step = storySteps();
  const editor = await newContext(browser, { lang: 'vi', bypassCSP: true });
  const page = await editor.newPage();
  await signIn(page, 'editorEducation');

  const activityCodes = [];
  let messagePath;
  await step(t, 'an editor saves two activities and a message with hostile titles', async () => {
    for (const [i, title] of hostileTitles.entries()) {
      await open(page, `${campaignPath}/activities/new?date=${day}`);
      await page.locator('#kind').selectOption('outreach');
      await page.locator('#title_vi').fill(title);
      await page.locator('#title_en').fill(hostileTitles[1 - i]);
      await page.locator('#description_vi').fill(`Mô tả có mã độc: ${scriptTitle} ${imgTitle}`);
      await page.locator('#start_date').fill(day);
      await page.locator('#start_time').fill(`0${8 + i}:00`);
      await page.locator('#end_date').fill(day);
      await page.locator('#end_time').fill(`0${8 + i}:45`);
      await page.locator('#location_vi').fill(`Nhà văn hóa ${imgTitle}`);
      await Promise.all([page.waitForNavigation(), page.locator('#activity-save').click()]);
      const saved = new URL(page.url()).searchParams.get('saved');
      assert.ok(saved, `activity "${title}" saved (${page.url()}; ${await errorSummary(page)})`);
      activityCodes.push(saved);
      await assertInert(page, editor, 'calendar after saving');
    }

    await open(page, `${campaignPath}/messages/new`);
    await page.locator('#message-title-vi').fill(scriptTitle);
    await page.locator('#message-title-en').fill(imgTitle);
    await page.locator('#message-text-vi').fill(`Cảnh giác: ${scriptTitle} và ${imgTitle} — gọi 111.`);
    await page.locator('#message-text-en').fill(`Beware: ${imgTitle} ${scriptTitle}`);
    await page.locator('#message-channel-sms').check();
    await page.locator('#message-flight-start').fill('2024-07-15');
    await page.locator('#message-flight-end').fill('2024-07-20');
    await page.locator('#message-airings').fill('1');
    await Promise.all([page.waitForNavigation(), page.locator('#message-preview').click()]);
    await assertInert(page, editor, 'message editor preview');
    await assertShowsAsText(page, scriptTitle, 'message editor preview');
    await Promise.all([page.waitForNavigation(), page.locator('#message-save').click()]);
    messagePath = new URL(page.url()).pathname;
    assert.match(messagePath, /\/messages\/[^/]+$/, `message saved (${page.url()}; ${await errorSummary(page)})`);
    await Promise.all([page.waitForNavigation(), page.locator('#message-submit').click()]);
  });
  await editor.close();

  for (const lang of ['vi', 'en']) {
    await step(t, `${lang}: every page that shows them shows them as text`, async () => {
      const context = await newContext(browser, { lang, bypassCSP: true });
      const p = await context.newPage();
      await signIn(p, 'admin');
      // Where each title is expected: the Vietnamese title in vi, the English one in en.
      const activityTitle = lang === 'vi' ? scriptTitle : imgTitle;
      const messageTitle = lang === 'vi' ? scriptTitle : imgTitle;
      const pages = [
        [`${campaignPath}/calendar?view=month&date=${day}`, [activityTitle]],
        [`${campaignPath}/calendar?view=month&date=${day}&department=education`, hostileTitles],
        [`${campaignPath}/calendar?view=agenda&date=${day}&department=education`, hostileTitles],
        [`${campaignPath}/calendar?view=week&date=${day}&department=education`, hostileTitles],
        [`${campaignPath}/calendar?view=day&date=${day}`, hostileTitles],
        [`${campaignPath}/activities/${activityCodes[0]}/edit`, []],
        [`${campaignPath}/activities/${activityCodes[1]}/edit`, []],
        [`${campaignPath}/messages`, [messageTitle]],
        [`${campaignPath}/messages?department=education`, [messageTitle]],
        [messagePath, [messageTitle]],
        [`${messagePath}/edit`, []],
        [`${campaignPath}/approvals`, [messageTitle]],
        [`${campaignPath}/audit`, []],
        ['/audit', []],
        [campaignPath, []],
      ];
      for (const [path, expected] of pages) {
        await open(p, path);
        await assertInert(p, context, `${lang} ${path}`);
        for (const text of expected) await assertShowsAsText(p, text, `${lang} ${path}`);
      }
      // The form fields hold the hostile strings as values, unchanged.
      await open(p, `${campaignPath}/activities/${activityCodes[0]}/edit`);
      assert.equal(await p.locator('#title_vi').inputValue(), scriptTitle);
      assert.equal(await p.locator('#title_en').inputValue(), imgTitle);
      await open(p, `${messagePath}/edit`);
      assert.equal(await p.locator('#message-title-vi').inputValue(), scriptTitle);
      await open(p, `${campaignPath}/calendar?view=day&date=${day}`);
      await screenshot(p, 'hostile-calendar-day', lang);
      await context.close();
    });
  }

  await t.test('the pages carry a CSP without inline script', async () => {
    const context = await newContext(browser, { lang: 'vi' });
    const p = await context.newPage();
    const response = await open(p, '/login');
    const csp = response.headers()['content-security-policy'] || '';
    assert.match(csp, /script-src 'self'/, `CSP: ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline/, `CSP: ${csp}`);
    assert.match(csp, /frame-ancestors 'none'/, `CSP: ${csp}`);
    await context.close();
  });
});
