/**
 * Training sign-in end to end in Chromium: the 墟沟 street office creates a session for producers
 * whose sign-in is open now and shows its QR code; 王大爷 points a phone camera at it (the decoded
 * address, opened in a browser not yet signed in), logs in, signs in and sees 已签到; the code of
 * that session is refused on another session's page. 李老板 enrols; the office finds him by his
 * stall's name among the session's addressees and marks him present by hand with a reason; the
 * office's coverage counts both trained.
 */
import type { Page } from 'playwright-core';
import { lianyunDivisions } from '../../src/domain/division';
import { type App, fill, phone, readQr, signedIn, startApp, tap } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

/** An instant as typed in China time: [YYYY-MM-DD, HH:MM]. */
const chinaParts = (ms: number): [string, string] => {
  const iso = new Date(ms + 8 * 3_600_000).toISOString();
  return [iso.slice(0, 10), iso.slice(11, 16)];
};

async function createSession(office: Page, title: string, start: number, end: number) {
  await tap(office, 'session-new');
  await fill(office, 'ses-title', title);
  await tap(office, 'ses-aud-producers');
  await tap(office, 'ses-cat-all');
  const [startDate, startTime] = chinaParts(start);
  const [endDate, endTime] = chinaParts(end);
  await fill(office, 'ses-start-date', startDate);
  await fill(office, 'ses-start-time', startTime);
  await fill(office, 'ses-end-date', endDate);
  await fill(office, 'ses-end-time', endTime);
  await fill(office, 'ses-place', '墟沟街道农业服务中心二楼会议室');
  await tap(office, 'ses-submit');
  await office.waitForURL(/pages-outreach\/session\/index\?id=trn_/);
  await office.locator('#session-title:visible').waitFor();
  expect(await office.locator('#session-title').innerText()).toBe(title);
  return new URL(office.url().replace('/#/', '/')).searchParams.get('id')!;
}

/** "已培训 1/2（50%）" → 1. */
async function trained(page: Page, id: string): Promise<{ trained: number; total: number }> {
  const text = await page.locator(`#${id}:visible`).innerText();
  const m = /(\d+)\/(\d+)/.exec(text);
  if (!m) throw new Error(`no figure in ${id}: ${text}`);
  return { trained: Number(m[1]), total: Number(m[2]) };
}

