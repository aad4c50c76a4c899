/** 书面总结（Excel） — a street's summary as a workbook: one sheet per part, as the PDF reads. */
import type ExcelJS from 'exceljs';
import { chinaDate } from '../../src/domain/certificate';
import { chinaDateTime } from '../../src/domain/market';
import { keyFigureText, monthLabel, percentText, summaryStatuses } from '../../src/domain/report';
import { roles as roleLabels } from '../../src/domain/role';
import { safeCell } from '../kit/xlsx';
import type { SummaryReport } from './summary';

type Excel = typeof ExcelJS;

/** One sheet: a bold, frozen header and neutralised cells. */
function sheetOf(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly { header: string; width: number }[],
  rows: readonly unknown[][],
): void {
  const sheet = workbook.addWorksheet(name);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(safeCell));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

export async function summaryWorkbook(s: SummaryReport): Promise<Buffer> {
  // Loaded on first export only: it is large and most calls never need it.
  const { default: Excel } = (await import('exceljs')) as unknown as { default: Excel };
  const workbook = new Excel.Workbook();
  workbook.creator = '合格证通';
  const d = s.dashboard;

  sheetOf(
    workbook,
    '概况',
    [
      { header: '项目', width: 22 },
      { header: '内容', width: 60 },
    ],
    [
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
    ],
  );

  sheetOf(
    workbook,
    '主要数据',
    [
      { header: '指标', width: 30 },
      { header: '本期', width: 14 },
      { header: '上期', width: 14 },
      { header: '变化', width: 16 },
    ],
    s.changes.map((c) => [
      c.label,
      keyFigureText(c.key, c.current),
      keyFigureText(c.key, c.previous),
      c.deltaWords,
    ]),
  );

  sheetOf(
    workbook,
    '按月',
    [
      { header: '月份', width: 12 },
      { header: '开具合格证（张）', width: 16 },
      { header: '标签（份）', width: 12 },
      { header: '规模以上主体（家）', width: 18 },
      { header: '其中开证（家）', width: 14 },
      { header: '开证率', width: 10 },
    ],
    d.certificates.byMonth.map((m, i) => {
      const c = d.coverage.byMonth[i];
      return [
        monthLabel(m.month),
        m.records,
        m.labels,
        c?.aboveScale ?? 0,
        c?.issuing ?? 0,
        percentText(c?.share ?? null),
      ];
    }),
  );

  sheetOf(
    workbook,
    '按品类和开具方式',
    [
      { header: '分类', width: 12 },
      { header: '项目', width: 24 },
      { header: '合格证（张）', width: 14 },
      { header: '标签（份）', width: 12 },
    ],
    [
      ...d.certificates.byCategory.map((c) => ['产品品类', c.label, c.records, c.labels]),
      ...d.certificates.byIssueUnit.map((u) => ['开具方式', u.label, u.records, u.labels]),
      ...d.certificates.byProduct.map((p) => ['产品名称', p.productName, p.records, p.labels]),
    ],
  );

  const dormant = s.lists.dormantSubjects;
  sheetOf(
    workbook,
    '在册不运行',
    [
      { header: '主体名称', width: 24 },
      { header: '主体类型', width: 16 },
      { header: '联系人', width: 10 },
      { header: '联系电话', width: 14 },
      { header: '最后开证日期', width: 14 },
      { header: '未开证天数', width: 12 },
      { header: '生产季节', width: 14 },
    ],
    dormant.items.map((i) => [
      i.subject.name,
      i.subject.typeLabel,
      i.subject.contactName,
      i.subject.phone,
      i.lastIssuedAt ? chinaDate(new Date(i.lastIssuedAt)) : '从未开证',
      i.idleDays,
      i.seasonLabel,
    ]),
  );

  sheetOf(
    workbook,
    '逾期整改',
    [
      { header: '主体名称', width: 24 },
      { header: '整改原因', width: 20 },
      { header: '开立日期', width: 12 },
      { header: '整改期限', width: 12 },
      { header: '状态', width: 14 },
      { header: '问题说明', width: 40 },
    ],
    s.lists.overdueRectifications.map((c) => [
      c.subjectName,
      c.reasonLabel,
      chinaDate(new Date(c.openedAt)),
      c.deadline,
      c.statusLabel,
      c.note,
    ]),
  );

  const untrained = s.lists.untrainedStaff;
  sheetOf(
    workbook,
    '未参加培训人员',
    [
      { header: '人员', width: 20 },
      { header: '身份', width: 24 },
      { header: '街道/乡镇', width: 14 },
    ],
    untrained.available
      ? untrained.items.map((u) => [
          u.nickname,
          u.roles.map((r) => roleLabels[r]).join('、'),
          u.divisionName,
        ])
      : [['（暂无法统计）', untrained.reason, '']],
  );

  if (s.document && s.document.status === 'submitted') {
    const n = s.document.narrative;
    sheetOf(
      workbook,
      '工作总结',
      [
        { header: '部分', width: 18 },
        { header: '内容', width: 100 },
      ],
      [
        ['工作经验和做法', n.experience],
        ['存在的问题', n.problems],
        ['下一步打算和建议', n.suggestions],
      ],
    );
  }

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
