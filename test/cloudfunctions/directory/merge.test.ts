import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { directoryFunction, type MergeResult } from '../../../cloudfunctions/directory/actions';
import { mergeChunkSize } from '../../../cloudfunctions/directory/merge';
import { invoke } from '../../../cloudfunctions/kit/invoke';
import type { Store } from '../../../cloudfunctions/kit/store/port';
import { StoreUnavailableError } from '../../../cloudfunctions/kit/store/port';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { verifyFunction, type VerifyResult } from '../../../cloudfunctions/verify/actions';
import type { Certificate } from '../../../src/domain/certificate';
import type { StaffSubjectView } from '../../../src/domain/directory';
import type { Subject } from '../../../src/domain/subject';
import { passedTests, testRuntime, validIdNumber, type TestRuntime } from '../../helpers/runtime';
import { creditCode } from '../../domain/fixtures';
import { addUsualStaff, issueOne, liandao, register } from './helpers';

let rt: TestRuntime;
beforeEach(async () => {
  rt = testRuntime();
  await addUsualStaff(rt);
});
afterEach(() => rt.close());

type Groups = {
  total: number;
  groups: { rule: string; ruleLabel: string; shared: string; subjects: StaffSubjectView[] }[];
};
const duplicates = (as: string, input: Record<string, unknown> = {}) =>
  rt.ok<Groups>(directoryFunction, 'duplicates', input, as);

