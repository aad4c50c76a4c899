import { directoryFunction, type HistoryEntry } from '../../../cloudfunctions/directory/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Subject } from '../../../src/domain/subject';
import { testRuntime, validIdNumber, type TestRuntime } from '../../helpers/runtime';
import { addUsualStaff, register } from './helpers';

let rt: TestRuntime;
let wang: Subject;

beforeEach(async () => {
  rt = testRuntime();
  await addUsualStaff(rt);
  rt.setNow('2026-11-01T02:00:00.000Z');
  wang = await register(rt, 'wx-1');
  rt.setNow('2026-11-02T02:00:00.000Z');
  await rt.ok(
    directoryFunction,
    'review',
    { subjectId: wang._id, decision: 'request_changes', reason: '联系电话打不通，请核对' },
    'sup-xg',
  );
  rt.setNow('2026-11-03T02:00:00.000Z');
  await rt.ok(
    subjectFunction,
    'update',
    { subjectId: wang._id, phone: '13900001111', seasonMonths: [3, 4, 5] },
    'wx-1',
  );
  rt.setNow('2026-11-04T02:00:00.000Z');
  await rt.ok(directoryFunction, 'review', { subjectId: wang._id, decision: 'approve' }, 'sup-xg');
});
afterEach(() => rt.close());

const history = (as: string, subjectId = wang._id) =>
  rt.call<HistoryEntry[]>(directoryFunction, 'history', { subjectId }, as);

describe('directory.history', () => {
  it('keeps who, when, before and after of every change', async () => {
    const res = await history('sup-xg');
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    expect(res.data.map((e) => [e.at.slice(0, 10), e.actionLabel, e.by, e.actorId])).toEqual([
      ['2026-11-01', '登记', 'owner', 'wx-1'],
      ['2026-11-02', '审核', 'staff', 'sup-xg'],
      ['2026-11-03', '修改登记信息', 'owner', 'wx-1'],
      ['2026-11-04', '审核', 'staff', 'sup-xg'],
    ]);
    const [registered, returned, edited, approved] = res.data;
    expect(registered?.detail).toMatchObject({ before: null, after: { phone: '13812345678' } });
    expect(returned?.detail).toMatchObject({
      decision: 'request_changes',
      reason: '联系电话打不通，请核对',
      before: { status: 'registered' },
      after: { status: 'registered', reviewNote: '联系电话打不通，请核对' },
      changed: ['reviewDecision', 'reviewNote', 'reviewedAt'],
    });
    expect(edited?.detail).toMatchObject({
      before: { phone: '13812345678' },
      after: { phone: '13900001111', seasonMonths: [3, 4, 5] },
      changed: ['phone', 'seasonMonths', 'submittedAt'],
      resubmitted: true,
    });
    expect(approved?.detail).toMatchObject({
      before: { status: 'registered' },
      after: { status: 'approved' },
    });
    expect(JSON.stringify(res.data)).not.toContain('identityFingerprint');
  });

  it("shows the owner their subject's history without staff ids", async () => {
    const res = await history('wx-1');
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    expect(res.data.map((e) => [e.by, e.actorId])).toEqual([
      ['owner', 'wx-1'],
      ['staff', null],
      ['owner', 'wx-1'],
      ['staff', null],
    ]);
  });

  it('records a change of ID number even when the masked form looks the same', async () => {
    const old = validIdNumber();
    // Another birth day with the same sequence and check digit: the same masked form.
    const next = Array.from({ length: 28 }, (_, i) =>
      validIdNumber(`195803${String(i + 1).padStart(2, '0')}`, '123'),
    ).find((c) => c !== old && c.slice(-4) === old.slice(-4));
    if (!next) throw new Error('no look-alike ID number in March 1958');
    rt.setNow('2026-11-05T02:00:00.000Z');
    const updated = await rt.ok<Subject>(
      subjectFunction,
      'update',
      { subjectId: wang._id, identityNumber: next },
      'wx-1',
    );
    // A new identity goes back to review.
    expect(updated.status).toBe('registered');
    const res = await history('sup-xg');
    const last = res.ok ? res.data[res.data.length - 1] : undefined;
    expect(last?.detail).toMatchObject({
      before: { identityDisplay: updated.identityDisplay },
      changed: expect.arrayContaining(['identityNumber']),
    });
    expect(JSON.stringify(last)).not.toContain(next);
  });

  it('refuses staff of another division and hides it from other producers', async () => {
    expect(await history('sup-ld')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await register(rt, 'wx-2', {
      name: '李秀英',
      identityNumber: validIdNumber('19650704', '246'),
    });
    expect(await history('wx-2')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await history('admin-1')).toMatchObject({ ok: true });
    expect(await history('coord-xg')).toMatchObject({ ok: true });
    expect(
      await rt.call(directoryFunction, 'history', { subjectId: wang._id }, null),
    ).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});
