/**
 * Publicity with proof of reach, end to end in Chromium: the 墟沟 street office publishes a 告知书
 * to 墟沟 (reach: addressed ≥ 1, acknowledged 0); 王大爷 (墟沟) finds it under 通知, opens it and
 * taps 我已阅知; back at the office, the reach page shows acknowledged 1. And a poster with its
 * uploaded image, scheduled for tomorrow, for smallholders growing vegetables: addressed to him,
 * not yet delivered.
 */
import PDFDocument from 'pdfkit';
import type { Page } from 'playwright-core';
import { lianyunDivisions } from '../../src/domain/division';
import {
  type App,
  callApi,
  fill,
  phone,
  readQr,
  signedIn,
  startApp,
  tap,
  tokenOf,
} from './harness';
import { tinyPng } from './photo';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

/** A one-page PDF, as an office's 告知书 file would be. */
function letterPdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4' });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text('Notice letter');
    doc.end();
  });
}

const figure = async (page: Page, id: string) =>
  Number(await page.locator(`#${id}:visible`).innerText());

it('a 告知书 to 墟沟 is read and acknowledged, and the reach figures follow', async () => {
  const problems: string[] = [];
  const xugou = lianyunDivisions.find((d) => d.name === '墟沟街道')!.code;
  const title = '食用农产品承诺达标合格证告知书';

  // The street office publishes to its own street (the only street it is offered).
  const office = await signedIn(app, 'demo-supervisor', problems);
  await tap(office, 'go-publish');
  await office.waitForURL(/pages-outreach\/publish\/index/);
  await tap(office, 'kind-notice_letter');
  await fill(office, 'pub-title', title);
  // The letter itself as a PDF; a picture offered as the PDF is refused before any upload.
  await office
    .locator('#pub-pdf')
    .setInputFiles({ name: '告知书.png', mimeType: 'image/png', buffer: tinyPng() });
  await office
    .locator('#field-pdfFileId .field-error:visible', { hasText: '请选择 PDF 文件' })
    .waitFor();
  await office
    .locator('#pub-pdf')
    .setInputFiles({ name: '告知书.pdf', mimeType: 'application/pdf', buffer: await letterPdf() });
  await office.locator('#pub-pdf-chosen:visible', { hasText: '告知书' }).waitFor();
  await office
    .locator('#pub-body:visible textarea')
    .fill('# 告知事项\n\n自即日起，上市销售的食用农产品须开具承诺达标合格证。\n\n- 如实填写');
  const division = office.locator(`#aud-division-${xugou}:visible`);
  expect(await division.getAttribute('class')).toContain('chip--on');
  expect(await office.locator('[id^="aud-division-"]:visible').count()).toBe(1);
  await tap(office, 'pub-submit');
  await office.waitForURL(/pages-outreach\/reach\/index\?id=pub_/);
  const reachUrl = office.url();
  await office.locator('#reach-addressed:visible').waitFor();
  expect(await office.locator('#reach-title').innerText()).toBe(title);
  expect(await figure(office, 'reach-addressed')).toBeGreaterThanOrEqual(1);
  expect(await figure(office, 'reach-acknowledged')).toBe(0);
  await office.locator('#unack-0:visible').waitFor();

  // Its poster QR code, printed on a board, opens the public page with any phone camera.
  const posterUrl = await readQr(office, '#poster-qr');
  expect(posterUrl).toBe(await office.locator('#poster-url').innerText());
  expect(posterUrl).toMatch(/\/p\/pub_/);
  const passerby = await phone(app, 'passer-by', problems);
  await passerby.goto(posterUrl);
  expect(await passerby.locator('h1').innerText()).toContain(title);

  // 王大爷 sees it waiting in his inbox, opens it and confirms.
  const producer = await signedIn(app, 'demo-producer', problems);
  await producer.locator('#go-inbox:visible', { hasText: '待确认' }).waitFor();
  await tap(producer, 'go-inbox');
  await producer.waitForURL(/pages-outreach\/inbox\/index/);
  const entry = producer.locator('[id^="inbox-"]:visible', { hasText: title }).first();
  await entry.waitFor();
  expect(await entry.innerText()).toContain('待确认');
  expect(await entry.innerText()).toContain('未读');
  await entry.click();
  await producer.waitForURL(/pages-outreach\/item\/index\?id=pub_/);
  await producer.locator('#item-title:visible').waitFor();
  expect(await producer.locator('#item-title').innerText()).toBe(title);
  expect(await producer.locator('#item-kind').innerText()).toBe('告知书');
  expect(await producer.locator('#item-body').innerText()).toContain('须开具承诺达标合格证');
  await producer.locator('#item-pdf:visible').waitFor();
  await tap(producer, 'ack-submit');
  await producer.locator('#ack-done:visible').waitFor();
  expect(await producer.locator('#ack-done').innerText()).toContain('已阅知');
  expect(await producer.locator('#ack-submit').count()).toBe(0);

  // The office's figures follow: read and acknowledged by one more.
  await office.goto(reachUrl);
  await office.reload();
  await office.locator('#reach-acknowledged:visible').waitFor();
  expect(await figure(office, 'reach-acknowledged')).toBe(1);
  expect(await figure(office, 'reach-read')).toBeGreaterThanOrEqual(1);
  expect(problems).toEqual([]);
}, 60_000);

it('a poster with its image, scheduled for tomorrow, to vegetable smallholders', async () => {
  const problems: string[] = [];
  const title = '合格证上墙海报（蔬菜种植户）';
  const office = await signedIn(app, 'demo-supervisor', problems);
  await tap(office, 'go-publish');
  await office.waitForURL(/pages-outreach\/publish\/index/);
  await tap(office, 'kind-poster');
  await fill(office, 'pub-title', title);
  await office
    .locator('#pub-images')
    .setInputFiles({ name: 'poster.png', mimeType: 'image/png', buffer: tinyPng() });
  await office.locator('#pub-images-0:visible').waitFor();
  await tap(office, 'aud-type-smallholder');
  await tap(office, 'aud-cat-vegetable');
  await tap(office, 'pub-later');
  const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 24 * 3_600_000).toISOString();
  await fill(office, 'pub-date', tomorrow.slice(0, 10));
  await fill(office, 'pub-time', '08:30');
  await tap(office, 'pub-submit');
  await office.waitForURL(/pages-outreach\/reach\/index\?id=pub_/);
  await office.locator('#reach-addressed:visible').waitFor();
  expect(await figure(office, 'reach-addressed')).toBeGreaterThanOrEqual(1);
  expect(await figure(office, 'reach-delivered')).toBe(0);

  const items = await callApi<
    {
      title: string;
      status: string;
      publishAt: string;
      audience: { subjectTypes: string[] | null; productCategories: string[] | null };
    }[]
  >(app.base, await tokenOf(office), 'outreach', 'items', {});
  const poster = items.find((i) => i.title === title);
  expect(poster).toMatchObject({
    status: 'scheduled',
    publishAt: new Date(`${tomorrow.slice(0, 10)}T08:30+08:00`).toISOString(),
    audience: { subjectTypes: ['smallholder'], productCategories: ['vegetable'] },
  });
  const id = new URL(office.url().replace('/#/', '/')).searchParams.get('id')!;
  const item = await callApi<{ view: { images: unknown[] } }>(
    app.base,
    await tokenOf(office),
    'outreach',
    'item',
    { itemId: id },
  );
  expect(item.view.images).toHaveLength(1);
  expect(problems).toEqual([]);
}, 60_000);
