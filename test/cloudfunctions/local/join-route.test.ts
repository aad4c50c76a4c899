import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { joinPageLocation, joinRouteCode } from '../../../cloudfunctions/local/join-route';
import { createLocalServer } from '../../../cloudfunctions/local/server';
import { userFunction, type CreatedInvitation } from '../../../cloudfunctions/user/actions';
import type { User } from '../../../src/domain/role';
import { testRuntime, type TestRuntime } from '../../helpers/runtime';

let rt: TestRuntime;
let server: http.Server;
let port: number;

beforeAll(async () => {
  rt = testRuntime();
  server = createLocalServer({ store: rt.store, config: rt.config, staticDir: null });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rt.close();
});

/** A request with the path sent exactly as written, redirects not followed. */
function raw(
  path: string,
  method = 'GET',
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
      },
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
    req.end(body);
  });
}

describe('joinRouteCode', () => {
  it('takes the code segment of a /join/ path, a trailing slash allowed', () => {
    expect(joinRouteCode('/join/7K3M-Q9XD-2HRV-WN5B')).toBe('7K3M-Q9XD-2HRV-WN5B');
    expect(joinRouteCode('/join/7k3mq9xd2hrvwn5b/')).toBe('7k3mq9xd2hrvwn5b');
  });

  it('is null for other paths and empty for what cannot be a code', () => {
    expect(joinRouteCode('/join')).toBeNull();
    expect(joinRouteCode('/join/')).toBeNull();
    expect(joinRouteCode('/join/a/b')).toBeNull();
    expect(joinRouteCode('/c/ABC')).toBeNull();
    expect(joinRouteCode('/join/a%2Fb')).toBe('');
    expect(joinRouteCode('/join/%3Cscript%3E')).toBe('');
    expect(joinRouteCode('/join/%E0%A4%A')).toBe('');
    expect(joinRouteCode(`/join/${'A'.repeat(65)}`)).toBe('');
  });
});

describe('GET /join/<code>', () => {
  it("redirects an invitation's QR address to the H5 join page with the code", async () => {
    await rt.store.collection<User>('users').put({
      _id: 'admin-1',
      nickname: '赵管理',
      roles: ['admin'],
      divisionCode: null,
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    const created = await rt.ok<CreatedInvitation>(
      userFunction,
      'invite',
      { role: 'supervisor', divisionCode: '320703003' },
      'admin-1',
    );
    const url = new URL(created.url);
    expect(url.pathname).toBe(`/join/${created.code}`);

    const res = await raw(url.pathname);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/#/pages-staff/join/index?code=${created.code}`);
    expect(res.headers.location).toBe(joinPageLocation(created.code));
    expect(res.headers['cache-control']).toBe('no-store');
    // The code is a secret: no page it leads to learns it from the referrer.
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toBe('');

    // What the join page reads back is the code that redeems.
    const code = new URLSearchParams(res.headers.location!.split('?')[1]).get('code');
    expect(code).toBe(created.code);
  });

  it('answers HEAD the same, and a trailing slash too', async () => {
    const head = await raw('/join/7K3M-Q9XD-2HRV-WN5B', 'HEAD');
    expect(head.status).toBe(302);
    expect(head.headers.location).toBe('/#/pages-staff/join/index?code=7K3M-Q9XD-2HRV-WN5B');
    const slash = await raw('/join/7K3M-Q9XD-2HRV-WN5B/');
    expect(slash.status).toBe(302);
  });

  it('is not found for what cannot be a code, and refuses other methods', async () => {
    for (const path of ['/join/a%2Fb', '/join/%3Cscript%3E', '/join/']) {
      const res = await raw(path);
      expect(res.status).toBe(404);
      expect(res.headers.location).toBeUndefined();
    }
    const post = await raw('/join/7K3M-Q9XD-2HRV-WN5B', 'POST', '{}');
    expect(post.status).toBe(405);
  });
});

describe('the directory function takes a roster larger than the default body limit', () => {
  it('reads a 2 MB import call instead of answering 413', async () => {
    const body = JSON.stringify({
      action: 'import',
      input: { base64: 'A'.repeat(2 * 1024 * 1024), dryRun: true },
    });
    const res = await raw('/api/directory', 'POST', body);
    // Read and answered by the function (no caller here), not cut off as too large.
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});
