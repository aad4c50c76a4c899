import {
  directoryFunction,
  type StaffSubjectView,
} from '../../../cloudfunctions/directory/actions';
import type { DormantItem } from '../../../cloudfunctions/directory/dormant';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Subject } from '../../../src/domain/subject';
import { testRuntime, validIdNumber, type TestRuntime } from '../../helpers/runtime';
import { addUsualStaff, issueOne, liandao, register } from './helpers';

let rt: TestRuntime;
let summer: Subject;
let yearRound: Subject;
let winter: Subject;
let quiet: Subject;
let ld: Subject;

type Dormant = { afterDays: number; total: number; items: DormantItem[] };
const dormant = (as = 'sup-xg', input: Record<string, unknown> = {}) =>
  rt.ok<Dormant>(directoryFunction, 'dormant', input, as);

beforeEach(async () => {
  rt = testRuntime();
  await addUsualStaff(rt);
  rt.setNow('2026-01-10T02:00:00.000Z');
  // A melon grower (May–September) who last issued in early June.
  summer = await register(rt, 'wx-1', { name: '夏季瓜农', seasonMonths: [5, 6, 7, 8, 9] });
  yearRound = await register(rt, 'wx-2', {
    name: '常年菜农',
    identityNumber: validIdNumber('19650704', '246'),
  });
  winter = await register(rt, 'wx-3', {
    name: '冬季菜农',
    identityNumber: validIdNumber('19700101', '357'),
    seasonMonths: [11, 12, 1, 2],
  });
  // Out of season, but issued in October: within the period.
  quiet = await register(rt, 'wx-4', {
    name: '秋季果农',
    identityNumber: validIdNumber('19700101', '358'),
    seasonMonths: [8, 9, 10],
  });
  ld = await register(rt, 'wx-5', {
    name: '连岛渔户',
    identityNumber: validIdNumber('19700101', '359'),
    seasonMonths: [5, 6],
    divisionCode: liandao,
    address: '连云区连岛街道海滨村',
  });
  rt.setNow('2026-06-05T02:00:00.000Z');
  await issueOne(rt, summer._id, 'wx-1');
  rt.setNow('2026-10-10T02:00:00.000Z');
  await issueOne(rt, quiet._id, 'wx-4');
  // Today: 15 December, China time.
  rt.setNow('2026-12-15T02:00:00.000Z');
});
afterEach(() => rt.close());

describe('directory.dormant', () => {
  it('lists active subjects with no certificate in 180 days that are out of season today', async () => {
    const res = await dormant();
    expect(res.afterDays).toBe(180);
    expect(
      res.items.map((i) => [i.subject.name, i.lastIssuedAt, i.idleDays, i.seasonLabel]),
    ).toEqual([['夏季瓜农', '2026-06-05T02:00:00.000Z', 193, '5-9月']]);
    // 常年菜农 has no season (never out of it), 冬季菜农 is in season, 秋季果农 issued in October.
    const names = res.items.map((i) => i.subject.name);
    for (const n of ['常年菜农', '冬季菜农', '秋季果农', '连岛渔户'])
      expect(names).not.toContain(n);
  });

  it('follows the clock: seasons turn and periods run out', async () => {
    // In May the melon grower is in season again; the autumn grower's October is 212 days back,
    // and the winter grower, registered 16 months ago, never issued at all.
    rt.setNow('2027-05-10T02:00:00.000Z');
    expect((await dormant()).items.map((i) => [i.subject.name, i.lastIssuedAt])).toEqual([
      ['冬季菜农', null],
      ['秋季果农', '2026-10-10T02:00:00.000Z'],
    ]);
    // In March the autumn grower's October is only 151 days back.
    rt.setNow('2027-03-10T02:00:00.000Z');
    expect((await dormant()).items.map((i) => i.subject.name).sort()).toEqual(
      ['冬季菜农', '夏季瓜农'].sort(),
    );
  });

  it('counts a season by China time', async () => {
    // 31 October 17:00 UTC is 1 November in China: the winter season has begun.
    rt.setNow('2027-10-31T17:00:00.000Z');
    expect((await dormant()).items.map((i) => i.subject.name)).not.toContain('冬季菜农');
    rt.setNow('2027-10-31T15:00:00.000Z');
    expect((await dormant()).items.map((i) => i.subject.name)).toContain('冬季菜农');
  });

  it('takes the period from the configuration', async () => {
    rt.config.dormantAfterDays = 60;
    expect((await dormant()).items.map((i) => i.subject.name).sort()).toEqual(
      ['夏季瓜农', '秋季果农'].sort(),
    );
    delete rt.config.dormantAfterDays;
  });

  it("is per division: the admin sees 连岛's, the supervisor of 墟沟 does not", async () => {
    expect(
      (await dormant('admin-1', { divisionCode: liandao })).items.map((i) => i.subject.name),
    ).toEqual(['连岛渔户']);
    expect(
      await rt.call(directoryFunction, 'dormant', { divisionCode: liandao }, 'sup-xg'),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('directory.confirmDormant', () => {
  const confirm = (input: Record<string, unknown>, as = 'sup-xg') =>
    rt.call<{ subject: StaffSubjectView; keptUntil: string | null }>(
      directoryFunction,
      'confirmDormant',
      input,
      as,
    );

  it('keeps a subject that still operates: off the list for the period, then back', async () => {
    const res = await confirm({
      subjectId: summer._id,
      decision: 'keep',
      reason: '电话核实：冬季休耕，明年继续种植',
    });
    expect(res).toMatchObject({ ok: true, data: { keptUntil: '2027-06-13T02:00:00.000Z' } });
    expect((await dormant()).items).toEqual([]);
    expect(await rt.store.collection<Subject>('subjects').get(summer._id)).toMatchObject({
      status: 'registered',
    });
    // Out of season again next winter, with no certificate since, and the keep has run out.
    rt.setNow('2027-12-15T02:00:00.000Z');
    expect((await dormant()).items.map((i) => i.subject.name)).toContain('夏季瓜农');
  });

  it('retires a subject that no longer operates; the owner sees it', async () => {
    const res = await confirm({
      subjectId: summer._id,
      decision: 'retire',
      reason: '实地核实：已停止种植',
    });
    expect(res).toMatchObject({ ok: true, data: { subject: { status: 'retired' } } });
    const seen = await rt.ok<Subject>(subjectFunction, 'get', { subjectId: summer._id }, 'wx-1');
    expect(seen).toMatchObject({ status: 'retired', retiredReason: '实地核实：已停止种植' });
    expect((await dormant()).items).toEqual([]);
  });

  it('refuses subjects that are not dormant, outside the area, or without a reason', async () => {
    const notDormant = await confirm({
      subjectId: winter._id,
      decision: 'retire',
      reason: '核实' + '情况',
    });
    expect(notDormant).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!notDormant.ok) expect(notDormant.error.message).toContain('生产季节');
    const yr = await confirm({ subjectId: yearRound._id, decision: 'retire', reason: '无人接听' });
    expect(yr).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(
      await confirm({ subjectId: ld._id, decision: 'keep', reason: '电话核实' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await confirm({ subjectId: summer._id, decision: 'keep', reason: '' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { reason: expect.any(Array) } },
    });
    expect(
      await confirm({ subjectId: summer._id, decision: 'keep', reason: '电话核实' }, 'coord-xg'),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
