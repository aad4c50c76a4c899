import { subjectFunction, type DivisionSubject } from '../../../cloudfunctions/subject/actions';
import type { Role, User } from '../../../src/domain/role';
import type { Subject } from '../../../src/domain/subject';
import { smallholder, testRuntime, validIdNumber, type TestRuntime } from '../../helpers/runtime';

const xugou = '320703001';
const liandao = '320703003';

let rt: TestRuntime;
let wang: Subject;
let li: Subject;
let zhao: Subject;

async function addUser(id: string, roles: Role[], divisionCode: string | null) {
  await rt.store.collection<User>('users').insert({
    _id: id,
    nickname: id,
    roles,
    divisionCode,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
}

beforeEach(async () => {
  rt = testRuntime();
  wang = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  li = await rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({ name: '李秀英', identityNumber: validIdNumber('19650704', '246') }),
    'wx-2',
  );
  zhao = await rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({
      name: '赵家渔场',
      identityNumber: validIdNumber('19700101', '357'),
      address: '连云区连岛街道海滨村',
      divisionCode: liandao,
    }),
    'wx-3',
  );
  await addUser('sup-xg', ['supervisor'], xugou);
  await addUser('sup-none', ['supervisor'], null);
  await addUser('coord-xg', ['coordinator'], xugou);
  await addUser('admin-1', ['admin'], null);
});
afterEach(() => rt.close());

function list(input: Record<string, unknown>, as: string | null) {
  return rt.call<DivisionSubject[]>(subjectFunction, 'division', input, as);
}

describe('subject.division', () => {
  it("lists a supervisor's own division only, in pinyin order, without contact details", async () => {
    const found = await rt.ok<DivisionSubject[]>(subjectFunction, 'division', {}, 'sup-xg');
    expect(found.map((s) => s.name)).toEqual(['李秀英', '王建国']);
    expect(found[0]).toEqual({
      _id: li._id,
      name: '李秀英',
      type: 'smallholder',
      divisionCode: xugou,
      status: 'registered',
    });
    expect(JSON.stringify(found)).not.toContain('138');
    expect(found.map((s) => s._id)).not.toContain(zhao._id);
  });

  it('searches by part of the name', async () => {
    const found = await rt.ok<DivisionSubject[]>(
      subjectFunction,
      'division',
      { q: '建国' },
      'sup-xg',
    );
    expect(found.map((s) => s._id)).toEqual([wang._id]);
  });

  it("refuses a supervisor another division's subjects (FORBIDDEN)", async () => {
    const res = await list({ divisionCode: liandao }, 'sup-xg');
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!res.ok) expect(res.error.message).toContain('不在您负责');
    // The whole district is wider than 墟沟: refused too.
    expect(await list({ divisionCode: '320703' }, 'sup-xg')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('refuses a supervisor without a division', async () => {
    expect(await list({}, 'sup-none')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('is not for producers or anonymous callers', async () => {
    expect(await list({}, 'wx-1')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await list({}, null)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('gives a village coordinator the subjects of their own division only (to patrol)', async () => {
    const mine = await rt.ok<DivisionSubject[]>(subjectFunction, 'division', {}, 'coord-xg');
    expect(mine.map((s) => s._id).sort()).toEqual([wang._id, li._id].sort());
    expect(await list({ divisionCode: liandao }, 'coord-xg')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('gives an admin the whole district, or one division', async () => {
    const all = await rt.ok<DivisionSubject[]>(subjectFunction, 'division', {}, 'admin-1');
    expect(all.map((s) => s._id).sort()).toEqual([wang._id, li._id, zhao._id].sort());
    const ld = await rt.ok<DivisionSubject[]>(
      subjectFunction,
      'division',
      { divisionCode: liandao },
      'admin-1',
    );
    expect(ld.map((s) => s._id)).toEqual([zhao._id]);
  });

  it('answers an unknown division code at divisionCode', async () => {
    const res = await list({ divisionCode: '320703099' }, 'admin-1');
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!res.ok) expect(res.error.fields?.divisionCode).toBeDefined();
    const bad = await list({ divisionCode: 'xugou' }, 'admin-1');
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
