/**
 * A patrol, end to end in Chromium: 刘监管 (demo-supervisor, 墟沟) opens 工作台, starts a patrol
 * of 王大爷, adds two labels read on site — one of 王大爷's real signed labels and a copy of it
 * with a forged signature — writes the findings and attaches a photo through the H5 file input,
 * and submits. The result says 有效 for the real label and 可疑 for the forged one, and the
 * supervision function lists the patrol with its photo, which can be fetched back.
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

/** The same label with one character of its signature changed: a forgery. */
function forged(url: string): string {
  const m = /([?&]s=)([A-Za-z0-9_-]+)/.exec(url);
  if (!m?.[2]) throw new Error(`no signature in ${url}`);
  const sig = m[2];
  const i = 20;
  return url.replace(sig, sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1));
}

const text = (page: Page, id: string) => page.locator(`#${id}:visible`).innerText();

it('records a patrol: the real label is 有效, the forged one 可疑, the photo is kept', async () => {
  const problems: string[] = [];

  // One of 王大爷's labels as its QR code reads, and a forged copy.
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
  const real = qingcai.verifyUrl;
  expect(real).toMatch(/\/c\/[0-9A-Z]{19}\?s=/);
  const fake = forged(real);

  // 刘监管's work list, then the patrol.
  const office = await signedIn(app, 'demo-supervisor', problems);
  await tap(office, 'go-work');
  await office.waitForURL(/pages-staff\/work\/index/);
  for (const id of ['work-due', 'work-overdue', 'work-copies', 'work-dormant', 'work-pending']) {
    expect(await text(office, `${id}-count`)).toMatch(/^\d+$/);
  }
  expect(await text(office, 'work-at')).toContain('统计时间');
  expect(await text(office, 'work-area')).toContain('墟沟街道');
  await tap(office, 'go-patrol');
  await office.waitForURL(/pages-staff\/patrol\/index/);

  await fill(office, 'patrol-subject-q', '王大爷');
  await office.locator('[id^="patrol-subject-sub"]:visible', { hasText: '王大爷' }).click();
  expect(await text(office, 'patrol-subject-chosen')).toBe('王大爷');
  expect(await office.locator('#patrol-staff:visible input').inputValue()).toBe('刘监管');
  expect(await text(office, 'patrol-date')).toMatch(/\d{4}-\d{2}-\d{2}/);
  await tap(office, 'patrol-issuing-yes');

  await fill(office, 'patrol-scan-input', real);
  await tap(office, 'patrol-scan-add');
  await fill(office, 'patrol-scan-input', fake);
  await tap(office, 'patrol-scan-add');
  await office.locator('#patrol-scanned-1:visible').waitFor();
  expect(await text(office, 'patrol-scanned-0')).toContain('带防伪签名');
  // The same label twice is refused at once.
  await fill(office, 'patrol-scan-input', real);
  await tap(office, 'patrol-scan-add');
  expect(await text(office, 'patrol-scan-error')).toContain('已经添加过');

  await office.locator('#patrol-findings:visible textarea').fill('合格证按批次开具，台账齐全');
  const photo = tinyPng();
  await office
    .locator('#patrol-photo')
    .setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: photo });
  await office.locator('#patrol-photo-0:visible').waitFor();

  await tap(office, 'patrol-submit');
  await office.locator('#patrol-result:visible').waitFor();
  expect(await text(office, 'patrol-check-0-verdict')).toContain('有效');
  expect(await text(office, 'patrol-check-1-verdict')).toContain('可疑');
  expect(await text(office, 'patrol-check-1')).toContain('疑似伪造');
  expect(await text(office, 'patrol-summary')).toContain('核验 2 张：有效 1 · 可疑 1');
  expect(await text(office, 'patrol-result-photos')).toContain('1 张');
  await office.screenshot({ path: '/tmp/patrol-result.png', fullPage: true });

  // The record, with its photo, as the supervision function keeps it.
  const token = await tokenOf(office);
  const patrols = await callApi<
    {
      subjectName: string;
      issuingCertificates: boolean;
      findings: string;
      photoFileIds: string[];
      checks: { verdict: string; signature: string }[];
    }[]
  >(app.base, token, 'supervision', 'patrols', {});
  expect(patrols).toHaveLength(1);
  const [patrol] = patrols;
  expect(patrol?.subjectName).toBe('王大爷');
  expect(patrol?.issuingCertificates).toBe(true);
  expect(patrol?.findings).toBe('合格证按批次开具，台账齐全');
  expect(patrol?.checks.map((c) => [c.verdict, c.signature])).toEqual([
    ['valid', 'valid'],
    ['suspicious', 'invalid'],
  ]);
  expect(patrol?.photoFileIds).toHaveLength(1);
  const [link] = await callApi<{ url: string }[]>(app.base, token, 'supervision', 'photoUrls', {
    fileIds: patrol?.photoFileIds,
  });
  const res = await fetch(link!.url);
  expect(res.status).toBe(200);
  expect(Buffer.from(await res.arrayBuffer()).equals(photo)).toBe(true);

  // The forged scan now shows on the work list as a suspect label.
  await tap(office, 'patrol-to-work');
  await office.waitForURL(/pages-staff\/work\/index/);
  await office.locator('#work-copies-count:visible', { hasText: '1' }).waitFor();
  await tap(office, 'work-copies-head');
  expect(await text(office, 'work-copies-item-0')).toContain('伪造签名');
  expect(problems).toEqual([]);
}, 90_000);
