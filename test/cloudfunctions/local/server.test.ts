import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeConfig } from '../../../cloudfunctions/kit/action';
import { openSqliteStore } from '../../../cloudfunctions/kit/store/sqlite';
import type { Store } from '../../../cloudfunctions/kit/store/port';
import { seedDemoData } from '../../../cloudfunctions/local/seed';
import { testSigningKey } from '../../helpers/runtime';
import {
  createLocalServer,
  isLoopback,
  type LocalServerOptions,
  type Session,
} from '../../../cloudfunctions/local/server';
import { issueInput, smallholder } from '../../helpers/runtime';

interface Running {
  base: string;
  port: number;
  store: Store;
  dir: string;
  errors: unknown[];
  close(): Promise<void>;
}

const config: RuntimeConfig = {
  publicBaseUrl: 'https://hgz.example.cn',
  identitySecret: 'test-identity-secret',
  signingKey: testSigningKey,
};

async function start(
  options: Partial<Omit<LocalServerOptions, 'store' | 'config'>> = {},
  host = '127.0.0.1',
): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-server-'));
  const store = openSqliteStore({ file: join(dir, 'test.db') });
  const errors: unknown[] = [];
  const server = createLocalServer({
    store,
    config,
    staticDir: null,
    logError: (_m, cause) => errors.push(cause),
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    store,
    dir,
    errors,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A request with the path sent exactly as written (fetch would normalise `..` away). */
function raw(
  port: number,
  path: string,
  options: { method?: string; host?: string; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: options.host ?? '127.0.0.1', port, path, method: options.method ?? 'GET' },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function post(base: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

async function newUserToken(base: string): Promise<string> {
  const res = await post(base, '/auth/dev-login', { newUser: true });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

describe('the embedded server over real HTTP', () => {
  let rt: Running;
  beforeEach(async () => {
    rt = await start();
  });
  afterEach(() => rt.close());

  it('runs the whole path: sign in as a new user, register, issue, scan', async () => {
    const login = await post(rt.base, '/auth/dev-login', { newUser: true });
    expect(login.status).toBe(200);
    expect(login.json).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
      userId: expect.stringMatching(/^dev-[0-9a-f]{16}$/),
      expiresAt: expect.any(String),
    });
    const token = login.json.token as string;

    const me = await post(rt.base, '/api/user', { action: 'me', input: {} }, token);
    expect(me.json).toMatchObject({ ok: true, data: { userId: login.json.userId, known: false } });

    const reg = await post(
      rt.base,
      '/api/subject',
      { action: 'register', input: smallholder() },
      token,
    );
    expect(reg.status).toBe(200);
    expect(reg.json.ok).toBe(true);
    const subjectId = reg.json.data._id as string;

    const issued = await post(
      rt.base,
      '/api/certificate',
      { action: 'issue', input: issueInput(subjectId) },
      token,
    );
    expect(issued.status).toBe(200);
    const code = issued.json.data[0].code as string;
    expect(issued.json.data[0].verifyUrl).toMatch(
      new RegExp(`^https://hgz.example.cn/c/${code}\\?s=[A-Za-z0-9_-]{86}$`),
    );

    const page = await fetch(`${rt.base}/c/${code}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'none'");
    const html = await page.text();
    expect(html).toContain('✓ 有效');
    expect(html).toContain('青菜');
    expect(html).toContain('承诺达标合格证');

    // The code as a person might type it from the label.
    const typed = await fetch(`${rt.base}/c/${code.toLowerCase().match(/.{4}/g)!.join('-')}`);
    expect(typed.status).toBe(200);

    const head = await raw(rt.port, `/c/${code}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers an unknown code with the Chinese 404 page', async () => {
    const res = await fetch(`${rt.base}/c/ZZZZZZZZZZZZZZZZ`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('未找到这张合格证');
    expect(html).toContain('请核对标签上的编号，或联系开具人');
    const garbage = await raw(rt.port, '/c/%E0%A4%A');
    expect(garbage.status).toBe(404);
  });

  it('shows a product name typed as markup as text', async () => {
    const token = await newUserToken(rt.base);
    const reg = await post(
      rt.base,
      '/api/subject',
      { action: 'register', input: smallholder() },
      token,
    );
    const evil = '<script>alert(1)</script>';
    const issued = await post(
      rt.base,
      '/api/certificate',
      { action: 'issue', input: issueInput(reg.json.data._id, { productName: evil }) },
      token,
    );
    expect(issued.json.ok).toBe(true);
    const html = await (await fetch(`${rt.base}/c/${issued.json.data[0].code}`)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers 401 without a token, and with a token it does not know or that expired', async () => {
    const none = await post(rt.base, '/api/subject', { action: 'mine', input: {} });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: '请先登录', requestId: expect.any(String) },
    });
    const unknown = await post(
      rt.base,
      '/api/subject',
      { action: 'mine', input: {} },
      'x'.repeat(43),
    );
    expect(unknown.status).toBe(401);

    await rt.store.collection<Session>('sessions').insert({
      _id: createHash('sha256').update('expired-token-0123456789').digest('hex'),
      userId: 'wx-old',
      createdAt: '2020-01-01T00:00:00.000Z',
      expiresAt: '2020-01-31T00:00:00.000Z',
    });
    const expired = await post(
      rt.base,
      '/api/user',
      { action: 'me', input: {} },
      'expired-token-0123456789',
    );
    expect(expired.status).toBe(401);
  });

  it('keeps the token out of storage: the session is keyed by its hash', async () => {
    const login = await post(rt.base, '/auth/dev-login', { newUser: true });
    const sessions = await rt.store.collection<Session>('sessions').find();
    expect(sessions).toHaveLength(1);
    expect(JSON.stringify(sessions)).not.toContain(login.json.token);
    const days =
      (Date.parse(sessions[0]!.expiresAt) - Date.parse(sessions[0]!.createdAt)) / 86400e3;
    expect(days).toBe(30);
  });

  it('maps envelope codes to HTTP statuses (400, 403, 409)', async () => {
    const token = await newUserToken(rt.base);
    const invalid = await post(rt.base, '/api/subject', { action: 'register', input: {} }, token);
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.fields).toHaveProperty('name');

    const forbidden = await post(
      rt.base,
      '/api/certificate',
      { action: 'issue', input: issueInput('sub_x') },
      token,
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe('FORBIDDEN');

    await post(rt.base, '/api/subject', { action: 'register', input: smallholder() }, token);
    const again = await post(
      rt.base,
      '/api/subject',
      { action: 'register', input: smallholder() },
      token,
    );
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('CONFLICT');
  });

  it('answers bad JSON, an empty body and an unknown action with 400 envelopes', async () => {
    const bad = await post(rt.base, '/api/subject', '{"action": "mine",');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: '请求内容不是有效的 JSON' },
    });
    const empty = await post(rt.base, '/api/subject', '');
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toContain('请求内容为空');
    const noAction = await post(rt.base, '/api/subject', { action: 'drop' });
    expect(noAction.status).toBe(400);
    expect(noAction.json.error.message).toContain('没有这个操作');
    const array = await post(rt.base, '/api/subject', '[1,2]');
    expect(array.status).toBe(400);
  });

  it('answers an unknown function with a 404 envelope', async () => {
    for (const name of ['nope', '__proto__', 'constructor', '']) {
      const res = await post(rt.base, `/api/${name}`, { action: 'x' });
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('refuses GET on a function and bodies over 1 MB', async () => {
    const get = await fetch(`${rt.base}/api/subject`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const big = JSON.stringify({ action: 'mine', input: { pad: 'x'.repeat(1024 * 1024) } });
    const res = await post(rt.base, '/api/subject', big);
    expect(res.status).toBe(413);
    expect(res.json.error.message).toContain('1 MB');
    // The server is still there.
    expect((await fetch(`${rt.base}/healthz`)).status).toBe(200);
  });

  it('survives malformed HTTP', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(rt.port, '127.0.0.1', () => socket.write('BLAH\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toContain('400');
    expect(await (await fetch(`${rt.base}/healthz`)).json()).toEqual({ ok: true });
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${rt.base}/healthz`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ ok: true });
  });

  it('says how to build the app when there is no H5 build', async () => {
    const res = await fetch(`${rt.base}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:h5');
    const other = await fetch(`${rt.base}/js/app.js`);
    expect(other.status).toBe(404);
    expect(await other.text()).toContain('页面不存在');
  });
});

describe('dev login', () => {
  let rt: Running;
  afterEach(() => rt.close());

  it('lists the seeded demo users and signs in as one of them', async () => {
    rt = await start();
    await seedDemoData(rt.store, {
      now: new Date(),
      identitySecret: config.identitySecret,
      signingKey: config.signingKey,
    });
    const users = (await (await fetch(`${rt.base}/auth/dev-users`)).json()) as any[];
    expect(users.map((u) => u.userId)).toEqual([
      'demo-producer',
      'demo-buyer',
      'demo-coordinator',
      'demo-supervisor',
      'demo-supervisor-ld',
      'demo-enforcement',
      'demo-admin',
    ]);
    expect(users[0]).toMatchObject({
      nickname: '王大爷',
      roles: ['producer'],
      roleLabels: ['生产主体'],
      description: expect.stringContaining('墟沟'),
    });
    const login = await post(rt.base, '/auth/dev-login', { userId: 'demo-supervisor' });
    expect(login.json.userId).toBe('demo-supervisor');
    const me = await post(rt.base, '/api/user', { action: 'me', input: {} }, login.json.token);
    expect(me.json.data).toMatchObject({ roles: ['supervisor'], divisionCode: '320703001' });
  });

  it('refuses a user that is not a seeded demo user', async () => {
    rt = await start();
    for (const body of [
      { userId: 'demo-admin' },
      { userId: 'wx-someone' },
      {},
      { newUser: 'yes' },
    ]) {
      const res = await post(rt.base, '/auth/dev-login', body);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('INVALID_INPUT');
    }
  });

  it('does not exist in production', async () => {
    rt = await start({ production: true });
    expect((await post(rt.base, '/auth/dev-login', { newUser: true })).status).toBe(404);
    expect((await fetch(`${rt.base}/auth/dev-users`)).status).toBe(404);
    expect(await rt.store.collection('sessions').count()).toBe(0);
  });

  it('is refused from another machine unless allowed', async () => {
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!lan) {
      // No non-loopback interface here: the address rule is covered by isLoopback below.
      rt = await start();
      return;
    }
    rt = await start({}, '0.0.0.0');
    const refused = await raw(rt.port, '/auth/dev-login', {
      method: 'POST',
      host: lan,
      body: JSON.stringify({ newUser: true }),
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.message).toContain(
      '演示登录只能在运行合格证通的这台电脑上使用',
    );
    const local = await raw(rt.port, '/auth/dev-login', {
      method: 'POST',
      body: JSON.stringify({ newUser: true }),
    });
    expect(local.status).toBe(200);
    await rt.close();

    rt = await start({ allowRemoteDevLogin: true }, '0.0.0.0');
    const allowed = await raw(rt.port, '/auth/dev-login', {
      method: 'POST',
      host: lan,
      body: JSON.stringify({ newUser: true }),
    });
    expect(allowed.status).toBe(200);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.3.9', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['::FFFF:127.1.2.3', true],
    ['10.0.0.2', false],
    ['192.168.1.5', false],
    ['::ffff:192.168.1.5', false],
    ['128.0.0.1', false],
    ['127.0.0.256', false],
    ['fe80::1', false],
    ['', false],
    [undefined, false],
  ])('%p → %p', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});

describe('static files', () => {
  let rt: Running;
  let root: string;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'hgz-static-'));
    // The secret sits next to the build directory, where a traversal would land.
    writeFileSync(join(root, 'package.json'), '{"secret":"do-not-serve"}');
    const h5 = join(root, 'h5');
    mkdirSync(join(h5, 'js'), { recursive: true });
    writeFileSync(join(h5, 'index.html'), '<!doctype html><title>合格证通</title>');
    writeFileSync(join(h5, 'js', 'app.5473b848.js'), 'console.log(1)');
    writeFileSync(join(h5, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(h5, '.env'), 'SECRET=1');
    rt = await start({ staticDir: h5 });
  });
  afterEach(async () => {
    await rt.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html for / and files with their content types', async () => {
    const index = await raw(rt.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toContain('合格证通');
    const js = await raw(rt.port, '/js/app.5473b848.js?v=1');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.body).toBe('console.log(1)');
    expect((await raw(rt.port, '/logo.svg')).headers['content-type']).toBe('image/svg+xml');
  });

  it('links the verify page to the app once there is one', async () => {
    const html = (await raw(rt.port, '/c/ZZZZZZZZZZZZZZZZ')).body;
    expect(html).toContain('<a href="/">打开合格证通</a>');
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/..%2fpackage.json',
    '/js/../../package.json',
    '/js/..%5c..%5cpackage.json',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/.env',
    '/js/%00',
    '/js',
    '/nope.html',
  ])('refuses %s', async (path) => {
    const res = await raw(rt.port, path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('do-not-serve');
    expect(res.body).not.toContain('SECRET');
    expect(res.body).toContain('页面不存在');
  });

  it('answers other methods with 405', async () => {
    const res = await raw(rt.port, '/index.html', { method: 'DELETE' });
    expect(res.status).toBe(405);
  });
});
