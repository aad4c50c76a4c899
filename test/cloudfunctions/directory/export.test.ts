import {
  directoryFunction,
  type StaffSubjectView,
  type XlsxFile,
} from '../../../cloudfunctions/directory/actions';
import type { Subject } from '../../../src/domain/subject';
import { testRuntime, validIdNumber, type TestRuntime } from '../../helpers/runtime';
import { addUsualStaff, liandao, readXlsx, register } from './helpers';

let rt: TestRuntime;
let wang: Subject;
const wangId = validIdNumber('19580312', '123');

beforeEach(async () => {
  rt = testRuntime();
  await addUsualStaff(rt);
  wang = await register(rt, 'wx-1', { identityNumber: wangId, seasonMonths: [3, 4, 5] });
  await register(rt, 'wx-2', {
    name: '李秀英',
    identityNumber: validIdNumber('19650704', '246'),
    phone: '0518-85551234',
  });
  await register(rt, 'wx-3', {
    name: '赵家渔场',
    identityNumber: validIdNumber('19700101', '357'),
    address: '连云区连岛街道海滨村',
    divisionCode: liandao,
  });
  await rt.ok(directoryFunction, 'review', { subjectId: wang._id, decision: 'approve' }, 'sup-xg');
});
afterEach(() => rt.close());

describe('directory.export', () => {
  it("writes the supervisor's division, ID numbers masked, phones as stored", async () => {
    const file = await rt.ok<XlsxFile>(directoryFunction, 'export', {}, 'sup-xg');
    expect(file.filename).toBe('主体名录-墟沟街道-2026-11-29.xlsx');
    expect(file.rows).toBe(2);
    const sheet = (await readXlsx(file.base64))['主体名录'] ?? [];
    expect(sheet[0]?.slice(0, 11)).toEqual([
      '主体名称',
      '主体类型',
      '证件类型',
      '证件号码',
      '联系人',
      '联系电话',
      '地址',
      '所在街道/乡镇',
      '主要产品',
      '是否规模以上',
      '生产季节',
    ]);
    expect(sheet[0]).toEqual(expect.arrayContaining(['状态', '来源', '审核意见']));
    const byName = Object.fromEntries(sheet.slice(1).map((r) => [r[0], r]));
    expect(Object.keys(byName).sort()).toEqual(['李秀英', '王建国'].sort());
    expect(byName['王建国']?.slice(0, 11)).toEqual([
      '王建国',
      '种养殖户（小农户）',
      '居民身份证号码',
      `320***********${wangId.slice(-4)}`,
      '王建国',
      '13812345678',
      '连云区墟沟街道东山村三组',
      '墟沟街道',
      '青菜、番茄',
      '否',
      '3-5月',
    ]);
    expect(byName['王建国']?.[11]).toBe('已审核');
    expect(byName['李秀英']?.[5]).toBe('0518-85551234');
    expect(JSON.stringify(sheet)).not.toContain(wangId);
  });

  it('filters by status; the admin exports the district or a division', async () => {
    const approved = await rt.ok<XlsxFile>(
      directoryFunction,
      'export',
      { status: 'approved' },
      'sup-xg',
    );
    expect(approved.rows).toBe(1);
    expect(approved.filename).toContain('已审核');
    expect((await rt.ok<XlsxFile>(directoryFunction, 'export', {}, 'admin-1')).rows).toBe(3);
    const ld = await rt.ok<XlsxFile>(
      directoryFunction,
      'export',
      { divisionCode: liandao },
      'admin-1',
    );
    expect(ld.rows).toBe(1);
    expect(ld.filename).toContain('连岛街道');
  });

  it('refuses another division and producers', async () => {
    expect(
      await rt.call(directoryFunction, 'export', { divisionCode: liandao }, 'sup-xg'),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await rt.call(directoryFunction, 'export', {}, 'wx-1')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});

describe('directory.list and get', () => {
  it('lists the area by name and finds by name or phone', async () => {
    const list = await rt.ok<{ total: number; items: StaffSubjectView[] }>(
      directoryFunction,
      'list',
      { q: '0518' },
      'coord-xg',
    );
    expect(list.items.map((s) => s.name)).toEqual(['李秀英']);
    const all = await rt.ok<{ total: number; items: StaffSubjectView[] }>(
      directoryFunction,
      'list',
      {},
      'sup-ld',
    );
    expect(all.items.map((s) => s.name)).toEqual(['赵家渔场']);
  });

  it('shows one subject with what the directory derives', async () => {
    const entry = await rt.ok(directoryFunction, 'get', { subjectId: wang._id }, 'sup-xg');
    expect(entry).toMatchObject({
      subject: { _id: wang._id, statusLabel: '已审核', seasonLabel: '3-5月' },
      certificates: 0,
      lastIssuedAt: null,
      pendingReview: false,
      dormant: false,
    });
    expect(
      await rt.call(directoryFunction, 'get', { subjectId: wang._id }, 'sup-ld'),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
