import { directoryFunction } from '../../../cloudfunctions/directory/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { User } from '../../../src/domain/role';
import type { Subject } from '../../../src/domain/subject';
import { creditCode } from '../../domain/fixtures';
import { smallholder, testRuntime, validIdNumber, type TestRuntime } from '../../helpers/runtime';

let rt: TestRuntime;
let wang: Subject;

beforeEach(async () => {
  rt = testRuntime();
  await rt.store.collection<User>('users').insert({
    _id: 'sup-xg',
    nickname: 'sup',
    roles: ['supervisor'],
    divisionCode: '320703001',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  wang = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  rt.setNow('2026-11-30T02:00:00.000Z');
});
afterEach(() => rt.close());

const update = (input: Record<string, unknown>, as = 'wx-1') =>
  rt.call<Subject>(subjectFunction, 'update', { subjectId: wang._id, ...input }, as);
const approve = () =>
  rt.ok(directoryFunction, 'review', { subjectId: wang._id, decision: 'approve' }, 'sup-xg');
const audits = () => rt.store.collection('audit').count({ action: 'subject.update' });

describe('subject.update', () => {
  it('changes contact details of an approved subject without a new review', async () => {
    await approve();
    const res = await update({ phone: '13900001111', products: ['青菜', '青菜', '芹菜'] });
    expect(res).toMatchObject({
      ok: true,
      data: { status: 'approved', phone: '13900001111', products: ['青菜', '芹菜'] },
    });
    expect(await audits()).toBe(1);
  });

  it('sends an approved subject back to review when its name or street changes', async () => {
    await approve();
    const res = await update({ name: '王建国家庭农场', type: 'family_farm' });
    expect(res).toMatchObject({
      ok: true,
      data: { status: 'registered', submittedAt: '2026-11-30T02:00:00.000Z' },
    });
  });

  it('checks a new ID number by the registration rules, and keeps it masked', async () => {
    const id = validIdNumber('19580312', '123');
    const wrong = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
    const bad = await update({ identityNumber: wrong });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!bad.ok) expect(bad.error.fields?.identityNumber?.[0]).toContain('校验码');
    const next = validIdNumber('19600101', '002');
    const ok = await update({ identityNumber: next });
    expect(ok).toMatchObject({
      ok: true,
      data: { identityDisplay: `320***********${next.slice(-4)}` },
    });
    const stored = await rt.store.collection<Subject>('subjects').get(wang._id);
    expect(stored?.identityFingerprint).not.toBe(wang.identityFingerprint);
    expect(JSON.stringify(stored)).not.toContain(next);
  });

  it('needs a number to change the identity kind, and a kind that suits the type', async () => {
    const kind = await update({ identityKind: 'credit_code' });
    expect(kind).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        fields: { identityNumber: ['更换证件类型时请填写新的证件号码'] },
      },
    });
    const type = await update({ type: 'enterprise' });
    expect(type).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { identityKind: ['企业应填写统一社会信用代码'] } },
    });
    const both = await update({
      type: 'enterprise',
      name: '连云港某某农业有限公司',
      identityKind: 'credit_code',
      identityNumber: creditCode('91320703MA1WXY123'),
    });
    expect(both).toMatchObject({
      ok: true,
      data: { type: 'enterprise', identityKind: 'credit_code' },
    });
  });

  it('clears the season with an empty list; nothing changed writes nothing', async () => {
    await update({ seasonMonths: [5, 3, 4, 4] });
    expect((await rt.store.collection<Subject>('subjects').get(wang._id))?.seasonMonths).toEqual([
      3, 4, 5,
    ]);
    await update({ seasonMonths: [] });
    expect(
      (await rt.store.collection<Subject>('subjects').get(wang._id))?.seasonMonths,
    ).toBeUndefined();
    const before = await audits();
    await update({ phone: wang.phone });
    expect(await audits()).toBe(before);
  });

  it("refuses another user's subject, an unknown street and a second subject's identity", async () => {
    expect(await update({ phone: '13900001111' }, 'wx-2')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await update({ divisionCode: '320703000' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { divisionCode: expect.any(Array) } },
    });
    const other = validIdNumber('19650704', '246');
    await rt.ok(
      subjectFunction,
      'register',
      smallholder({ name: '王建国二号', identityNumber: other }),
      'wx-1',
    );
    expect(await update({ identityNumber: other })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });
});
