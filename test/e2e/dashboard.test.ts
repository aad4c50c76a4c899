/**
 * The bureau's dashboard, end to end in Chromium: the district admin opens it from home, reads
 * the certificates issued (the same number the report function gives), taps it and the drill
 * page lists exactly those certificates, 王大爷's; the 连岛 street supervisor sees only 连岛,
 * where the 墟沟 producer's certificates are not counted.
 */
import type { Page } from 'playwright-core';
import { chinaDate } from '../../src/domain/certificate';
import type { Dashboard } from '../../src/domain/report';
import type { DrillResult } from '../../cloudfunctions/report/actions';
import { type App, callApi, signedIn, startApp, tap, tokenOf } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

const number = async (page: Page, id: string) =>
  Number(await page.locator(`#${id}:visible`).innerText());

/** The dashboard's default period: this year so far, China time. */
function thisYear() {
  const today = chinaDate(new Date());
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

async function openDashboard(page: Page) {
  await tap(page, 'go-report');
  await page.waitForURL(/pages-report\/dashboard\/index/);
  await page.locator('#fig-cert-records-value:visible').waitFor();
}

it('the admin drills from certificates issued to exactly those certificates', async () => {
  const problems: string[] = [];
  const admin = await signedIn(app, 'demo-admin', problems);
  await openDashboard(admin);
  expect(await admin.locator('#rp-area').innerText()).toContain('连云区');
  expect(await admin.locator('#rp-computed').innerText()).toMatch(
    /计算于 \d{4}-\d\d-\d\d \d\d:\d\d/,
  );
  // The bar chart is drawn (ECharts on a canvas, loaded on demand).
  await admin.locator('#chart-months canvas').first().waitFor();

  const shown = await number(admin, 'fig-cert-records-value');
  const api = await callApi<Dashboard>(app.base, await tokenOf(admin), 'report', 'dashboard', {
    ...thisYear(),
  });
  expect(shown).toBe(api.certificates.records.count);
  // The demo seed: 王大爷 issued at least today's certificate.
  expect(shown).toBeGreaterThanOrEqual(1);

  await tap(admin, 'fig-cert-records');
  await admin.waitForURL(/pages-report\/drill\/index\?figure=certificates/);
  await admin.locator('#drill-total:visible').waitFor();
  expect(await admin.locator('#drill-label').innerText()).toBe('合格证');
  expect(await number(admin, 'drill-total')).toBe(shown);
  const items = admin.locator('[id^="drill-item-"]:visible');
  expect(await items.count()).toBe(Math.min(shown, 50));
  const drill = await callApi<DrillResult>(app.base, await tokenOf(admin), 'report', 'drill', {
    figure: 'certificates',
    params: thisYear(),
  });
  for (let i = 0; i < (await items.count()); i++) {
    const text = await items.nth(i).innerText();
    expect(text).toContain('王大爷');
    const c = drill.items[i] as { productName: string; code: string };
    expect(text).toContain(c.productName);
    expect(text).toContain(c.code);
  }
  expect(problems).toEqual([]);
}, 90_000);

it('a street supervisor sees only their street: 墟沟 certificates are not counted in 连岛', async () => {
  const problems: string[] = [];
  const ld = await signedIn(app, 'demo-supervisor-ld', problems);
  await openDashboard(ld);
  expect(await ld.locator('#rp-area').innerText()).toContain('连岛街道');
  // No division chips: the street office's figures are its own.
  expect(await ld.locator('[id^="rp-division-"]:visible').count()).toBe(0);
  const shown = await number(ld, 'fig-cert-records-value');
  const api = await callApi<Dashboard>(app.base, await tokenOf(ld), 'report', 'dashboard', {
    ...thisYear(),
  });
  expect(api.divisionName).toBe('连岛街道');
  expect(shown).toBe(api.certificates.records.count);
  expect(shown).toBe(0);

  await tap(ld, 'fig-cert-records');
  await ld.waitForURL(/pages-report\/drill\/index/);
  await ld.locator('#drill-none:visible').waitFor();
  expect(await number(ld, 'drill-total')).toBe(0);
  expect(await ld.locator('body').innerText()).not.toContain('王大爷');
  expect(problems).toEqual([]);
}, 90_000);
