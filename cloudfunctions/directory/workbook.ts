import type ExcelJS from 'exceljs';
import {
  childDivisions,
  districtCode,
  lianyunDivisions,
  type Division,
} from '../../src/domain/division';
import {
  exampleRowMark,
  importColumns,
  importFieldOf,
  importHeaderOf,
  importLimits,
  isExampleRow,
  requiredImportFields,
  type ImportCellError,
  type ImportField,
  type ImportRowCells,
} from '../../src/domain/directory';
import { AppError } from '../../src/domain/errors';
import { identityKinds, subjectTypes } from '../../src/domain/subject';

type Excel = typeof ExcelJS;

/** Loaded on first use: exceljs is large and most calls of the function never need it. */
async function excel(): Promise<Excel> {
  const { default: loaded } = (await import('exceljs')) as unknown as { default: Excel };
  return loaded;
}

/** Rows the template prepares with drop-down lists (the import limit). */
const preparedRows = importLimits.maxRows + 1;

const columnLetter = (field: ImportField) =>
  String.fromCharCode(65 + importColumns.findIndex((c) => c.field === field));

/** The sheet of allowed values, column by column; the main sheet's drop-downs point here. */
function allowedValues(): { header: string; values: string[] }[] {
  return [
    { header: '主体类型', values: Object.values(subjectTypes) },
    { header: '证件类型', values: Object.values(identityKinds) },
    {
      header: '所在街道/乡镇',
      values: childDivisions(lianyunDivisions, districtCode).map((d) => d.name),
    },
    { header: '是否规模以上', values: ['是', '否'] },
    {
      header: '生产季节（写法示例）',
      values: ['全年', '3-10月', '11-2月', '3,4,5', '3-5月、9-10月'],
    },
  ];
}

const instructions = [
  '一行填写一个生产主体；第 1 行是表头，请勿改动表头文字。',
  `名称以“${exampleRowMark}”开头的示例行不会导入，可直接删除或保留。`,
  '主体名称、主体类型、证件号码、联系人、联系电话、地址、所在街道/乡镇、主要产品为必填。',
  '企业、农民专业合作社填写统一社会信用代码；种养殖户填写居民身份证号码；家庭农场、收购商两者均可。',
  '证件号码、联系电话请按文本填写（本模板已设为文本格式），否则 Excel 会丢失身份证号码的末几位。',
  '主要产品可填多种，用顿号或逗号分隔；生产季节不填表示全年生产。',
  `每次最多导入 ${importLimits.maxRows} 行，文件不超过 ${importLimits.maxBytes / 1024 / 1024} MB。`,
  '导入前会逐行检查：只要有一行有误，本次就不导入任何主体，并列出每一行的问题；改正后重新导入即可。',
  '与名录中已有主体（证件号码相同）重复的行、文件内重复的行，都会被指出。',
];

