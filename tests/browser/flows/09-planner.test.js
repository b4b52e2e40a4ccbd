// Flow 9: the approver runs the planner from the "Run planner" page: a dry run stores nothing, a stored run shows its summary, the reasons in Vietnamese with diacritics and the busiest day's schedule with prime time marked by a badge (not colour alone); another outlet's day by the chooser; the page in English; a viewer reads it without the form; axe finds no serious or critical violation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertPageBasics, axeViolations, campaignPath, formatViolations, launchBrowser, missingPages, newContext, open,
  screenshot, signIn, storySteps,
} from '../lib/harness.js';

const planPath = `${campaignPath}/plan`;

// Skipped, with the reason, while this build lacks the page.
const pending = await missingPages(['/login', planPath]);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// The id of the stored run the page shows ("Lần chạy 3, …" / "Run 3, …"), or null.
async function storedRunId(page) {
  const stored = page.locator('#plan-stored');
  if (!(await stored.count())) return null;
  const m = (await stored.innerText()).match(/(\d+)/);
  return m ? Number(m[1]) : null;
}

async function axeClean(page, label) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], formatViolations(label, violations));
}

test('an approver runs the planner and reads the plan in Vietnamese', { skip: pending }, async (t) => {
  const step = storySteps();
  // bypassCSP: axe is injected by the test; the page's own CSP is checked by flow 8.
  const context = await newContext(browser, { lang: 'vi', bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, 'approver');
  let runBefore = null;

  await step(t, 'the navigation leads to the page with its form', async () => {
    await open(page, campaignPath);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Kế hoạch phát sóng', exact: true }).click()]);
    assert.equal(new URL(page.url()).pathname, planPath);
    await assertPageBasics(page, context);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Lập kế hoạch phát sóng');
    assert.equal(await page.locator('#plan-form').count(), 1);
    // Proposed dates: the approved messages' flights, inside the campaign's summer.
    assert.match(await page.locator('#plan-from').inputValue(), /^2024-0[67]-\d\d$/);
    runBefore = await storedRunId(page);
  });

  await step(t, 'a dry run shows its result and stores nothing', async () => {
    await page.locator('#plan-dry-run').check();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#plan-run').click()]);
    await assertPageBasics(page, context);
    await page.locator('#plan-dry-run-notice').waitFor();
    assert.match(await page.locator('#plan-result-heading').innerText(), /Kết quả chạy thử \(chưa lưu\)/);
    assert.equal(await page.locator('#plan-stored').count(), 0);
    // What storing it would change for the outlets, before anything is stored.
    assert.match(await page.locator('#plan-changes').innerText(),
      /^Nếu lưu, lần chạy này sẽ giữ nguyên [\d.]+ lượt phát của các cơ quan phát, thêm [\d.]+, dời hoặc đổi [\d.]+ và hủy [\d.]+\.$/);
    const dryDates = await page.locator('#plan-range').innerText();
    await axeClean(page, 'dry run');
    await open(page, planPath);
    // Flows 10 and 12 store runs of their own dates meanwhile (they may run alongside this one):
    // a run stored since, if any, is not of the dry run's dates.
    const shown = await storedRunId(page);
    if (shown !== runBefore) {
      assert.notEqual(await page.locator('#plan-range').innerText(), dryDates, 'the dry run stored no run');
    }
  });

  await step(t, 'a stored run redirects to the page and shows the summary', async () => {
    await page.locator('#plan-dry-run').uncheck();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#plan-run').click()]);
    const url = new URL(page.url());
    assert.equal(url.pathname, planPath);
    assert.equal(url.searchParams.get('done'), 'stored');
    assert.match(await page.locator('.flash').innerText(), /Đã lập và lưu kế hoạch\./);
    const id = await storedRunId(page);
    assert.ok(id !== null && id !== runBefore, `a new run is shown (was ${runBefore}, now ${id})`);
    assert.match(await page.locator('#plan-placed').innerText(), /^\d[\d.]* \/ \d[\d.]* \(/);
    assert.match(await page.locator('#plan-prime-share').innerText(), /%$/);
    assert.ok(await page.locator('#plan-departments tbody tr').count() >= 3, 'placed vs wanted per department');
    assert.ok(await page.locator('#plan-outlets tbody tr').count() >= 3, 'placed vs wanted per outlet');
    assert.match(await page.locator('#plan-departments caption').innerText(), /theo đơn vị/);
  });

  await step(t, 'what was not placed has its reason in Vietnamese', async () => {
    const reasons = await page.locator('#plan-unplaced .plan-reason').allInnerTexts();
    assert.ok(reasons.length > 0, 'the messages not approved are listed');
    assert.ok(reasons.includes('Thông điệp chưa được phê duyệt (trạng thái: Bản nháp) nên chưa được xếp lịch.'), reasons.join('\n'));
    for (const r of reasons) {
      assert.match(r, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i, `Vietnamese: ${r}`);
      assert.doesNotMatch(r, /not placed|airings?\b/, `no English: ${r}`);
    }
  });

  await step(t, 'the busiest day is shown with prime time marked by a badge and a rule', async () => {
    const schedule = page.locator('#plan-schedule');
    await schedule.waitFor();
    const prime = schedule.locator('tr.is-prime');
    assert.ok(await prime.count() > 0, 'prime-time breaks on the busiest day');
    // Not by colour alone: every prime row carries the words, visibly.
    for (const row of await prime.all()) {
      const badge = row.locator('.badge--prime');
      assert.equal((await badge.innerText()).trim(), 'Giờ vàng');
      assert.ok(await badge.isVisible());
    }
    assert.equal(await schedule.locator('tr:not(.is-prime) .badge--prime').count(), 0);
    const rule = await prime.first().locator('th').evaluate((th) => getComputedStyle(th).borderLeftWidth);
    assert.equal(rule, '6px');
    // Breaks in time order.
    const times = await schedule.locator('tbody th[scope="row"]').allInnerTexts();
    assert.deepEqual([...times].sort(), times, 'times in order');
    await screenshot(page, 'plan', 'vi');
    await axeClean(page, 'stored plan (vi)');
  });

  await step(t, 'another outlet and day through the chooser', async () => {
    await page.locator('#schedule-outlet').selectOption('thp-radio');
    await page.locator('#schedule-date').fill('2024-07-30');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#schedule-show').click()]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('outlet'), 'thp-radio');
    assert.equal(url.searchParams.get('date'), '2024-07-30');
    assert.match(await page.locator('#plan-schedule caption').innerText(), /kênh phát thanh, Thứ Ba, 30\/07\/2024/);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#schedule-next').click()]);
    assert.equal(new URL(page.url()).searchParams.get('date'), '2024-07-31');
  });

  await step(t, 'dates the wrong way round come back with the error beside the field', async () => {
    await open(page, planPath);
    await page.locator('#plan-from').fill('2024-07-31');
    await page.locator('#plan-to').fill('2024-07-01');
    const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#plan-run').click()]);
    assert.equal(response?.status(), 422);
    assert.equal((await page.locator('#plan-to-error').innerText()).trim(), 'Ngày cuối không được trước ngày đầu.');
    assert.equal(await page.locator('#plan-to').getAttribute('aria-invalid'), 'true');
    await axeClean(page, 'form with an error');
  });
  await context.close();
});

test('the page in English; a viewer reads it without the form', { skip: pending }, async () => {
  // English through Accept-Language: the approver's account has no stored language (flow 4 stores
  // the viewer's, so the viewer is checked below in whatever language it reads in).
  const context = await newContext(browser, { lang: 'en', bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, 'approver');
  await open(page, planPath);
  await assertPageBasics(page, context);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.locator('h1').innerText()).trim(), 'Run planner');
  // The first test may not have stored its run yet when this one starts: then no plan is shown.
  if (await page.locator('#plan-result').count()) {
    assert.match(await page.locator('#plan-result-heading').innerText(), /Latest stored plan/);
    const badges = await page.locator('#plan-schedule .badge--prime').allInnerTexts();
    for (const b of badges) assert.equal(b.trim(), 'Prime time');
    const reasons = await page.locator('#plan-unplaced .plan-reason').allInnerTexts();
    assert.ok(reasons.includes('The message is not approved (its state: Draft), so it is not scheduled.'), reasons.join('\n'));
  } else {
    await page.locator('#plan-none').waitFor();
  }
  await screenshot(page, 'plan', 'en');
  await axeClean(page, 'plan (en)');
  await context.close();

  const viewerContext = await newContext(browser, { lang: 'vi', bypassCSP: true });
  const viewer = await viewerContext.newPage();
  await signIn(viewer, 'viewer');
  await open(viewer, planPath);
  await assertPageBasics(viewer, viewerContext);
  assert.equal(await viewer.locator('#plan-form').count(), 0, 'no run form for a viewer');
  await viewer.locator('#plan-approvers-only').waitFor();
  await axeClean(viewer, 'plan (viewer)');
  // Running is for approvers: the form's POST with the viewer's own token is refused.
  const token = await viewer.locator('form.logout-form input[name="csrf_token"]').first().inputValue();
  const refused = await viewer.request.post(planPath, { form: { csrf_token: token, dry_run: '1' }, maxRedirects: 0 });
  assert.equal(refused.status(), 403);
  await viewerContext.close();
});
