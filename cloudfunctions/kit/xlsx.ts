import type ExcelJS from 'exceljs';

/**
 * A cell value that a spreadsheet will show as text, never run: a user-entered string starting
 * with = + - @ (or a tab/CR that hides one) could otherwise become a formula when opened.
 */
export function safeCell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export interface SheetColumn<T> {
  header: string;
  width: number;
  value(row: T): unknown;
}

/** One sheet with a bold header row and neutralised cells, as an .xlsx buffer. */
export async function xlsxOf<T>(
  sheetName: string,
  columns: readonly SheetColumn<T>[],
  rows: readonly T[],
): Promise<Buffer> {
  // Loaded on first export only: it is large and most calls of the function never need it.
  const { default: Excel } = (await import('exceljs')) as unknown as { default: typeof ExcelJS };
  const workbook = new Excel.Workbook();
  workbook.creator = '合格证通';
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => safeCell(c.value(row))));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
