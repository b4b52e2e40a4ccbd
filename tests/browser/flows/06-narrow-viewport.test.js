// Flow 6: at 360 px wide (a small phone) no main page scrolls sideways, in either language; wide tables may scroll inside their own box only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, missingPages, newContext, open, screenshot, signIn } from '../lib/harness.js';
import { mainPages } from '../lib/pages.js';

// Skipped, with the reason, while this build lacks a page the flow needs.
const pending = await missingPages(['/login']);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const viewport = { width: 360, height: 740 };

// The page's own width beyond the viewport, and the elements that stick out (for the message).
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scroll = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
    const culprits = [];
    if (scroll > width + 1) {
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && r.width > 0) {
          // Only the outermost element that sticks out, not all its children.
          if (!culprits.some((c) => c.el.contains(el))) culprits.push({ el, right: Math.round(r.right) });
        }
        if (culprits.length >= 5) break;
      }
    }
    return {
      width,
      scroll,
      culprits: culprits.map((c) => `${c.el.tagName.toLowerCase()}${c.el.id ? `#${c.el.id}` : ''}${c.el.className && typeof c.el.className === 'string' ? `.${c.el.className.trim().split(/\s+/).join('.')}` : ''} (right edge ${c.right}px)`),
    };
  });
}

test('no horizontal scroll at 360 px', { skip: pending }, async (t) => {
  for (const lang of ['vi', 'en']) {
    const signedIn = await newContext(browser, { lang, viewport });
    const page = await signedIn.newPage();
    await signIn(page, 'admin');
    const signedOut = await newContext(browser, { lang, viewport });
    const outPage = await signedOut.newPage();
    for (const p of mainPages) {
      await t.test(`${lang} ${p.name}`, { skip: p.pending || false }, async () => {
        const target = p.who ? page : outPage;
        await open(target, p.path);
        const o = await overflow(target);
        if (o.scroll > o.width + 1) await screenshot(target, `narrow-${p.name}-overflow`, lang);
        assert.ok(o.scroll <= o.width + 1,
          `${p.path} (${lang}) is ${o.scroll}px wide in a ${o.width}px viewport; sticking out: ${o.culprits.join(', ')}`);
        if (lang === 'vi' && ['overview', 'calendar-month', 'message-new', 'login'].includes(p.name)) {
          await screenshot(target, `narrow-${p.name}`, lang);
        }
      });
    }
    await signedIn.close();
    await signedOut.close();
  }
});
