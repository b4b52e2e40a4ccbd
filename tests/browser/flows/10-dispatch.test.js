// Flow 10: the dispatch log. A target is added with `loa target add` for the radio outlets, the approver approves the waiting radio message and stores a plan (its new and moved placements get their dispatches); the approver reaches "Nhật ký gửi tin" from the navigation, reads the summary, narrows the table with the filter form (every state a badge with words), opens one dispatch and sends it again with its button (requeue a missed one, or retry a waiting one when no runner has marked any missed), and sees the flash after the redirect; the pages in English; a viewer reads without any button and its POST is 403; axe finds no serious or critical violation on each.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import {
  assertPageBasics, axeViolations, campaign, csrfToken, formatViolations, launchBrowser, missingPages, newContext,
  open, screenshot, signIn, storySteps, uniqueSuffix,
} from '../lib/harness.js';

const logPath = '/dispatch';
const binary = process.env.LOA_BINARY || '';
const db = process.env.LOA_DB || '';

// Skipped, with the reason, while this build lacks the page or the target command (or run.sh does
// not say where the binary and its database are).
function missingTool() {
  if (!binary || !db) return 'run.sh did not pass LOA_BINARY and LOA_DB';
  let help = '';
  try {
    help = execFileSync(binary, ['target', '--help'], { stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    help = `${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
  return help.includes('loa target add') ? false : 'no `loa target` in this build yet';
}
const pending = (await missingPages(['/login', logPath])) || missingTool();

// The Vietnamese and English words of each state, as the badges show them.
const stateWords = {
  pending: ['Đang chờ', 'Waiting'],
  in_flight: ['Đang gửi', 'Sending'],
  delivered: ['Đã gửi', 'Delivered'],
  retrying: ['Đang thử lại', 'Retrying'],
  dead: ['Thất bại', 'Failed'],
  missed: ['Bị lỡ', 'Missed'],
  cancelled: ['Đã hủy', 'Cancelled'],
};

const targetName = `browser-radio-${uniqueSuffix()}`;
let browser;
// What the seeding left: the state to filter by ('missed' when a runner caught up, else 'pending')
// and the action its button offers.
let chosen = null;

async function axeClean(page, label) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], formatViolations(label, violations));
}

// The target's dispatches in `state`, through the JSON API with the page's session.
async function dispatchesOf(page, state) {
  const r = await page.request.get(`/api/v1/dispatches?target=${targetName}&state=${state}&limit=5`);
  assert.equal(r.status(), 200, await r.text());
  return (await r.json()).dispatches;
}

before(async () => {
  browser = await launchBrowser();
  if (pending) return;
  // A receiver for the radio outlets; the address is never reached (the network is closed and the
  // campaign's slots are long past: a running dispatcher marks them missed, and a target added now
  // queues none of them).
  execFileSync(binary, ['target', 'add', '--db', db, '--name', targetName, '--kind', 'radio', '--url',
    'https://radio.example.invalid/hook'], { stdio: 'pipe' });
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await signIn(page, 'approver');
  // A re-plan keeps what an earlier flow's plan stored where nothing is gained by moving it, and a
  // kept placement makes no new dispatch: the waiting radio message, approved now, brings new
  // airings (and moves some others).
  await open(page, `/campaigns/${campaign}/approvals`);
  const waiting = page.locator('#approve-victim-support-rights');
  if (await waiting.count()) {
    await Promise.all([page.waitForNavigation(), waiting.click()]);
  }
  const token = await csrfToken(page);
  const stored = await page.request.post(`/api/v1/campaigns/${campaign}/plan`, {
    // Dates in 2024 given: other flows may have approved a message flighted today, which would make
    // the default range reach today and keep the 2024 placements as they are (no new dispatches).
    headers: { 'X-CSRF-Token': token, 'Content-Type': 'application/json' },
    data: JSON.stringify({ from: '2024-07-15', to: '2024-08-02' }),
    timeout: 120_000,
  });
  assert.equal(stored.status(), 200, await stored.text());
  const changes = (await stored.json()).changes;
  assert.ok(changes.added + changes.moved > 0, `the re-plan placed or moved airings: ${JSON.stringify(changes)}`);
  // A running dispatcher marks the past slots missed within its poll; without one they stay pending.
  for (let i = 0; i < 40 && !chosen; ++i) {
    if ((await dispatchesOf(page, 'missed')).length) chosen = { state: 'missed', action: 'requeue' };
    else await new Promise((resolve) => { setTimeout(resolve, 250); });
  }
  if (!chosen && (await dispatchesOf(page, 'pending')).length) chosen = { state: 'pending', action: 'retry' };
  const all = await page.request.get(`/api/v1/dispatches?target=${targetName}&limit=1000`);
  const states = {};
  for (const d of (await all.json()).dispatches) states[d.state] = (states[d.state] ?? 0) + 1;
  assert.ok(chosen, `the stored plan made dispatches for the new target: ${JSON.stringify(states)}`);
  await context.close();
});
after(async () => { await browser?.close(); });

test('an approver reads the dispatch log in Vietnamese and sends a dispatch again', { skip: pending }, async (t) => {
  const step = storySteps();
  const context = await newContext(browser, { lang: 'vi', bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, 'approver');
  let detailPath = '';

  await step(t, 'the navigation leads to the log with its summary', async () => {
    await open(page, '/');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('link', { name: 'Nhật ký gửi tin', exact: true }).click()]);
    assert.equal(new URL(page.url()).pathname, logPath);
    await assertPageBasics(page, context);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Nhật ký gửi tin');
    assert.equal(await page.locator('#dispatch-counts > div').count(), 7 + 4, 'seven states, total, due, oldest, targets');
    assert.match(await page.locator('#dispatch-count-missed dt').innerText(), /^Bị lỡ$/);
    assert.match(await page.locator('#dispatch-targets dd').innerText(), /^\d+ \(\d+\)$/);
    await axeClean(page, 'dispatch log (vi)');
  });

  await step(t, 'the filter form narrows the table; every state is a badge with words', async () => {
    await page.locator('#dispatch-filter-state').selectOption(chosen.state);
    await page.locator('#dispatch-filter-target').selectOption(targetName);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#dispatch-filter-submit').click()]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('state'), chosen.state);
    assert.equal(url.searchParams.get('target'), targetName);
    const rows = page.locator('#dispatch-table tbody tr');
    assert.ok(await rows.count() > 0, 'rows for the new target');
    for (const row of await rows.all()) {
      assert.equal(await row.getAttribute('data-state'), chosen.state);
      assert.equal((await row.locator('td').nth(4).innerText()).trim(), targetName);
      const badge = row.locator('.dispatch-state');
      assert.equal((await badge.innerText()).trim(), stateWords[chosen.state][0]);
      assert.ok(await badge.isVisible());
      // The slot start in the outlet's zone (Hai Phong: UTC+07:00; Berlin in summer: UTC+02:00), the
      // Vietnamese way.
      assert.match(await row.locator('td').nth(3).innerText(), /^\d\d\/\d\d\/2024 \d\d:\d\d UTC\+0[27]:00$/);
    }
    assert.match(await page.locator('#dispatch-table caption').innerText(), /múi giờ/);
    await page.locator('#dispatch-filter-clear').waitFor();
    await screenshot(page, 'dispatch', 'vi');
    await axeClean(page, 'dispatch log filtered (vi)');
  });

  await step(t, 'one dispatch shows its facts and the button its state allows', async () => {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.locator('#dispatch-table tbody tr th a').first().click()]);
    detailPath = new URL(page.url()).pathname;
    assert.match(detailPath, /^\/dispatch\/\d+$/);
    const id = detailPath.split('/').pop();
    await assertPageBasics(page, context);
    assert.equal((await page.locator('h1').innerText()).trim(), `Lượt gửi ${id}`);
    assert.equal((await page.locator('#dispatch-target').innerText()).trim(), targetName);
    const button = chosen.action === 'requeue' ? '#dispatch-requeue' : '#dispatch-retry';
    const other = chosen.action === 'requeue' ? '#dispatch-retry' : '#dispatch-requeue';
    assert.equal((await page.locator(button).innerText()).trim(),
      chosen.action === 'requeue' ? 'Đưa lại vào hàng đợi' : 'Thử lại ngay');
    assert.equal(await page.locator(other).count(), 0);
    await screenshot(page, 'dispatch-detail', 'vi');
    await axeClean(page, 'dispatch detail (vi)');
  });

  await step(t, 'the button sends it again: 303 back to the dispatch with a flash', async () => {
    const button = chosen.action === 'requeue' ? '#dispatch-requeue' : '#dispatch-retry';
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(button).click()]);
    const url = new URL(page.url());
    assert.equal(url.pathname, detailPath);
    assert.equal(url.searchParams.get('done'), chosen.action === 'requeue' ? 'requeued' : 'retried');
    const flash = (await page.locator('.flash').innerText()).trim();
    assert.equal(flash, chosen.action === 'requeue' ? 'Lượt gửi đã được đưa lại vào hàng đợi và đến hạn ngay.'
      : 'Lượt gửi sẽ được gửi ngay bây giờ.');
    if (chosen.action === 'requeue') {
      // No longer missed: waiting, or already being sent or retried by the dispatcher.
      assert.notEqual((await page.locator('.dispatch-state').first().innerText()).trim(), 'Bị lỡ');
    }
    await axeClean(page, 'dispatch after the action (vi)');
  });
  await context.close();
});

test('the pages in English; a viewer reads without buttons', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'en', bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, 'approver');
  await open(page, `${logPath}?target=${targetName}`);
  await assertPageBasics(page, context);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.locator('h1').innerText()).trim(), 'Dispatch log');
  const englishWords = Object.values(stateWords).map((w) => w[1]);
  for (const badge of await page.locator('#dispatch-table .dispatch-state').allInnerTexts())
    assert.ok(englishWords.includes(badge.trim()), `an English state: ${badge}`);
  assert.match(await page.locator('#dispatch-table tbody tr td').nth(3).innerText(), /^\d+ [A-Z][a-z]+ 2024, \d\d:\d\d UTC\+0[27]:00$/);
  await screenshot(page, 'dispatch', 'en');
  await axeClean(page, 'dispatch log (en)');
  const href = await page.locator('#dispatch-table tbody tr th a').first().getAttribute('href');
  await open(page, href);
  assert.equal((await page.locator('h1').innerText()).trim(), `Dispatch ${href.split('/').pop()}`);
  assert.equal((await page.locator('#dispatch-attempts-heading').innerText()).trim(), 'Attempts');
  await axeClean(page, 'dispatch detail (en)');
  await context.close();

  const viewerContext = await newContext(browser, { lang: 'vi', bypassCSP: true });
  const viewer = await viewerContext.newPage();
  await signIn(viewer, 'viewer');
  await open(viewer, href);
  await assertPageBasics(viewer, viewerContext);
  assert.equal(await viewer.locator('#dispatch-actions').count(), 0, 'no buttons for a viewer');
  assert.equal(await viewer.locator('main form').count(), 0);
  await axeClean(viewer, 'dispatch detail (viewer)');
  // Sending again is for approvers: the form's POST with the viewer's own token is refused.
  const token = await csrfToken(viewer);
  for (const action of ['retry', 'requeue']) {
    const refused = await viewer.request.post(`${href}/${action}`, { form: { csrf_token: token }, maxRedirects: 0 });
    assert.equal(refused.status(), 403, action);
  }
  await viewerContext.close();
});
