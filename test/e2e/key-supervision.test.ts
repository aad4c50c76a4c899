/**
 * Key supervision, end to end in Chromium: 刘监管 (demo-supervisor, 墟沟) samples 王大爷's 青菜,
 * linked to its certificate, and it fails: the page says 承诺不符 and the key list shows 王大爷.
 * 王大爷 (demo-producer) sees the 整改 notice on his home page, writes his measures, adds a
 * photo and submits. 刘监管 checks the case and closes it (销号); a passing follow-up sample then
 * takes 王大爷 off the list (已解除), and his home page no longer shows the notice.
 */
import type { Page } from 'playwright-core';
import { type App, callApi, fill, signedIn, startApp, tap, tokenOf } from './harness';
import { tinyPng } from './photo';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

const text = (page: Page, id: string) => page.locator(`#${id}:visible`).innerText();

/** Picks 王大爷 in a supervision form's subject search. */
async function chooseWangDaye(page: Page, prefix: string) {
  await fill(page, `${prefix}-subject-q`, '王大爷');
  await page.locator(`[id^="${prefix}-subject-sub"]:visible`, { hasText: '王大爷' }).click();
  expect(await text(page, `${prefix}-subject-chosen`)).toBe('王大爷');
}

it('fails a sample against a promise, rectifies, closes and lifts key supervision', async () => {
  const problems: string[] = [];
  const measures = '已停用该批农药，剩余青菜全部销毁，重新自检合格后再上市';

  const producer = await signedIn(app, 'demo-producer', problems);
  const certificates = await callApi<{ productName: string; count: number; verifyUrl: string }[]>(
    app.base,
    await tokenOf(producer),
    'certificate',
    'mine',
    {},
  );
  const qingcai = certificates.find((c) => c.productName === '青菜' && c.count === 12);
  if (!qingcai) throw new Error('the demo 青菜 certificate is missing');
  expect(await producer.locator('#home-rectify').count()).toBe(0);

  // The sample fails against the certificate that promised compliance.
  const office = await signedIn(app, 'demo-supervisor', problems);
  await tap(office, 'go-work');
  await office.waitForURL(/pages-staff\/work\/index/);
  await tap(office, 'go-sample');
  await office.waitForURL(/pages-staff\/sample\/index/);
  await chooseWangDaye(office, 'sample');
  await fill(office, 'sample-scan-input', qingcai.verifyUrl);
  await tap(office, 'sample-scan-add');
  await office.locator('#sample-scanned-0:visible').waitFor();
  await fill(office, 'sample-product', '青菜');
  await tap(office, 'sample-preset-0');
  await tap(office, 'sample-item-0-fail');
  await fill(office, 'sample-item-0-value', '抑制率 72%');
  await fill(office, 'sample-item-0-limit', '抑制率<50%');
  await tap(office, 'sample-submit');
  await office.locator('#sample-contradicted:visible').waitFor();
  expect(await text(office, 'sample-result-title')).toContain(
    '承诺不符：已列入重点监管，已立整改案',
  );
  await office.screenshot({ path: '/tmp/sample-contradicted.png', fullPage: true });
  await tap(office, 'sample-to-key');
  await office.waitForURL(/pages-staff\/key\/index/);
  await office.locator('#key-item-0:visible').waitFor();
  expect(await text(office, 'key-item-0')).toContain('王大爷');
  expect(await text(office, 'key-item-0-status')).toBe('重点监管中');
  expect(await text(office, 'key-item-0')).toContain('承诺与抽检结果不符');

  // 王大爷 sees why, and answers with his measures and a photo.
  await producer.reload();
  await producer.locator('#home-rectify:visible').waitFor();
  expect(await text(producer, 'home-rectify')).toContain('整改通知');
  await tap(producer, 'home-rectify');
  await producer.waitForURL(/pages-producer\/rectify\/index/);
  await producer.locator('#rectify-why:visible').waitFor();
  expect(await text(producer, 'rectify-why')).toContain('有机磷和氨基甲酸酯类农药残留');
  expect(await text(producer, 'rectify-deadline')).toMatch(/\d{4}-\d{2}-\d{2}/);
  await producer.locator('#rectify-measures:visible textarea').fill(measures);
  await producer
    .locator('#rectify-photo')
    .setInputFiles({ name: 'evidence.png', mimeType: 'image/png', buffer: tinyPng() });
  await producer.locator('#rectify-photo-0:visible').waitFor();
  await tap(producer, 'rectify-submit');
  await producer.locator('#rectify-submitted:visible').waitFor();
  await producer.locator('#rectify-status:visible', { hasText: '已提交待核查' }).waitFor();
  await producer.screenshot({ path: '/tmp/producer-rectify.png', fullPage: true });

  // 刘监管 checks the measures and the photo, and closes the case.
  await office.goto(`${app.base}/#/pages-staff/rectify/index`);
  await office.reload();
  await office.locator('#rectify-item-0:visible').waitFor();
  expect(await text(office, 'rectify-item-0-status')).toBe('已提交待核查');
  await tap(office, 'rectify-item-0');
  await office.locator('#rectify-case:visible').waitFor();
  expect(await text(office, 'rectify-case-measures')).toContain(measures);
  await office.locator('#rectify-evidence-0:visible').waitFor();
  await office.locator('#rectify-note:visible textarea').fill('现场核查，整改到位');
  await tap(office, 'rectify-close');
  await office.locator('#rectify-done:visible').waitFor();
  await office.locator('#rectify-case-status:visible', { hasText: '已销号' }).waitFor();
  await office.screenshot({ path: '/tmp/rectify-closed.png', fullPage: true });

  // Still on the list until a follow-up sample passes.
  await office.goto(`${app.base}/#/pages-staff/key/index`);
  await office.reload();
  await office.locator('#key-item-0:visible').waitFor();
  expect(await text(office, 'key-item-0-status')).toBe('重点监管中');
  await tap(office, 'key-item-0-sample');
  await office.waitForURL(/pages-staff\/sample\/index/);
  expect(await text(office, 'sample-subject-chosen')).toBe('王大爷');
  await tap(office, 'sample-preset-0');
  await tap(office, 'sample-item-0-pass');
  await tap(office, 'sample-submit');
  await office.locator('#sample-lifted:visible').waitFor();
  expect(await text(office, 'sample-result-title')).toContain('已解除重点监管');
  await tap(office, 'sample-to-key');
  await office.waitForURL(/pages-staff\/key\/index/);
  await office.locator('#key-none:visible').waitFor();
  await tap(office, 'key-status-lifted');
  await office.locator('#key-item-0:visible', { hasText: '王大爷' }).waitFor();
  expect(await text(office, 'key-item-0-status')).toBe('已解除');

  // A fresh load: a hash change alone would show the home page kept in the stack, stale.
  await producer.goto(`${app.base}/#/pages/index/index`);
  await producer.reload();
  await producer.locator('#go-issue:visible').waitFor();
  expect(await producer.locator('#home-rectify:visible').count()).toBe(0);
  expect(problems).toEqual([]);
}, 120_000);