describe('directory.duplicates', () => {
  it('finds subjects sharing an ID number, a credit code, or a name with a phone', async () => {
    const id = validIdNumber('19580312', '123');
    // One person, two WeChat accounts, two registrations of the same ID number.
    const a = await register(rt, 'wx-1', { identityNumber: id });
    const b = await register(rt, 'wx-2', { identityNumber: id, name: '王建国（东山）' });
    // A company registered as an enterprise and, again, as a cooperative's operator.
    const code = creditCode('91320703MA1WXY123');
    const company = {
      type: 'enterprise' as const,
      identityKind: 'credit_code' as const,
      identityNumber: code,
    };
    const c = await register(rt, 'wx-3', {
      ...company,
      name: '连云港某某农业有限公司',
      phone: '13800000003',
    });
    const d = await register(rt, 'wx-4', {
      ...company,
      type: 'family_farm',
      name: '某某家庭农场',
      phone: '13800000004',
    });
    // Same name and phone, different ID numbers (a typo, or a relative's card).
    const e = await register(rt, 'wx-5', {
      name: '张三',
      identityNumber: validIdNumber('19700101', '555'),
      phone: '13800000005',
    });
    const f = await register(rt, 'wx-6', {
      name: '张 三',
      identityNumber: validIdNumber('19700101', '556'),
      phone: '13800000005',
    });
    // In 连岛: not shown to 墟沟's supervisor.
    await register(rt, 'wx-7', {
      identityNumber: id,
      divisionCode: liandao,
      address: '连云区连岛街道海滨村',
    });

    const found = await duplicates('sup-xg');
    expect(found.groups.map((g) => [g.rule, g.subjects.map((s) => s._id).sort()])).toEqual([
      ['id_number', [a._id, b._id].sort()],
      ['credit_code', [c._id, d._id].sort()],
      ['name_phone', [e._id, f._id].sort()],
    ]);
    expect(found.groups[0]).toMatchObject({
      ruleLabel: '身份证号码相同',
      shared: `320***********${id.slice(-4)}`,
    });
    expect(JSON.stringify(found)).not.toContain(id);
    // The admin sees the district: the 连岛 registration joins the ID-number group.
    const district = await duplicates('admin-1');
    expect(district.groups[0]?.subjects).toHaveLength(3);
    expect(await rt.call(directoryFunction, 'duplicates', {}, 'wx-1')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('directory.merge', () => {
  const id = validIdNumber('19580312', '123');
  let keep: Subject;
  let other: Subject;
  let third: Subject;

  beforeEach(async () => {
    keep = await register(rt, 'wx-1', { identityNumber: id });
    other = await register(rt, 'wx-2', {
      identityNumber: id,
      name: '王建国蔬菜',
      contactName: '王二',
      phone: '13800000002',
    });
    third = await register(rt, 'wx-3', {
      name: '王建国',
      identityNumber: validIdNumber('19580312', '124'),
    });
  });

  const merge = (input: Record<string, unknown>, as = 'sup-xg') =>
    rt.call<MergeResult>(directoryFunction, 'merge', input, as);

  it('keeps every certificate, moves them to the kept subject, and old labels verify as issued', async () => {
    const keepCodes = [await issueOne(rt, keep._id, 'wx-1')];
    const [selfTest] = await passedTests(rt, other._id, 'wx-2');
    const otherCodes = [
      await issueOne(rt, other._id, 'wx-2'),
      await issueOne(rt, other._id, 'wx-2', { basis: ['self_test'], testRecordIds: [selfTest] }),
    ];
    const thirdCodes = [await issueOne(rt, third._id, 'wx-3', { packages: 3 })];
    await rt.ok(
      certificateFunction,
      'revoke',
      { code: otherCodes[0], reason: '开错了数量' },
      'wx-2',
    );
    const certificates = rt.store.collection<Certificate>('certificates');
    const before = await certificates.count();
    const issuedAs = await Promise.all(
      [...otherCodes, ...thirdCodes].map(async (code) => (await certificates.get(code))?.issuer),
    );

    const res = await merge({
      keepId: keep._id,
      mergeIds: [other._id, third._id],
      reason: '同一人用不同微信号重复登记',
    });
    expect(res).toMatchObject({
      ok: true,
      data: { status: 'done', certificates: { before: 4, after: 4 } },
    });
    if (!res.ok) return;
    expect(res.data.moved['certificates.subjectId']).toBe(3);
    expect(res.data.moved['testRecords.subjectId']).toBe(2);

    expect(await certificates.count()).toBe(before);
    const all = await certificates.find();
    expect(all.every((c) => c.subjectId === keep._id)).toBe(true);
    // Each certificate still names its issuer as issued, revocation and all.
    for (const [i, code] of [...otherCodes, ...thirdCodes].entries()) {
      const c = await certificates.get(code);
      expect(c?.issuer).toEqual(issuedAs[i]);
    }
    expect((await certificates.get(otherCodes[0]!))?.status).toBe('revoked');
    const looked = await rt.ok<VerifyResult>(verifyFunction, 'lookup', { code: otherCodes[1] });
    expect(looked.verdict).toBe('valid');
    expect(looked.certificate?.issuer).toMatchObject({ name: '王建国蔬菜', contactName: '王二' });
    const tests = await rt.store
      .collection<{ _id: string; subjectId: string }>('testRecords')
      .find();
    expect(tests.every((t) => t.subjectId === keep._id)).toBe(true);

    // The merged are retired and say where they went; the kept one's owner has the certificates.
    const stored = rt.store.collection<Subject>('subjects');
    for (const sId of [other._id, third._id]) {
      expect(await stored.get(sId)).toMatchObject({ status: 'retired', mergedInto: keep._id });
    }
    const mine = await rt.ok<OwnCertificate[]>(certificateFunction, 'mine', {}, 'wx-1');
    expect(mine.map((c) => c.code).sort()).toEqual(
      [...keepCodes, ...otherCodes, ...thirdCodes].sort(),
    );
    // A merged subject issues nothing more.
    const refused = await rt.call(
      certificateFunction,
      'issue',
      {
        requestId: 'req-after-merge',
        subjectId: other._id,
        productName: '青菜',
        quantity: { value: '1', unit: 'kg' },
        origin: '连云区墟沟街道东山村',
        basis: ['quality_control'],
        issueUnit: 'package',
      },
      'wx-2',
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Duplicates no longer flag them.
    expect((await duplicates('sup-xg')).groups).toEqual([]);
    // Audited: each merged subject before/after, the kept one, the merge.
    const audit = rt.store.collection<{
      _id: string;
      action: string;
      detail: Record<string, unknown>;
    }>('audit');
    const mergedEntry = (await audit.find({ entityId: other._id })).find(
      (e) => e.action === 'subject.merge',
    );
    expect(mergedEntry?.detail).toMatchObject({
      before: { status: 'registered' },
      after: { status: 'retired', mergedInto: keep._id },
      reason: '同一人用不同微信号重复登记',
    });
    expect(await audit.count({ action: 'directory.merge' })).toBe(1);
  });

  it('answers a repeat with the finished merge, changing nothing', async () => {
    await issueOne(rt, other._id, 'wx-2');
    const input = { keepId: keep._id, mergeIds: [other._id], reason: '重复登记' };
    const first = await merge(input);
    const again = await merge({ ...input, reason: '再点了一次' });
    expect(again).toEqual({ ok: true, data: first.ok ? first.data : null });
    expect(await rt.store.collection('audit').count({ action: 'subject.merge' })).toBe(1);
  });

  it('resumes after a failure part-way, moving nothing twice', async () => {
    const total = mergeChunkSize + 5;
    for (let i = 0; i < total; i++) await issueOne(rt, other._id, 'wx-2');
    let transactions = 0;
    const failing: Store = {
      collection: (name) => rt.store.collection(name),
      close: () => rt.store.close(),
      async transaction(fn) {
        transactions++;
        // 1: begin; 2: the first chunk; 3: the second chunk fails.
        if (transactions === 3) throw new StoreUnavailableError('simulated outage');
        return rt.store.transaction(fn);
      },
    };
    const input = { keepId: keep._id, mergeIds: [other._id], reason: '重复登记' };
    const broken = await invoke(
      directoryFunction,
      { action: 'merge', input },
      { store: failing, callerId: 'sup-xg', config: rt.config, now: () => new Date() },
    );
    expect(broken).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    if (!broken.ok) expect(broken.error.message).toContain('请再次提交同样的合并以继续');
    const certificates = rt.store.collection<Certificate>('certificates');
    expect(await certificates.count({ subjectId: keep._id })).toBe(mergeChunkSize);

    const resumed = await merge(input);
    expect(resumed).toMatchObject({
      ok: true,
      data: { status: 'done', certificates: { before: total, after: total } },
    });
    if (resumed.ok) expect(resumed.data.moved['certificates.subjectId']).toBe(total);
    expect(await certificates.count({ subjectId: other._id })).toBe(0);
  });

  it('gives an unowned (imported) kept subject the one owner among the merged', async () => {
    const imported: Subject = {
      ...keep,
      _id: 'sub_imported',
      ownerId: '',
      source: 'import',
      status: 'approved',
      identityFingerprint: 'fp-imported',
    };
    await rt.store.collection<Subject>('subjects').insert(imported);
    const code = await issueOne(rt, other._id, 'wx-2');
    await merge({ keepId: imported._id, mergeIds: [other._id], reason: '名册与自行登记重复' });
    expect(await rt.store.collection<Subject>('subjects').get(imported._id)).toMatchObject({
      ownerId: 'wx-2',
    });
    const mine = await rt.ok<Subject[]>(subjectFunction, 'mine', {}, 'wx-2');
    expect(mine.find((s) => s._id === imported._id)).toBeDefined();
    const own = await rt.ok<OwnCertificate[]>(certificateFunction, 'mine', {}, 'wx-2');
    expect(own.map((c) => c.code)).toEqual([code]);
  });

  it('refuses subjects outside the area, retired ones and bad input', async () => {
    const ld = await register(rt, 'wx-8', {
      identityNumber: id,
      divisionCode: liandao,
      address: '连云区连岛街道海滨村',
    });
    expect(await merge({ keepId: keep._id, mergeIds: [ld._id], reason: '重复登记' })).toMatchObject(
      { ok: false, error: { code: 'FORBIDDEN' } },
    );
    expect(
      await merge({ keepId: keep._id, mergeIds: [other._id], reason: '重复登记' }, 'coord-xg'),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await merge({ keepId: keep._id, mergeIds: [keep._id], reason: '重复登记' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await merge({ keepId: keep._id, mergeIds: [other._id], reason: '重复登记' });
    expect(
      await merge({ keepId: third._id, mergeIds: [other._id], reason: '重复登记' }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(
      await merge({ keepId: other._id, mergeIds: [third._id], reason: '重复登记' }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // The admin merges across divisions.
    expect(
      await merge({ keepId: keep._id, mergeIds: [ld._id], reason: '跨街道重复登记' }, 'admin-1'),
    ).toMatchObject({ ok: true, data: { status: 'done' } });
  });
});
