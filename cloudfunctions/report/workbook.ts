/** 书面总结（Excel） — a street's summary as a workbook: one sheet per part, as the PDF reads. */
import type ExcelJS from 'exceljs';
import { chinaDate } from '../../src/domain/certificate';
import { chinaDateTime } from '../../src/domain/market';
import { keyFigureText, monthLabel, percentText, summaryStatuses } from '../../src/domain/report';
import { roles as roleLabels } from '../../src/domain/role';
import { safeCell } from '../kit/xlsx';
import type { SummaryReport } from './summary';

type Excel = typeof ExcelJS;

/** A column of a sheet: its header, its width and how a row fills its cell. */
interface Column<T> {
  header: string;
  width: number;
  cell: (row: T) => unknown;
}

/** A sheet's definition: its name and columns; the rows come from the summary. */
interface SheetDef<T> {
  name: string;
  columns: readonly Column<T>[];
}

/** Columns from `[header, width, cell]` triples: the definitions below read as tables. */
function columns<T>(...defs: [string, number, (row: T) => unknown][]): Column<T>[] {
  return defs.map(([header, width, cell]) => ({ header, width, cell }));
}

/** Two columns, a label and its value, for sheets that read as a form. */
function pairSheet(name: string, label: [string, number], value: [string, number]) {
  return {
    name,
    columns: columns<readonly [string, unknown]>([...label, (r) => r[0]], [...value, (r) => r[1]]),
  };
}

type Change = SummaryReport['changes'][number];
type Dashboard = SummaryReport['dashboard'];
type MonthRow = {
  m: Dashboard['certificates']['byMonth'][number];
  c: Dashboard['coverage']['byMonth'][number] | undefined;
};
type Breakdown = { kind: string; label: string; records: number; labels: number };
type Dormant = SummaryReport['lists']['dormantSubjects']['items'][number];
type Overdue = SummaryReport['lists']['overdueRectifications'][number];
type Person = { name: string; roles: string; division: string };

const sheets = {
  overview: pairSheet('概况', ['项目', 22], ['内容', 60]),
  figures: {
    name: '主要数据',
    columns: columns<Change>(
      ['指标', 30, (c) => c.label],
      ['本期', 14, (c) => keyFigureText(c.key, c.current)],
      ['上期', 14, (c) => keyFigureText(c.key, c.previous)],
      ['变化', 16, (c) => c.deltaWords],
    ),
  },
  months: {
    name: '按月',
    columns: columns<MonthRow>(
      ['月份', 12, ({ m }) => monthLabel(m.month)],
      ['开具合格证（张）', 16, ({ m }) => m.records],
      ['标签（份）', 12, ({ m }) => m.labels],
      ['规模以上主体（家）', 18, ({ c }) => c?.aboveScale ?? 0],
      ['其中开证（家）', 14, ({ c }) => c?.issuing ?? 0],
      ['开证率', 10, ({ c }) => percentText(c?.share ?? null)],
    ),
  },
  breakdown: {
    name: '按品类和开具方式',
    columns: columns<Breakdown>(
      ['分类', 12, (b) => b.kind],
      ['项目', 24, (b) => b.label],
      ['合格证（张）', 14, (b) => b.records],
      ['标签（份）', 12, (b) => b.labels],
    ),
  },
  dormant: {
    name: '在册不运行',
    columns: columns<Dormant>(
      ['主体名称', 24, (i) => i.subject.name],
      ['主体类型', 16, (i) => i.subject.typeLabel],
      ['联系人', 10, (i) => i.subject.contactName],
      ['联系电话', 14, (i) => i.subject.phone],
      [
        '最后开证日期',
        14,
        (i) => (i.lastIssuedAt ? chinaDate(new Date(i.lastIssuedAt)) : '从未开证'),
      ],
      ['未开证天数', 12, (i) => i.idleDays],
      ['生产季节', 14, (i) => i.seasonLabel],
    ),
  },
  overdue: {
    name: '逾期整改',
    columns: columns<Overdue>(
      ['主体名称', 24, (c) => c.subjectName],
      ['整改原因', 20, (c) => c.reasonLabel],
      ['开立日期', 12, (c) => chinaDate(new Date(c.openedAt))],
      ['整改期限', 12, (c) => c.deadline],
      ['状态', 14, (c) => c.statusLabel],
      ['问题说明', 40, (c) => c.note],
    ),
  },
  untrained: {
    name: '未参加培训人员',
    columns: columns<Person>(
      ['人员', 20, (p) => p.name],
      ['身份', 24, (p) => p.roles],
      ['街道/乡镇', 14, (p) => p.division],
    ),
  },
  narrative: pairSheet('工作总结', ['部分', 18], ['内容', 100]),
};

