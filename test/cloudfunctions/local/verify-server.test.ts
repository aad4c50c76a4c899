/**
 * Verification on the embedded server over real HTTP: signed labels, scan logs, rate limits and
 * what a refused or unknown lookup leaves behind (nothing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeConfig } from '../../../cloudfunctions/kit/action';
import { ed25519Signer } from '../../../cloudfunctions/kit/signer';
import { openSqliteStore } from '../../../cloudfunctions/kit/store/sqlite';
import type { Store } from '../../../cloudfunctions/kit/store/port';
import { createLocalServer, type LocalServerOptions } from '../../../cloudfunctions/local/server';
import { labelCode, verifyUrl } from '../../../src/domain/certificate';
import type { Scan } from '../../../src/domain/scan';
import { issueInput, smallholder, testSigningKey } from '../../helpers/runtime';

const config: RuntimeConfig = {
  publicBaseUrl: 'https://hgz.example.cn',
  identitySecret: 'test-identity-secret',
  signingKey: testSigningKey,
};
const signer = ed25519Signer(testSigningKey);

interface Running {
  base: string;
  store: Store;
  logged: unknown[][];
  close(): Promise<void>;
}

async function start(options: Partial<LocalServerOptions> = {}): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-verify-server-'));
  const store = openSqliteStore({ file: join(dir, 'test.db') });
  const logged: unknown[][] = [];
  const server = createLocalServer({
    store,
    config,
    staticDir: null,
    logError: (...args) => logged.push(args),
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    store,
    logged,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

/** A producer with one certificate covering `packages` labels; returns its code. */
async function issued(base: string, packages = 1): Promise<string> {
  const login = await post(base, '/auth/dev-login', { newUser: true });
  const auth = { authorization: `Bearer ${login.json.token}` };
  const reg = await post(base, '/api/subject', { action: 'register', input: smallholder() }, auth);
  const res = await post(
    base,
    '/api/certificate',
    { action: 'issue', input: issueInput(reg.json.data._id, { packages }) },
    auth,
  );
  expect(res.json.ok).toBe(true);
  return res.json.data[0].code as string;
}

const pathOf = (url: string) => url.replace('https://hgz.example.cn', '');
const scans = (rt: Running) => rt.store.collection<Scan>('scans').find();
/** The parts of a response that could tell one request from another. */
async function shape(res: Response) {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    if (key !== 'date' && key !== 'retry-after') headers[key] = value;
  });
  let body = await res.text();
  // Each envelope carries a fresh random request id; it says nothing about what was asked.
  body = body.replace(/"requestId":"[0-9a-f]+"/, '"requestId":"…"');
  return { status: res.status, headers, body };
}

describe('signed labels on the verify page', () => {
  let rt: Running;
  beforeEach(async () => {
    rt = await start();
  });
  afterEach(() => rt.close());

  it('checks the signature in ?s= and shows the label index, logging one scan per lookup', async () => {
    const code = await issued(rt.base, 100);
    const label = labelCode(code, 2, 100);
    const ok = await fetch(
      `${rt.base}${pathOf(verifyUrl(config.publicBaseUrl, label, signer.sign(label)))}`,
    );
    expect(ok.status).toBe(200);
    const html = await ok.text();
    expect(html).toContain('✓ 有效');
    expect(html).toContain('第 3 / 100 件');
    expect(html).toContain('防伪签名：签名有效');

    const forged = await fetch(`${rt.base}/c/${label}?s=${signer.sign(code)}`);
    expect(forged.status).toBe(200);
    expect(await forged.text()).toContain('签名无效，疑似伪造');
    const unsigned = await fetch(`${rt.base}/c/${label}`);
    expect(await unsigned.text()).toContain('防伪签名：无签名');

    const logged = await scans(rt);
    expect(logged.map((s) => s.signature).sort()).toEqual(['absent', 'invalid', 'valid']);
    expect(logged.every((s) => s.code === code && s.label === label)).toBe(true);
    expect(logged.every((s) => s.channel === 'consumer')).toBe(true);
    expect(JSON.stringify(logged)).not.toMatch(/127\.0\.0\.1|node/);
  });

  it('logs scans through POST /api/verify with the channel of the caller', async () => {
    const code = await issued(rt.base);
    const anonymous = await post(rt.base, '/api/verify', { action: 'lookup', input: { code } });
    expect(anonymous.json.data).toMatchObject({ verdict: 'valid', signature: 'absent' });
    const key = await post(rt.base, '/api/verify', { action: 'publicKey', input: {} });
    expect(key.json.data.publicKey).toBe(signer.publicKey);
    expect((await scans(rt)).map((s) => s.channel)).toEqual(['consumer']);
  });
});