/** 导入模板: the roster sheet with an example row and drop-downs, the allowed values, the notes. */
export async function importTemplateXlsx(example: Division): Promise<Buffer> {
  const Excel = await excel();
  const workbook = new Excel.Workbook();
  workbook.creator = '合格证通';
  const sheet = workbook.addWorksheet('主体名录');
  sheet.columns = importColumns.map((c) => ({ header: c.header, key: c.field, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const field of ['identityNumber', 'phone'] as const) {
    sheet.getColumn(field).numFmt = '@';
  }
  const exampleRow = sheet.addRow({
    name: `${exampleRowMark}连云区某某家庭农场`,
    type: subjectTypes.family_farm,
    identityKind: identityKinds.credit_code,
    identityNumber: '18位统一社会信用代码或身份证号码',
    contactName: '王建国',
    phone: '13812345678',
    address: `连云区${example.name}某某村三组`,
    divisionCode: example.name,
    products: '青菜、番茄',
    aboveScale: '否',
    seasonMonths: '3-10月',
  });
  exampleRow.font = { italic: true, color: { argb: 'FF888888' } };

  const values = workbook.addWorksheet('可选值');
  const lists = allowedValues();
  values.columns = lists.map((l) => ({ header: l.header, width: 22 }));
  values.getRow(1).font = { bold: true };
  const longest = Math.max(...lists.map((l) => l.values.length));
  for (let i = 0; i < longest; i++) values.addRow(lists.map((l) => l.values[i] ?? null));

  const validations = (
    sheet as unknown as {
      dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
    }
  ).dataValidations;
  const listOf = (field: ImportField, valuesColumn: string, count: number) => {
    const col = columnLetter(field);
    validations.add(`${col}2:${col}${preparedRows}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`'可选值'!$${valuesColumn}$2:$${valuesColumn}$${count + 1}`],
      showErrorMessage: true,
      errorTitle: importHeaderOf(field),
      error: '请从下拉列表中选择',
    });
  };
  listOf('type', 'A', lists[0]!.values.length);
  listOf('identityKind', 'B', lists[1]!.values.length);
  listOf('divisionCode', 'C', lists[2]!.values.length);
  listOf('aboveScale', 'D', lists[3]!.values.length);

  const notes = workbook.addWorksheet('填写说明');
  notes.columns = [{ header: '填写说明', width: 110 }];
  notes.getRow(1).font = { bold: true };
  for (const [i, line] of instructions.entries()) notes.addRow([`${i + 1}. ${line}`]);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A cell as the text a person sees in it. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText.map((r) => r.text).join('');
    }
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  }
  return '';
}

export interface RosterRow {
  /** As the spreadsheet numbers it. */
  row: number;
  cells: ImportRowCells;
  /** What reading the cells already found wrong (an ID number Excel stored as a number). */
  problems: ImportCellError[];
}

export interface Roster {
  rows: RosterRow[];
  /** Example rows left in the file, skipped. */
  exampleRows: number[];
}

const fileError = (message: string) =>
  new AppError('INVALID_INPUT', message, { base64: [message] });

/**
 * Reads an office's roster: the first sheet whose header row (within the first five rows) names
 * the template's columns. Blank rows are skipped; the file as a whole is refused when it is not
 * an .xlsx, lacks a required column or holds more rows than an import takes.
 */
export async function readRoster(bytes: Buffer): Promise<Roster> {
  if (bytes.length > importLimits.maxBytes) {
    throw fileError(`文件不能超过 ${importLimits.maxBytes / 1024 / 1024} MB`);
  }
  // An .xlsx is a zip: anything else (an old .xls, a CSV, a picture) is refused before parsing.
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) {
    throw fileError('不是 .xlsx 文件：请用导入模板，或在 Excel/WPS 中“另存为 .xlsx”后再导入');
  }
  const Excel = await excel();
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw fileError('文件无法读取：请确认是完好的 .xlsx 文件');
  }
  for (const sheet of workbook.worksheets) {
    for (let headerRow = 1; headerRow <= Math.min(5, sheet.rowCount); headerRow++) {
      const fields = new Map<number, ImportField>();
      sheet.getRow(headerRow).eachCell((cell, col) => {
        const field = importFieldOf(cellText(cell.value));
        if (field && ![...fields.values()].includes(field)) fields.set(col, field);
      });
      if (fields.size < 4) continue;
      const present = new Set(fields.values());
      const missing = requiredImportFields.filter((f) => !present.has(f));
      if (missing.length > 0) {
        throw fileError(`缺少必填列：${missing.map(importHeaderOf).join('、')}（请使用导入模板）`);
      }
      return rosterRows(sheet, headerRow, fields);
    }
  }
  throw fileError('没有找到表头（主体名称、主体类型、证件号码……）：请使用导入模板');
}

function rosterRows(
  sheet: ExcelJS.Worksheet,
  headerRow: number,
  fields: Map<number, ImportField>,
): Roster {
  const rows: RosterRow[] = [];
  const exampleRows: number[] = [];
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: ImportRowCells = {};
    const problems: ImportCellError[] = [];
    for (const [col, field] of fields) {
      const value = row.getCell(col).value;
      cells[field] = cellText(value).trim();
      if (field === 'identityNumber' && typeof value === 'number' && value >= 1e14) {
        problems.push({
          column: importHeaderOf(field),
          message: '证件号码被 Excel 存成了数字，末几位已丢失：请把该列设为“文本”后重新填写',
        });
      }
    }
    if (Object.values(cells).every((v) => !v)) continue;
    if (isExampleRow(cells)) {
      exampleRows.push(r);
      continue;
    }
    rows.push({ row: r, cells, problems });
    if (rows.length > importLimits.maxRows) {
      throw fileError(`一次最多导入 ${importLimits.maxRows} 行，请分成几个文件导入`);
    }
  }
  return { rows, exampleRows };
}
