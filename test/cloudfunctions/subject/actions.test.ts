import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Subject } from '../../../src/domain/subject';
import { smallholder, testRuntime, validIdNumber, type TestRuntime } from '../../helpers/runtime';

let rt: TestRuntime;
beforeEach(() => {
  rt = testRuntime();
});
afterEach(() => rt.close());

describe('subject.register', () => {
  it('registers a smallholder, masks the ID number at rest and makes the caller a producer', async () => {
    const id = validIdNumber();
    const subject = await rt.ok<Subject>(
      subjectFunction,
      'register',
      smallholder({ identityNumber: id }),
      'wx-1',
    );
    expect(subject).toMatchObject({ name: '王建国', status: 'registered', ownerId: 'wx-1' });
    expect(subject.identityDisplay).toBe(`320***********${id.slice(-4)}`);
    const stored = await rt.store.collection<Subject>('subjects').get(subject._id);
    expect(JSON.stringify(stored)).not.toContain(id);
    expect(JSON.stringify(stored)).not.toContain(id.slice(6, 14));
    const user = await rt.store.collection<{ _id: string; roles: string[] }>('users').get('wx-1');
    expect(user?.roles).toEqual(['producer']);
    expect(await rt.store.collection('audit').count({ entityId: subject._id })).toBe(1);
  });

  it('accepts a lower-case x and spaces in the ID number', async () => {
    const id = validIdNumber('19600101', '002');
    const typed = `${id.slice(0, 6)} ${id.slice(6).toLowerCase()}`;
    await rt.ok(subjectFunction, 'register', smallholder({ identityNumber: typed }), 'wx-1');
  });

  it('gives a buyer the buyer role', async () => {
    await rt.ok(
      subjectFunction,
      'register',
      smallholder({ type: 'buyer', name: '海州湾收购点' }),
      'wx-2',
    );
    const user = await rt.store.collection<{ _id: string; roles: string[] }>('users').get('wx-2');
    expect(user?.roles).toEqual(['buyer']);
  });

  it('answers every bad field by path, in Chinese, and stores nothing', async () => {
    const res = await rt.call(
      subjectFunction,
      'register',
      smallholder({
        name: '王',
        phone: '12345',
        identityNumber: '320703195803121230',
        products: [],
      }),
      'wx-1',
    );
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('INVALID_INPUT');
    expect(Object.keys(res.error.fields ?? {}).sort()).toEqual(
      expect.arrayContaining(['name', 'phone', 'products']),
    );
    expect(res.error.fields?.phone?.[0]).toContain('手机号');
    expect(await rt.store.collection('subjects').count()).toBe(0);
    expect(await rt.store.collection('users').count()).toBe(0);
  });

  it('refuses a wrong check digit at identityNumber', async () => {
    const id = validIdNumber();
    const wrong = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
    const res = await rt.call(
      subjectFunction,
      'register',
      smallholder({ identityNumber: wrong }),
      'wx-1',
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!res.ok) expect(res.error.fields?.identityNumber?.[0]).toContain('校验码');
  });

  it('refuses the district itself as a division', async () => {
    const res = await rt.call(
      subjectFunction,
      'register',
      smallholder({ divisionCode: '320703000' }),
      'wx-1',
    );
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { divisionCode: expect.any(Array) } },
    });
  });

  it('refuses a second registration of the same person by the same operator', async () => {
    await rt.ok(subjectFunction, 'register', smallholder(), 'wx-1');
    const res = await rt.call(
      subjectFunction,
      'register',
      smallholder({ name: '王建国二' }),
      'wx-1',
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await rt.store.collection('subjects').count()).toBe(1);
  });

  it('needs a signed-in caller', async () => {
    expect(await rt.call(subjectFunction, 'register', smallholder(), null)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});

describe('subject.mine and subject.get', () => {
  it('shows each operator only their own subjects', async () => {
    const mine = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
    await rt.ok(
      subjectFunction,
      'register',
      smallholder({ name: '李四', identityNumber: validIdNumber('19700101', '456') }),
      'wx-2',
    );
    const list = await rt.ok<Subject[]>(subjectFunction, 'mine', {}, 'wx-1');
    expect(list.map((s) => s._id)).toEqual([mine._id]);
    expect(await rt.ok(subjectFunction, 'get', { subjectId: mine._id }, 'wx-1')).toMatchObject({
      name: '王建国',
    });
    expect(await rt.call(subjectFunction, 'get', { subjectId: mine._id }, 'wx-2')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
