// Flow 4: the language switcher (signed out: a link and a cookie; signed in: a form and the account's preference) and every main page in Vietnamese and English (html lang, different texts), with screenshots of both.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertPageBasics, campaignPath, languages, launchBrowser, missingPages, newContext, open, screenshot, signIn,
} from '../lib/harness.js';
import { mainPages } from '../lib/pages.js';

// Skipped, with the reason, while this build lacks a page the flow needs.
const pending = await missingPages(['/login']);
const pendingCalendar = await missingPages(['/login', `${campaignPath}/calendar`]);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function htmlLang(page) { return page.locator('html').getAttribute('lang'); }
async function mainText(page) { return (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim(); }

// The interface's own words on the page: headings, legends, buttons, table headers and field labels
// (not the labels of choices, which hold campaign data), in document order.
async function uiTexts(page) {
  return page.locator('main').locator('h2, legend, button, th, label:not(.choice)').evaluateAll(
    (els) => els.map((el) => el.innerText.replace(/\s+/g, ' ').trim()).filter((t) => /\p{L}{3}/u.test(t)));
}

// Words that are the same in both languages.
const sameInBoth = new Set(['SMS', 'E-mail', 'Email', 'Online', 'Facebook', 'Zalo', 'RRULE']);

test('signed out: the switcher link turns the login page from Vietnamese to English and back', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await open(page, '/login');
  assert.equal(await htmlLang(page), 'vi', 'Vietnamese is the default');
  const vi = { h1: await page.locator('h1').innerText(), label: await page.locator('label[for="login-password"]').innerText() };
  await Promise.all([page.waitForNavigation(), page.locator('#lang-switch').click()]);
  assert.equal(new URL(page.url()).pathname, '/login', 'the switcher comes back to the same page');
  assert.equal(await htmlLang(page), 'en');
  const en = { h1: await page.locator('h1').innerText(), label: await page.locator('label[for="login-password"]').innerText() };
  assert.notEqual(en.h1, vi.h1);
  assert.notEqual(en.label, vi.label);
  assert.equal(en.h1.trim(), 'Sign in');
  // The choice is kept (cookie) on the next page.
  await open(page, '/login');
  assert.equal(await htmlLang(page), 'en');
  await Promise.all([page.waitForNavigation(), page.locator('#lang-switch').click()]);
  assert.equal(await htmlLang(page), 'vi');
  assert.equal(await page.locator('h1').innerText(), vi.h1);
  await context.close();
});

test('signed in: the switcher form keeps the page and stores the choice with the account', { skip: pendingCalendar }, async () => {
  // The viewer's preference is changed here and restored at the end: no other flow relies on it.
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await signIn(page, 'viewer', { next: campaignPath });
  await open(page, `${campaignPath}/calendar?view=month&date=2024-07-01`);
  assert.equal(await htmlLang(page), 'vi');
  const viText = await mainText(page);
  const before = new URL(page.url());
  await Promise.all([page.waitForNavigation(), page.locator('#lang-switch').click()]);
  const afterUrl = new URL(page.url());
  assert.equal(afterUrl.pathname + afterUrl.search, before.pathname + before.search, 'same page after switching');
  assert.equal(await htmlLang(page), 'en');
  assert.notEqual(await mainText(page), viText);
  await context.close();

  // A new browser that asks for Vietnamese still gets English: the account's choice comes first.
  const again = await newContext(browser, { lang: 'vi' });
  const p = await again.newPage();
  await signIn(p, 'viewer', { next: campaignPath });
  assert.equal(await htmlLang(p), 'en', 'the preference is stored with the account');
  await Promise.all([p.waitForNavigation(), p.locator('#lang-switch').click()]);
  assert.equal(await htmlLang(p), 'vi');
  await again.close();
});

test('every main page in Vietnamese and English, with screenshots', { skip: pending }, async (t) => {
  const contexts = {};
  const pages = {};
  for (const lang of languages) {
    contexts[lang] = await newContext(browser, { lang });
    pages[lang] = await contexts[lang].newPage();
    await signIn(pages[lang], 'admin');
  }
  const signedOut = {};
  for (const lang of languages) signedOut[lang] = await (await newContext(browser, { lang })).newPage();

  for (const p of mainPages) {
    await t.test(p.name, { skip: p.pending || false }, async () => {
      const texts = {};
      const ui = {};
      for (const lang of languages) {
        const page = p.who ? pages[lang] : signedOut[lang];
        await open(page, p.path);
        assert.equal(await htmlLang(page), lang, `${p.path} in ${lang}`);
        await assertPageBasics(page, page.context());
        texts[lang] = await mainText(page);
        ui[lang] = await uiTexts(page);
        await screenshot(page, p.name, lang);
      }
      assert.notEqual(texts.vi, texts.en, `${p.path}: the Vietnamese and English pages differ`);
      // Every interface text is translated: none is the same in both languages.
      const english = new Set(ui.en);
      const untranslated = [...new Set(ui.vi.filter((text) => english.has(text) && !sameInBoth.has(text)))];
      assert.deepEqual(untranslated, [], `${p.path}: the same in Vietnamese and English (not translated?)`);
      // Vietnamese pages carry Vietnamese letters; the English page's own words are English.
      assert.match(texts.vi, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i, `${p.path}: Vietnamese text`);
    });
  }
  for (const lang of languages) {
    await contexts[lang].close();
    await signedOut[lang].context().close();
  }
});

test('the signed-in header names the role, and the department only for editors', { skip: pending }, async () => {
  const context = await newContext(browser, { lang: 'vi' });
  const page = await context.newPage();
  await signIn(page, 'admin');
  const role = (await page.locator('.user-role').innerText()).trim();
  assert.doesNotMatch(role, /·\s*\)/, `admin: "${role}"`);
  await context.close();
  const editor = await newContext(browser, { lang: 'en' });
  const p = await editor.newPage();
  await signIn(p, 'editorEducation');
  // The department's name from the campaign, in the page language, never its code.
  assert.equal((await p.locator('.user-role').innerText()).trim(), '(Editor · Department of Education and Training)');
  await open(p, '/account');
  assert.equal((await p.locator('#account-department').innerText()).trim(), 'Department of Education and Training');
  await editor.close();
});
