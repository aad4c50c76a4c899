import ExcelJS from 'exceljs';
import { importColumns } from '../../../src/domain/directory';
import type { Role, User } from '../../../src/domain/role';
import type { Subject } from '../../../src/domain/subject';
import { certificateFunction } from '../../../cloudfunctions/certificate/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { issueInput, smallholder, validIdNumber, type TestRuntime } from '../../helpers/runtime';

export const xugou = '320703001';
export const liandao = '320703003';

/** A staff user as an invitation would leave them. */
export async function addStaff(
  rt: TestRuntime,
  id: string,
  roles: Role[],
  divisionCode: string | null,
): Promise<void> {
  await rt.store.collection<User>('users').insert({
    _id: id,
    nickname: id,
    roles,
    divisionCode,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
}

/** The usual staff: supervisors and a coordinator of 墟沟 and 连岛, an admin. */
export async function addUsualStaff(rt: TestRuntime): Promise<void> {
  await addStaff(rt, 'sup-xg', ['supervisor'], xugou);
  await addStaff(rt, 'sup-ld', ['supervisor'], liandao);
  await addStaff(rt, 'coord-xg', ['coordinator'], xugou);
  await addStaff(rt, 'admin-1', ['admin'], null);
}

/** The n-th distinct valid ID number (n < 30,000). */
export function idNumber(n: number): string {
  const year = 1950 + Math.floor(n / 1000);
  return validIdNumber(`${year}0101`, String(n % 1000).padStart(3, '0'));
}

export type Header = (typeof importColumns)[number]['header'];
export type RosterRow = Partial<Record<Header, string | number>>;

/** A good roster row for a smallholder of 墟沟, the n-th identity. */
export function rosterRow(n: number, overrides: RosterRow = {}): RosterRow {
  return {
    主体名称: `农户${n}号`,
    主体类型: '种养殖户（小农户）',
    证件类型: '居民身份证号码',
    证件号码: idNumber(n),
    联系人: `联系人${n}`,
    联系电话: `1390000${String(n).padStart(4, '0')}`,
    地址: `连云区墟沟街道东山村${n}号`,
    '所在街道/乡镇': '墟沟街道',
    主要产品: '青菜、番茄',
    是否规模以上: '否',
    生产季节: '全年',
    ...overrides,
  };
}

/** An .xlsx roster (base64) with the template's headers, or the given ones. */
export async function rosterXlsx(
  rows: readonly RosterRow[],
  headers: readonly string[] = importColumns.map((c) => c.header),
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名册');
  sheet.addRow([...headers]);
  for (const r of rows) sheet.addRow(headers.map((h) => r[h as Header] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}

/** Reads back an .xlsx (base64): each sheet's rows as arrays of cell texts. */
export async function readXlsx(base64: string): Promise<Record<string, string[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  const out: Record<string, string[][]> = {};
  for (const sheet of workbook.worksheets) {
    const rows: string[][] = [];
    sheet.eachRow((row) => {
      const cells: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) {
        const v = row.getCell(c).value;
        cells.push(v === null || v === undefined ? '' : String(v));
      }
      rows.push(cells);
    });
    out[sheet.name] = rows;
  }
  return out;
}

/** Registers a smallholder as `as` (default 王建国 in 墟沟). */
export function register(
  rt: TestRuntime,
  as: string,
  overrides: Parameters<typeof smallholder>[0] = {},
): Promise<Subject> {
  return rt.ok<Subject>(subjectFunction, 'register', smallholder(overrides), as);
}

/** Issues one certificate for a subject as its owner; returns its code. */
export async function issueOne(
  rt: TestRuntime,
  subjectId: string,
  as: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const [c] = await rt.ok<{ code: string }[]>(
    certificateFunction,
    'issue',
    issueInput(subjectId, overrides),
    as,
  );
  if (!c) throw new Error('nothing issued');
  return c.code;
}
