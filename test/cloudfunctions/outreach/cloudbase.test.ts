/**
 * The outreach function as CloudBase's HTTP access service calls it: `/p/<itemId>` is a poster,
 * and `/t/<code>` — a session's sign-in code opened with a phone camera, outside WeChat — is a
 * page that says to scan it with WeChat (CloudBase hosts no H5 app to sign in with).
 */
import { cloudbaseMain, type HttpResult } from '../../../cloudfunctions/kit/cloudbase-main';
import { outreachFunction } from '../../../cloudfunctions/outreach/actions';
import type { SessionView } from '../../../cloudfunctions/outreach/training';
import { buildWorld, outreachRuntime, type OutreachRuntime } from './world';

let rt: OutreachRuntime;

beforeAll(async () => {
  rt = outreachRuntime();
  await buildWorld(rt);
});
afterAll(async () => {
  await rt.close();
});

const httpGet = (path: string) =>
  cloudbaseMain(outreachFunction, () => ({
    store: rt.store,
    config: rt.config,
    files: rt.files,
    callerId: () => null,
  }))({
    httpMethod: 'GET',
    path,
    headers: {},
    queryStringParameters: {},
    body: '',
    isBase64Encoded: false,
  }) as Promise<HttpResult>;

it('answers a sign-in link opened outside WeChat with how to sign in, and no secret leaks', async () => {
  const { session } = await rt.outOk<{ session: SessionView }>(
    'createSession',
    {
      title: '承诺达标合格证监管培训',
      audience: 'supervisors',
      startsAt: '2026-12-01T09:00+08:00',
      endsAt: '2026-12-01T11:00+08:00',
      place: '区农业农村局三楼会议室',
    },
    'admin',
  );
  const { code, url } = await rt.outOk<{ code: string; url: string }>(
    'signInCode',
    { sessionId: session.sessionId },
    'admin',
  );
  const res = await httpGet(new URL(url).pathname);
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain('请用微信扫码签到');
  expect(res.body).toContain('扫一扫');
  expect(res.body).not.toContain(code);
  expect(res.body).not.toContain('<script');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['referrer-policy']).toBe('no-referrer');

  for (const bad of ['/t/not-a-code', `/t/${code.slice(0, -1)}`, `/t/${code}/extra`]) {
    const refused = await httpGet(bad);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain('请用微信扫码签到');
  }
});

it('still serves the posters beside it at /p/', async () => {
  const missing = await httpGet(`/p/pub_${'1'.repeat(24)}`);
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['content-security-policy']).toContain("img-src 'self' https:");
});
