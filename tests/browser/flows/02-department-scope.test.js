// Flow 2: an editor opens its own department's forms but gets 403 for another department's (page and POST), in both languages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertPageBasics, campaignPath, csrfToken, launchBrowser, missingPages, newContext, open, signIn } from '../lib/harness.js';

// Skipped, with the reason, while this build lacks a page the flow needs.
const pending = await missingPages([
  '/login', `${campaignPath}/activities/edu-teacher-training/edit`,
  `${campaignPath}/messages/school-students-online-safety/edit`,
]);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Items of the shipped campaign: education's and police's.
const own = {
  activity: `${campaignPath}/activities/edu-teacher-training/edit`,
  message: `${campaignPath}/messages/school-students-online-safety/edit`,
};
const other = {
  activity: `${campaignPath}/activities/police-fanpage-posts/edit`,
  message: `${campaignPath}/messages/social-online-job-offers/edit`,
};

test('an editor cannot open another department\'s forms', { skip: pending }, async (t) => {
  for (const lang of ['vi', 'en']) {
    const context = await newContext(browser, { lang });
    const page = await context.newPage();
    await signIn(page, 'editorEducation');

    await t.test(`${lang}: own department's activity and message forms open`, async () => {
      await open(page, own.activity);
      await assertPageBasics(page, context);
      assert.equal(await page.locator('#activity-form').count(), 1);
      await open(page, own.message);
      assert.equal(await page.locator('#message-form').count(), 1);
    });

    await t.test(`${lang}: police's activity form is 403, shown as a page without the form`, async () => {
      await open(page, other.activity, { status: 403 });
      await assertPageBasics(page, context);
      assert.equal(await page.locator('#activity-form').count(), 0, 'no form on the 403 page');
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
    });

    await t.test(`${lang}: police's message form is 403`, async () => {
      await open(page, other.message, { status: 403 });
      assert.equal(await page.locator('#message-form').count(), 0);
    });

    await t.test(`${lang}: posting an activity or a message for police with a valid token is 403`, async () => {
      await open(page, own.activity);
      const token = await csrfToken(page);
      const activity = await page.request.post(`${campaignPath}/activities`, {
        form: {
          csrf_token: token, department: 'police', kind: 'inspection', title_vi: 'Kiểm tra cơ sở lưu trú',
          start_date: '2024-07-10', start_time: '09:00', end_date: '2024-07-10', end_time: '11:00',
          repeat: 'none', visibility: 'internal',
        },
        maxRedirects: 0,
      });
      assert.equal(activity.status(), 403, `POST activity for police: ${activity.status()}`);
      const message = await page.request.post(`${campaignPath}/messages`, {
        form: {
          csrf_token: token, department: 'police', text_vi: 'Cảnh giác với lời mời việc nhẹ lương cao.',
          channels: 'sms', flight_start: '2024-07-20', flight_end: '2024-07-30', airings: '1', priority: '5',
          duration_s: '0', action: 'save',
        },
        maxRedirects: 0,
      });
      assert.equal(message.status(), 403, `POST message for police: ${message.status()}`);
    });
    await context.close();
  }

  const police = await newContext(browser, { lang: 'vi' });
  const page = await police.newPage();
  await signIn(page, 'editorPolice');
  await t.test('the police editor opens the police forms and not education\'s', async () => {
    await open(page, other.activity);
    await open(page, other.message);
    await open(page, own.activity, { status: 403 });
  });
  await police.close();

  const viewer = await newContext(browser, { lang: 'vi' });
  const viewerPage = await viewer.newPage();
  await signIn(viewerPage, 'viewer');
  await t.test('a viewer opens no form at all', async () => {
    await open(viewerPage, `${campaignPath}/activities/new`, { status: 403 });
    await open(viewerPage, `${campaignPath}/messages/new`, { status: 403 });
    await open(viewerPage, own.activity, { status: 403 });
  });
  await viewer.close();
});

test('saving a form as it was loaded changes nothing', { skip: pending }, async (t) => {
  // The shipped file lists these audiences in another order than the form's checkboxes (the
  // campaign's): the same choices are no edit, so an approved message keeps its approval and its
  // airings, and an activity from the file stays unchanged.
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await signIn(page, 'editorEducation');

  await t.test('an approved message saved unchanged stays approved, at its version', async () => {
    const form = `${campaignPath}/messages/school-primary-self-protection/edit`;
    await open(page, form);
    const version = await page.locator('#message-form input[name="version"]').inputValue();
    await Promise.all([page.waitForURL(/done=/), page.locator('#message-save').click()]);
    assert.match(page.url(), /[?&]done=unchanged\b/, page.url());
    await open(page, form);
    assert.equal(await page.locator('#message-form input[name="version"]').inputValue(), version);
  });

  await t.test('an activity saved unchanged is the same activity', async () => {
    const form = `${campaignPath}/activities/edu-primary-summer-sessions/edit`;
    await open(page, form);
    const fingerprint = await page.locator('#activity-form input[name="fingerprint"]').inputValue();
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/edit')), page.locator('#activity-save').click()]);
    await open(page, form);
    assert.equal(await page.locator('#activity-form input[name="fingerprint"]').inputValue(), fingerprint,
      'a save of the form as loaded wrote a change');
  });
  await context.close();
});
