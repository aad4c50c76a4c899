/**
 * What the end-to-end tests share: the server `npm start` runs (own port and data dir), Debian's
 * Chromium through playwright-core, taps and fills by element id, and a real QR decoder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jsQR from 'jsqr';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { freePort, runNode, stop, waitHealthy, type Proc } from '../helpers/processes';

const root = resolve(__dirname, '..', '..');

export interface App {
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts the runtime with a fresh data dir (seeded with the demo data) and a browser. */
export async function startApp(): Promise<App> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hgz-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server: Proc | undefined;
  let browser: Browser | undefined;
  try {
    server = runNode([join(root, 'config', 'scripts', 'start.mjs')], root, {
      PORT: String(port),
      DATA_DIR: dataDir,
    });
    await waitHealthy(base, server, 180_000);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  } catch (error) {
    if (server) await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const started = { server, browser };
  return {
    base,
    browser,
    async close() {
      await started.browser.close();
      await stop(started.server);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A phone-sized page of its own (own storage) whose script errors are collected in `problems`. */
export async function phone(app: App, name: string, problems: string[]): Promise<Page> {
  const context = await app.browser.newContext({
    viewport: { width: 390, height: 844 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`${name}: ${e.message}`));
  return page;
}

/** A phone signed in from the login page `/` leads to: a demo user by id, or 'new' for a new one. */
export async function signedIn(app: App, who: string, problems: string[]): Promise<Page> {
  const page = await phone(app, who === 'new' ? 'new user' : who, problems);
  await page.goto(`${app.base}/`);
  await page.waitForURL(/pages\/login/);
  await tap(page, who === 'new' ? 'new-user' : `login-${who}`);
  await page.waitForURL(/pages\/index/);
  return page;
}

export async function fill(page: Page, id: string, value: string) {
  await page.locator(`#${id}:visible input`).fill(value);
}

export async function tap(page: Page, id: string) {
  await page.locator(`#${id}:visible`).click();
}

/** Decodes the QR code in an element from a screenshot of it, as a phone camera would. */
export async function readQr(page: Page, selector: string): Promise<string> {
  const png = PNG.sync.read(await page.locator(selector).screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!found) throw new Error(`no QR code could be decoded from a screenshot of ${selector}`);
  return found.data;
}

/** The session token the H5 app keeps (Taro storage wraps it as {"data": …}). */
export async function tokenOf(page: Page): Promise<string> {
  const raw = await page.evaluate(() => window.localStorage.getItem('hgz.token'));
  if (!raw) throw new Error('no token in localStorage');
  return raw.startsWith('{') ? String((JSON.parse(raw) as { data: unknown }).data) : raw;
}

/** Calls an action as the signed-in user of `page`; returns its data or throws its error. */
export async function callApi<T>(
  base: string,
  token: string,
  fn: string,
  action: string,
  input: unknown,
): Promise<T> {
  const res = await fetch(`${base}/api/${fn}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ action, input }),
  });
  const body = (await res.json()) as { ok: boolean; data?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${fn}.${action}: ${body.error?.message ?? res.status}`);
  return body.data as T;
}