it('a producer scans the session QR, signs in within its window, and counts as trained', async () => {
  const problems: string[] = [];
  const xugou = lianyunDivisions.find((d) => d.name === '墟沟街道')!.code;
  const now = Date.now();

  // The office: coverage before, then a session open now and one tomorrow.
  const office = await signedIn(app, 'demo-supervisor', problems);
  await tap(office, 'go-coverage');
  await office.waitForURL(/pages-outreach\/trained\/index/);
  await office.locator(`#cov-division-${xugou}:visible`).waitFor();
  const before = await trained(office, `cov-division-${xugou}`);
  expect(before.total).toBeGreaterThanOrEqual(1);

  await office.goBack();
  await office.waitForURL(/pages\/index/);
  await tap(office, 'go-training');
  await office.waitForURL(/pages-outreach\/sessions\/index/);
  const openTitle = '合格证开具现场培训（今天）';
  const openId = await createSession(office, openTitle, now - 10 * 60_000, now + 2 * 3_600_000);
  await office.locator('#session-qr:visible img').waitFor();
  const url = await readQr(office, '#session-qr');
  expect(url).toMatch(new RegExp(`^${app.base}/t/${openId}\\.[A-Za-z0-9_-]{22}$`));
  expect(await office.locator('#session-url').innerText()).toBe(url);
  const code = url.split('/t/')[1]!;

  await office.goBack();
  await office.waitForURL(/pages-outreach\/sessions\/index/);
  const laterTitle = '合格证开具现场培训（明天）';
  const tomorrow = now + 24 * 3_600_000;
  const laterId = await createSession(office, laterTitle, tomorrow, tomorrow + 2 * 3_600_000);
  expect(laterId).not.toBe(openId);
  // Not open yet: the office is told when the QR code will show.
  await office.locator('#session-qr-later:visible').waitFor();

  // 王大爷's phone camera opens the address in a browser that has not signed in yet.
  const producer = await phone(app, 'demo-producer', problems);
  await producer.goto(url);
  await producer.waitForURL(/pages-outreach\/session\/index\?code=trn_/);
  await tap(producer, 'signin-login');
  await producer.waitForURL(/pages\/login/);
  await tap(producer, 'login-demo-producer');
  await producer.waitForURL(/pages-outreach\/session\/index\?code=trn_/);
  await producer.locator('#session-title:visible').waitFor();
  expect(await producer.locator('#session-title').innerText()).toBe(openTitle);
  await tap(producer, 'signin-submit');
  await producer.locator('#signin-done:visible').waitFor();
  expect(await producer.locator('#signin-done').innerText()).toContain('已签到');
  expect(await producer.locator('#signin-submit').count()).toBe(0);

  // The same code on tomorrow's session page (reached from his training list) is refused.
  await producer.goto(`${app.base}/`);
  await producer.waitForURL(/pages\/index/);
  await tap(producer, 'go-training');
  await producer.waitForURL(/pages-outreach\/sessions\/index/);
  const attended = producer.locator('[id^="session-"]:visible', { hasText: openTitle }).first();
  await attended.waitFor();
  expect(await attended.innerText()).toContain('已签到');
  await producer.locator('[id^="session-"]:visible', { hasText: laterTitle }).first().click();
  await producer.waitForURL(new RegExp(`pages-outreach/session/index\\?id=${laterId}`));
  await producer.locator('#session-title:visible').waitFor();
  await fill(producer, 'signin-code', code);
  await tap(producer, 'signin-submit');
  await producer.locator('#signin-error:visible').waitFor();
  expect(await producer.locator('#signin-error').innerText()).toContain('这是另一场培训的签到码');
  expect(await producer.locator('#signin-done').count()).toBe(0);

  // 李老板 enrols but cannot scan: the office marks him present by hand, with a reason.
  const buyer = await signedIn(app, 'demo-buyer', problems);
  await buyer.goto(`${app.base}/#/pages-outreach/session/index?id=${openId}`);
  await buyer.reload();
  await tap(buyer, 'enroll');
  await buyer.locator('#enroll-done:visible').waitFor();

  // The office sees both on the list of the open session, and both trained in the coverage.
  await office.goto(`${app.base}/#/pages-outreach/session/index?id=${openId}`);
  await office.reload();
  const row = office.locator('[id^="attendee-"]:visible', { hasText: '王大爷' }).first();
  await row.waitFor();
  expect(await row.innerText()).toContain('扫码签到');
  const enrolled = office.locator('[id^="attendee-"]:visible', { hasText: '李老板' }).first();
  expect(await enrolled.innerText()).toContain('已报名，未签到');
  // The office finds him on the list of everyone the session addresses, by his stall's name.
  await office.locator('#roster-total:visible', { hasText: '已签到 1 人' }).waitFor();
  await fill(office, 'roster-search', '李记');
  await office.locator('#roster-0:visible', { hasText: '李记果蔬收购点' }).waitFor();
  await office.locator('#roster-1').waitFor({ state: 'detached' });
  expect(await office.locator('#roster-0').innerText()).toContain(
    '李老板 · 李记果蔬收购点 · 墟沟街道',
  );
  expect(await office.locator('#roster-0').innerText()).toContain('已报名，未签到');
  await tap(office, 'roster-0-mark');
  await fill(office, 'mark-reason', '手机没电，已在纸质签到表签字');
  await tap(office, 'mark-submit');
  await office
    .locator('[id^="attendee-"]:visible', { hasText: '手工登记' })
    .filter({ hasText: '李老板' })
    .first()
    .waitFor();
  await office.locator('#roster-0:visible', { hasText: '已签到（手工登记' }).waitFor();
  expect(await office.locator('#roster-0-mark').count()).toBe(0);
  expect(await office.locator('#session-counts').innerText()).toContain('已签到 2 人');
  await office.goto(`${app.base}/#/pages-outreach/trained/index`);
  await office.reload();
  await office.locator(`#cov-division-${xugou}:visible`).waitFor();
  expect(await trained(office, `cov-division-${xugou}`)).toEqual({
    trained: before.trained + 2,
    total: before.total,
  });
  const download = office.waitForEvent('download');
  await tap(office, 'cov-export');
  expect((await download).suggestedFilename()).toMatch(
    /^培训覆盖-墟沟街道-\d{4}-\d{2}-\d{2}\.xlsx$/,
  );
  expect(problems).toEqual([]);
}, 90_000);
