/**
 * The user function as CloudBase's HTTP access service calls it: `/join/<code>` — a staff
 * invitation opened with a phone camera, outside WeChat — is a page that says to scan it with
 * WeChat (CloudBase hosts no H5 app to take it with), the same for a real code as for a made-up
 * one, so that trying codes there learns nothing.
 */
import { cloudbaseMain, type HttpResult } from '../../../cloudfunctions/kit/cloudbase-main';
import { userFunction, type CreatedInvitation } from '../../../cloudfunctions/user/actions';
import type { User } from '../../../src/domain/role';
import { testRuntime, type TestRuntime } from '../../helpers/runtime';

let rt: TestRuntime;
beforeEach(async () => {
  rt = testRuntime();
  await rt.store.collection<User>('users').insert({
    _id: 'admin-1',
    nickname: 'admin-1',
    roles: ['admin'],
    divisionCode: null,
    createdAt: '2026-11-01T00:00:00.000Z',
  });
});
afterEach(() => rt.close());

const http = (path: string, httpMethod = 'GET') =>
  cloudbaseMain(userFunction, () => ({ store: rt.store, config: rt.config, callerId: () => null }))(
    {
      httpMethod,
      path,
      headers: {},
      queryStringParameters: {},
      body: '',
      isBase64Encoded: false,
    },
  ) as Promise<HttpResult>;

it('answers an invitation opened outside WeChat with how to take it, revealing nothing', async () => {
  const inv = await rt.ok<CreatedInvitation>(
    userFunction,
    'invite',
    { role: 'supervisor', divisionCode: '320703001', note: '刘某' },
    'admin-1',
  );
  const real = await http(new URL(inv.url).pathname);
  expect(real.statusCode).toBe(200);
  expect(real.body).toContain('请用微信扫码领取邀请');
  expect(real.body).toContain('扫一扫');
  expect(real.body).not.toContain('<script');
  for (const secret of [inv.code, inv.code.replace(/-/g, ''), '刘某', '墟沟', inv.roleLabel]) {
    expect(real.body).not.toContain(secret);
  }
  expect(real.headers['cache-control']).toBe('no-store');
  expect(real.headers['referrer-policy']).toBe('no-referrer');
  expect(real.headers['content-security-policy']).toContain("script-src 'none'");

  // A made-up code of the same shape, and the real one as typed (lower case, no dashes): the same
  // status, headers and bytes, so whether a code exists cannot be told from here.
  for (const other of [
    '/join/ZZZZ-ZZZZ-ZZZZ-ZZZZ',
    `/join/${inv.code.replace(/-/g, '').toLowerCase()}`,
  ]) {
    const res = await http(other);
    expect({ status: res.statusCode, headers: res.headers, body: res.body }).toEqual({
      status: real.statusCode,
      headers: real.headers,
      body: real.body,
    });
  }
  // Nor once it is used: the page never looks the code up.
  await rt.store.collection<User>('users').insert({
    _id: 'new-sup',
    nickname: '刘某',
    roles: [],
    divisionCode: null,
    createdAt: '2026-11-01T00:00:00.000Z',
  });
  await rt.ok(userFunction, 'redeem', { code: inv.code }, 'new-sup');
  expect((await http(new URL(inv.url).pathname)).body).toBe(real.body);
});

it('answers a malformed link with not found, and other methods with 405', async () => {
  for (const bad of ['/join/ABCD', '/join/not-a-code-at-all', '/join/%E0%A4%A', '/join/x/extra']) {
    const res = await http(bad);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('请用微信扫码领取邀请');
    expect(res.headers['cache-control']).toBe('no-store');
  }
  const posted = await http('/join/ZZZZ-ZZZZ-ZZZZ-ZZZZ', 'POST');
  expect(posted.statusCode).toBe(405);
});

it('still answers its actions through callFunction beside the page', async () => {
  const main = cloudbaseMain(userFunction, () => ({
    store: rt.store,
    config: rt.config,
    callerId: () => 'admin-1',
  }));
  expect(await main({ action: 'me', input: {} })).toMatchObject({
    ok: true,
    data: { roles: ['admin'] },
  });
});
