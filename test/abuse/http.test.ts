/**
 * The real HTTP server under bad requests: malformed and hostile JSON, oversized bodies, wrong
 * content types and broken HTTP. Each gets a clear error (a JSON envelope with a Chinese message,
 * never INTERNAL), and the server keeps serving.
 */
import fc from 'fast-check';
import net from 'node:net';
import { functions } from '../../cloudfunctions/registry';
import { errorCodes } from '../../src/domain/errors';
import { hostileStrings, hostileValue } from './arbitraries';
import { rawRequest, startServer, type RunningServer } from './server';

let srv: RunningServer;
let token: string;

beforeAll(async () => {
  // Verification is rate limited per address; this file is one address sending many calls.
  srv = await startServer({ rateLimits: { verify: { burst: 100_000, perMinute: 100_000 } } });
  token = await srv.signIn('abuse-admin', ['admin']);
});
afterAll(async () => {
  await srv.close();
});

/** Still serving: health, a public call and a signed-in call all answer as before. */
async function stillServing(): Promise<void> {
  expect((await fetch(`${srv.base}/healthz`)).status).toBe(200);
  const key = await srv.api('verify', { action: 'publicKey', input: {} });
  expect(key.body.ok).toBe(true);
  const me = await srv.api('user', { action: 'me', input: {} }, token);
  expect(me.body).toMatchObject({ ok: true, data: { roles: ['admin'] } });
}

/** A clear error: an error envelope with a known code (not INTERNAL) and a Chinese message. */
function expectClearError(status: number, text: string, want?: number): void {
  if (want !== undefined) expect(status).toBe(want);
  const body = JSON.parse(text) as { ok: boolean; error: { code: string; message: string } };
  expect(body.ok).toBe(false);
  expect(errorCodes).toContain(body.error.code);
  expect(body.error.code).not.toBe('INTERNAL');
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
}

const names = Object.keys(functions);

it('answers malformed JSON bodies with INVALID_INPUT and keeps serving', async () => {
  const malformed = fc.oneof(
    fc.string({ maxLength: 200 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
    fc.constantFrom(
      '{"action":',
      '{"action":"lookup","input":{"code":"x"}',
      '\ufeff{"action":"me"}',
      "{'action':'me'}",
      '{"action":"me",}',
      'NaN',
      '['.repeat(100_000),
      `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      '\u0000\u0001',
    ),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...names), malformed, async (fn, body) => {
      const res = await rawRequest(srv.port, {
        path: `/api/${fn}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: Buffer.from(body),
      });
      expectClearError(res.status, res.body);
    }),
    { numRuns: 40 },
  );
  await stillServing();
  expect(srv.errors).toEqual([]);
});

it('answers well-formed hostile JSON with an envelope, never INTERNAL', async () => {
  const action = fc.oneof(
    fc.constantFrom(...names.flatMap((n) => Object.keys(functions[n]!.actions))),
    fc.constantFrom('__proto__', 'constructor', ...hostileStrings),
  );
  const event = fc.oneof(
    fc.record({ action, input: hostileValue }),
    hostileValue,
    fc.constant(JSON.parse('{"__proto__":{"action":"me"},"action":"me"}')),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...names), event, async (fn, e) => {
      let text: string;
      try {
        text = JSON.stringify(e) ?? 'null';
      } catch {
        return; // deeper than JSON.stringify goes: nothing a client could send either
      }
      const res = await rawRequest(srv.port, {
        path: `/api/${fn}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: Buffer.from(text),
      });
      const body = JSON.parse(res.body) as { ok: boolean; error?: { code: string } };
      expect(typeof body.ok).toBe('boolean');
      expect(body.error?.code).not.toBe('INTERNAL');
      expect(res.status).toBeLessThan(500);
    }),
    { numRuns: 60 },
  );
  await stillServing();
  expect(srv.errors).toEqual([]);
});

it('refuses oversized bodies with 413, drops absurd ones, and keeps serving', async () => {
  const big = Buffer.alloc(1024 * 1024 + 10, 'a');
  const over = await rawRequest(srv.port, {
    path: '/api/verify',
    headers: { 'content-type': 'application/json' },
    body: big,
  });
  expectClearError(over.status, over.body, 413);
  expect(JSON.parse(over.body).error.message).toContain('请求内容太大');

  // Declared far beyond what is ever read: refused before the body, the connection closed.
  const declared = await new Promise<string>((resolve) => {
    const socket = net.connect(srv.port, '127.0.0.1', () => {
      socket.write(
        'POST /api/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          `Content-Length: ${1024 * 1024 * 1024}\r\n\r\n{`,
      );
    });
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    socket.on('close', () => resolve(got));
  });
  expect(declared).toMatch(/^HTTP\/1\.1 413/);
  await stillServing();
});

it.each([
  ['text/plain', '{"action":"me","input":{}}'],
  ['application/x-www-form-urlencoded', 'action=me'],
  [
    'multipart/form-data; boundary=x',
    '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  ],
  ['text/html', '<script>alert(1)</script>'],
])('refuses a %s body with 415 and a clear message', async (type, body) => {
  const res = await rawRequest(srv.port, {
    path: '/api/user',
    headers: { 'content-type': type, authorization: `Bearer ${token}` },
    body: Buffer.from(body),
  });
  expectClearError(res.status, res.body, 415);
  expect(JSON.parse(res.body).error.message).toContain('application/json');
  await stillServing();
});

it('takes JSON with a charset or a +json type, and a bare body with no type', async () => {
  for (const headers of [
    { 'content-type': 'application/json; charset=utf-8' },
    { 'content-type': 'application/vnd.api+json' },
    {} as Record<string, string>,
  ]) {
    const res = await rawRequest(srv.port, {
      path: '/api/user',
      headers: { ...headers, authorization: `Bearer ${token}` },
      body: Buffer.from('{"action":"me","input":{}}'),
    });
    expect(res.status).toBe(200);
  }
});

it('answers broken HTTP and odd methods plainly, and keeps serving', async () => {
  const garbage = await new Promise<string>((resolve) => {
    const socket = net.connect(srv.port, '127.0.0.1', () => {
      socket.write('GARBAGE / HTTP/9.9\r\n\r\n');
    });
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    socket.on('close', () => resolve(got));
  });
  expect(garbage).toMatch(/^HTTP\/1\.1 400/);
  const get = await rawRequest(srv.port, { method: 'GET', path: '/api/user' });
  expectClearError(get.status, get.body, 405);
  const unknown = await rawRequest(srv.port, {
    path: '/api/__proto__',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from('{}'),
  });
  expectClearError(unknown.status, unknown.body, 404);
  await stillServing();
});
