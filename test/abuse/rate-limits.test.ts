/**
 * Code-guessing surfaces — redeeming a staff invitation, signing in to a training, opening
 * /join/<code> — are rate limited per user and per address (policy: src/domain/rate-limit.ts),
 * and their answers tell a guesser nothing about which codes exist.
 */
import { outreachFunction } from '../../cloudfunctions/outreach/actions';
import { invoke } from '../../cloudfunctions/kit/invoke';
import { userFunction, type CreatedInvitation } from '../../cloudfunctions/user/actions';
import {
  codeEntryAddressRateLimit,
  codeEntryRateLimit,
  type RateLimitPolicy,
} from '../../src/domain/rate-limit';
import type { Envelope } from '../../src/domain/errors';
import type { Invitation } from '../../src/domain/invitation';
import type { User } from '../../src/domain/role';
import { testRuntime, type TestRuntime } from '../helpers/runtime';
import { rawRequest, startServer } from './server';

let rt: TestRuntime;

beforeEach(async () => {
  rt = testRuntime();
  await rt.store.collection<User>('users').insert({
    _id: 'rl-admin',
    nickname: '管理员',
    roles: ['admin'],
    divisionCode: null,
    createdAt: '2026-11-01T00:00:00.000Z',
  });
});
afterEach(async () => {
  expect(rt.errors).toEqual([]);
  await rt.close();
});

/** A call from a client address, as the HTTP runtimes make it. */
function callFrom(
  ip: string,
  fn: typeof userFunction | typeof outreachFunction,
  action: string,
  input: unknown,
  as: string,
) {
  return invoke(
    fn,
    { action, input },
    {
      store: rt.store,
      callerId: as,
      config: rt.config,
      now: () => new Date(nowIso),
      client: { ip, userAgent: null },
      logError: (_m, c) => rt.errors.push(c),
    },
  );
}
let nowIso = '2026-11-29T02:00:00.000Z';
function setNow(iso: string) {
  nowIso = iso;
  rt.setNow(iso);
}
beforeEach(() => setNow('2026-11-29T02:00:00.000Z'));

/** What a guesser can compare between two answers: status-like code, message, shape. */
function visible(res: Envelope<unknown>) {
  if (res.ok) return { ok: true };
  const { requestId: _r, ...rest } = res.error;
  return { ok: false, ...rest, keys: Object.keys(res.error).sort() };
}

const wrongCode = (i: number) => `ZZZZ-ZZZZ-ZZZZ-${String(i).padStart(4, '0')}`;

async function invitation(): Promise<CreatedInvitation> {
  return rt.ok<CreatedInvitation>(
    userFunction,
    'invite',
    { role: 'enforcement', divisionCode: '320703001' },
    'rl-admin',
  );
}

