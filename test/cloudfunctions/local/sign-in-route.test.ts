/**
 * `GET /t/<code>`: a training session's sign-in QR code scanned with a phone camera lands on the
 * H5 session page with the code the page signs in with.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalServer } from '../../../cloudfunctions/local/server';
import { sessionPageLocation, signInRouteCode } from '../../../cloudfunctions/local/sign-in-route';
import { signInCodeOf, signInUrl } from '../../../src/domain/outreach';
import { signInCodeFromParams } from '../../../src/pages-outreach/model';
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

const code = signInCodeOf('trn_0123456789abcdef01234567', 'AbCdEfGhIjKlMnOpQrSt_-');

function get(path: string, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('signInRouteCode', () => {
  it('takes a sign-in code from a /t/ path, a trailing slash allowed', () => {
    expect(signInRouteCode(`/t/${code}`)).toBe(code);
    expect(signInRouteCode(`/t/${code}/`)).toBe(code);
  });

  it('is null for other paths and empty for what is not a sign-in code', () => {
    expect(signInRouteCode('/t')).toBeNull();
    expect(signInRouteCode('/t/')).toBeNull();
    expect(signInRouteCode(`/join/${code}`)).toBeNull();
    expect(signInRouteCode('/t/trn_0123.short')).toBe('');
    expect(signInRouteCode('/t/%3Cscript%3E')).toBe('');
    expect(signInRouteCode('/t/%E0%A4%A')).toBe('');
    expect(signInRouteCode(`/t/x${code}`)).toBe('');
  });
});

describe('GET /t/<code>', () => {
  it('sends the QR address on to the session page, which reads the same code back', async () => {
    const url = new URL(signInUrl(rt.config.publicBaseUrl, code));
    const res = await get(url.pathname);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(sessionPageLocation(code));
    expect(res.headers.location).toMatch(/^\/#\/pages-outreach\/session\/index\?code=/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const query = new URLSearchParams(res.headers.location!.split('?')[1]);
    expect(signInCodeFromParams({ code: query.get('code') ?? '' })).toBe(code);
  });

  it('is not found for a path that holds no code, and answers HEAD too', async () => {
    expect((await get('/t/not-a-code')).status).toBe(404);
    expect((await get(`/t/${code}`, 'HEAD')).status).toBe(302);
  });
});
