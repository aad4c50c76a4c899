/**
 * Staff invitations, end to end in Chromium: the district admin invites a supervisor for 连岛
 * through the page; the code is shown 4-4-4-4 and its QR code (read off a screenshot, as a phone
 * would) carries `<base>/join/<code>`. A new WeChat user opens that address — the server
 * redirects to the join page — and redeems it: 街道/乡镇监管员 · 连岛街道, with the directory on
 * their home page. Redeeming again says 已被使用; the admin's list shows the invitation used and
 * the new member in the staff list, whose role the admin then revokes (a reason is required).
 *
 * Set E2E_SHOTS=<dir> to keep screenshots of the pages at 390×844.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type App, fill, readQr, signedIn, startApp, tap } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

const shots = process.env.E2E_SHOTS;
async function shot(page: Page, name: string) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** The QR code read as a phone would, once the page has come to rest (a few tries). */
async function qrOnScreen(page: Page, selector: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readQr(page, selector);
    } catch (error) {
      if (attempt >= 10) throw error;
      await page.waitForTimeout(200);
    }
  }
}

it('invites a supervisor for 连岛, who redeems the code once', async () => {
  const problems: string[] = [];

  // --- the admin creates the invitation -----------------------------------------------------
  const admin = await signedIn(app, 'demo-admin', problems);
  await tap(admin, 'go-staff');
  await admin.waitForURL(/pages-staff\/staff\/index/);
  await admin.locator('[id^="staff-"]:visible', { hasText: '孙监管' }).waitFor();
  await tap(admin, 'go-invite');
  await admin.waitForURL(/pages-staff\/invite\/index/);
  for (const role of ['coordinator', 'supervisor', 'enforcement', 'admin']) {
    await admin.locator(`#invite-role-${role}:visible`).waitFor();
  }
  await tap(admin, 'invite-role-supervisor');
  await tap(admin, 'invite-submit');
  // A street must be chosen for a supervisor.
  const divisionError = admin.locator('#field-divisionCode .field-error:visible');
  await divisionError.waitFor();
  expect(await divisionError.innerText()).toContain('请选择');
  await tap(admin, 'invite-division-320703003');
  await fill(admin, 'invite-note', '连岛 新任监管员');
  await shot(admin, 'invite-form');
  await tap(admin, 'invite-submit');
  await admin.locator('#invite-result:visible').waitFor();
  expect(await admin.locator('#invite-summary').innerText()).toBe('街道/乡镇监管员 · 连岛街道');
  const code = (await admin.locator('#invite-code').innerText()).trim();
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  const url = `${app.base}/join/${code}`;
  expect(await admin.locator('#invite-url').innerText()).toBe(url);
  expect(await qrOnScreen(admin, '#invite-qr img')).toBe(url);
  await admin.locator('#invitation-0:visible', { hasText: '待领取' }).waitFor();
  await shot(admin, 'invite-created');

  // --- a new WeChat user opens the link and redeems it -------------------------------------
  const invitee = await signedIn(app, 'new', problems);
  const opened = await invitee.goto(url);
  // The server redirected the QR address to the app (the page's own URL keeps the hash).
  expect(opened?.request().redirectedFrom()?.url()).toBe(url);
  await invitee.waitForURL(/pages-staff\/join\/index\?code=/);
  expect(invitee.url()).toBe(`${app.base}/#/pages-staff/join/index?code=${code}`);
  await invitee.locator('#join-code:visible').waitFor();
  expect(await invitee.locator('#join-code').innerText()).toBe(code);
  await fill(invitee, 'join-nickname', '周监管');
  await shot(invitee, 'join-before');
  await tap(invitee, 'join-submit');
  await invitee.locator('#join-done:visible').waitFor();
  expect(await invitee.locator('#join-role').innerText()).toBe('街道/乡镇监管员 · 连岛街道');
  await shot(invitee, 'join-done');
  await tap(invitee, 'join-home');
  await invitee.waitForURL(/pages\/index/);
  await invitee.locator('#go-directory:visible').waitFor();
  expect(await invitee.locator('#me-roles').innerText()).toContain('街道/乡镇监管员');

  // --- the same code again: already used ----------------------------------------------------
  await invitee.goto(url);
  await invitee.locator('#join-code:visible').waitFor();
  await tap(invitee, 'join-submit');
  await invitee.locator('#join-error:visible').waitFor();
  expect(await invitee.locator('#join-error').innerText()).toContain('已被使用');
  expect(await invitee.locator('#join-done').count()).toBe(0);

  // --- the admin sees it used and the new member listed ------------------------------------
  await admin.reload();
  await admin.locator('#invitation-status-0:visible', { hasText: '已使用' }).waitFor();
  expect(await admin.locator('#invitation-0').innerText()).toContain('周监管');
  expect(await admin.locator('#invitation-cancel-0').count()).toBe(0);
  await tap(admin, 'go-staff-list');
  await admin.waitForURL(/pages-staff\/staff\/index/);
  const member = admin.locator('[id^="staff-"]:visible', { hasText: '周监管' });
  await member.waitFor();
  expect(await member.innerText()).toContain('连岛街道');
  await shot(admin, 'staff-list');

  // --- the admin takes the role away again: a reason is required ----------------------------
  await member.locator('[id^="revoke-"][id$="-supervisor"]').click();
  await tap(admin, 'revoke-submit');
  const reasonError = admin.locator('#field-revoke-reason .field-error:visible');
  await reasonError.waitFor();
  expect(await reasonError.innerText()).toBe('请写明撤销原因');
  await fill(admin, 'revoke-reason', '工作调动');
  await tap(admin, 'revoke-submit');
  await admin.locator('#revoke-done:visible').waitFor();
  expect(await admin.locator('#revoke-done').innerText()).toBe(
    '✓ 已撤销 周监管 的街道/乡镇监管员角色',
  );
  expect(problems).toEqual([]);
}, 60_000);
