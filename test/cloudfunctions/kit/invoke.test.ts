import * as z from 'zod/mini';
import { action, cloudFunction } from '../../../cloudfunctions/kit/action';
import { StoreUnavailableError } from '../../../cloudfunctions/kit/store/port';
import { AppError } from '../../../src/domain/errors';
import type { User } from '../../../src/domain/role';
import { testRuntime, type TestRuntime } from '../../helpers/runtime';

const probe = cloudFunction('probe', {
  open: action({
    input: z.object({ n: z.int().check(z.gte(1, { error: 'n 至少为 1' })) }),
    roles: 'public',
    run: async (input) => ({ doubled: input.n * 2 }),
  }),
  mineOnly: action({
    input: z.object({ n: z.number() }),
    roles: 'signedIn',
    run: async (_input, ctx) => ({ who: ctx.caller?.userId }),
  }),
  adminOnly: action({
    input: z.object({ n: z.number() }),
    roles: ['admin'],
    run: async () => 'secret',
  }),
  fails: action({
    input: z.object({}),
    roles: 'public',
    run: async () => {
      throw new TypeError('boom');
    },
  }),
  storage: action({
    input: z.object({ reason: z.optional(z.enum(['full', 'readonly', 'busy'])) }),
    roles: 'public',
    run: async (input) => {
      throw new StoreUnavailableError('disk trouble', input.reason ? { reason: input.reason } : {});
    },
  }),
  refuses: action({
    input: z.object({}),
    roles: 'public',
    run: async () => {
      throw new AppError('CONFLICT', '已存在');
    },
  }),
});

let rt: TestRuntime;
beforeEach(() => {
  rt = testRuntime();
});
afterEach(() => rt.close());

describe('the envelope', () => {
  it('answers ok with the data', async () => {
    expect(await rt.call(probe, 'open', { n: 2 })).toEqual({ ok: true, data: { doubled: 4 } });
  });

  it('answers INVALID_INPUT with field paths and the schema message', async () => {
    const res = await rt.call(probe, 'open', { n: 0 });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { n: ['n 至少为 1'] } },
    });
    if (!res.ok) expect(res.error.requestId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives zod messages in Chinese where the schema has none', async () => {
    const res = await rt.call(probe, 'open', { n: 'x' });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.fields?.n?.[0]).toMatch(/[\u4e00-\u9fa5]/);
  });

  it.each([
    null,
    'text',
    42,
    [],
    {},
    { action: '' },
    { action: 'nope' },
    { action: '__proto__' },
    { action: 'constructor' },
    { action: 'toString' },
  ])('refuses a malformed event %p as INVALID_INPUT', async (event) => {
    const { invoke } = await import('../../../cloudfunctions/kit/invoke');
    const res = await invoke(probe, event, { store: rt.store, callerId: null, config: rt.config });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('turns an unexpected error into INTERNAL with a request id, and logs the cause', async () => {
    const res = await rt.call(probe, 'fails', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!res.ok) expect(res.error.message).toContain(res.error.requestId);
    expect(rt.errors).toHaveLength(1);
    expect(String(rt.errors[0])).toContain('boom');
  });

  it.each([
    ['full', '存储空间已满，本次操作未保存'],
    ['readonly', '数据库当前只读，本次操作未保存'],
    ['busy', '数据库繁忙，本次操作未保存'],
    [undefined, '数据服务暂时不可用，本次操作未保存'],
  ])('answers a database that refused (%s) with UNAVAILABLE and says why', async (reason, says) => {
    const res = await rt.call(probe, 'storage', reason ? { reason } : {});
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: expect.stringContaining(says) },
    });
    expect(rt.errors).toHaveLength(1);
  });

  it('passes an AppError through with its code and message', async () => {
    expect(await rt.call(probe, 'refuses', {})).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: '已存在' },
    });
  });
});

describe('access', () => {
  it('refuses anonymous callers of a signed-in action before looking at the input', async () => {
    expect(await rt.call(probe, 'mineOnly', { n: 'garbage' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('lets any signed-in identity call a signed-in action, even one never seen before', async () => {
    expect(await rt.ok(probe, 'mineOnly', { n: 1 }, 'wx-new')).toEqual({ who: 'wx-new' });
  });

  it('refuses a caller without the role', async () => {
    expect(await rt.call(probe, 'adminOnly', { n: 1 }, 'wx-new')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('admits a caller holding the role', async () => {
    await rt.store.collection<User>('users').insert({
      _id: 'boss',
      nickname: '局长',
      roles: ['admin'],
      divisionCode: null,
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(await rt.ok(probe, 'adminOnly', { n: 1 }, 'boss')).toBe('secret');
  });
});
