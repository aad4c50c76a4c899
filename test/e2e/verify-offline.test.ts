/**
 * The verify page without signal, in real Chromium against the H5 build: once the app has
 * been online it keeps the district's public key, so a scanned label says 签名有效（离线） (or
 * 签名无效，疑似伪造) with every call to /api cut off, and 已核验 once the server answers.
 */
import { existsSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { certificateFunction, type OwnCertificate } from '../../cloudfunctions/certificate/actions';
import { ed25519Signer } from '../../cloudfunctions/kit/signer';
import { createLocalServer } from '../../cloudfunctions/local/server';
import { subjectFunction } from '../../cloudfunctions/subject/actions';
import { labelCode, verifyUrl } from '../../src/domain/certificate';
import type { Subject } from '../../src/domain/subject';
import {
  issueInput,
  smallholder,
  testRuntime,
  testSigningKey,
  type TestRuntime,
} from '../helpers/runtime';

const h5 = resolve(__dirname, '..', '..', 'dist', 'h5');
const signer = ed25519Signer(testSigningKey);

let rt: TestRuntime;
let server: http.Server;
let base: string;
let browser: Browser;
let context: BrowserContext;
let code: string;

beforeAll(async () => {
  if (!existsSync(join(h5, 'index.html'))) {
    throw new Error('no H5 build: run `npx taro build --type h5` (npm test builds it first)');
  }
  rt = testRuntime();
  const subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  const [cert] = await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subject._id, { packages: 5 }),
    'wx-1',
  );
  code = cert!.code;
  server = createLocalServer({ store: rt.store, config: rt.config, staticDir: h5 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  // One phone: its storage (and so the kept key) is shared by the pages opened in it.
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
  await rt?.close();
});

/** The verify page as a WeChat scan opens it, with the scanned URL in `code`. */
const verifyPage = (scanned: string) =>
  `${base}/#/pages/verify/index?code=${encodeURIComponent(scanned)}`;
const signedLabel = (index: number) => {
  const label = labelCode(code, index, 5);
  return verifyUrl(base, label, signer.sign(label));
};

async function textOf(page: Page, id: string): Promise<string> {
  const el = page.locator(`#${id}:visible`);
  await el.waitFor();
  return el.innerText();
}

it('checks a label offline with the key kept from an earlier online visit', async () => {
  const problems: string[] = [];

  // Online first: the server answers, and the app keeps the district's key.
  const online = await context.newPage();
  online.on('pageerror', (e) => problems.push(e.message));
  await online.goto(verifyPage(signedLabel(0)));
  await online.locator('#online-status:visible', { hasText: '已核验' }).waitFor();
  expect(await textOf(online, 'verdict')).toContain('有效');
  expect(await textOf(online, 'signature-state')).toContain('签名有效');
  expect(await textOf(online, 'label-index')).toContain('第 1 / 5 件');
  await online.locator('#offline-verdict:visible', { hasText: '签名有效（离线）' }).waitFor();
  await online.close();

  // No signal: every call to the server fails.
  const offline = await context.newPage();
  offline.on('pageerror', (e) => problems.push(e.message));
  const blocked: string[] = [];
  await offline.route('**/api/**', (route) => {
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  await offline.goto(verifyPage(signedLabel(3)));
  expect(await textOf(offline, 'offline-verdict')).toContain('签名有效（离线）');
  await offline.locator('#online-status:visible', { hasText: '暂时无法联网核验' }).waitFor();
  expect(await offline.locator('#verdict:visible').count()).toBe(0);
  expect(blocked.length).toBeGreaterThan(0);

  // A forged label: another label's signature on this one's code.
  const forged = verifyUrl(base, labelCode(code, 4, 5), signer.sign(labelCode(code, 3, 5)));
  const forgedPage = await context.newPage();
  await forgedPage.route('**/api/**', (route) => route.abort('internetdisconnected'));
  await forgedPage.goto(verifyPage(forged));
  expect(await textOf(forgedPage, 'offline-verdict')).toContain('签名无效，疑似伪造');
  await forgedPage.close();

  // Signal again: the same page asks the server and says 已核验.
  await offline.unroute('**/api/**');
  await offline.locator('#verify-submit:visible').click();
  await offline.locator('#online-status:visible', { hasText: '已核验' }).waitFor();
  expect(await textOf(offline, 'label-index')).toContain('第 4 / 5 件');
  expect(await textOf(offline, 'signature-state')).toContain('签名有效');
  await offline.close();

  expect(problems).toEqual([]);
}, 90_000);
