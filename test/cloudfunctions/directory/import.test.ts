import ExcelJS from 'exceljs';
import {
  directoryFunction,
  type ImportBatch,
  type ImportReport,
  type XlsxFile,
} from '../../../cloudfunctions/directory/actions';
import { importChunkSize } from '../../../cloudfunctions/directory/import';
import { invoke } from '../../../cloudfunctions/kit/invoke';
import { StoreUnavailableError, type Store } from '../../../cloudfunctions/kit/store/port';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Envelope } from '../../../src/domain/errors';
import type { Subject } from '../../../src/domain/subject';
import { testRuntime, type TestRuntime } from '../../helpers/runtime';
import { creditCode } from '../../domain/fixtures';
import {
  addUsualStaff,
  idNumber,
  liandao,
  readXlsx,
  register,
  rosterRow,
  rosterXlsx,
  xugou,
} from './helpers';

let rt: TestRuntime;
beforeEach(async () => {
  rt = testRuntime();
  await addUsualStaff(rt);
});
afterEach(() => rt.close());

const subjects = () => rt.store.collection<Subject>('subjects');

async function importFile(
  base64: string,
  as = 'sup-xg',
  extra: Record<string, unknown> = {},
): Promise<Envelope<ImportReport>> {
  return rt.call<ImportReport>(
    directoryFunction,
    'import',
    { base64, importId: 'imp-0001-abcd', ...extra },
    as,
  );
}

function okReport(res: Envelope<ImportReport>): ImportReport {
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.data;
}

