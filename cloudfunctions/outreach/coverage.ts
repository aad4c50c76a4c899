/**
 * 培训覆盖 — which staff are still to be trained (the plan: every supervisor, enforcement
 * officer and extension technician at least once) and how far producers are trained, by
 * division, subject type and product category; derived from attendance, exported as .xlsx.
 */
import type ExcelJS from 'exceljs';
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import {
  chinaDateTimeText,
  coverageOf,
  type Attendance,
  type Coverage,
  type StaffCoverageRow,
  type SubjectCoverageRow,
} from '../../src/domain/outreach';
import { productCategories } from '../../src/domain/product-category';
import { roles as roleLabels } from '../../src/domain/role';
import { subjectTypes } from '../../src/domain/subject';
import { action, type Ctx } from '../kit/action';
import { divisionScope, inScope } from '../kit/scope';
import { safeCell, type SheetColumn } from '../kit/xlsx';
import { publishers } from './access';
import { loadWorld } from './world';

const input = z.object({
  divisionCode: z.optional(
    z.string().check(z.regex(/^\d{6}(\d{3})?$/, { error: '区划代码为 6 位或 9 位数字' })),
  ),
});

/** Coverage of the caller's scope, or of one division within it. */
async function coverageFor(ctx: Ctx, divisionCode: string | undefined) {
  const scope = divisionScope(ctx);
  if (divisionCode && !inScope(scope, divisionCode)) {
    throw new AppError('FORBIDDEN', '这个街道不在您的辖区内');
  }
  const target = divisionCode ?? scope;
  const [world, attendance] = await Promise.all([
    loadWorld(ctx),
    ctx.store.collection<Attendance>('trainingAttendance').find({ method: ['scan', 'manual'] }),
  ]);
  const coverage = coverageOf({
    users: world.users,
    subjects: world.subjects,
    attendance,
    inScope: (code) => inScope(target, code),
  });
  return { divisionCode: target, coverage };
}

/** What `coverage` answers: the figures, and the staff still to be trained by name. */
export interface CoverageResult {
  divisionCode: string | null;
  staff: Omit<Coverage['staff'], 'rows'> & { untrained: StaffCoverageRow[] };
  producers: Omit<Coverage['producers'], 'rows'>;
}

const day = (iso: string | null) => (iso ? chinaDateTimeText(iso).slice(0, 10) : '');

async function workbookOf(
  sheets: readonly {
    name: string;
    columns: readonly SheetColumn<never>[];
    rows: readonly unknown[];
  }[],
): Promise<Buffer> {
  const { default: Excel } = (await import('exceljs')) as unknown as { default: typeof ExcelJS };
  const workbook = new Excel.Workbook();
  workbook.creator = '合格证通';
  for (const s of sheets) {
    const sheet = workbook.addWorksheet(s.name);
    sheet.columns = s.columns.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    for (const row of s.rows) {
      sheet.addRow(s.columns.map((c) => safeCell((c as SheetColumn<unknown>).value(row))));
    }
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const staffColumns: SheetColumn<StaffCoverageRow>[] = [
  { header: '姓名', width: 14, value: (r) => r.nickname },
  { header: '角色', width: 22, value: (r) => r.roles.map((x) => roleLabels[x]).join('、') },
  { header: '辖区', width: 14, value: (r) => r.divisionName },
  { header: '是否已培训', width: 12, value: (r) => (r.trained ? '是' : '否') },
  { header: '参加培训次数', width: 14, value: (r) => r.sessions },
  { header: '最近培训日期', width: 14, value: (r) => day(r.lastTrainedAt) },
];

const subjectColumns: SheetColumn<SubjectCoverageRow>[] = [
  { header: '主体名称', width: 28, value: (r) => r.name },
  { header: '主体类型', width: 20, value: (r) => subjectTypes[r.type] },
  {
    header: '产品品类',
    width: 22,
    value: (r) => r.categories.map((c) => productCategories[c]).join('、'),
  },
  { header: '所在街道', width: 14, value: (r) => r.divisionName },
  { header: '是否已认领', width: 12, value: (r) => (r.claimed ? '是' : '否') },
  { header: '是否已培训', width: 12, value: (r) => (r.trained ? '是' : '否') },
  { header: '最近培训日期', width: 14, value: (r) => day(r.lastTrainedAt) },
];

export const coverageActions = {
  /** 培训覆盖 — staff not yet trained by name; producers trained by division, type and category. */
  coverage: action({
    input,
    roles: publishers,
    async run(input, ctx): Promise<CoverageResult> {
      const { divisionCode, coverage } = await coverageFor(ctx, input.divisionCode);
      const { rows: staffRows, ...staff } = coverage.staff;
      const { rows: _subjects, ...producers } = coverage.producers;
      return {
        divisionCode,
        staff: { ...staff, untrained: staffRows.filter((r) => !r.trained) },
        producers,
      };
    },
  }),

  /** 导出培训覆盖 — two sheets: every staff member and every subject in scope, trained or not. */
  coverageExport: action({
    input,
    roles: publishers,
    async run(input, ctx) {
      const { divisionCode, coverage } = await coverageFor(ctx, input.divisionCode);
      const buffer = await workbookOf([
        {
          name: '工作人员培训',
          columns: staffColumns as SheetColumn<never>[],
          rows: coverage.staff.rows,
        },
        {
          name: '生产主体培训',
          columns: subjectColumns as SheetColumn<never>[],
          rows: coverage.producers.rows,
        },
      ]);
      const place = divisionCode
        ? (divisionName(lianyunDivisions, divisionCode) ?? divisionCode)
        : '连云区';
      return {
        filename: `培训覆盖-${place}-${chinaDate(ctx.now())}.xlsx`,
        rows: coverage.staff.rows.length + coverage.producers.rows.length,
        base64: buffer.toString('base64'),
      };
    },
  }),
};
