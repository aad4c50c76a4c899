/**
 * The written summary filled in ahead of its due date, end to end in Chromium: the 墟沟 street
 * supervisor opens the summaries page, starts the upcoming period's draft before the tick has
 * drafted it, writes the experience, problems and suggestions and submits; the district admin
 * then sees 墟沟 submitted for that period, and 墟沟's Excel summary carries the narrative.
 * The page opened on an older period by its address (as the home notice of a draft left
 * unsubmitted links to it) offers and shows that period.
 */
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { chinaDate } from '../../src/domain/certificate';
import {
  latestDueDate,
  nextDueDate,
  previousDueDate,
  summaryPeriodOf,
} from '../../src/domain/report';
import { type App, signedIn, startApp, tap } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

const xugou = '320703001';
const narrative = {
  experience: '提前梳理合作社开证台账，逐户上门指导。',
  problems: '部分散户尚未领取打印设备。',
  suggestions: '十二月前完成设备发放和集中培训。',
};

/** From home through the dashboard to the summaries page, on the upcoming period. */
async function openUpcoming(page: Page, period: string) {
  await tap(page, 'go-report');
  await page.waitForURL(/pages-report\/dashboard\/index/);
  await tap(page, 'rp-go-summaries');
  await page.waitForURL(/pages-report\/summaries\/index/);
  await tap(page, `sum-period-${period}`);
  await page.locator(`#sum-row-${xugou}:visible`).waitFor();
}

it('a street office fills in the upcoming summary early and the bureau reads it', async () => {
  const problems: string[] = [];
  // The server and the page use the real clock: the period due next.
  const upcoming = nextDueDate(chinaDate(new Date()));
  const office = await signedIn(app, 'demo-supervisor', problems);
  await openUpcoming(office, upcoming);
  expect(await office.locator('#sum-label').innerText()).toContain('书面总结');
  expect(await office.locator(`#sum-status-${xugou}`).innerText()).toBe('未生成草稿');

  await tap(office, `sum-start-${xugou}`);
  await office.locator('#sum-experience:visible textarea').fill(narrative.experience);
  expect(await office.locator(`#sum-status-${xugou}`).innerText()).toBe('待报送');
  await office.locator('#sum-problems:visible textarea').fill(narrative.problems);
  await office.locator('#sum-suggestions:visible textarea').fill(narrative.suggestions);
  await tap(office, 'sum-submit');
  await office.locator(`#sum-status-${xugou}:has-text("已报送")`).waitFor();
  expect(await office.locator(`#sum-start-${xugou}`).count()).toBe(0);

  const admin = await signedIn(app, 'demo-admin', problems);
  await openUpcoming(admin, upcoming);
  await admin.locator('#sum-not-submitted:visible').waitFor();
  const roll = await admin.locator('#sum-not-submitted').innerText();
  expect(roll).toMatch(/已报送 1 \/ 13/);
  expect(roll).toContain('本期尚未到报送日期');
  expect(roll).not.toContain('墟沟');
  expect(await admin.locator(`#sum-status-${xugou}`).innerText()).toBe('已报送');
  // The bureau cannot start a street's draft; only the street office does.
  expect(await admin.locator('[id^="sum-start-"]').count()).toBe(0);

  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    tap(admin, `sum-xlsx-${xugou}`),
  ]);
  expect(download.suggestedFilename()).toMatch(/^墟沟街道书面总结-.*\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.getWorksheet('工作总结');
  expect(sheet).toBeDefined();
  const rows: string[][] = [];
  sheet!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v))));
  expect(rows).toContainEqual(['工作经验和做法', narrative.experience]);
  expect(rows).toContainEqual(['存在的问题', narrative.problems]);
  expect(rows).toContainEqual(['下一步打算和建议', narrative.suggestions]);
  expect(problems).toEqual([]);
}, 120_000);

it('opens on an older period named in its address, beyond the four latest it offers', async () => {
  const problems: string[] = [];
  let older = latestDueDate(chinaDate(new Date()));
  for (let i = 0; i < 4; i++) older = previousDueDate(older);
  const office = await signedIn(app, 'demo-supervisor', problems);
  await office.goto(`${app.base}/#/pages-report/summaries/index?period=${older}`);
  await office.locator(`#sum-row-${xugou}:visible`).waitFor();
  expect(await office.locator('#sum-label').innerText()).toBe(summaryPeriodOf(older).label);
  expect(await office.locator(`#sum-period-${older}.chip--on`).count()).toBe(1);
  expect(await office.locator('[id^="sum-period-"]').count()).toBe(6);
  // A date that is not a due date is ignored: the latest due period is shown.
  await office.goto(`${app.base}/#/pages-report/summaries/index?period=2026-13-06`);
  await office.locator(`#sum-period-${older}`).waitFor({ state: 'detached' });
  expect(await office.locator('#sum-label').innerText()).toBe(
    summaryPeriodOf(latestDueDate(chinaDate(new Date()))).label,
  );
  expect(problems).toEqual([]);
}, 120_000);