describe('rate limits', () => {
  let rt: Running;
  afterEach(() => rt.close());

  it('answers 429 after the burst on /c/<code>, the same for an existing code and an unknown one', async () => {
    rt = await start({ rateLimits: { verify: { burst: 3, perMinute: 1 } } });
    const code = await issued(rt.base);
    const unknown = 'ZZZZZZZZZZZZZZZZ';
    expect((await fetch(`${rt.base}/c/${code}`)).status).toBe(200);
    expect((await fetch(`${rt.base}/c/${unknown}`)).status).toBe(404);
    expect((await fetch(`${rt.base}/c/${unknown}`)).status).toBe(404);
    const hit = await fetch(`${rt.base}/c/${code}?s=${signer.sign(code)}`);
    const miss = await fetch(`${rt.base}/c/${unknown}`);
    expect(hit.status).toBe(429);
    expect(Number(hit.headers.get('retry-after'))).toBeGreaterThan(0);
    const [a, b] = [await shape(hit), await shape(miss)];
    expect(a).toEqual(b);
    expect(a.body).toContain('查询太频繁');
    expect(a.body).not.toContain(code);
    // The one lookup that got through left the one scan; the misses and the 429s, nothing.
    expect(await scans(rt)).toHaveLength(1);
    expect(JSON.stringify(rt.logged)).not.toContain(unknown);
    expect(JSON.stringify(rt.logged)).not.toContain(code);
  });

  it('shares the bucket with POST /api/verify, and answers RATE_LIMITED envelopes alike', async () => {
    rt = await start({ rateLimits: { verify: { burst: 2, perMinute: 1 } } });
    const code = await issued(rt.base);
    expect((await fetch(`${rt.base}/c/${code}`)).status).toBe(200);
    const first = await post(rt.base, '/api/verify', {
      action: 'lookup',
      input: { code: 'ZZZZZZZZZZZZZZZZ' },
    });
    expect(first.json.data.verdict).toBe('not_found');
    const call = (c: string) =>
      fetch(`${rt.base}/api/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'lookup', input: { code: c } }),
      });
    const hit = await shape(await call(code));
    const miss = await shape(await call('ZZZZZZZZZZZZZZZZ'));
    expect(hit.status).toBe(429);
    expect(hit).toEqual(miss);
    expect(JSON.parse(hit.body)).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.stringContaining('太频繁') },
    });
    expect(await scans(rt)).toHaveLength(1);
    // Other functions are not limited by it.
    expect((await post(rt.base, '/api/user', { action: 'me', input: {} })).status).toBe(401);
  });

  it('limits each client on its own (by the proxy’s address when behind one)', async () => {
    rt = await start({ trustProxy: true, rateLimits: { verify: { burst: 1, perMinute: 1 } } });
    const from = (ip: string) =>
      fetch(`${rt.base}/c/ZZZZZZZZZZZZZZZZ`, { headers: { 'x-forwarded-for': `1.2.3.4, ${ip}` } });
    expect((await from('198.51.100.1')).status).toBe(404);
    expect((await from('198.51.100.1')).status).toBe(429);
    expect((await from('198.51.100.2')).status).toBe(404);
  });

  it('refills with time', async () => {
    let now = new Date('2026-11-29T02:00:00.000Z');
    rt = await start({ now: () => now, rateLimits: { verify: { burst: 1, perMinute: 60 } } });
    expect((await fetch(`${rt.base}/c/ZZZZZZZZZZZZZZZZ`)).status).toBe(404);
    expect((await fetch(`${rt.base}/c/ZZZZZZZZZZZZZZZZ`)).status).toBe(429);
    now = new Date(now.getTime() + 1000);
    expect((await fetch(`${rt.base}/c/ZZZZZZZZZZZZZZZZ`)).status).toBe(404);
  });

  it('limits dev login too', async () => {
    rt = await start({ rateLimits: { login: { burst: 2, perMinute: 1 } } });
    expect((await post(rt.base, '/auth/dev-login', { newUser: true })).status).toBe(200);
    expect((await post(rt.base, '/auth/dev-login', { newUser: true })).status).toBe(200);
    const refused = await post(rt.base, '/auth/dev-login', { newUser: true });
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('RATE_LIMITED');
    expect(await rt.store.collection('sessions').count()).toBe(2);
    // The list of demo users is not a login.
    expect((await fetch(`${rt.base}/auth/dev-users`)).status).toBe(200);
  });
});
