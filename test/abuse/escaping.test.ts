/**
 * Hostile text entered by users — a product named `<script>alert(1)</script>`, a subject named
 * `=HYPERLINK(…)`, a poster titled both — shows as text everywhere it is shown: the public pages
 * (verify /c/, poster /p/, statement /s/), the PDFs (as pdftotext reads them) and every xlsx
 * export (no formula cells; a text cell starting with = + - @ is neutralised with a quote).
 */
import ExcelJS from 'exceljs';
import { pdfText } from '../cloudfunctions/print/pdf-tools';
import { buildOutputs, cmdFormula, formula, imgXss, xss, type Outputs } from './outputs';

let out: Outputs;
beforeAll(async () => {
  out = await buildOutputs();
}, 60_000);
afterAll(async () => {
  await out?.close();
});

function escapedHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

describe('public pages', () => {
  it.each(['verify page (xss)', 'verify page (formula)', 'poster page', 'statement page'])(
    '%s: the hostile text is there, escaped, and nothing runs',
    (name) => {
      const html = out.pages[name]!;
      // No script element, and no tag of the user's (an attribute handler would run).
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<[a-z][^<>]*\son[a-z]+\s*=/i);
      const shown = {
        'verify page (xss)': [xss],
        'verify page (formula)': [formula],
        'poster page': [xss, imgXss],
        'statement page': [formula],
      }[name]!;
      for (const text of shown) {
        // The page may escape quotes as &quot; or &#39;, or leave them: the markup is what matters.
        const variants = [escapedHtml(text), escapedHtml(text).replace(/&quot;/g, '"')];
        expect(variants.some((v) => html.includes(v))).toBe(true);
      }
    },
  );

  it('the verify page shows the subject named like a formula as that text', () => {
    const html = out.pages['verify page (xss)']!;
    expect(html.includes(escapedHtml(formula)) || html.includes(formula)).toBe(true);
  });
});

describe('PDFs', () => {
  /** pdftotext's words, joined without the line breaks a long text wraps at. */
  const textOf = (pdf: Uint8Array) => pdfText(pdf).replace(/\s+/g, '');

  it.each([
    ['labels (xss)', [xss]],
    ['labels (formula)', [formula]],
    ['compliance statement', [formula]],
  ])('%s shows the literal text', (name, texts) => {
    const text = textOf(out.pdfs[name]!);
    for (const t of texts) expect(text).toContain(t.replace(/\s+/g, ''));
  });

  it('the labels show the issuer named like a formula as that text', () => {
    expect(textOf(out.pdfs['labels (xss)']!)).toContain(formula);
  });

  it('the district summary PDF renders (no hostile text breaks it)', () => {
    expect(pdfText(out.pdfs['report.summaryPdf']!).length).toBeGreaterThan(0);
  });
});

describe('xlsx exports', () => {
  async function cells(buffer: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const found: { where: string; cell: ExcelJS.Cell }[] = [];
    wb.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => found.push({ where: `${sheet.name}!${cell.address}`, cell })),
      ),
    );
    return found;
  }

  it.each([
    'certificate.export',
    'market.export',
    'directory.export',
    'report.summaryXlsx',
    'outreach.coverageExport',
  ])('%s: no formula cells; text starting with = + - @ is neutralised', async (name) => {
    const all = await cells(out.workbooks[name]!);
    expect(all.length).toBeGreaterThan(0);
    const formulas = all.filter(({ cell }) => cell.type === ExcelJS.ValueType.Formula);
    expect(formulas.map((f) => f.where)).toEqual([]);
    const live = all.filter(
      ({ cell }) => typeof cell.value === 'string' && /^[=+\-@\t\r]/.test(cell.value),
    );
    expect(live.map((l) => `${l.where}: ${String(l.cell.value)}`)).toEqual([]);
  });

  it.each([
    ['certificate.export', [xss, formula, '=1+1']],
    ['market.export', [formula, cmdFormula, '@SUM(A1)']],
    ['directory.export', [formula]],
    ['outreach.coverageExport', [formula]],
  ])('%s keeps the user text itself (behind the quote)', async (name, texts) => {
    const values = (await cells(out.workbooks[name]!)).map(({ cell }) => String(cell.value));
    for (const t of texts) {
      const expected = /^[=+\-@]/.test(t) ? `'${t}` : t;
      expect(values.some((v) => v === expected || v.includes(expected))).toBe(true);
    }
  });
});
