/**
 * A certificate's life, end to end in Chromium: a new producer records a passed self test,
 * issues 5 package labels resting on it, reads label 5's QR code off the screen with a real
 * decoder and opens it (有效), revokes the certificate with a reason (the same scan now says
 * 已撤销 and why), finds it in the list, and exports the list to Excel.
 */
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { idCardCheckChar } from '../../src/domain/identity';
import { fill, readQr, startApp, tap, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

/** What a phone camera does with a scanned URL: open it, no session, no script. */
async function openScanned(url: string): Promise<{ status: number; text: string }> {
  const phone = await app.browser.newContext({
    viewport: { width: 360, height: 740 },
    javaScriptEnabled: false,
  });
  try {
    const page = await phone.newPage();
    const res = await page.goto(url);
    return { status: res?.status() ?? 0, text: await page.locator('body').innerText() };
  } finally {
    await phone.close();
  }
}

it('tests, issues 5 labels, scans label 5, revokes, searches and exports', async () => {
  const page: Page = await app.browser.newPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
  });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));

  await page.goto(`${app.base}/`);
  await page.waitForURL(/pages\/login/);
  await tap(page, 'new-user');
  await page.waitForURL(/pages\/index/);
  await tap(page, 'go-register');
  await page.waitForURL(/pages\/register/);
  const first17 = '32070319620715124';
  await tap(page, 'type-smallholder');
  await fill(page, 'name', '赵桂兰');
  await fill(page, 'identityNumber', first17 + (idCardCheckChar(first17) ?? '0'));
  await fill(page, 'contactName', '赵桂兰');
  await fill(page, 'phone', '13812345678');
  await fill(page, 'address', '连云区板桥街道东山村');
  await tap(page, 'division-320703004');
  await fill(page, 'products', '小青菜');
  await tap(page, 'submit');

  // A self-test basis without a test record: the issue page offers to add one, and chooses it.
  await page.waitForURL(/pages\/issue/);
  await tap(page, 'basis-self_test');
  await page.locator('#field-testRecordIds:visible').waitFor();
  await tap(page, 'add-test');
  await page.waitForURL(/pages\/tests/);
  expect(await page.locator('#party-self').getAttribute('class')).toContain('chip--on');
  await tap(page, 'item-0');
  await tap(page, 'result-pass');
  await tap(page, 'test-submit');
  await page.waitForURL(/pages\/issue/);
  const chosenTest = page.locator('[id^="test-tst"]:visible');
  await chosenTest.waitFor();
  expect(await chosenTest.getAttribute('class')).toContain('chip--on');

  expect(await page.locator('#productName:visible input').inputValue()).toBe('小青菜');
  await fill(page, 'quantityValue', '5');
  await tap(page, 'unit-jin');
  await fill(page, 'packages', '5');
  await tap(page, 'submit');

  await page.waitForURL(/pages\/certificate\/index\?code=/);
  const code = new URL(page.url()).hash.match(/code=([0-9A-Z]{16})/)?.[1] ?? '';
  expect(code).toHaveLength(16);
  expect(await page.locator('#label-index:visible').innerText()).toBe('第 1 / 5 件');
  expect(await page.locator('#cert-basis:visible').innerText()).toContain('☑ 自行检测合格');
  expect(await page.locator('#cert-tests:visible').innerText()).toContain(
    '有机磷和氨基甲酸酯类农药残留',
  );
  expect(await page.locator('#cert-retention:visible').innerText()).toMatch(/\d{4}-\d{2}-\d{2}/);
  await expect(page.locator('#remove:visible').count()).resolves.toBe(0);

  // Label 5 of 5, read off the screen.
  await page.locator('#label-5:visible img').waitFor();
  const scanned = await readQr(page, '#label-5:visible');
  expect(scanned).toMatch(
    new RegExp(`^${app.base}/c/${code}[0-9A-HJKMNP-TV-Z]{3}\\?s=[A-Za-z0-9_-]{86}$`),
  );
  const valid = await openScanned(scanned);
  expect(valid.status).toBe(200);
  expect(valid.text).toContain('有效');
  expect(valid.text).toContain('第 5 / 5 件');
  expect(valid.text).toContain('小青菜');

  // Revoke with a reason: the page says so, the audit trail has it, the scan says so.
  await tap(page, 'revoke');
  await fill(page, 'revoke-reason', '数量写错，已重新开具');
  await tap(page, 'revoke-confirm');
  await page.locator('#cert-status:visible').waitFor();
  expect(await page.locator('#cert-status').innerText()).toContain('已撤销');
  expect(await page.locator('#cert-status').innerText()).toContain('数量写错，已重新开具');
  await expect(page.locator('#revoke:visible').count()).resolves.toBe(0);
  await page.locator('#history-1:visible').waitFor();
  expect(await page.locator('#history-0').innerText()).toContain('本人开具');
  expect(await page.locator('#history-1').innerText()).toContain(
    '本人撤销：原因：数量写错，已重新开具',
  );
  const revoked = await openScanned(scanned);
  expect(revoked.text).toContain('已撤销');
  expect(revoked.text).toContain('数量写错，已重新开具');

  // The retained copy: found by product name and by status.
  await tap(page, 'to-certificates');
  await page.waitForURL(/pages\/certificates/);
  await fill(page, 'search-q', '小青菜');
  await tap(page, 'search-submit');
  await page.locator(`#cert-${code}:visible`).waitFor();
  expect(await page.locator(`#cert-${code} .status-revoked`).innerText()).toBe('已撤销');
  await tap(page, 'status-valid');
  await page.locator('#cert-none:visible').waitFor();
  await tap(page, 'status-revoked');
  await page.locator(`#cert-${code}:visible`).waitFor();

  // Export what is shown to Excel, and read it back.
  const [download] = await Promise.all([page.waitForEvent('download'), tap(page, 'export-xlsx')]);
  expect(download.suggestedFilename()).toMatch(/^合格证存根-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v))));
  expect(rows[0]).toContain('产品名称');
  const found = rows.find((r) => r.includes('小青菜'));
  expect(found).toBeDefined();
  expect(found).toContain('已撤销');
  expect(found).toContain('数量写错，已重新开具');
  await page.locator('#export-message:visible').waitFor();
  expect(await page.locator('#export-message').innerText()).toContain('已导出 1 张');
  expect(problems).toEqual([]);
}, 60_000);

