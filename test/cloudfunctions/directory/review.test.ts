import {
  directoryFunction,
  type PendingItem,
  type StaffSubjectView,
} from '../../../cloudfunctions/directory/actions';
import { certificateFunction } from '../../../cloudfunctions/certificate/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Subject } from '../../../src/domain/subject';
import { issueInput, testRuntime, validIdNumber, type TestRuntime } from '../../helpers/runtime';
import { addUsualStaff, liandao, register } from './helpers';

let rt: TestRuntime;
let wang: Subject;
let li: Subject;
let zhao: Subject;

beforeEach(async () => {
  rt = testRuntime();
  await addUsualStaff(rt);
  rt.setNow('2026-11-01T02:00:00.000Z');
  wang = await register(rt, 'wx-1');
  rt.setNow('2026-11-20T02:00:00.000Z');
  li = await register(rt, 'wx-2', {
    name: '李秀英',
    identityNumber: validIdNumber('19650704', '246'),
  });
  zhao = await register(rt, 'wx-3', {
    name: '赵家渔场',
    identityNumber: validIdNumber('19700101', '357'),
    address: '连云区连岛街道海滨村',
    divisionCode: liandao,
  });
  rt.setNow('2026-11-29T02:00:00.000Z');
});
afterEach(() => rt.close());

const pending = (as: string, input: Record<string, unknown> = {}) =>
  rt.ok<{ total: number; items: PendingItem[] }>(directoryFunction, 'pending', input, as);
const review = (input: Record<string, unknown>, as = 'sup-xg') =>
  rt.call<StaffSubjectView>(directoryFunction, 'review', input, as);

describe('directory.pending', () => {
  it("lists the division's registrations awaiting review, oldest first, with days waiting", async () => {
    const res = await pending('sup-xg');
    expect(res.total).toBe(2);
    expect(res.items.map((i) => [i.subject._id, i.daysWaiting])).toEqual([
      [wang._id, 28],
      [li._id, 9],
    ]);
    expect(res.items[0]?.subject).toMatchObject({
      divisionName: '墟沟街道',
      statusLabel: '已登记待审核',
    });
    expect(JSON.stringify(res)).not.toContain('identityFingerprint');
  });

  it('gives the admin the district, or one division; coordinators may look', async () => {
    expect((await pending('admin-1')).total).toBe(3);
    const ld = await pending('admin-1', { divisionCode: liandao });
    expect(ld.items.map((i) => i.subject._id)).toEqual([zhao._id]);
    expect((await pending('coord-xg')).total).toBe(2);
  });

  it("refuses another division's list and producers", async () => {
    expect(
      await rt.call(directoryFunction, 'pending', { divisionCode: liandao }, 'sup-xg'),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await rt.call(directoryFunction, 'pending', {}, 'wx-1')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('directory.review', () => {
  it('approves, and the producer sees the result', async () => {
    const res = await review({ subjectId: wang._id, decision: 'approve' });
    expect(res).toMatchObject({
      ok: true,
      data: { status: 'approved', reviewDecision: 'approve' },
    });
    const mine = await rt.ok<Subject[]>(subjectFunction, 'mine', {}, 'wx-1');
    expect(mine[0]).toMatchObject({ status: 'approved', reviewedAt: '2026-11-29T02:00:00.000Z' });
    expect((await pending('sup-xg')).items.map((i) => i.subject._id)).toEqual([li._id]);
  });

  it('returns for changes with a note the producer sees; a resubmission is pending again', async () => {
    const note = '请补充营业执照照片，并核对联系电话';
    await review({ subjectId: wang._id, decision: 'request_changes', reason: note });
    const seen = await rt.ok<Subject>(subjectFunction, 'get', { subjectId: wang._id }, 'wx-1');
    expect(seen).toMatchObject({
      status: 'registered',
      reviewDecision: 'request_changes',
      reviewNote: note,
    });
    // Waiting on the producer now, not on the office.
    expect((await pending('sup-xg')).items.map((i) => i.subject._id)).toEqual([li._id]);

    rt.setNow('2026-11-30T02:00:00.000Z');
    await rt.ok(subjectFunction, 'update', { subjectId: wang._id, phone: '13900001111' }, 'wx-1');
    const again = await pending('sup-xg');
    expect(again.items.map((i) => [i.subject._id, i.resubmitted, i.daysWaiting])).toEqual([
      [li._id, false, 10],
      [wang._id, true, 0],
    ]);

    const approved = await review({ subjectId: wang._id, decision: 'approve' });
    expect(approved).toMatchObject({ ok: true, data: { status: 'approved' } });
    // Approving clears the earlier note.
    if (approved.ok) expect(approved.data.reviewNote).toBeUndefined();
  });

  it('rejects with a reason; a rejected subject cannot issue or be edited', async () => {
    await review({ subjectId: wang._id, decision: 'reject', reason: '非本区生产主体' });
    const seen = await rt.ok<Subject>(subjectFunction, 'get', { subjectId: wang._id }, 'wx-1');
    expect(seen).toMatchObject({ status: 'rejected', reviewNote: '非本区生产主体' });
    expect(await rt.call(certificateFunction, 'issue', issueInput(wang._id), 'wx-1')).toMatchObject(
      { ok: false, error: { code: 'FORBIDDEN' } },
    );
    expect(
      await rt.call(
        subjectFunction,
        'update',
        { subjectId: wang._id, phone: '13900001111' },
        'wx-1',
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('needs a reason unless approving, answered at reason', async () => {
    const res = await review({ subjectId: wang._id, decision: 'reject' });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!res.ok) expect(res.error.fields?.reason?.[0]).toContain('请填写原因');
  });

  it('refuses a second review of a decided subject (CONFLICT)', async () => {
    await review({ subjectId: wang._id, decision: 'approve' });
    const res = await review({ subjectId: wang._id, decision: 'reject', reason: '重复审核' });
    expect(res).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it("refuses another division's supervisor, coordinators and producers", async () => {
    expect(await review({ subjectId: zhao._id, decision: 'approve' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await review({ subjectId: wang._id, decision: 'approve' }, 'coord-xg')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await review({ subjectId: wang._id, decision: 'approve' }, 'wx-1')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await review({ subjectId: 'sub_nope', decision: 'approve' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const stored = await rt.store.collection<Subject>('subjects').get(zhao._id);
    expect(stored?.status).toBe('registered');
  });

  it('lets the admin review any division', async () => {
    expect(await review({ subjectId: zhao._id, decision: 'approve' }, 'admin-1')).toMatchObject({
      ok: true,
    });
  });
});
