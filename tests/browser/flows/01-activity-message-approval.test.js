// Flow 1: an editor creates a weekly activity and sees it in the month grid, writes a Vietnamese message whose SMS preview counts UCS-2 segments, submits it; an approver approves it; the audit log shows it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertPageBasics, campaignPath, errorSummary, escapeRegExp, launchBrowser, missingPages, newContext, open,
  screenshot, signIn, storySteps, uniqueSuffix, users,
} from '../lib/harness.js';

// Skipped, with the reason, while this build lacks a page the flow needs.
const pending = await missingPages([
  '/login', `${campaignPath}/activities/new`, `${campaignPath}/calendar`, `${campaignPath}/messages/new`,
  `${campaignPath}/approvals`, `${campaignPath}/audit`,
]);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Monday 8 July 2024 and the three Mondays after it, inside the campaign's period.
const firstMonday = '2024-07-08';
const mondays = ['2024-07-08', '2024-07-15', '2024-07-22', '2024-07-29'];

// 69 characters with Vietnamese diacritics: one UCS-2 SMS (70 at most). The longer text is 2 parts
// of 67: 71–134 characters.
const shortText = 'Không để trẻ em nào bị bỏ lại phía sau. Gọi 111 khi thấy dấu hiệu lạ.';
const longText = `${shortText} Hãy hỏi con về những lời mời việc nhẹ lương cao trên mạng.`;

function codePoints(s) { return [...s].length; }

// "2 SMS · UCS-2 · …" (en), "2 tin SMS · UCS-2 · …" (vi): the segment count comes first.
function leadingNumber(s) { return Number.parseInt(s, 10); }

// Waits until the live SMS preview counts `n` segments.
async function waitForSegments(page, n) {
  const shown = () => page.locator('#message-previews .preview--sms .sms-count').first().innerText().catch(() => '');
  await page.waitForFunction((want) => {
    const el = document.querySelector('#message-previews .preview--sms .sms-count');
    return el !== null && Number.parseInt(el.textContent, 10) === want;
  }, n, { timeout: 5_000 }).catch(async () => {
    assert.fail(`the live preview did not show ${n} SMS; it shows "${await shown()}"`);
  });
}

