/**
 * Printing, end to end in Chromium: the demo producer opens its 12-package certificate, prints
 * labels 2–3 as 80×60 thermal labels through the certificate page, and the PDF behind the link,
 * rasterised as a 203 dpi label printer would and read with a real decoder, holds label 2's
 * signed URL, which a phone opens to 有效.
 */
import type { Page } from 'playwright-core';
import { decodeQrPages, pdfInfo } from '../cloudfunctions/print/pdf-tools';
import { fill, startApp, tap, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

/** What a phone camera does with a scanned URL: open it, no session, no script. */
async function openScanned(url: string): Promise<string> {
  const phone = await app.browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await phone.newPage();
    await page.goto(url);
    return await page.locator('body').innerText();
  } finally {
    await phone.close();
  }
}

it('prints labels 2–3 as 80×60 labels whose QR codes decode to a valid certificate', async () => {
  const page: Page = await app.browser.newPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
  });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));

  await page.goto(`${app.base}/`);
  await page.waitForURL(/pages\/login/);
  await tap(page, 'login-demo-producer');
  await page.waitForURL(/pages\/index/);
  await tap(page, 'go-certificates');
  await page.waitForURL(/pages\/certificates/);
  await page.locator('#cert-list [id^="cert-"]:visible', { hasText: '青菜' }).first().click();
  await page.waitForURL(/pages\/certificate\/index\?code=/);
  const code = new URL(page.url()).hash.match(/code=([0-9A-Z]{16})/)?.[1] ?? '';
  expect(code).toHaveLength(16);

  await page.locator('#print:visible').waitFor();
  expect(await page.locator('#print').innerText()).toContain('最多 1000 张');
  await tap(page, 'layout-a4-two-part');
  await tap(page, 'layout-80x60');
  expect(await page.locator('#layout-80x60').getAttribute('class')).toContain('chip--on');

  // Out of range first: the message is under the inputs, nothing is printed.
  await fill(page, 'print-from', '2');
  await fill(page, 'print-to', '13');
  await tap(page, 'print-submit');
  await page.locator('#field-print-range .field-error:visible').waitFor();
  expect(await page.locator('#field-print-range .field-error').innerText()).toContain('共 12 件');

  await fill(page, 'print-to', '3');
  const popup = page.waitForEvent('popup', { timeout: 10_000 });
  await tap(page, 'print-submit');
  await page.locator('#print-result:visible').waitFor();
  expect(await page.locator('#print-result').innerText()).toContain('第 2–3 件');
  const href = (await page.locator('#print-link').getAttribute('href')) ?? '';
  expect(href).toMatch(new RegExp(`^${app.base}/files/[^?]+\\?t=`));
  // H5 opens the PDF in a new tab at once.
  expect((await popup).url()).toBe(href);

  const res = await page.request.get(href);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('application/pdf');
  const pdf = new Uint8Array(await res.body());
  const info = pdfInfo(pdf);
  expect(info.pages).toBe(2);
  // 80 × 60 mm in points.
  expect(info.width).toBeCloseTo((80 / 25.4) * 72, 0);
  expect(info.height).toBeCloseTo((60 / 25.4) * 72, 0);

  const [first] = decodeQrPages(pdf, 203);
  expect(first).toHaveLength(1);
  const scanned = first?.[0] ?? '';
  // Label 2 is index 1: "001" in Crockford base32, then the signature.
  expect(scanned).toMatch(new RegExp(`^${app.base}/c/${code}001\\?s=[A-Za-z0-9_-]{86}$`));
  const text = await openScanned(scanned);
  expect(text).toContain('有效');
  expect(text).toContain('第 2 / 12 件');
  expect(text).toContain('青菜');
  expect(problems).toEqual([]);
}, 60_000);