describe('user.redeem', () => {
  it('is limited per user before the lookup: a right code then answers exactly as a wrong one', async () => {
    const inv = await invitation();
    const policy: RateLimitPolicy = codeEntryRateLimit;
    for (let i = 0; i < policy.burst; i++) {
      const miss = await rt.call(userFunction, 'redeem', { code: wrongCode(i) }, 'guesser');
      expect(!miss.ok && miss.error.code).toBe('NOT_FOUND');
    }
    const limitedMiss = await rt.call(userFunction, 'redeem', { code: wrongCode(99) }, 'guesser');
    const limitedHit = await rt.call(userFunction, 'redeem', { code: inv.code }, 'guesser');
    expect(visible(limitedMiss)).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(visible(limitedHit)).toEqual(visible(limitedMiss));
    // The right code was not used up by the refused call.
    const stored = await rt.store.collection<Invitation>('invitations').find();
    expect(stored.map((i) => i.usedBy ?? null)).toEqual([null]);

    // Someone else is not held back by the guesser.
    const other = await rt.call(userFunction, 'redeem', { code: wrongCode(1) }, 'someone-else');
    expect(!other.ok && other.error.code).toBe('NOT_FOUND');

    // A minute on, the guesser has a few tries again (perMinute), and the right code works.
    setNow('2026-11-29T02:01:00.000Z');
    const redeemed = await rt.call(
      userFunction,
      'redeem',
      { code: inv.code, nickname: '赵执法' },
      'guesser',
    );
    expect(redeemed.ok).toBe(true);
  });

  it('answers a malformed code, an unknown code and a code of another form alike', async () => {
    const answers = [];
    for (const code of [
      'ZZZZ-ZZZZ-ZZZZ-ZZZZ',
      'hello',
      'https://hgz.example.cn/join/ABCD',
      '<script>',
    ]) {
      answers.push(visible(await rt.call(userFunction, 'redeem', { code }, `u-${code.length}`)));
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is limited per address too: many accounts from one machine meet the wall', async () => {
    const policy = codeEntryAddressRateLimit;
    let limited = 0;
    for (let i = 0; i <= policy.burst; i++) {
      const res = await callFrom(
        '203.0.113.9',
        userFunction,
        'redeem',
        { code: wrongCode(i) },
        `acct-${i}`,
      );
      if (!res.ok && res.error.code === 'RATE_LIMITED') limited++;
    }
    expect(limited).toBe(1);
    // Another address is not affected.
    const elsewhere = await callFrom(
      '198.51.100.1',
      userFunction,
      'redeem',
      { code: wrongCode(0) },
      'acct-x',
    );
    expect(!elsewhere.ok && elsewhere.error.code).toBe('NOT_FOUND');
  });
});

describe('outreach.signIn', () => {
  async function session(): Promise<{ sessionId: string; code: string }> {
    const created = await rt.ok<{ session: { sessionId: string } }>(
      outreachFunction,
      'createSession',
      {
        title: '承诺达标合格证培训',
        audience: 'supervisors',
        startsAt: '2026-11-29T09:00+08:00',
        endsAt: '2026-11-29T12:00+08:00',
        place: '区农业农村局三楼会议室',
      },
      'rl-admin',
    );
    const { code } = await rt.ok<{ code: string }>(
      outreachFunction,
      'signInCode',
      { sessionId: created.session.sessionId },
      'rl-admin',
    );
    return { sessionId: created.session.sessionId, code };
  }

  it('answers an unknown session and a wrong token alike, and a right code as a wrong one once limited', async () => {
    const { sessionId, code } = await session();
    const token = code.slice(code.indexOf('.') + 1);
    const wrongToken = `${sessionId}.${token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
    const noSession = `trn_${'0'.repeat(24)}.${token}`;
    const a = visible(await rt.call(outreachFunction, 'signIn', { code: wrongToken }, 'g1'));
    const b = visible(await rt.call(outreachFunction, 'signIn', { code: noSession }, 'g2'));
    expect(a).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(b).toEqual(a);

    for (let i = 1; i < codeEntryRateLimit.burst; i++) {
      await rt.call(outreachFunction, 'signIn', { code: wrongToken }, 'g1');
    }
    const limitedMiss = visible(
      await rt.call(outreachFunction, 'signIn', { code: wrongToken }, 'g1'),
    );
    const limitedHit = visible(await rt.call(outreachFunction, 'signIn', { code }, 'g1'));
    expect(limitedMiss).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(limitedHit).toEqual(limitedMiss);
    expect(await rt.store.collection('trainingAttendance').count()).toBe(0);
  });

  it('lets a whole training room sign in at once over one address', async () => {
    const { code } = await session();
    for (let i = 0; i < 60; i++) {
      await rt.store.collection<User>('users').insert({
        _id: `att-${i}`,
        nickname: `学员${i}`,
        roles: ['supervisor'],
        divisionCode: '320703001',
        createdAt: '2026-11-01T00:00:00.000Z',
      });
      const res = await callFrom('10.0.0.1', outreachFunction, 'signIn', { code }, `att-${i}`);
      expect(res.ok).toBe(true);
    }
  });

  it('one account hammering from the venue Wi-Fi does not lock the room out', async () => {
    const { sessionId, code } = await session();
    const token = code.slice(code.indexOf('.') + 1);
    const wrongToken = `${sessionId}.${token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
    // Far past what the address allows: the account's own limit refuses all but its first few.
    for (let i = 0; i < 2 * codeEntryAddressRateLimit.burst; i++) {
      await callFrom('10.0.0.1', outreachFunction, 'signIn', { code: wrongToken }, 'hammer');
    }
    const hammered = await callFrom('10.0.0.1', outreachFunction, 'signIn', { code }, 'hammer');
    expect(!hammered.ok && hammered.error.code).toBe('RATE_LIMITED');
    for (let i = 0; i < 60; i++) {
      await rt.store.collection<User>('users').insert({
        _id: `att-${i}`,
        nickname: `学员${i}`,
        roles: ['supervisor'],
        divisionCode: '320703001',
        createdAt: '2026-11-01T00:00:00.000Z',
      });
      const res = await callFrom('10.0.0.1', outreachFunction, 'signIn', { code }, `att-${i}`);
      expect(res.ok).toBe(true);
    }
  });
});

describe('over HTTP', () => {
  it('/join/<code> answers a real code and a made-up one identically', async () => {
    const srv = await startServer();
    try {
      const admin = await srv.signIn('http-admin', ['admin']);
      const inv = await srv.api('user', { action: 'invite', input: { role: 'admin' } }, admin);
      const real = await rawRequest(srv.port, {
        method: 'GET',
        path: `/join/${inv.body.data.code}`,
      });
      const fake = await rawRequest(srv.port, { method: 'GET', path: '/join/ZZZZ-ZZZZ-ZZZZ-ZZZZ' });
      const strip = (r: typeof real) => ({
        status: r.status,
        headers: Object.keys(r.headers)
          .filter((h) => h !== 'date')
          .sort(),
        location: String(r.headers.location).replace(/code=[^&]*/, 'code=…'),
        body: r.body,
      });
      expect(strip(real)).toEqual(strip(fake));
      expect(real.status).toBe(302);
    } finally {
      await srv.close();
    }
  });

  it('user.redeem: once limited, 429 with the same body for a real and a made-up code', async () => {
    const srv = await startServer();
    try {
      const admin = await srv.signIn('http-admin', ['admin']);
      const guesser = await srv.signIn('http-guesser');
      const inv = await srv.api('user', { action: 'invite', input: { role: 'admin' } }, admin);
      for (let i = 0; i < codeEntryRateLimit.burst; i++) {
        const miss = await srv.api(
          'user',
          { action: 'redeem', input: { code: wrongCode(i) } },
          guesser,
        );
        expect(miss.status).toBe(404);
      }
      const miss = await srv.api(
        'user',
        { action: 'redeem', input: { code: wrongCode(50) } },
        guesser,
      );
      const hit = await srv.api(
        'user',
        { action: 'redeem', input: { code: inv.body.data.code } },
        guesser,
      );
      expect(miss.status).toBe(429);
      expect(hit.status).toBe(429);
      const shape = (b: any) => ({
        ...b,
        error: { ...b.error, requestId: typeof b.error.requestId },
      });
      expect(shape(hit.body)).toEqual(shape(miss.body));
    } finally {
      await srv.close();
    }
  });
});
