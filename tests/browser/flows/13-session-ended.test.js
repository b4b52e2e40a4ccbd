// Flow 13: a form sent after its session ended loses nothing. The server answers with the login
// page and, once signed in again, the page the form was on; /static/loa.js puts back what was typed
// (with a notice saying so), and the form then saves. A saved form leaves no draft behind.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { campaignPath, launchBrowser, missingPages, newContext, open, signIn, uniqueSuffix, users } from '../lib/harness.js';

const pending = await missingPages(['/login', `${campaignPath}/messages/new`]);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('what was typed comes back after signing in again', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  const editor = await signIn(page, 'editorEducation');
  const suffix = uniqueSuffix();
  const title = `Tin nhắn viết lúc phiên hết hạn (${suffix})`;
  const text = 'Gọi 111 nếu nghi ngờ trẻ em bị mua bán. Đường dây nóng miễn phí, hoạt động 24/7.';

  const formPath = `${campaignPath}/messages/new`;
  await open(page, formPath);
  await page.locator('#message-title-vi').fill(title);
  await page.locator('#message-text-vi').fill(text);
  await page.locator('#message-channel-sms').check();
  await page.locator('#message-flight-start').fill('2024-07-25');
  await page.locator('#message-flight-end').fill('2024-07-31');
  await page.locator('#message-airings').fill('2');
  await page.locator('#message-audience-parents').check();

  // The session ends while the form is open (as after 30 idle minutes): the browser holds no
  // session any more when the form is sent.
  await context.clearCookies();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#message-save').click()]);
  const atLogin = new URL(page.url());
  assert.equal(atLogin.pathname, '/login', `after sending without a session: ${page.url()}`);
  assert.equal(atLogin.searchParams.get('next'), formPath, 'the login page leads back to the form');

  await page.locator('#login-name').fill(editor.name);
  await page.locator('#login-password').fill(editor.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#login-submit').click()]);
  assert.equal(new URL(page.url()).pathname, formPath, `signed in again: ${page.url()}`);

  const notice = page.locator('#draft-restored');
  await notice.waitFor();
  assert.match(await notice.innerText(), /đã được điền lại/, 'the notice is in Vietnamese');
  assert.equal(await notice.getAttribute('role'), 'status');
  assert.equal(await page.locator('#message-title-vi').inputValue(), title);
  assert.equal(await page.locator('#message-text-vi').inputValue(), text);
  assert.equal(await page.locator('#message-channel-sms').isChecked(), true);
  assert.equal(await page.locator('#message-audience-parents').isChecked(), true);
  assert.equal(await page.locator('#message-flight-start').inputValue(), '2024-07-25');
  assert.equal(await page.locator('#message-airings').inputValue(), '2');
  const token = await page.locator('#message-form input[name="csrf_token"]').inputValue();
  assert.ok(token.length >= 32, 'the form carries the new session\'s token, not a kept one');

  // Sent again, it saves.
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#message-save').click()]);
  assert.match(new URL(page.url()).pathname, new RegExp(`^${campaignPath}/messages/[^/]+$`), `after saving: ${page.url()}`);
  assert.equal((await page.locator('h1').innerText()).trim(), title);

  // Saved: no draft is left to come back on the next new message.
  await open(page, formPath);
  assert.equal(await page.locator('#draft-restored').count(), 0);
  assert.equal(await page.locator('#message-title-vi').inputValue(), '');
  await context.close();
});

test('a form that came back with its errors comes back to its own page after signing in again', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  const editor = await signIn(page, 'editorEducation');
  const formPath = `${campaignPath}/messages/new`;
  const title = `Tin nhắn sửa lỗi rồi hết phiên (${uniqueSuffix()})`;
  await open(page, formPath);
  await page.locator('#message-title-vi').fill(title);
  await page.locator('#message-text-vi').fill('Gọi 111 khi nghi ngờ có người bị mua bán.');
  await page.locator('#message-channel-sms').check();
  await page.locator('#message-flight-start').fill('2024-07-31');
  await page.locator('#message-flight-end').fill('2024-07-25');  // before the start: refused
  await page.locator('#message-airings').fill('2');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#message-save').click()]);
  assert.notEqual(new URL(page.url()).pathname, formPath, 'the refused form is the POST\'s answer');
  assert.ok(await page.locator('#message-errors').count() > 0, 'the form came back with its errors');

  await page.locator('#message-flight-end').fill('2024-08-01');
  await context.clearCookies();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#message-save').click()]);
  assert.equal(new URL(page.url()).searchParams.get('next'), formPath, `the login page leads back to the form: ${page.url()}`);
  await page.locator('#login-name').fill(editor.name);
  await page.locator('#login-password').fill(editor.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#login-submit').click()]);
  assert.equal(new URL(page.url()).pathname, formPath);
  await page.locator('#draft-restored').waitFor();
  assert.equal(await page.locator('#message-title-vi').inputValue(), title);
  assert.equal(await page.locator('#message-flight-end').inputValue(), '2024-08-01');
  await context.close();
});

test('someone else signing in at that login page gets nothing of it', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await signIn(page, 'editorEducation');
  const formPath = `${campaignPath}/messages/new`;
  await open(page, formPath);
  await page.locator('#message-title-vi').fill('Bản nháp của người khác');
  await page.locator('#message-text-vi').fill('Nội dung riêng');
  await context.clearCookies();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#message-save').click()]);
  assert.equal(new URL(page.url()).pathname, '/login');
  // The approver signs in at this login page and follows it back to the form.
  const other = users.approver;
  await page.locator('#login-name').fill(other.name);
  await page.locator('#login-password').fill(other.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#login-submit').click()]);
  assert.equal(new URL(page.url()).pathname, formPath);
  assert.equal(await page.locator('#draft-restored').count(), 0);
  assert.equal(await page.locator('#message-title-vi').inputValue(), '');
  assert.equal(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('loa-draft:')).length), 0,
    'the draft is dropped, not kept for later');
  await context.close();
});

test('a login page reached some other way restores nothing', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'en' });
  const page = await context.newPage();
  await signIn(page, 'editorEducation');
  await open(page, `${campaignPath}/messages/new`);
  await page.locator('#message-title-vi').fill('Bản nháp không gửi');
  // Left without sending: nothing is kept.
  await context.clearCookies();
  await signIn(page, users.editorEducation, { next: `${campaignPath}/messages/new` });
  assert.equal(await page.locator('#draft-restored').count(), 0);
  assert.equal(await page.locator('#message-title-vi').inputValue(), '');
  await context.close();
});
