/**
 * Market entry, end to end in Chromium: 李老板 (demo-buyer, 李记果蔬收购点) accepts a label of one
 * of 王大爷's certificates (已收取, 第 i / 12 件); the same label again is refused (已收取过), a
 * label with a tampered signature too (疑似伪造); goods without a certificate are recorded, come
 * first in the records as 待抽检, fail the rapid test and are turned away (不合格退场); the market's
 * home page then counts 2 arrivals, 1 with a certificate, 1 failed.
 */
import type { Page } from 'playwright-core';
import { type App, callApi, fill, signedIn, startApp, tap, tokenOf } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

/** A different signature of the same length: one character in its middle changed. */
function tampered(url: string): string {
  const m = /([?&]s=)([A-Za-z0-9_-]+)/.exec(url);
  if (!m) throw new Error(`no signature in ${url}`);
  const sig = m[2]!;
  const i = 20;
  const swapped = sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1);
  return url.replace(sig, swapped);
}

const text = (page: Page, id: string) => page.locator(`#${id}:visible`).innerText();

it('accepts a label, refuses it again and a forged one, turns away failed goods', async () => {
  const problems: string[] = [];

  // 王大爷's 青菜: 12 package labels, each with its signed link (the list shows the first).
  const producer = await signedIn(app, 'demo-producer', problems);
  const token = await tokenOf(producer);
  const certificates = await callApi<{ code: string; productName: string; count: number }[]>(
    app.base,
    token,
    'certificate',
    'mine',
    {},
  );
  const qingcai = certificates.find((c) => c.productName === '青菜' && c.count === 12);
  expect(qingcai).toBeDefined();
  const { labels } = await callApi<{ labels: { index: number; verifyUrl: string }[] }>(
    app.base,
    token,
    'certificate',
    'labels',
    { code: qingcai!.code, offset: 2, limit: 2 },
  );
  const [label3, label4] = labels;
  if (!label3 || !label4) throw new Error('labels 3 and 4 of 青菜 not returned');
  expect(label3.index).toBe(3);
  expect(label3.verifyUrl).toMatch(/\/c\/[0-9A-Z]{19}\?s=[A-Za-z0-9_-]{86}$/);

  // 李老板 opens the market page from his home page.
  const buyer = await signedIn(app, 'demo-buyer', problems);
  await tap(buyer, 'go-market');
  await buyer.waitForURL(/pages-market\/index\/index/);
  expect(await text(buyer, 'market-name')).toBe('李记果蔬收购点');
  expect(await text(buyer, 'fig-arrivals')).toBe('0');
  expect(await text(buyer, 'fig-rate')).toBe('—');

  // 凭证入市: the label's link, as a scanner reads it.
  await tap(buyer, 'market-scan');
  await buyer.waitForURL(/pages-market\/accept\/index/);
  await fill(buyer, 'accept-input', label3.verifyUrl);
  await fill(buyer, 'accept-stall', 'A-12');
  await tap(buyer, 'accept-submit');
  await buyer.locator('#accept-result:visible').waitFor();
  expect(await text(buyer, 'accept-title')).toContain('已收取');
  expect(await text(buyer, 'accept-product')).toBe('青菜');
  expect(await text(buyer, 'accept-quantity')).toBe('5 斤');
  expect(await text(buyer, 'accept-label-index')).toBe('第 3 / 12 件');
  expect(await text(buyer, 'accept-issuer')).toContain('王大爷');
  expect(await text(buyer, 'accept-at')).toContain('摊位 A-12');
  expect(await buyer.locator('#accept-seen-elsewhere').count()).toBe(0);

  // The same label again: already accepted here.
  await fill(buyer, 'accept-input', label3.verifyUrl);
  await tap(buyer, 'accept-submit');
  await buyer.locator('#accept-error:visible').waitFor();
  expect(await text(buyer, 'accept-error-title')).toContain('已收取过');
  expect(await text(buyer, 'accept-error-message')).toContain('不能重复登记');
  expect(await buyer.locator('#accept-result').count()).toBe(0);

  // Another label of the same certificate with its signature altered: forged.
  await fill(buyer, 'accept-input', tampered(label4.verifyUrl));
  await tap(buyer, 'accept-submit');
  await buyer.locator('#accept-error-title:visible', { hasText: '疑似伪造' }).waitFor();
  expect(await text(buyer, 'accept-error-message')).toContain('签名无效');

  // 无证到货: recorded, then listed first as a task.
  await tap(buyer, 'accept-to-no-cert');
  await buyer.waitForURL(/pages-market\/no-cert\/index/);
  expect(await buyer.locator('#nc-stall:visible input').inputValue()).toBe('A-12');
  await fill(buyer, 'nc-product', '韭菜');
  await fill(buyer, 'nc-quantity', '30');
  await tap(buyer, 'nc-unit-kg');
  await fill(buyer, 'nc-supplier-name', '赵四');
  await fill(buyer, 'nc-supplier-phone', '13912345678');
  await tap(buyer, 'nc-submit');
  await buyer.locator('#nc-done:visible').waitFor();
  expect(await text(buyer, 'nc-done-product')).toBe('韭菜 30 公斤');
  await tap(buyer, 'nc-to-entries');
  await buyer.waitForURL(/pages-market\/entries\/index/);
  const first = buyer.locator('#entries-list:visible > [id^="entry-"]').first();
  await first.waitFor();
  expect(await first.locator('.mk-badge').innerText()).toBe('待抽检');
  expect(await first.innerText()).toContain('韭菜');
  expect(await text(buyer, 'entries-count')).toContain('记录共 2 条');

  // The rapid test fails: the goods are turned away.
  await first.click();
  await buyer.waitForURL(/pages-market\/sample\/index/);
  expect(await text(buyer, 'sample-entry')).toContain('韭菜 30 公斤');
  await tap(buyer, 'sample-kind-rapid');
  // No result chosen: refused on the page, nothing sent.
  await tap(buyer, 'sample-submit');
  await buyer.locator('#sample-item-0 .field-error:visible').waitFor();
  await tap(buyer, 'sample-item-0-fail');
  await tap(buyer, 'sample-submit');
  await buyer.locator('#sample-result:visible').waitFor();
  expect(await text(buyer, 'sample-result-title')).toContain('不合格，退场');
  expect(await buyer.locator('#sample-result').getAttribute('class')).toContain('mk-outcome--fail');

  // The records say so, and so do today's figures on the market page.
  await tap(buyer, 'sample-to-entries');
  await buyer.waitForURL(/pages-market\/entries\/index/);
  await tap(buyer, 'entries-kind-failed');
  await buyer.locator('#entries-count:visible', { hasText: '符合条件的记录共 1 条' }).waitFor();
  const failed = buyer.locator('#entries-list:visible > [id^="entry-"]');
  expect(await failed.count()).toBe(1);
  expect(await failed.locator('.mk-badge').innerText()).toBe('不合格退场');
  await tap(buyer, 'entries-kind-accepted');
  await buyer.locator('#entries-list:visible .mk-badge--accepted').waitFor();
  await buyer.locator('#entries-count:visible', { hasText: '符合条件的记录共 1 条' }).waitFor();
  expect(await buyer.locator('#entries-list:visible').innerText()).toContain('王大爷');

  await buyer.goto(`${app.base}/#/pages-market/index/index`);
  await buyer.locator('#fig-arrivals:visible', { hasText: '2' }).waitFor();
  expect(await text(buyer, 'fig-with-cert')).toBe('1');
  expect(await text(buyer, 'fig-without-cert')).toBe('1');
  expect(await text(buyer, 'fig-failed')).toBe('1');
  expect(await text(buyer, 'fig-rate')).toBe('50.0%');
  expect(await text(buyer, 'fig-computed-at')).toMatch(/^计算于 \d{2}:\d{2}$/);
  expect(await buyer.locator('#fig-pending').count()).toBe(0);

  expect(problems).toEqual([]);
}, 60_000);