test('editor → weekly activity → month grid → Vietnamese message (UCS-2 segments) → submit → approver approves → audit log',
  { skip: pending }, async (t) => {
    const step = storySteps();
    assert.equal(codePoints(shortText), 69);
    assert.ok(codePoints(longText) > 70 && codePoints(longText) <= 134, `long text has ${codePoints(longText)} characters`);
    const suffix = uniqueSuffix();
    const activityTitle = `Ngoại khóa phòng, chống mua bán người – lớp 7 (${suffix})`;
    const messageTitle = `Tin nhắn nhắc phụ huynh gọi đường dây nóng (${suffix})`;

    const editorContext = await newContext(browser, { lang: 'vi' });
    const page = await editorContext.newPage();
    await signIn(page, 'editorEducation');

    let activityCode;
    await step(t, 'create a weekly activity', async () => {
      await open(page, `${campaignPath}/activities/new?date=${firstMonday}`);
      await assertPageBasics(page, editorContext);
      // An editor is offered only its own department.
      const offered = await page.locator('#department option').evaluateAll((os) => os.map((o) => o.value));
      assert.deepEqual(offered, ['education']);
      await page.locator('#kind').selectOption('school_session');
      await page.locator('#title_vi').fill(activityTitle);
      await page.locator('#title_en').fill(`Extracurricular session on trafficking – grade 7 (${suffix})`);
      await page.locator('#start_date').fill(firstMonday);
      await page.locator('#start_time').fill('14:00');
      await page.locator('#end_date').fill(firstMonday);
      await page.locator('#end_time').fill('15:30');
      await page.locator('#repeat-weekly').check();
      await page.locator('#weekday-mon').check();
      await page.locator('#ends-count').check();
      await page.locator('#count').fill('4');
      await page.locator('#location_vi').fill('Trường THCS Lê Lợi, quận Ngô Quyền');
      await page.locator('#audience-lower-secondary-students').check();
      await Promise.all([page.waitForNavigation(), page.locator('#activity-save').click()]);
      const url = new URL(page.url());
      assert.equal(url.pathname, `${campaignPath}/calendar`, `after saving: ${page.url()} (${await errorSummary(page)})`);
      activityCode = url.searchParams.get('saved');
      assert.ok(activityCode, `the redirect names the saved activity: ${page.url()}`);
    });

    await step(t, 'see it every Monday in the month grid', async () => {
      await open(page, `${campaignPath}/calendar?view=month&date=${firstMonday}&department=education`);
      const grid = page.locator('#month-grid');
      await grid.waitFor();
      for (const day of mondays) {
        await assert.doesNotReject(grid.locator(`#day-${day}`).getByText(activityTitle).waitFor({ timeout: 3_000 }),
          `the activity is in the month grid on ${day}`);
      }
      // Four times only: not on the Monday after.
      assert.equal(await grid.locator('#day-2024-08-05').getByText(activityTitle).count(), 0);
      // Not on a Tuesday.
      assert.equal(await grid.locator('#day-2024-07-09').getByText(activityTitle).count(), 0);
      await screenshot(page, 'calendar-month-with-activity', 'vi');
    });

    let messageUrl;
    await step(t, 'write a message in Vietnamese; the SMS preview counts UCS-2 segments', async () => {
      await open(page, `${campaignPath}/messages/new`);
      await assertPageBasics(page, editorContext);
      const departments = await page.locator('#message-department option').evaluateAll((os) => os.map((o) => o.value));
      assert.deepEqual(departments, ['education']);
      await page.locator('#message-title-vi').fill(messageTitle);
      await page.locator('#message-text-vi').fill(shortText);
      await page.locator('#message-channel-sms').check();
      await page.locator('#message-flight-start').fill('2024-07-25');
      await page.locator('#message-flight-end').fill('2024-07-31');
      await page.locator('#message-airings').fill('2');
      // The planner's rules: at most one a day, three hours apart (an empty box is no limit).
      await page.locator('#message-airings-per-day').fill('1');
      await page.locator('#message-airings-per-week').fill('');
      await page.locator('#message-min-gap-minutes').fill('180');
      await page.locator('#message-audience-parents').check();

      // With JavaScript the previews follow the typing (/static/messages.js asks the server).
      await waitForSegments(page, 1);
      await page.locator('#message-text-vi').fill(longText);
      await waitForSegments(page, 2);
      await page.locator('#message-text-vi').fill(shortText);
      await waitForSegments(page, 1);

      // Without JavaScript the "Preview" button renders the previews on the server.
      await Promise.all([page.waitForNavigation(), page.locator('#message-preview').click()]);
      const sms = page.locator('#message-previews .preview--sms').first();
      await sms.waitFor();
      const oneSegment = (await sms.locator('.sms-count').innerText()).trim();
      assert.equal(leadingNumber(oneSegment), 1, `one segment for ${codePoints(shortText)} characters: "${oneSegment}"`);
      assert.match(oneSegment, /UCS-2/);
      assert.match(oneSegment, /\b70\b/, `70 characters per single SMS: "${oneSegment}"`);
      // The typed values came back.
      assert.equal(await page.locator('#message-text-vi').inputValue(), shortText);

      await page.locator('#message-text-vi').fill(longText);
      await Promise.all([page.waitForNavigation(), page.locator('#message-preview').click()]);
      const twoSegments = (await page.locator('#message-previews .preview--sms .sms-count').first().innerText()).trim();
      assert.equal(leadingNumber(twoSegments), 2, `two segments for ${codePoints(longText)} characters: "${twoSegments}"`);
      assert.match(twoSegments, /UCS-2/);
      assert.match(twoSegments, /\b67\b/, `67 characters per part of a long SMS: "${twoSegments}"`);
      await screenshot(page, 'message-editor-preview', 'vi');

      await Promise.all([page.waitForNavigation(), page.locator('#message-save').click()]);
      messageUrl = new URL(page.url()).pathname;
      assert.match(messageUrl, new RegExp(`^${campaignPath}/messages/[^/]+$`), `after saving: ${page.url()} (${await errorSummary(page)})`);
      assert.equal((await page.locator('h1').innerText()).trim(), messageTitle);
      assert.equal((await page.locator('#message-airings').innerText()).trim(), '2 lượt tổng cộng · 1 lượt mỗi ngày');
      assert.equal((await page.locator('#message-min-gap').innerText()).trim(), '180 phút');
    });

    await step(t, 'submit it for approval', async () => {
      await Promise.all([page.waitForNavigation(), page.locator('#message-submit').click()]);
      await open(page, messageUrl);
      assert.equal(await page.locator('#message-state').getAttribute('class').then((c) => /state--submitted/.test(c)), true,
        `state after submitting: ${await page.locator('#message-state').innerText()}`);
      await assertPageBasics(page, editorContext);
    });
    await editorContext.close();

    const approverContext = await newContext(browser, { lang: 'vi' });
    const approverPage = await approverContext.newPage();
    await step(t, 'the approver finds it in the queue and approves it', async () => {
      await signIn(approverPage, 'approver');
      await open(approverPage, `${campaignPath}/approvals`);
      const code = messageUrl.split('/').pop();
      const item = approverPage.locator(`#approval-${code}`);
      await item.waitFor();
      assert.match(await item.innerText(), new RegExp(escapeRegExp(messageTitle)));
      await screenshot(approverPage, 'approvals-with-message', 'vi');
      await Promise.all([approverPage.waitForNavigation(), item.locator(`#approve-${code}`).click()]);
      await open(approverPage, messageUrl);
      const state = await approverPage.locator('#message-state').getAttribute('class');
      assert.match(state, /state--approved/, `state after approving: ${await approverPage.locator('#message-state').innerText()}`);
      await approverPage.locator('#message-approved-note').waitFor();
      assert.match(await approverPage.locator('#message-reviews').innerText(), new RegExp(escapeRegExp(users.approver.name)));
    });

    await step(t, 'the audit log shows the approval, the submission and the activity', async () => {
      const code = messageUrl.split('/').pop();
      await open(approverPage, `${campaignPath}/audit`);
      const table = approverPage.locator('#audit-table');
      await table.waitFor();
      const rows = table.locator('tbody tr').filter({ hasText: code });
      const text = (await rows.allInnerTexts()).join('\n');
      // In Vietnamese, actions and states alike (not the stored codes "approve", "submitted").
      assert.match(text, /Đã phê duyệt/, `an approval row for ${code}:\n${text}`);
      assert.match(text, /Đã gửi phê duyệt/, `a submission row for ${code}:\n${text}`);
      assert.doesNotMatch(text, /submitted|approved/, `no stored state codes:\n${text}`);
      assert.match(text, new RegExp(escapeRegExp(users.approver.name)), 'the approver is named');
      assert.match(text, new RegExp(escapeRegExp(users.editorEducation.name)), 'the editor is named');
      const activityRows = await table.locator('tbody tr').filter({ hasText: activityCode }).count();
      assert.ok(activityRows >= 1, `the activity ${activityCode} has an audit row`);
      await screenshot(approverPage, 'audit-after-approval', 'vi');
    });
    assert.deepEqual(approverContext.dialogs, []);
    await approverContext.close();
  });

