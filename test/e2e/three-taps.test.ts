/**
 * Issuing the same product again takes at most three taps from the home page (issue 3): the demo
 * producer, whose last certificate the seed remembers, taps 按上次开具 and 开具合格证, and is on
 * the new certificate's page. Every tap from the home page on goes through one counter.
 */
import type { Page } from 'playwright-core';
import type { OwnCertificate } from '../../src/services/api';
import { callApi, startApp, tap, tokenOf, type App } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

it('issues the same product again in at most three taps from the home page', async () => {
  const page: Page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));

  await page.goto(`${app.base}/`);
  await page.waitForURL(/pages\/login/);
  await tap(page, 'login-demo-producer');
  await page.waitForURL(/pages\/index/);
  // The seed's last certificate: 黄瓜 8 箱, one batch (HG-001) resting on a commissioned test.
  await page.locator('#quick-issue:visible').waitFor();
  expect(await page.locator('#quick-summary').innerText()).toContain('黄瓜 8 箱');

  const token = await tokenOf(page);
  const before = await callApi<OwnCertificate[]>(app.base, token, 'certificate', 'mine', {});
  expect(before.length).toBeGreaterThan(0);

  let taps = 0;
  const counted = async (id: string) => {
    taps += 1;
    await tap(page, id);
  };

  await counted('quick-issue');
  await page.waitForURL(/pages\/issue/);
  await page.locator('#quick-view:visible').waitFor();
  // The batch number counts on from the last one; it is not reused.
  expect(await page.locator('#quick-batch').innerText()).toBe('HG-002');
  await counted('submit');
  await page.waitForURL(/pages\/certificate\/index\?code=/);
  await page.locator('#cert-title:visible').waitFor();

  expect(taps).toBeLessThanOrEqual(3);
  const code = new URL(page.url()).hash.match(/code=([0-9A-Z]{16})/)?.[1];
  expect(code).toBeDefined();
  expect(before.map((c) => c.code)).not.toContain(code);
  expect(await page.locator('#cert-product:visible').innerText()).toBe('黄瓜');
  expect(await page.locator('#cert-basis:visible').innerText()).toContain('☑ 委托检测合格');

  const after = await callApi<OwnCertificate[]>(app.base, token, 'certificate', 'mine', {});
  expect(after.length).toBe(before.length + 1);
  expect(after[0]).toMatchObject({
    code,
    productName: '黄瓜',
    quantity: { value: '8', unit: 'box' },
    issueUnit: 'batch',
    batchNo: 'HG-002',
    basis: ['commissioned_test'],
    status: 'valid',
  });
  expect(after[0]?.testRecordIds).toHaveLength(1);
  expect(problems).toEqual([]);
}, 60_000);
