import {
  paperFunction,
  type FormRangeView,
  type RegisteredPaperForm,
} from '../../../cloudfunctions/paper/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { renderVerifyPage } from '../../../cloudfunctions/verify/page';
import { verifyFunction, type VerifyResult } from '../../../cloudfunctions/verify/actions';
import type { CollectionName } from '../../../cloudfunctions/kit/store/port';
import type { Role, User } from '../../../src/domain/role';
import type { Subject } from '../../../src/domain/subject';
import { smallholder, testRuntime, validIdNumber, type TestRuntime } from '../../helpers/runtime';

const xugou = '320703001';
const liandao = '320703003';

let rt: TestRuntime;
/** 王建国 in 墟沟, operated by wx-1. */
let subject: Subject;
/** Another producer's subject, also in 墟沟, operated by wx-2. */
let neighbour: Subject;

async function addStaff(id: string, roles: Role[], divisionCode: string | null) {
  await rt.store.collection<User>('users').insert({
    _id: id,
    nickname: id,
    roles,
    divisionCode,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
}

beforeEach(async () => {
  rt = testRuntime(); // 2026-11-29 10:00 in China
  subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  neighbour = await rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({ name: '李秀英', identityNumber: validIdNumber('19650704', '246') }),
    'wx-2',
  );
  await addStaff('sup-xg', ['supervisor'], xugou);
  await addStaff('sup-ld', ['supervisor'], liandao);
  await addStaff('coord-ld', ['coordinator'], liandao);
  await addStaff('admin-1', ['admin'], null);
});
afterEach(() => rt.close());

const stored: CollectionName[] = [
  'formRanges',
  'paperSerials',
  'certificates',
  'counters',
  'audit',
];
async function counts() {
  const out: Record<string, number> = {};
  for (const name of stored) out[name] = await rt.store.collection(name).count();
  return out;
}

function allocate(input: Record<string, unknown>, as: string | null = 'sup-xg') {
  return rt.call<FormRangeView>(
    paperFunction,
    'allocate',
    { subjectId: subject._id, ...input },
    as,
  );
}

function form(overrides: Record<string, unknown> = {}) {
  return {
    subjectId: subject._id,
    serial: 'XG2026-000123',
    productName: '青菜',
    quantity: { value: '30', unit: 'kg' },
    origin: '连云区墟沟街道东山村',
    issueDate: '2026-11-29',
    basis: ['quality_control'],
    ...overrides,
  };
}

function register(overrides: Record<string, unknown> = {}, as: string | null = 'wx-1') {
  return rt.call<RegisteredPaperForm>(paperFunction, 'register', form(overrides), as);
}

/** Allocates XG2026-000001..000500 to 王建国 on 2026-11-01. */
async function allocateFirstRange(): Promise<FormRangeView> {
  rt.setNow('2026-11-01T02:00:00.000Z');
  const range = await rt.ok<FormRangeView>(
    paperFunction,
    'allocate',
    { subjectId: subject._id, from: 1, to: 500 },
    'sup-xg',
  );
  rt.setNow('2026-11-29T02:00:00.000Z');
  return range;
}

describe('paper.allocate', () => {
  it('allocates a range of the division’s forms, this year by default, and audits it', async () => {
    const res = await allocate({ from: 1, to: 500 });
    expect(res).toEqual({
      ok: true,
      data: expect.objectContaining({
        prefix: 'XG',
        year: 2026,
        from: 1,
        to: 500,
        firstSerial: 'XG2026-000001',
        lastSerial: 'XG2026-000500',
        label: 'XG2026-000001 至 XG2026-000500',
        subjectId: subject._id,
        subjectName: '王建国',
        divisionName: '墟沟街道',
        allocatedOn: '2026-11-29',
        total: 500,
        used: 0,
        voided: 0,
        free: 500,
        voids: [],
      }),
    });
    const audit = await rt.store.collection('audit').find({ action: 'paper.allocate' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: 'sup-xg', entity: 'formRanges' });
  });

  it('lets the admin allocate the district’s own forms to any subject, and next year’s', async () => {
    const res = await allocate({ prefix: 'lyq', year: 2027, from: 1, to: 5000 }, 'admin-1');
    expect(res.ok && res.data).toMatchObject({ prefix: 'LYQ', year: 2027, total: 5000 });
  });

  it('refuses a range that overlaps one already allocated, naming it, and stores nothing', async () => {
    await rt.ok(paperFunction, 'allocate', { subjectId: subject._id, from: 1, to: 500 }, 'sup-xg');
    const before = await counts();
    const res = await rt.call(
      paperFunction,
      'allocate',
      { subjectId: neighbour._id, from: 500, to: 600 },
      'admin-1',
    );
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: '与已分配的号段 XG2026-000001 至 XG2026-000500 重叠' },
    });
    expect(await counts()).toEqual(before);
    // The next number on is free; another year or prefix is another series.
    await rt.ok(
      paperFunction,
      'allocate',
      { subjectId: neighbour._id, from: 501, to: 600 },
      'sup-xg',
    );
    await rt.ok(
      paperFunction,
      'allocate',
      { subjectId: neighbour._id, year: 2027, from: 1, to: 500 },
      'sup-xg',
    );
    await rt.ok(
      paperFunction,
      'allocate',
      { subjectId: neighbour._id, prefix: 'LYQ', from: 1, to: 500 },
      'admin-1',
    );
  });

  it('lets only one of two concurrent overlapping allocations succeed', async () => {
    const results = await Promise.all([
      allocate({ from: 1, to: 300 }),
      rt.call(
        paperFunction,
        'allocate',
        { subjectId: neighbour._id, from: 200, to: 400 },
        'admin-1',
      ),
      allocate({ from: 300, to: 300 }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'CONFLICT')).toHaveLength(2);
    expect(await rt.store.collection('formRanges').count()).toBe(1);
  });

  it('refuses forms of another office for a subject outside its area', async () => {
    const before = await counts();
    const res = await allocate({ prefix: 'LD', from: 1, to: 10 }, 'admin-1');
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!res.ok && res.error.fields?.prefix?.[0]).toMatch(/由连岛街道印制/);
    const unknown = await allocate({ prefix: 'QQ', from: 1, to: 10 }, 'admin-1');
    expect(!unknown.ok && unknown.error.fields).toHaveProperty('prefix');
    expect(await counts()).toEqual(before);
  });

  it.each([
    [{ from: 10, to: 9 }, 'to'],
    [{ from: 1, to: 5001 }, 'to'],
    [{ from: 0, to: 10 }, 'from'],
    [{ from: '1', to: 10 }, 'from'],
    [{ from: 1, to: 10, year: 2028 }, 'year'],
  ])('refuses %p with a field error on %s and stores nothing', async (input, field) => {
    const before = await counts();
    const res = await allocate(input);
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!res.ok && res.error.fields).toHaveProperty(field);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['another division’s supervisor', 'sup-ld', 'FORBIDDEN'],
    ['a coordinator', 'coord-ld', 'FORBIDDEN'],
    ['a producer, even for its own subject', 'wx-1', 'FORBIDDEN'],
    ['anonymous', null, 'UNAUTHENTICATED'],
  ])('refuses %s (%s) with %s, storing nothing', async (_who, as, code) => {
    const before = await counts();
    const res = await allocate({ from: 1, to: 10 }, as);
    expect(res).toMatchObject({ ok: false, error: { code } });
    expect(await counts()).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown subject', async () => {
    const res = await rt.call(
      paperFunction,
      'allocate',
      { subjectId: 'sub_x', from: 1, to: 2 },
      'admin-1',
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('paper.register', () => {
  beforeEach(allocateFirstRange);

  it('registers a hand-filled form as a paper certificate, atomically with its serial and audit', async () => {
    const res = await register({ serial: ' xg2026－123 ', issueDate: '2026-11-20' });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    const cert = res.data;
    expect(cert).toMatchObject({
      form: 'paper',
      serial: 'XG2026-000123',
      count: 1,
      templateVersion: '2025',
      style: 1,
      productName: '青菜',
      quantity: { value: '30', unit: 'kg' },
      issueDate: '2026-11-20',
      issuedAt: '2026-11-29T02:00:00.000Z',
      issueUnit: 'package',
      status: 'valid',
      issuedBy: 'wx-1',
      issuer: { subjectId: subject._id, name: '王建国', phone: '138****5678', divisionCode: xugou },
      display: { title: '承诺达标合格证' },
    });
    expect(cert.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(cert.verifyUrl).toBe(`https://hgz.example.cn/c/${cert.code}`);
    expect(await rt.store.collection('paperSerials').get('XG2026-000123')).toMatchObject({
      code: cert.code,
      subjectId: subject._id,
      number: 123,
    });
    const [range] = await rt.ok<FormRangeView[]>(paperFunction, 'ranges', {}, 'wx-1');
    expect(range).toMatchObject({ used: 1, free: 499 });
    expect(await rt.store.collection('audit').find({ action: 'paper.register' })).toHaveLength(1);
  });

  it('lets the division’s supervisor and the admin register for the producer', async () => {
    const bySupervisor = await register({ serial: 'XG2026-000001' }, 'sup-xg');
    expect(bySupervisor.ok && bySupervisor.data.issuedBy).toBe('sup-xg');
    const byAdmin = await register({ serial: 'XG2026-000500' }, 'admin-1');
    expect(byAdmin.ok).toBe(true);
  });

  it('refuses a serial outside the subject’s ranges with a clear message on "serial"', async () => {
    await rt.ok(
      paperFunction,
      'allocate',
      { subjectId: neighbour._id, from: 501, to: 600 },
      'sup-xg',
    );
    const before = await counts();
    for (const serial of ['XG2026-000501', 'XG2026-000999', 'LD2026-000123', 'XG2025-000123']) {
      const res = await register({ serial });
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(!res.ok && res.error.fields?.serial).toEqual([
        `编号 ${serial} 不在“王建国”领用的纸质合格证号段内`,
      ]);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a serial already registered, whoever registers it', async () => {
    await rt.ok(paperFunction, 'register', form(), 'wx-1');
    const before = await counts();
    for (const [overrides, as] of [
      [{ productName: '番茄' }, 'wx-1'],
      [{}, 'sup-xg'],
    ] as const) {
      const res = await register(overrides, as);
      expect(res).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: '该编号已登记', fields: { serial: ['该编号已登记'] } },
      });
    }
    expect(await counts()).toEqual(before);
  });

  it('returns the first registration when the same one is retried', async () => {
    const first = await rt.ok<RegisteredPaperForm>(paperFunction, 'register', form(), 'wx-1');
    const again = await rt.ok<RegisteredPaperForm>(paperFunction, 'register', form(), 'wx-1');
    expect(again.code).toBe(first.code);
    expect(await rt.store.collection('certificates').count()).toBe(1);
  });

  it('lets only one of two concurrent registrations of a serial succeed', async () => {
    const results = await Promise.all([
      register({ productName: '青菜' }),
      register({ productName: '番茄' }, 'sup-xg'),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'CONFLICT' } });
    expect(await rt.store.collection('certificates').count()).toBe(1);
  });

  it('refuses a voided serial', async () => {
    const [range] = await rt.ok<FormRangeView[]>(paperFunction, 'ranges', {}, 'wx-1');
    await rt.ok(
      paperFunction,
      'void',
      { rangeId: range?.id, from: 100, to: 150, reason: '遗失' },
      'sup-xg',
    );
    const before = await counts();
    const res = await register({ serial: 'XG2026-000123' });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: '该编号已作废', fields: { serial: ['该编号已作废'] } },
    });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a malformed serial', { serial: 'XG-123' }, 'serial'],
    ['a future date', { issueDate: '2026-11-30' }, 'issueDate'],
    ['a date before the range was allocated', { issueDate: '2026-10-31' }, 'issueDate'],
    ['a date that does not exist', { issueDate: '2026-02-30' }, 'issueDate'],
    ['quantity 0', { quantity: { value: '0', unit: 'kg' } }, 'quantity.value'],
    ['a negative quantity', { quantity: { value: '-3', unit: 'kg' } }, 'quantity.value'],
    ['no product', { productName: ' ' }, 'productName'],
    ['the 2019 bare self-pledge', { basis: ['self_pledge'] }, 'basis.0'],
    ['a vehicle without a plate', { issueUnit: 'vehicle' }, 'vehiclePlate'],
  ])('refuses %s with a field error, storing nothing', async (_what, overrides, field) => {
    const before = await counts();
    const res = await register(overrides);
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!res.ok && Object.keys(res.error.fields ?? {})).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['another producer', 'wx-2', 'NOT_FOUND'],
    ['another division’s supervisor', 'sup-ld', 'FORBIDDEN'],
    ['a coordinator', 'coord-ld', 'FORBIDDEN'],
    ['anonymous', null, 'UNAUTHENTICATED'],
  ])('refuses %s with %s, storing nothing', async (_who, as, code) => {
    const before = await counts();
    const res = await register({}, as);
    expect(res).toMatchObject({ ok: false, error: { code } });
    expect(await counts()).toEqual(before);
  });

  it('refuses a subject that may not issue', async () => {
    await rt.store.collection<Subject>('subjects').update(subject._id, { status: 'retired' });
    const res = await register();
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('paper.void', () => {
  let range: FormRangeView;
  beforeEach(async () => {
    range = await allocateFirstRange();
  });

  it('voids a part, skipping forms already registered, which stay valid', async () => {
    const registered = await rt.ok<RegisteredPaperForm>(
      paperFunction,
      'register',
      form({ serial: 'XG2026-000105' }),
      'wx-1',
    );
    const res = await rt.ok<{ range: FormRangeView; voided: number; skipped: number }>(
      paperFunction,
      'void',
      { rangeId: range.id, from: 101, to: 200, reason: '受潮损坏' },
      'sup-xg',
    );
    expect(res).toMatchObject({ voided: 99, skipped: 1, alreadyVoided: 0 });
    expect(res.range).toMatchObject({
      total: 500,
      used: 1,
      voided: 99,
      free: 400,
      voids: [{ from: 101, to: 200, label: 'XG2026-000101 至 XG2026-000200', reason: '受潮损坏' }],
    });
    const verified = await rt.ok<VerifyResult>(
      verifyFunction,
      'lookup',
      { code: registered.code },
      null,
    );
    expect(verified.verdict).toBe('valid');
    const audit = await rt.store.collection('audit').find({ action: 'paper.void' });
    expect(audit[0]).toMatchObject({ actorId: 'sup-xg', detail: { voided: 99, skipped: 1 } });
  });

  it('voids the whole range when no part is given; voiding again changes nothing', async () => {
    const first = await rt.ok<{ voided: number }>(
      paperFunction,
      'void',
      { rangeId: range.id, reason: '整本遗失' },
      'admin-1',
    );
    expect(first.voided).toBe(500);
    const before = await counts();
    const again = await rt.ok(
      paperFunction,
      'void',
      { rangeId: range.id, reason: '整本遗失' },
      'sup-xg',
    );
    expect(again).toMatchObject({ voided: 0, alreadyVoided: 500, range: { free: 0, voided: 500 } });
    expect(await counts()).toEqual(before);
  });

  it('refuses a part outside the range, and a void without a reason', async () => {
    const before = await counts();
    const outside = await rt.call(
      paperFunction,
      'void',
      { rangeId: range.id, from: 450, to: 501, reason: '遗失' },
      'sup-xg',
    );
    expect(outside).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!outside.ok && outside.error.fields).toHaveProperty('to');
    const noReason = await rt.call(paperFunction, 'void', { rangeId: range.id }, 'sup-xg');
    expect(!noReason.ok && noReason.error.fields).toHaveProperty('reason');
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['another division’s supervisor', 'sup-ld', 'FORBIDDEN'],
    ['the producer it was allocated to', 'wx-1', 'FORBIDDEN'],
    ['anonymous', null, 'UNAUTHENTICATED'],
  ])('refuses %s with %s, storing nothing', async (_who, as, code) => {
    const before = await counts();
    const res = await rt.call(paperFunction, 'void', { rangeId: range.id, reason: '遗失' }, as);
    expect(res).toMatchObject({ ok: false, error: { code } });
    expect(await counts()).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown range', async () => {
    const res = await rt.call(
      paperFunction,
      'void',
      { rangeId: 'frg_x', reason: '遗失' },
      'admin-1',
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('paper.ranges', () => {
  beforeEach(async () => {
    await allocateFirstRange();
    await rt.ok(
      paperFunction,
      'allocate',
      { subjectId: neighbour._id, from: 501, to: 600 },
      'sup-xg',
    );
  });

  it('lists a producer’s own ranges only', async () => {
    const mine = await rt.ok<FormRangeView[]>(paperFunction, 'ranges', {}, 'wx-1');
    expect(mine.map((r) => r.label)).toEqual(['XG2026-000001 至 XG2026-000500']);
    const bySubject = await rt.ok<FormRangeView[]>(
      paperFunction,
      'ranges',
      { subjectId: subject._id },
      'wx-1',
    );
    expect(bySubject).toHaveLength(1);
    expect(JSON.stringify(mine)).not.toContain('sup-xg');
  });

  it('lists the division’s ranges for its staff and all of them for the admin', async () => {
    expect(await rt.ok<FormRangeView[]>(paperFunction, 'ranges', {}, 'sup-xg')).toHaveLength(2);
    expect(await rt.ok<FormRangeView[]>(paperFunction, 'ranges', {}, 'admin-1')).toHaveLength(2);
    expect(await rt.ok<FormRangeView[]>(paperFunction, 'ranges', {}, 'sup-ld')).toEqual([]);
  });

  it.each([
    ['another producer', 'wx-2', 'NOT_FOUND'],
    ['another division’s supervisor', 'sup-ld', 'FORBIDDEN'],
    ['anonymous', null, 'UNAUTHENTICATED'],
  ])('refuses %s a subject’s ranges with %s', async (_who, as, code) => {
    const res = await rt.call(paperFunction, 'ranges', { subjectId: subject._id }, as);
    expect(res).toMatchObject({ ok: false, error: { code } });
  });
});

describe('verifying a registered paper certificate', () => {
  let cert: RegisteredPaperForm;
  beforeEach(async () => {
    await allocateFirstRange();
    cert = await rt.ok<RegisteredPaperForm>(paperFunction, 'register', form(), 'wx-1');
  });

  it.each([
    ['its serial', 'XG2026-000123'],
    ['its serial as typed', ' xg 2026-123 '],
    ['a URL ending in its serial', 'https://hgz.example.cn/c/XG2026-000123'],
  ])('finds it by %s (lookupCertificate through verify.lookup)', async (_how, scanned) => {
    const res = await rt.ok<VerifyResult>(verifyFunction, 'lookup', { code: scanned }, null);
    expect(res).toMatchObject({
      verdict: 'valid',
      code: cert.code,
      certificate: { form: 'paper', serial: 'XG2026-000123', productName: '青菜' },
      divisionName: '墟沟街道',
    });
  });

  it('finds it by its code, through the public action', async () => {
    const res = await rt.ok<VerifyResult>(verifyFunction, 'lookup', { code: cert.code }, null);
    expect(res).toMatchObject({
      verdict: 'valid',
      certificate: { form: 'paper', serial: 'XG2026-000123' },
    });
    expect(JSON.stringify(res)).not.toContain('wx-1');
    const { html } = renderVerifyPage(res);
    expect(html).toContain('<dt>形式</dt><dd>纸质合格证</dd>');
    expect(html).toContain('<dt>纸质合格证编号</dt><dd>XG2026-000123</dd>');
  });

  it('answers 未找到 for a serial allocated but not registered', async () => {
    const res = await rt.ok<VerifyResult>(
      verifyFunction,
      'lookup',
      { code: 'XG2026-000124' },
      null,
    );
    expect(res).toMatchObject({ verdict: 'not_found', certificate: null });
  });
});
