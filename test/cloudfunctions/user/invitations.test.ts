import { createHash } from 'node:crypto';
import type { AuditEntry } from '../../../cloudfunctions/kit/audit';
import { ConfigError, runtimeConfigFromEnv } from '../../../cloudfunctions/kit/config';
import { cloudbaseMain } from '../../../cloudfunctions/kit/cloudbase-main';
import { invoke } from '../../../cloudfunctions/kit/invoke';
import { createLocalServer } from '../../../cloudfunctions/local/server';
import type { AddressInfo } from 'node:net';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import {
  userFunction,
  type CreatedInvitation,
  type InvitationView,
  type Me,
  type Redeemed,
  type StaffMember,
} from '../../../cloudfunctions/user/actions';
import type { Invitation } from '../../../src/domain/invitation';
import type { Role, User } from '../../../src/domain/role';
import { smallholder, testRuntime, testSigningKey, type TestRuntime } from '../../helpers/runtime';

const xugou = '320703001';
const liandao = '320703003';

let rt: TestRuntime;
beforeEach(async () => {
  rt = testRuntime();
  await addUser('admin-1', ['admin'], null);
  await addUser('sup-xg', ['supervisor'], xugou);
  await addUser('sup-ld', ['supervisor'], liandao);
});
afterEach(() => rt.close());

async function addUser(id: string, roles: Role[], divisionCode: string | null) {
  await rt.store.collection<User>('users').insert({
    _id: id,
    nickname: id,
    roles,
    divisionCode,
    createdAt: '2026-11-01T00:00:00.000Z',
  });
}

const user = (id: string) => rt.store.collection<User>('users').get(id);
const invite = (as: string, input: Record<string, unknown>) =>
  rt.ok<CreatedInvitation>(userFunction, 'invite', input, as);
const redeem = (as: string, code: string) =>
  rt.call<Redeemed>(userFunction, 'redeem', { code }, as);
const auditOf = async (action: string) =>
  (await rt.store.collection<AuditEntry>('audit').find({ action })).sort((a, b) =>
    a.at < b.at ? -1 : 1,
  );