it('pages through 25 labels, ten at a time, each with its own signed QR code', async () => {
  const page: Page = await app.browser.newPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
  });
  await page.goto(`${app.base}/`);
  await page.waitForURL(/pages\/login/);
  await tap(page, 'login-demo-producer');
  await page.waitForURL(/pages\/index/);
  await tap(page, 'go-issue');
  await page.waitForURL(/pages\/issue/);
  await tap(page, 'issueUnit-package');
  await tap(page, 'product-0');
  await tap(page, 'basis-quality_control');
  await fill(page, 'packages', '25');
  await tap(page, 'submit');
  await page.waitForURL(/pages\/certificate\/index\?code=/);
  const code = new URL(page.url()).hash.match(/code=([0-9A-Z]{16})/)?.[1] ?? '';
  expect(await page.locator('#label-index:visible').innerText()).toBe('第 1 / 25 件');
  expect(await page.locator('#labels-page:visible').innerText()).toBe('1 / 3 页');
  await tap(page, 'labels-next');
  await page.locator('#label-11:visible').waitFor();
  await tap(page, 'labels-next');
  // Labels 21–25 are past the first 20 the certificate came with: fetched page by page.
  await page.locator('#label-25:visible img').waitFor();
  expect(await page.locator('#labels-range').innerText()).toContain('第 21–25 件');
  expect(await page.locator('#label-20').count()).toBe(0);
  const scanned = await readQr(page, '#label-25:visible');
  // Label 25 is index 24: "00R" in Crockford base32.
  expect(scanned).toMatch(new RegExp(`^${app.base}/c/${code}00R\\?s=[A-Za-z0-9_-]{86}$`));
  const opened = await openScanned(scanned);
  expect(opened.text).toContain('有效');
  expect(opened.text).toContain('第 25 / 25 件');
  await tap(page, 'labels-prev');
  await page.locator('#label-11:visible').waitFor();
}, 40_000);