/** A breakdown row's label and counts. */
function counts(label: string, n: { records: number; labels: number }) {
  return { label, records: n.records, labels: n.labels };
}

/** One sheet: a bold, frozen header and neutralised cells. */
function sheetOf<T>(workbook: ExcelJS.Workbook, def: SheetDef<T>, rows: readonly T[]): void {
  const sheet = workbook.addWorksheet(def.name);
  sheet.columns = def.columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(def.columns.map((c) => safeCell(c.cell(row))));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

export async function summaryWorkbook(s: SummaryReport): Promise<Buffer> {
  // Loaded on first export only: it is large and most calls never need it.
  const { default: Excel } = (await import('exceljs')) as unknown as { default: Excel };
  const workbook = new Excel.Workbook();
  workbook.creator = '合格证通';
  const d = s.dashboard;

  sheetOf(workbook, sheets.overview, [
    ['街道/乡镇', s.divisionName],
    ['统计期间', `${s.from} 至 ${s.to}`],
    ['总结期次', s.period?.label ?? '（非报送期次）'],
    ['上期', `${s.previous.from} 至 ${s.previous.to}`],
    ['状态数据截至', chinaDateTime(s.asOf)],
    ['生成时间', chinaDateTime(s.computedAt)],
    [
      '报送状态',
      s.document
        ? `${summaryStatuses[s.document.status]}${s.document.submittedAt ? `（${chinaDateTime(s.document.submittedAt)}）` : ''}`
        : '未生成总结草稿',
    ],
  ]);
  sheetOf(workbook, sheets.figures, s.changes);
  sheetOf(
    workbook,
    sheets.months,
    d.certificates.byMonth.map((m, i) => ({ m, c: d.coverage.byMonth[i] })),
  );
  sheetOf(workbook, sheets.breakdown, [
    ...d.certificates.byCategory.map((c) => ({ kind: '产品品类', ...counts(c.label, c) })),
    ...d.certificates.byIssueUnit.map((u) => ({ kind: '开具方式', ...counts(u.label, u) })),
    ...d.certificates.byProduct.map((p) => ({ kind: '产品名称', ...counts(p.productName, p) })),
  ]);
  sheetOf(workbook, sheets.dormant, s.lists.dormantSubjects.items);
  sheetOf(workbook, sheets.overdue, s.lists.overdueRectifications);
  const untrained = s.lists.untrainedStaff;
  sheetOf(
    workbook,
    sheets.untrained,
    untrained.available
      ? untrained.items.map((u) => ({
          name: u.nickname,
          roles: u.roles.map((r) => roleLabels[r]).join('、'),
          division: u.divisionName,
        }))
      : [{ name: '（暂无法统计）', roles: untrained.reason, division: '' }],
  );
  if (s.document && s.document.status === 'submitted') {
    const n = s.document.narrative;
    sheetOf(workbook, sheets.narrative, [
      ['工作经验和做法', n.experience],
      ['存在的问题', n.problems],
      ['下一步打算和建议', n.suggestions],
    ]);
  }

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