describe('user.invite', () => {
  it('answers a one-time code, its /join/ address and the expiry; stores only a hash', async () => {
    const inv = await invite('admin-1', { role: 'supervisor', divisionCode: xugou, note: '刘某' });
    expect(inv.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(inv.url).toBe(`https://hgz.example.cn/join/${inv.code}`);
    expect(inv.expiresAt).toBe('2026-12-02T02:00:00.000Z'); // 72 hours
    expect(inv).toMatchObject({ role: 'supervisor', divisionName: '墟沟街道' });

    const canonical = inv.code.replace(/-/g, '');
    const stored = await rt.store.collection<Invitation>('invitations').get(inv.id);
    expect(inv.id).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(stored).toMatchObject({ role: 'supervisor', divisionCode: xugou, createdBy: 'admin-1' });
    // Neither the invitation nor its audit entry holds a usable code.
    const everything = JSON.stringify([
      await rt.store.collection('invitations').find(),
      await rt.store.collection('audit').find(),
    ]);
    expect(everything).not.toContain(canonical);
    expect(everything).not.toContain(inv.code);
    expect(await auditOf('user.invite')).toEqual([
      expect.objectContaining({ actorId: 'admin-1', entityId: inv.id }),
    ]);
  });

  it('gives a different code every time and takes a validity of up to 720 hours', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add((await invite('admin-1', { role: 'admin' })).code);
    expect(codes.size).toBe(20);
    const long = await invite('admin-1', { role: 'admin', ttlHours: 720 });
    expect(long.expiresAt).toBe('2026-12-29T02:00:00.000Z');
    const tooLong = await rt.call(
      userFunction,
      'invite',
      { role: 'admin', ttlHours: 721 },
      'admin-1',
    );
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('lets a supervisor invite coordinators of their own division only', async () => {
    const own = await invite('sup-xg', { role: 'coordinator' });
    expect(own).toMatchObject({ role: 'coordinator', divisionCode: xugou });
    for (const input of [
      { role: 'coordinator', divisionCode: liandao },
      { role: 'supervisor', divisionCode: xugou },
      { role: 'enforcement', divisionCode: xugou },
      { role: 'admin' },
    ]) {
      const res = await rt.call(userFunction, 'invite', input, 'sup-xg');
      expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('refuses everyone else, and asks for a division where the role needs one', async () => {
    await addUser('coord-xg', ['coordinator'], xugou);
    await addUser('enf-xg', ['enforcement'], xugou);
    for (const as of ['coord-xg', 'enf-xg', 'wx-stranger']) {
      const res = await rt.call(userFunction, 'invite', { role: 'coordinator' }, as);
      expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const noDivision = await rt.call(userFunction, 'invite', { role: 'supervisor' }, 'admin-1');
    expect(noDivision).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { divisionCode: [expect.any(String)] } },
    });
  });
});

describe('user.redeem', () => {
  it('grants the role and division to a new WeChat user, once', async () => {
    const inv = await invite('sup-xg', { role: 'coordinator', note: '东山村' });
    const res = await rt.ok<Redeemed>(
      userFunction,
      'redeem',
      { code: inv.code, nickname: '张协管' },
      'wx-new',
    );
    expect(res).toMatchObject({
      role: 'coordinator',
      divisionCode: xugou,
      divisionName: '墟沟街道',
    });
    expect(await user('wx-new')).toMatchObject({
      nickname: '张协管',
      roles: ['coordinator'],
      divisionCode: xugou,
    });
    expect(await rt.ok<Me>(userFunction, 'me', {}, 'wx-new')).toMatchObject({
      known: true,
      roles: ['coordinator'],
      divisionCode: xugou,
      divisionName: '墟沟街道',
    });
    expect(await redeem('wx-other', inv.code)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('已被使用') },
    });
    expect(await user('wx-other')).toBeNull();
  });

  it('audits the grant: who invited, who redeemed, before and after', async () => {
    await rt.ok(subjectFunction, 'register', smallholder(), 'wx-farmer');
    const inv = await invite('admin-1', { role: 'enforcement', divisionCode: liandao });
    await rt.ok(userFunction, 'redeem', { code: inv.code }, 'wx-farmer');
    const [grant] = await auditOf('user.grantRole');
    expect(grant).toMatchObject({
      actorId: 'wx-farmer',
      entity: 'users',
      entityId: 'wx-farmer',
      detail: {
        via: 'invitation',
        role: 'enforcement',
        divisionCode: liandao,
        invitationId: inv.id,
        invitedBy: 'admin-1',
        redeemedBy: 'wx-farmer',
        before: { roles: ['producer'], divisionCode: null },
        after: { roles: ['producer', 'enforcement'], divisionCode: liandao },
      },
    });
  });

  it('lets exactly one of several simultaneous redemptions win', async () => {
    const inv = await invite('admin-1', { role: 'supervisor', divisionCode: liandao });
    const racers = ['wx-a', 'wx-b', 'wx-c', 'wx-d', 'wx-e'];
    const results = await Promise.all(racers.map((id) => redeem(id, inv.code)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) {
      expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    }
    const granted = [];
    for (const id of racers) if ((await user(id))?.roles.includes('supervisor')) granted.push(id);
    expect(granted).toHaveLength(1);
    expect(await auditOf('user.grantRole')).toHaveLength(1);
  });

  it('answers NOT_FOUND for an unknown or malformed code, the same way', async () => {
    for (const code of ['ZZZZ-ZZZZ-ZZZZ-ZZZZ', 'hello', '', 'U'.repeat(16)]) {
      expect(await redeem('wx-new', code)).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: '邀请码不正确，请核对后重新输入' },
      });
    }
  });

  it('reads the code as scanned (the address) or as typed (lower case, no dashes)', async () => {
    const a = await invite('admin-1', { role: 'admin' });
    expect((await redeem('wx-a', a.url)).ok).toBe(true);
    const b = await invite('admin-1', { role: 'admin' });
    expect((await redeem('wx-b', b.code.replace(/-/g, '').toLowerCase())).ok).toBe(true);
  });

  it('refuses an expired invitation, by the clock', async () => {
    const inv = await invite('admin-1', { role: 'admin', ttlHours: 1 });
    rt.setNow('2026-11-29T02:59:59.999Z');
    const early = await invite('admin-1', { role: 'admin', ttlHours: 1 });
    rt.setNow('2026-11-29T03:00:00.000Z');
    expect(await redeem('wx-late', inv.code)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('已过期') },
    });
    expect(await user('wx-late')).toBeNull();
    expect((await redeem('wx-late', early.code)).ok).toBe(true);
  });

  it('refuses a withdrawn invitation', async () => {
    const inv = await invite('sup-xg', { role: 'coordinator' });
    await rt.ok(userFunction, 'cancelInvitation', { id: inv.id }, 'sup-xg');
    expect(await redeem('wx-new', inv.code)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('撤销') },
    });
  });

  it('keeps one person to one division, and leaves the invitation usable', async () => {
    await addUser('coord-xg', ['coordinator'], xugou);
    const inv = await invite('sup-ld', { role: 'coordinator' });
    const res = await redeem('coord-xg', inv.code);
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('墟沟街道') },
    });
    expect(!res.ok && res.error.message).toContain('一人只服务一个街道/乡镇');
    expect(await user('coord-xg')).toMatchObject({ roles: ['coordinator'], divisionCode: xugou });
    expect((await redeem('wx-someone', inv.code)).ok).toBe(true);
  });

  it('adds a second role in the same division, and refuses a role already held', async () => {
    await addUser('coord-xg', ['coordinator'], xugou);
    const enf = await invite('admin-1', { role: 'enforcement', divisionCode: xugou });
    expect((await redeem('coord-xg', enf.code)).ok).toBe(true);
    expect(await user('coord-xg')).toMatchObject({
      roles: ['coordinator', 'enforcement'],
      divisionCode: xugou,
    });
    const again = await invite('sup-xg', { role: 'coordinator' });
    expect(await redeem('coord-xg', again.code)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('已经是') },
    });
  });

  it('needs a signed-in caller', async () => {
    const inv = await invite('admin-1', { role: 'admin' });
    expect(await redeem(null as unknown as string, inv.code)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});

describe('user.revokeRole', () => {
  beforeEach(async () => {
    await addUser('coord-xg', ['coordinator'], xugou);
    await addUser('coord-ld', ['coordinator'], liandao);
    await addUser('enf-xg', ['enforcement'], xugou);
  });
  const revoke = (as: string, userId: string, role: string, reason = '调离岗位') =>
    rt.call<StaffMember>(userFunction, 'revokeRole', { userId, role, reason }, as);

  it('lets an admin revoke any staff role, auditing before and after with the reason', async () => {
    const res = await revoke('admin-1', 'enf-xg', 'enforcement', '退休');
    expect(res).toMatchObject({ ok: true, data: { roles: [], divisionCode: null } });
    expect(await user('enf-xg')).toMatchObject({ roles: [], divisionCode: null });
    expect(await auditOf('user.revokeRole')).toEqual([
      expect.objectContaining({
        actorId: 'admin-1',
        entityId: 'enf-xg',
        detail: {
          role: 'enforcement',
          reason: '退休',
          before: { roles: ['enforcement'], divisionCode: xugou },
          after: { roles: [], divisionCode: null },
        },
      }),
    ]);
    expect((await revoke('admin-1', 'sup-ld', 'supervisor')).ok).toBe(true);
  });

  it('lets a supervisor revoke coordinators of their own division only', async () => {
    expect((await revoke('sup-xg', 'coord-xg', 'coordinator')).ok).toBe(true);
    expect(await revoke('sup-xg', 'coord-ld', 'coordinator')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('辖区') },
    });
    expect(await revoke('sup-xg', 'enf-xg', 'enforcement')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await revoke('sup-xg', 'sup-xg', 'supervisor')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await user('coord-ld')).toMatchObject({ roles: ['coordinator'] });
  });

  it('keeps the division while another division-scoped role remains', async () => {
    await addUser('both', ['coordinator', 'enforcement'], xugou);
    expect((await revoke('admin-1', 'both', 'coordinator')).ok).toBe(true);
    expect(await user('both')).toMatchObject({ roles: ['enforcement'], divisionCode: xugou });
  });

  it('refuses producer and buyer roles, unknown users and roles not held', async () => {
    expect(await revoke('admin-1', 'coord-xg', 'producer')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { role: [expect.any(String)] } },
    });
    expect(await revoke('admin-1', 'wx-nobody', 'coordinator')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await revoke('admin-1', 'coord-xg', 'supervisor')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(
      await rt.call(
        userFunction,
        'revokeRole',
        { userId: 'coord-xg', role: 'coordinator' },
        'admin-1',
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { reason: [expect.any(String)] } },
    });
  });

  it('never leaves the district without an admin', async () => {
    expect(await revoke('admin-1', 'admin-1', 'admin')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('最后一位管理员') },
    });
    expect(await user('admin-1')).toMatchObject({ roles: ['admin'] });

    const inv = await invite('admin-1', { role: 'admin' });
    expect((await redeem('admin-2', inv.code)).ok).toBe(true);
    expect((await revoke('admin-1', 'admin-1', 'admin')).ok).toBe(true);
    expect(await revoke('admin-2', 'admin-2', 'admin')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    // The one who stepped down is no longer an admin.
    expect(await revoke('admin-1', 'admin-2', 'admin')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('bootstrap admin (ADMIN_OPENIDS)', () => {
  it('makes a configured openid admin on its first call, once, audited as bootstrap', async () => {
    rt.config.bootstrapAdmins = ['wx-boss'];
    expect(await rt.ok<Me>(userFunction, 'me', {}, 'wx-boss')).toMatchObject({
      known: true,
      roles: ['admin'],
    });
    await rt.ok(userFunction, 'me', {}, 'wx-boss');
    const grants = await auditOf('user.grantRole');
    expect(grants).toEqual([
      expect.objectContaining({
        actorId: 'wx-boss',
        entityId: 'wx-boss',
        detail: expect.objectContaining({ via: 'bootstrap', role: 'admin', before: null }),
      }),
    ]);
    // Others are untouched, and the new admin can act at once.
    expect((await rt.ok<Me>(userFunction, 'me', {}, 'wx-other')).roles).toEqual([]);
    expect((await invite('wx-boss', { role: 'admin' })).code).toBeTruthy();
  });

  it('adds admin to an existing user, and cannot be revoked while configured', async () => {
    await addUser('wx-boss', ['coordinator'], xugou);
    rt.config.bootstrapAdmins = ['wx-boss'];
    await rt.ok(userFunction, 'staff', {}, 'wx-boss');
    expect(await user('wx-boss')).toMatchObject({
      roles: ['coordinator', 'admin'],
      divisionCode: xugou,
    });
    const res = await rt.call(
      userFunction,
      'revokeRole',
      { userId: 'wx-boss', role: 'admin', reason: '测试' },
      'admin-1',
    );
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('ADMIN_OPENIDS') },
    });
  });

  it('is taken from invoke deps too, which win over the configuration', async () => {
    const res = await invoke(
      userFunction,
      { action: 'me', input: {} },
      {
        store: rt.store,
        callerId: 'wx-deps',
        config: rt.config,
        bootstrapAdmins: ['wx-deps'],
      },
    );
    expect(res).toMatchObject({ ok: true, data: { roles: ['admin'] } });
  });

  it('works on CloudBase, with the openid the platform vouches for', async () => {
    const main = cloudbaseMain(userFunction, () => ({
      store: rt.store,
      config: { ...rt.config, bootstrapAdmins: ['oCloudBoss'] },
      callerId: () => 'oCloudBoss',
    }));
    expect(await main({ action: 'me', input: {} })).toMatchObject({
      ok: true,
      data: { roles: ['admin'] },
    });
  });

  it('works on the local runtime, over HTTP', async () => {
    await addUser('demo-boss', [], null);
    const server = createLocalServer({
      store: rt.store,
      config: { ...rt.config, bootstrapAdmins: ['demo-boss'] },
      staticDir: null,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // The dev login signs in seeded demo users only; a session stands in for it here.
      const token = 'local-bootstrap-token';
      await rt.store.collection('sessions').insert({
        _id: createHash('sha256').update(token).digest('hex'),
        userId: 'demo-boss',
        createdAt: '2026-11-29T00:00:00.000Z',
        expiresAt: '2099-01-01T00:00:00.000Z',
      } as { _id: string });
      const res = await fetch(`${base}/api/user`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ action: 'me', input: {} }),
      });
      expect(await res.json()).toMatchObject({ ok: true, data: { roles: ['admin'] } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('is read from ADMIN_OPENIDS, comma-separated', () => {
    const env = {
      PUBLIC_BASE_URL: 'https://hgz.example.cn',
      IDENTITY_SECRET: 'x'.repeat(32),
      SIGNING_KEY: testSigningKey,
    };
    expect(runtimeConfigFromEnv(env).bootstrapAdmins).toBeUndefined();
    expect(
      runtimeConfigFromEnv({ ...env, ADMIN_OPENIDS: ' oAbc_123-xyz , oDef456,, oAbc_123-xyz ' })
        .bootstrapAdmins,
    ).toEqual(['oAbc_123-xyz', 'oDef456']);
    expect(() => runtimeConfigFromEnv({ ...env, ADMIN_OPENIDS: 'oAbc;oDef' })).toThrow(ConfigError);
  });
});

describe('user.staff', () => {
  beforeEach(async () => {
    await addUser('coord-xg', ['coordinator'], xugou);
    await addUser('coord-ld', ['coordinator'], liandao);
    await addUser('enf-district', ['enforcement'], '320703');
    await rt.ok(subjectFunction, 'register', smallholder(), 'wx-farmer');
  });
  const staff = (as: string, input: Record<string, unknown> = {}) =>
    rt.call<StaffMember[]>(userFunction, 'staff', input, as);
  const ids = (res: Awaited<ReturnType<typeof staff>>) =>
    res.ok ? res.data.map((s) => s.userId) : res;

  it('shows an admin every staff member and no producers, by division', async () => {
    const res = await staff('admin-1');
    expect(ids(res)).toEqual([
      'admin-1',
      'enf-district',
      'sup-xg',
      'coord-xg',
      'sup-ld',
      'coord-ld',
    ]);
    expect(res.ok && res.data[2]).toEqual({
      userId: 'sup-xg',
      nickname: 'sup-xg',
      roles: ['supervisor'],
      roleLabels: ['街道/乡镇监管员'],
      divisionCode: xugou,
      divisionName: '墟沟街道',
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    expect(ids(await staff('admin-1', { divisionCode: liandao }))).toEqual(['sup-ld', 'coord-ld']);
    expect(ids(await staff('admin-1', { role: 'coordinator' }))).toEqual(['coord-xg', 'coord-ld']);
  });

  it('shows a supervisor their own division only', async () => {
    expect(ids(await staff('sup-xg'))).toEqual(['sup-xg', 'coord-xg']);
    expect(await staff('sup-xg', { divisionCode: liandao })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await staff('sup-xg', { divisionCode: '320703999' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});

describe('user.invitations and user.cancelInvitation', () => {
  it('lists with derived status: pending, used, expired, revoked', async () => {
    const used = await invite('sup-xg', { role: 'coordinator', note: 'used' });
    const cancelled = await invite('sup-xg', { role: 'coordinator', note: 'cancelled' });
    const short = await invite('sup-xg', { role: 'coordinator', note: 'expired', ttlHours: 1 });
    const pending = await invite('sup-xg', { role: 'coordinator', note: 'pending' });
    await invite('admin-1', { role: 'admin', note: 'admin' });
    await redeem('wx-new', used.code);
    await rt.ok(userFunction, 'cancelInvitation', { id: cancelled.id }, 'sup-xg');
    rt.setNow('2026-11-29T04:00:00.000Z');

    const mine = await rt.ok<InvitationView[]>(userFunction, 'invitations', {}, 'sup-xg');
    const byNote = Object.fromEntries(mine.map((i) => [i.note, i]));
    expect(Object.keys(byNote).sort()).toEqual(['cancelled', 'expired', 'pending', 'used']);
    expect(byNote.used).toMatchObject({
      id: used.id,
      status: 'used',
      statusLabel: '已使用',
      usedBy: 'wx-new',
    });
    expect(byNote.cancelled).toMatchObject({ id: cancelled.id, status: 'revoked' });
    expect(byNote.expired).toMatchObject({ id: short.id, status: 'expired' });
    expect(byNote.pending).toMatchObject({
      id: pending.id,
      status: 'pending',
      role: 'coordinator',
      roleLabel: '村级协管员',
      divisionName: '墟沟街道',
      createdByName: 'sup-xg',
    });
    expect(JSON.stringify(mine)).not.toContain(pending.code);

    const onlyPending = await rt.ok<InvitationView[]>(
      userFunction,
      'invitations',
      { status: 'pending' },
      'sup-xg',
    );
    expect(onlyPending.map((i) => i.id)).toEqual([pending.id]);
    expect(await rt.ok<InvitationView[]>(userFunction, 'invitations', {}, 'sup-ld')).toEqual([]);
    expect(await rt.ok<InvitationView[]>(userFunction, 'invitations', {}, 'admin-1')).toHaveLength(
      5,
    );
  });

  it('withdraws a pending invitation (creator or admin), audited; not a used one', async () => {
    const a = await invite('sup-xg', { role: 'coordinator' });
    expect(await rt.call(userFunction, 'cancelInvitation', { id: a.id }, 'sup-ld')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const done = await rt.ok<InvitationView>(
      userFunction,
      'cancelInvitation',
      { id: a.id },
      'admin-1',
    );
    expect(done).toMatchObject({ status: 'revoked', revokedAt: '2026-11-29T02:00:00.000Z' });
    // Again: nothing more happens.
    await rt.ok(userFunction, 'cancelInvitation', { id: a.id }, 'sup-xg');
    expect(await auditOf('user.cancelInvitation')).toEqual([
      expect.objectContaining({ actorId: 'admin-1', entityId: a.id }),
    ]);

    const b = await invite('sup-xg', { role: 'coordinator' });
    await redeem('wx-new', b.code);
    expect(await rt.call(userFunction, 'cancelInvitation', { id: b.id }, 'sup-xg')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });
});