describe('directory.importTemplate', () => {
  it('has the Chinese headers, an example row, the allowed values and notes', async () => {
    const file = await rt.ok<XlsxFile>(directoryFunction, 'importTemplate', {}, 'sup-xg');
    expect(file.filename).toBe('主体名录导入模板.xlsx');
    const book = await readXlsx(file.base64);
    expect(Object.keys(book)).toEqual(['主体名录', '可选值', '填写说明']);
    expect(book['主体名录']?.[0]).toEqual([
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
    expect(book['主体名录']?.[1]?.[0]).toMatch(/^（示例）/);
    expect(book['主体名录']?.[1]?.[7]).toBe('墟沟街道');
    const values = book['可选值'] ?? [];
    expect(values.map((r) => r[0]).filter(Boolean)).toEqual([
      '主体类型',
      '企业',
      '农民专业合作社',
      '家庭农场',
      '种养殖户（小农户）',
      '收购商',
    ]);
    expect(values.map((r) => r[2])).toContain('前三岛乡');
  });

  it('imports as is (the example row is skipped, nothing to import)', async () => {
    const file = await rt.ok<XlsxFile>(directoryFunction, 'importTemplate', {}, 'sup-xg');
    const res = await importFile(file.base64, 'sup-xg', { dryRun: true });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!res.ok) expect(res.error.fields?.base64?.[0]).toContain('没有要导入的主体');
  });

  it('a filled-in template imports, drop-downs and all', async () => {
    const file = await rt.ok<XlsxFile>(directoryFunction, 'importTemplate', {}, 'sup-xg');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('主体名录')!;
    const r = rosterRow(1);
    sheet.addRow(Object.values(r));
    const filled = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    const report = okReport(await importFile(filled));
    expect(report).toMatchObject({ outcome: 'imported', rows: 1, imported: 1, exampleRows: [2] });
  });
});

describe('directory.import', () => {
  it('imports a good file whole: approved, no owner yet, from the import, audited', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => rosterRow(i + 1));
    rows[3] = rosterRow(4, { 生产季节: '4-10月', 是否规模以上: '是' });
    rows[4] = rosterRow(5, {
      主体名称: '连云港海之味水产有限公司',
      主体类型: '企业',
      证件类型: '统一社会信用代码',
      证件号码: creditCode('91320703MA1WXY123'),
    });
    const report = okReport(await importFile(await rosterXlsx(rows)));
    expect(report).toMatchObject({
      outcome: 'imported',
      rows: 60,
      valid: 60,
      invalid: 0,
      imported: 60,
      errors: [],
      byDivision: [{ divisionCode: xugou, divisionName: '墟沟街道', rows: 60 }],
    });
    expect(report.message).toContain('60');
    const all = await subjects().find();
    expect(all).toHaveLength(60);
    expect(new Set(all.map((s) => s.status))).toEqual(new Set(['approved']));
    expect(all.every((s) => s.ownerId === '' && s.source === 'import')).toBe(true);
    const four = all.find((s) => s.name === '农户4号');
    expect(four).toMatchObject({ seasonMonths: [4, 5, 6, 7, 8, 9, 10], aboveScale: true });
    expect(four?.identityDisplay).toBe(`320***********${idNumber(4).slice(-4)}`);
    expect(JSON.stringify(all)).not.toContain(idNumber(4));
    const company = all.find((s) => s.type === 'enterprise');
    expect(company).toMatchObject({
      identityKind: 'credit_code',
      identityDisplay: creditCode('91320703MA1WXY123'),
    });
    expect(await rt.store.collection('audit').count({ action: 'subject.import' })).toBe(60);
    const batch = await rt.ok<ImportBatch>(
      directoryFunction,
      'importStatus',
      { importId: 'imp-0001-abcd' },
      'sup-xg',
    );
    expect(batch).toMatchObject({ status: 'done', total: 60, written: 60 });
  });

  it('reports exactly the bad rows, by row number and in Chinese, and imports nothing', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => rosterRow(i + 1));
    const good = idNumber(3);
    rows[2] = rosterRow(3, { 证件号码: good.slice(0, 17) + (good.endsWith('0') ? '1' : '0') });
    rows[5] = rosterRow(6, { '所在街道/乡镇': '花果山街道' });
    rows[8] = rosterRow(9, { 主体名称: '' });
    const res = okReport(await importFile(await rosterXlsx(rows)));
    expect(res.outcome).toBe('rejected');
    expect(res).toMatchObject({ rows: 10, valid: 7, invalid: 3, imported: 0 });
    // Rows as the spreadsheet numbers them: the header is row 1.
    expect(res.errors).toEqual([
      {
        row: 4,
        name: '农户3号',
        errors: [{ column: '证件号码', message: expect.stringContaining('校验码') }],
      },
      {
        row: 7,
        name: '农户6号',
        errors: [{ column: '所在街道/乡镇', message: '“花果山街道”不是连云区的街道或乡镇' }],
      },
      { row: 10, name: null, errors: [{ column: '主体名称', message: '请填写主体名称' }] },
    ]);
    expect(res.message).toBe(
      '共 10 行，其中 3 行有误（第 4 行、第 7 行、第 10 行），本次没有导入任何主体；请改正后重新导入',
    );
    expect(await subjects().count()).toBe(0);
    expect(await rt.store.collection('importBatches').count()).toBe(0);
  });

  it('checks without writing on a dry run', async () => {
    const rows = [rosterRow(1), rosterRow(2, { 联系电话: '12345' })];
    const res = okReport(await importFile(await rosterXlsx(rows), 'sup-xg', { dryRun: true }));
    expect(res).toMatchObject({ outcome: 'dry_run', valid: 1, invalid: 1, imported: 0 });
    expect(res.errors[0]).toMatchObject({ row: 3, errors: [{ column: '联系电话' }] });
    expect(res.message).toContain('不会导入任何主体');
    const clean = okReport(
      await importFile(await rosterXlsx([rosterRow(1)]), 'sup-xg', {
        dryRun: true,
        importId: undefined,
      }),
    );
    expect(clean).toMatchObject({
      outcome: 'dry_run',
      valid: 1,
      message: expect.stringContaining('可以导入'),
    });
    expect(await subjects().count()).toBe(0);
  });

  it("refuses a supervisor's rows of another division; the admin imports any", async () => {
    const rows = [
      rosterRow(1),
      rosterRow(2, { '所在街道/乡镇': '连岛街道', 地址: '连云区连岛街道西连岛村' }),
    ];
    const base64 = await rosterXlsx(rows);
    const res = okReport(await importFile(base64));
    expect(res.outcome).toBe('rejected');
    expect(res.errors).toEqual([
      {
        row: 3,
        name: '农户2号',
        errors: [{ column: '所在街道/乡镇', message: '连岛街道不在您负责的墟沟街道，不能导入' }],
      },
    ]);
    expect(await subjects().count()).toBe(0);
    const admin = okReport(await importFile(base64, 'admin-1'));
    expect(admin).toMatchObject({ outcome: 'imported', imported: 2 });
    expect(admin.byDivision.map((d) => d.divisionCode)).toEqual([xugou, liandao]);
  });

  it('reports rows repeating an identity in the file or already in the directory', async () => {
    await register(rt, 'wx-1', { identityNumber: idNumber(2) });
    await register(rt, 'wx-2', {
      identityNumber: idNumber(4),
      divisionCode: liandao,
      address: '连云区连岛街道海滨村',
    });
    const rows = [
      rosterRow(1),
      rosterRow(2),
      rosterRow(3),
      rosterRow(1, { 主体名称: '重复户' }),
      rosterRow(4),
    ];
    const res = okReport(await importFile(await rosterXlsx(rows)));
    expect(res.errors.map((e) => [e.row, e.errors.map((x) => x.message)])).toEqual([
      [3, ['名录中已有该证件号码的主体：王建国（墟沟街道，已登记待审核），请删除此行']],
      [5, ['与第 2 行的证件号码重复']],
      // In another division: its name is not shown to this supervisor.
      [6, ['名录中已有该证件号码的主体（在连岛街道），请删除此行']],
    ]);
    expect(await subjects().count()).toBe(2);
  });

  it('refuses a file that is not a roster, naming what is wrong', async () => {
    const notXlsx = Buffer.from('主体名称,证件号码\n王建国,1').toString('base64');
    const res = await importFile(notXlsx);
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!res.ok) expect(res.error.message).toContain('不是 .xlsx 文件');
    const noPhone = await rosterXlsx(
      [rosterRow(1)],
      [
        '主体名称',
        '主体类型',
        '证件类型',
        '证件号码',
        '联系人',
        '地址',
        '所在街道/乡镇',
        '主要产品',
      ],
    );
    const missing = await importFile(noPhone);
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!missing.ok) expect(missing.error.message).toBe('缺少必填列：联系电话（请使用导入模板）');
    expect(
      await rt.call(
        directoryFunction,
        'import',
        { base64: await rosterXlsx([rosterRow(1)]) },
        'sup-xg',
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { importId: expect.any(Array) } },
    });
  });

  it('answers a repeat of a finished import without importing again', async () => {
    const base64 = await rosterXlsx([rosterRow(1), rosterRow(2)]);
    okReport(await importFile(base64));
    const again = okReport(await importFile(base64));
    expect(again).toMatchObject({ outcome: 'imported', imported: 2 });
    expect(again.message).toContain('没有重复导入');
    expect(await subjects().count()).toBe(2);
    // The same importId with another file is a mistake, not a new import.
    const other = await importFile(await rosterXlsx([rosterRow(3)]));
    expect(other).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // A new importId with the same rows: they are in the directory now.
    const fresh = okReport(await importFile(base64, 'sup-xg', { importId: 'imp-0002-abcd' }));
    expect(fresh.outcome).toBe('rejected');
    expect(fresh.errors).toHaveLength(2);
  });

  it('resumes after a failure part-way, writing nothing twice', async () => {
    const total = importChunkSize * 2 + 7;
    const base64 = await rosterXlsx(Array.from({ length: total }, (_, i) => rosterRow(i + 1)));
    // The store fails on the second chunk's transaction.
    let transactions = 0;
    const failing: Store = {
      collection: (name) => rt.store.collection(name),
      close: () => rt.store.close(),
      async transaction(fn) {
        transactions++;
        if (transactions === 2) throw new StoreUnavailableError('simulated outage');
        return rt.store.transaction(fn);
      },
    };
    const input = { base64, importId: 'imp-0001-abcd' };
    const interrupted = await invoke(
      directoryFunction,
      { action: 'import', input },
      { store: failing, callerId: 'sup-xg', config: rt.config, now: () => new Date() },
    );
    expect(interrupted).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    if (!interrupted.ok) {
      expect(interrupted.error.message).toBe(
        `导入中断：已导入 ${importChunkSize}/${total} 个主体。请用同一文件重新导入（导入编号不变），已导入的不会重复`,
      );
    }
    expect(await subjects().count()).toBe(importChunkSize);
    const batch = await rt.ok<ImportBatch>(
      directoryFunction,
      'importStatus',
      { importId: 'imp-0001-abcd' },
      'sup-xg',
    );
    expect(batch).toMatchObject({ status: 'writing', written: importChunkSize, total });

    const resumed = okReport(await importFile(base64));
    expect(resumed).toMatchObject({ outcome: 'imported', imported: total, errors: [] });
    const all = await subjects().find();
    expect(all).toHaveLength(total);
    expect(new Set(all.map((s) => s.identityFingerprint)).size).toBe(total);
    expect(await rt.store.collection('audit').count({ action: 'subject.import' })).toBe(total);
  });

  it("answers 'in_progress' when out of time, and the next call finishes", async () => {
    const total = importChunkSize * 3;
    const base64 = await rosterXlsx(Array.from({ length: total }, (_, i) => rosterRow(i + 1)));
    // A clock that moves 10 s each time it is read: the budget runs out after a chunk or two.
    let t = Date.parse('2026-11-29T02:00:00.000Z');
    const call = () =>
      invoke(
        directoryFunction,
        { action: 'import', input: { base64, importId: 'imp-0001-abcd' } },
        {
          store: rt.store,
          callerId: 'sup-xg',
          config: rt.config,
          now: () => new Date((t += 10_000)),
        },
      ) as Promise<Envelope<ImportReport>>;
    const first = okReport(await call());
    expect(first.outcome).toBe('in_progress');
    expect(first.imported).toBeLessThan(total);
    expect(first.message).toContain(`/${total}`);
    let last = first;
    for (let i = 0; i < 5 && last.outcome === 'in_progress'; i++) last = okReport(await call());
    expect(last).toMatchObject({ outcome: 'imported', imported: total });
    expect(await subjects().count()).toBe(total);
  });

  it('a producer who registers an imported identity in its division takes the record over', async () => {
    okReport(await importFile(await rosterXlsx([rosterRow(1, { 主体名称: '王建国' })])));
    const [imported] = await subjects().find();
    const claimed = await register(rt, 'wx-9', {
      identityNumber: idNumber(1),
      phone: '13911112222',
    });
    expect(claimed._id).toBe(imported?._id);
    expect(claimed).toMatchObject({
      ownerId: 'wx-9',
      status: 'registered',
      source: 'import',
      phone: '13911112222',
    });
    expect(await subjects().count()).toBe(1);
    const mine = await rt.ok<Subject[]>(subjectFunction, 'mine', {}, 'wx-9');
    expect(mine.map((s) => s._id)).toEqual([imported?._id]);
    // It waits for the office to confirm the claimant.
    const pending = await rt.ok<{ items: { claim: boolean; subject: { _id: string } }[] }>(
      directoryFunction,
      'pending',
      {},
      'sup-xg',
    );
    expect(pending.items).toEqual([expect.objectContaining({ claim: true })]);
    // A second registration of the same identity by the same user is a duplicate.
    const again = await rt.call(
      subjectFunction,
      'register',
      { ...rosterAsRegistration(), identityNumber: idNumber(1) },
      'wx-9',
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // In another division it is not taken over: a new subject (a duplicate to merge, perhaps).
    const elsewhere = await register(rt, 'wx-10', {
      identityNumber: idNumber(1),
      divisionCode: liandao,
      address: '连云区连岛街道海滨村',
    });
    expect(elsewhere._id).not.toBe(imported?._id);
  });
});

function rosterAsRegistration() {
  return {
    type: 'smallholder',
    name: '王建国',
    identityKind: 'id_card',
    contactName: '王建国',
    phone: '13812345678',
    address: '连云区墟沟街道东山村三组',
    divisionCode: xugou,
    products: ['青菜'],
  };
}
