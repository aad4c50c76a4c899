/**
 * The thin path, end to end, against the server `npm start` runs and in real Chromium:
 * a new WeChat user registers as a smallholder, issues a certificate, and the QR code read off
 * the screen with a real decoder (jsQR over a screenshot, not the DOM) opens a page saying 有效.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jsQR from 'jsqr';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { idCardCheckChar } from '../../src/domain/identity';
import { freePort, runNode, stop, waitHealthy, type Proc } from '../helpers/processes';

const root = resolve(__dirname, '..', '..');
let server: Proc;
let browser: Browser;
let base: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hgz-e2e-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // What `npm start` runs; it builds the H5 app if missing and the server bundle every time.
  server = runNode([join(root, 'config', 'scripts', 'start.mjs')], root, {
    PORT: String(port),
    DATA_DIR: dataDir,
  });
  await waitHealthy(base, server, 180_000);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (server) await stop(server);
  rmSync(dataDir, { recursive: true, force: true });
});

async function fill(page: Page, id: string, value: string) {
  await page.locator(`#${id}:visible input`).fill(value);
}

async function tap(page: Page, id: string) {
  await page.locator(`#${id}:visible`).click();
}

/** Decodes the QR code in an element from a screenshot of it, as a phone camera would. */
async function readQr(page: Page, selector: string): Promise<string> {
  const png = PNG.sync.read(await page.locator(selector).screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!found) throw new Error('no QR code could be decoded from the screenshot');
  return found.data;
}

it('registers a smallholder, issues a certificate, and its scanned QR code says 有效', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));

  await page.goto(`${base}/`);
  await page.waitForURL(/pages\/login/);
  await tap(page, 'new-user');

  await page.waitForURL(/pages\/index/);
  await tap(page, 'go-register');

  await page.waitForURL(/pages\/register/);
  // A wrong check digit is refused on the spot, in Chinese, under the field.
  const first17 = '32070319580312123';
  const check = idCardCheckChar(first17) ?? '0';
  const wrong = check === '0' ? '1' : '0';
  await tap(page, 'type-smallholder');
  await fill(page, 'name', '张秀英');
  await fill(page, 'identityNumber', first17 + wrong);
  await fill(page, 'contactName', '张秀英');
  await fill(page, 'phone', '13905181234');
  await fill(page, 'address', '连云区连岛街道西连岛村');
  await tap(page, 'division-320703003');
  await fill(page, 'products', '紫菜、海带');
  await tap(page, 'submit');
  await page.locator('#field-identityNumber:visible .field-error').waitFor();
  expect(await page.locator('#field-identityNumber:visible .field-error').innerText()).toContain(
    '身份证号码不正确',
  );
  await fill(page, 'identityNumber', first17 + check);
  await tap(page, 'submit');

  await page.waitForURL(/pages\/issue/);
  await fill(page, 'productName', '紫菜');
  await fill(page, 'quantityValue', '12.5');
  await tap(page, 'unit-kg');
  await tap(page, 'submit');

  await page.waitForURL(/pages\/certificate\/index\?code=/);
  await page.locator('#cert-qr:visible img').waitFor();
  expect(await page.locator('#cert-title:visible').innerText()).toContain('承诺达标合格证');
  const scanned = await readQr(page, '#cert-qr:visible');
  // The label's code, signed (Ed25519, base64url) so a phone can tell a forgery offline.
  expect(scanned).toMatch(new RegExp(`^${base}/c/[0-9A-HJKMNP-TV-Z]{16}\\?s=[A-Za-z0-9_-]{86}$`));

  // Any phone camera: open the URL the code holds, with no session and no script.
  const phone = await browser.newContext({
    viewport: { width: 360, height: 740 },
    javaScriptEnabled: false,
  });
  const verify = await phone.newPage();
  const res = await verify.goto(scanned);
  expect(res?.status()).toBe(200);
  const text = await verify.locator('body').innerText();
  expect(text).toContain('有效');
  expect(text).toContain('承诺达标合格证');
  expect(text).toContain('紫菜');
  expect(text).toContain('12.5 公斤');
  expect(text).toContain('139****1234');
  expect(text).not.toContain('13905181234');
  await phone.close();

  // A code nobody issued: a Chinese 404.
  const missing = await page.request.get(`${base}/c/0000000000000000`);
  expect(missing.status()).toBe(404);
  expect(await missing.text()).toContain('未找到');
  expect(problems).toEqual([]);
}, 120_000);
