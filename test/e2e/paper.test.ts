/**
 * Paper forms, end to end in Chromium: the 墟沟 street office allocates forms XG<year>-000001…50
 * to 王大爷 (an overlapping second run is refused), 王大爷 registers the hand-filled form No. 7,
 * which then verifies on the public page as a valid paper certificate; registering No. 7 again,
 * a number outside his forms, or one of the forms the office voided is refused under the serial.
 */
import type { Page } from 'playwright-core';
import { chinaYear } from '../../src/domain/paper';
import { type App, fill, signedIn, startApp, tap } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

const serialError = (page: Page) => page.locator('#field-serial .field-error:visible');

it('allocates a range, registers form 7 and refuses it again or out of range', async () => {
  const problems: string[] = [];
  const year = chinaYear(new Date());

  // The street office hands out forms 1–50.
  const office = await signedIn(app, 'demo-supervisor', problems);
  await tap(office, 'go-paper-office');
  await office.waitForURL(/pages-staff\/paper\/index/);
  expect(await office.locator('#office-area:visible').innerText()).toContain('墟沟街道');
  await office.locator('[id^="subject-sub"]:visible', { hasText: '王大爷' }).click();
  expect(await office.locator('#alloc-subject:visible').innerText()).toBe('王大爷');
  await fill(office, 'alloc-from', '1');
  await fill(office, 'alloc-to', '50');
  await tap(office, 'alloc-submit');
  await office.locator('#alloc-done:visible').waitFor();
  expect(await office.locator('#alloc-done').innerText()).toContain(
    `XG${year}-000001 至 XG${year}-000050`,
  );
  await office.locator('#subject-range-0:visible').waitFor();
  expect(await office.locator('#office-range-0:visible').innerText()).toContain('王大爷');

  // An overlapping run is refused, with the server's message under the start number.
  await fill(office, 'alloc-from', '40');
  await fill(office, 'alloc-to', '60');
  await tap(office, 'alloc-submit');
  const overlap = office.locator('#field-alloc-from .field-error:visible');
  await overlap.waitFor();
  expect(await overlap.innerText()).toContain(
    `与已分配的号段 XG${year}-000001 至 XG${year}-000050 重叠`,
  );

  // 王大爷 registers the form he filled in by hand.
  const producer = await signedIn(app, 'demo-producer', problems);
  await producer.locator('#go-paper:visible').waitFor();
  expect(await producer.locator('#go-paper').innerText()).toContain('剩 50 份');
  await tap(producer, 'go-paper');
  await producer.waitForURL(/pages\/paper\/index/);
  await producer.locator('#range-0:visible').waitFor();
  expect(await producer.locator('#range-0').innerText()).toContain('未用 50');
  const today = await producer.locator('#paper-date:visible input').inputValue();
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await fill(producer, 'paper-serial', '7');
  await tap(producer, 'product-0');
  await fill(producer, 'paper-quantity', '30');
  await tap(producer, 'unit-jin');
  await tap(producer, 'paper-submit');
  await producer.locator('#paper-done:visible').waitFor();
  expect(await producer.locator('#paper-done-serial').innerText()).toBe(`XG${year}-000007`);
  const link = await producer.locator('#paper-verify-link').innerText();
  expect(link).toMatch(new RegExp(`^${app.base}/c/[0-9A-Z]{16}$`));
  await producer.locator('#range-0:visible', { hasText: '已登记 1' }).waitFor();

  // Anyone can check it by the number on the form.
  const phone = await app.browser.newContext({ javaScriptEnabled: false });
  const publicPage = await phone.newPage();
  const res = await publicPage.goto(`${app.base}/c/XG${year}-000007`);
  expect(res?.status()).toBe(200);
  const text = await publicPage.locator('body').innerText();
  expect(text).toContain('有效');
  expect(text).toContain('纸质合格证');
  expect(text).toContain(`XG${year}-000007`);
  await phone.close();

  // Another form written with the same number: refused under the serial.
  await tap(producer, 'paper-another');
  expect(await producer.locator('#paper-serial:visible input').inputValue()).toBe('8');
  await fill(producer, 'paper-serial', '7');
  await fill(producer, 'paper-quantity', '31');
  await tap(producer, 'paper-submit');
  await serialError(producer).waitFor();
  expect(await serialError(producer).innerText()).toContain('该编号已登记');

  // A number he was never given.
  await fill(producer, 'paper-serial', '51');
  await tap(producer, 'paper-submit');
  await serialError(producer).waitFor();
  expect(await serialError(producer).innerText()).toContain(
    `编号 XG${year}-000051 不在“王大爷”领用的纸质合格证号段内`,
  );
  expect(await producer.locator('#paper-done').count()).toBe(0);

  // Forms 45–50 were lost: the office voids them, and No. 46 can no longer be registered.
  await office.reload();
  await office.locator('#void-open-0:visible').waitFor();
  await tap(office, 'void-open-0');
  await fill(office, 'void-from', '45');
  await fill(office, 'void-to', '50');
  await tap(office, 'void-reason-0');
  await tap(office, 'void-submit');
  await office.locator('#void-done:visible').waitFor();
  expect(await office.locator('#void-done').innerText()).toContain('已作废 6 份');
  await office.locator('#office-range-0:visible', { hasText: '作废 6' }).waitFor();
  expect(await office.locator('#office-range-0').innerText()).toContain('已作废');

  await fill(producer, 'paper-serial', '46');
  await tap(producer, 'paper-submit');
  await serialError(producer).waitFor();
  expect(await serialError(producer).innerText()).toContain('该编号已作废');
  expect(problems).toEqual([]);
}, 60_000);
