/**
 * 打印 — a certificate's labels as a PDF: thermal labels (80×60, 100×70, 50×30 mm, one label per
 * page) or an A4 sheet of two-part forms (存根联 + 买方联, two forms a page), each label with its
 * own label code and a vector QR code of its signed verify URL.
 *
 * Chinese text is set in WenQuanYi Micro Hei, embedded as a subset. What costs time is kept out of
 * the per-label loop: the font file is read once per process, character widths are measured once
 * per document, everything all labels of a certificate share is laid out once and drawn from a
 * form XObject, and a QR code is one path of merged rectangles with one fill.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import {
  certificateDisplay,
  formatCertificateCode,
  type Certificate,
} from '../../src/domain/certificate';
import type { PrintLayout } from '../../src/domain/print';
import { formatQuantity } from '../../src/domain/quantity';
import { qrMatrixOf, qrRectOps, qrVersionOf, type EcLevel, type QrMatrix } from './qr';

/** One label to print: its code (see labelCode) and the signed URL its QR code holds. */
export interface PrintLabel {
  /** 1-based position among the certificate's labels, as printed (3/100). */
  index: number;
  label: string;
  verifyUrl: string;
}

export interface RenderedPdf {
  bytes: Buffer;
  pages: number;
  /**
   * How the QR codes came out: the first label's (all labels of a certificate are alike), and
   * where its symbol sits on its page (points from the top left, quiet zone excluded).
   */
  qr: {
    version: number;
    ecLevel: EcLevel;
    moduleDots: number;
    area: { x: number; y: number; side: number };
  };
}

const ptPerMm = 72 / 25.4;
/** One dot of a 203 dpi thermal printer, in points: QR modules are whole numbers of these. */
const dot = 72 / 203;
/** Fewer dots per module and a 203 dpi print no longer decodes reliably. */
const minModuleDots = 3;
/** Blank modules kept around a code inside its box (the label's white margin adds more). */
const quietModules = 2;

const cjkFontName = 'WenQuanYiMicroHei';
const cjkFontCandidates = [
  // Shipped beside the bundle for CloudBase (config/scripts/build-functions.mjs copies it).
  path.join(__dirname, 'fonts', 'wqy-microhei.ttc'),
  // Debian's fonts-wqy-microhei (the embedded runtime, CI).
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
];

let cjkFont: Buffer | null = null;

/** The font file, read once per process (5 MB; parsing and subsetting happen per document). */
export function cjkFontBytes(): Buffer {
  if (cjkFont) return cjkFont;
  const configured = process.env.CJK_FONT_PATH?.trim();
  const file = [configured, ...cjkFontCandidates].find((f): f is string => !!f && existsSync(f));
  if (!file) {
    throw new Error(
      `CJK font not found (tried ${[configured, ...cjkFontCandidates].filter(Boolean).join(', ')}): ` +
        'install fonts-wqy-microhei or set CJK_FONT_PATH',
    );
  }
  cjkFont = readFileSync(file);
  return cjkFont;
}

/** Fields as the label shows them, the same for every label of a certificate. */
interface LabelContent {
  title: string;
  product: string;
  quantity: string;
  origin: string;
  date: string;
  issuer: string;
  contact: string;
  basis: string;
  promise: string;
  address: string;
  /** 按包装（一箱一证）… */
  issueUnit: string;
  /** 车牌号 / 批次号 of a per-vehicle or per-batch certificate. */
  unit: [string, string] | null;
  traceCode: string | null;
  count: number;
}

function contentOf(c: Certificate): LabelContent {
  const d = certificateDisplay(c);
  return {
    title: d.title,
    product: c.productName,
    quantity: formatQuantity(c.quantity),
    origin: c.origin,
    date: c.issueDate,
    issuer: c.issuer.name,
    contact: [c.issuer.contactName, c.issuer.phone].filter(Boolean).join(' '),
    basis: d.basisLabels.join('、'),
    promise: d.promise,
    address: c.issuer.address,
    issueUnit: d.issueUnitLabel,
    unit:
      c.issueUnit === 'vehicle' && c.vehiclePlate
        ? ['车牌号', c.vehiclePlate]
        : c.issueUnit === 'batch' && c.batchNo
          ? ['批次号', c.batchNo]
          : null,
    traceCode: c.traceCode,
    count: c.count,
  };
}

type Doc = PDFKit.PDFDocument;

/** What pdfkit keeps about the current font and page that this file reaches into. */
interface PdfkitInternals {
  _font?: { id: string; font?: { hasGlyphForCodePoint?(cp: number): boolean } };
  page: { fonts: Record<string, unknown>; xobjects: Record<string, unknown>; content: unknown };
}

const internals = (doc: Doc) => doc as unknown as PdfkitInternals;

/**
 * Sets single lines of text in the CJK font. Widths are summed from per-character advances
 * measured once per document (the font has no kerning worth the shaping cost), and user text
 * is cleaned so that no input can leave the box it is given.
 */
class Typesetter {
  private readonly widths = new Map<string, number>();
  private readonly hasGlyph: (cp: number) => boolean;

  constructor(readonly doc: Doc) {
    doc.registerFont('cjk', cjkFontBytes(), cjkFontName);
    doc.font('cjk');
    const fontkitFont = internals(doc)._font?.font;
    this.hasGlyph = (cp) => fontkitFont?.hasGlyphForCodePoint?.(cp) ?? true;
  }

  /** Text that can be set: no control characters or line breaks, one blank for any run of
   * whitespace, and one □ for any run of characters the font lacks (emoji and their joiners). */
  clean(text: string): string {
    let out = '';
    let missing = false;
    for (const ch of text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim()) {
      const cp = ch.codePointAt(0) ?? 0;
      if (this.hasGlyph(cp) && !(cp >= 0xfe00 && cp <= 0xfe0f) && cp !== 0x200d) {
        out += ch;
        missing = false;
      } else if (!missing) {
        out += '□';
        missing = true;
      }
    }
    return out;
  }

  width(text: string, size: number): number {
    let w = 0;
    for (const ch of text) {
      let cw = this.widths.get(ch);
      if (cw === undefined) {
        cw = this.doc.fontSize(1000).widthOfString(ch) / 1000;
        this.widths.set(ch, cw);
      }
      w += cw;
    }
    return w * size;
  }

  /**
   * `text` broken into at most `maxLines` lines no wider than `width`; what does not fit ends
   * in “…”. Breaks anywhere in Chinese, at a blank inside Latin words when there is one.
   */
  fit(text: string, size: number, width: number, maxLines: number): string[] {
    const chars = Array.from(this.clean(text));
    const lines: string[] = [];
    let start = 0;
    while (start < chars.length && lines.length < maxLines) {
      let w = 0;
      let end = start;
      while (end < chars.length) {
        const cw = this.width(chars[end] ?? '', size);
        if (w + cw > width && end > start) break;
        w += cw;
        end++;
      }
      const latin = /[A-Za-z0-9]/;
      if (end < chars.length && latin.test(chars[end] ?? '') && latin.test(chars[end - 1] ?? '')) {
        const blank = chars.lastIndexOf(' ', end - 1);
        if (blank > start) end = blank + 1;
      }
      lines.push(chars.slice(start, end).join('').trim());
      start = end;
      while (chars[start] === ' ') start++;
    }
    if (start < chars.length && lines.length > 0) {
      let last = Array.from(lines[lines.length - 1] ?? '');
      while (last.length > 0 && this.width(`${last.join('')}…`, size) > width) last.pop();
      lines[lines.length - 1] = `${last.join('').trimEnd()}…`;
    }
    return lines;
  }

  /** One line at (x, y) (top of the line); `width` with `align` centres or right-aligns it. */
  line(
    text: string,
    x: number,
    y: number,
    size: number,
    options: { bold?: boolean; align?: 'center' | 'right'; width?: number } = {},
  ): void {
    if (!text) return;
    let left = x;
    if (options.align && options.width !== undefined) {
      const free = options.width - this.width(text, size);
      left += options.align === 'center' ? free / 2 : free;
    }
    this.doc.fontSize(size);
    if (options.bold) this.doc.lineWidth(size * 0.035);
    // Fill and stroke: the one weight of the font made bold enough to stand out on a label.
    this.doc.text(text, left, y, {
      lineBreak: false,
      ...(options.bold ? { fill: true, stroke: true } : {}),
    });
  }

  /** Lines of wrapped text from y; returns the y below them. */
  block(lines: string[], x: number, y: number, size: number, leading: number): number {
    for (const l of lines) {
      this.line(l, x, y, size);
      y += size * leading;
    }
    return y;
  }
}

/** The QR code of one label, placed: module size in whole printer dots, on the dot grid. */
interface PlacedQr {
  matrix: QrMatrix;
  x: number;
  y: number;
  module: number;
  moduleDots: number;
  side: number;
}

/**
 * The code of `url` in a `box`-point square, quiet zone included, as large as whole dots allow up
 * to `maxDots` a module. Error correction M; L when M would need modules under three dots.
 */
function placeQr(url: string, x: number, y: number, box: number, maxDots: number): PlacedQr {
  for (const level of ['M', 'L'] as const) {
    const matrix = qrMatrixOf(url, level);
    const span = matrix.size + 2 * quietModules;
    const moduleDots = Math.min(maxDots, Math.floor(box / (span * dot)));
    if (moduleDots >= minModuleDots) {
      const module = moduleDots * dot;
      const side = span * module;
      // The box's top-right corner, snapped to the dot grid so modules fall on whole dots.
      const left = Math.ceil((x + box - side) / dot) * dot;
      return {
        matrix,
        x: left + quietModules * module,
        y: Math.ceil(y / dot) * dot + quietModules * module,
        module,
        moduleDots,
        side,
      };
    }
  }
  throw new Error(`verify URL too long for a ${box.toFixed(1)} pt QR code at 203 dpi`);
}

function drawQr(doc: Doc, qr: PlacedQr): void {
  doc.save();
  doc.transform(qr.module, 0, 0, qr.module, qr.x, qr.y);
  doc.addContent(qrRectOps(qr.matrix));
  doc.fillColor('black').fill();
  doc.restore();
}

/**
 * Content all labels of a certificate share, drawn once into a form XObject and placed on each
 * page with one `Do`: 1,000 labels carry one copy of it, and lay it out once.
 */
class SharedArt {
  private ref: PDFKit.PDFKitReference | null = null;
  private readonly name = 'Xl1';

  constructor(private readonly doc: Doc) {}

  /** Draws `draw` into the form the first time, then places the form on the current page. */
  place(width: number, height: number, draw: () => void): void {
    const doc = this.doc;
    const page = internals(doc).page;
    if (!this.ref) {
      const ref = doc.ref({
        Type: 'XObject',
        Subtype: 'Form',
        BBox: [0, 0, width, height],
        Resources: { Font: page.fonts },
      });
      // pdfkit writes to the page's content stream; point it at the form's while drawing.
      const content = page.content;
      page.content = ref;
      doc.save();
      draw();
      doc.restore();
      page.content = content;
      ref.end(null);
      this.ref = ref;
    }
    page.xobjects[this.name] = this.ref;
    const cjk = internals(doc)._font;
    if (cjk) page.fonts[cjk.id] ??= (cjk as unknown as { ref(): unknown }).ref();
    doc.addContent(`/${this.name} Do`);
  }
}

interface ThermalSpec {
  /** Width × height in mm. */
  size: readonly [number, number];
  margin: number;
  titleSize: number;
  bodySize: number;
  /** Line height as a multiple of the size. */
  leading: number;
  /** 50×30 has room for title, product, quantity, date, issuer, code and QR only. */
  brief: boolean;
  promiseSize: number;
  promiseLines: number;
  codeSize: number;
  /** Largest QR side (quiet zone included) and module size in dots. */
  qrBox: number;
  qrMaxDots: number;
}

const thermalSpecs: Record<Exclude<PrintLayout, 'a4-two-part'>, ThermalSpec> = {
  '80x60': {
    size: [80, 60],
    margin: 7,
    titleSize: 15,
    bodySize: 7.5,
    leading: 1.3,
    brief: false,
    promiseSize: 6,
    promiseLines: 3,
    codeSize: 6.5,
    qrBox: 76,
    qrMaxDots: 6,
  },
  '100x70': {
    size: [100, 70],
    margin: 8.5,
    titleSize: 18,
    bodySize: 9,
    leading: 1.3,
    brief: false,
    promiseSize: 7,
    promiseLines: 3,
    codeSize: 7.5,
    qrBox: 96,
    qrMaxDots: 8,
  },
  '50x30': {
    size: [50, 30],
    margin: 4.25,
    titleSize: 9.5,
    bodySize: 6.5,
    leading: 1.3,
    brief: true,
    promiseSize: 0,
    promiseLines: 0,
    codeSize: 5,
    qrBox: 58,
    qrMaxDots: 4,
  },
};

/** Rows of field name and value for a label's body. */
function thermalRows(c: LabelContent, brief: boolean): [string, string, number][] {
  if (brief) {
    return [
      ['品名', c.product, 1],
      ['数量', c.quantity, 1],
      ['日期', c.date, 1],
      ['开具', c.issuer, 1],
    ];
  }
  const rows: [string, string, number][] = [
    ['产品名称', c.product, 1],
    ['数量', c.quantity, 1],
    ['产地', c.origin, 2],
    ['开具日期', c.date, 1],
    ['开具方', c.issuer, 1],
    ['联系方式', c.contact, 1],
    ['承诺依据', c.basis, 2],
  ];
  if (c.unit) rows.push([c.unit[0], c.unit[1], 1]);
  if (c.traceCode) rows.push(['追溯码', c.traceCode, 1]);
  return rows;
}

/** Field name column, value column, lines: returns the y below. */
function drawRows(
  ts: Typesetter,
  rows: [string, string, number][],
  x: number,
  y: number,
  width: number,
  bottom: number,
  size: number,
  leading: number,
): number {
  const nameWidth = Math.max(...rows.map(([name]) => ts.width(`${name}：`, size)));
  const lineHeight = size * leading;
  for (const [name, value, maxLines] of rows) {
    const room = Math.floor((bottom - y + (lineHeight - size)) / lineHeight);
    if (room < 1) break;
    const lines = ts.fit(value, size, width - nameWidth, Math.min(maxLines, room));
    ts.line(`${name}：`, x, y, size);
    y = ts.block(lines.length ? lines : [''], x + nameWidth, y, size, leading);
  }
  return y;
}

function labelCodeLine(label: PrintLabel, count: number): string {
  const code = formatCertificateCode(label.label);
  return count > 1 ? `${code}  ${label.index}/${count}` : code;
}

function renderThermal(
  doc: Doc,
  ts: Typesetter,
  spec: ThermalSpec,
  content: LabelContent,
  labels: readonly PrintLabel[],
): PlacedQr[] {
  const W = spec.size[0] * ptPerMm;
  const H = spec.size[1] * ptPerMm;
  const m = spec.margin;
  const shared = new SharedArt(doc);
  const codeY = H - m - spec.codeSize * 1.2;
  const placed: PlacedQr[] = [];

  // Geometry that depends only on the certificate, worked out once.
  const promise = spec.brief
    ? []
    : ts.fit(content.promise, spec.promiseSize, W - 2 * m, spec.promiseLines);
  const promiseTop = codeY - 2 - promise.length * spec.promiseSize * spec.leading;
  const titleBottom = m + spec.titleSize * 1.3;
  const qrTop = spec.brief ? m : titleBottom + 2;
  const qrBottom = spec.brief ? H - m : promiseTop - spec.bodySize * 1.4;
  const qrBox = Math.min(spec.qrBox, qrBottom - qrTop);
  const first = labels[0];
  if (!first) return placed;
  const probe = placeQr(first.verifyUrl, W - m - qrBox, qrTop, qrBox, spec.qrMaxDots);
  const columnRight = probe.x - (quietModules + 1) * probe.module;
  const columnWidth = columnRight - m;
  const titleWidth = spec.brief ? columnWidth : W - 2 * m;

  for (const label of labels) {
    doc.addPage({ size: [W, H], margin: 0 });
    shared.place(W, H, () => {
      ts.line(ts.fit(content.title, spec.titleSize, titleWidth, 1)[0] ?? '', m, m, spec.titleSize, {
        bold: true,
        align: 'center',
        width: titleWidth,
      });
      doc
        .moveTo(m, titleBottom)
        .lineTo(spec.brief ? columnRight : W - m, titleBottom)
        .lineWidth(0.6)
        .stroke('black');
      drawRows(
        ts,
        thermalRows(content, spec.brief),
        m,
        titleBottom + 3,
        columnWidth,
        spec.brief ? codeY - 1 : promiseTop - 2,
        spec.bodySize,
        spec.leading,
      );
      if (!spec.brief) {
        ts.line(
          '扫码核验真伪',
          probe.x - probe.module * quietModules,
          qrTop + probe.side,
          spec.codeSize,
          {
            align: 'center',
            width: probe.side,
          },
        );
        ts.block(promise, m, promiseTop, spec.promiseSize, spec.leading);
      }
    });
    const qr =
      label === first
        ? probe
        : placeQr(label.verifyUrl, W - m - qrBox, qrTop, qrBox, spec.qrMaxDots);
    drawQr(doc, qr);
    placed.push(qr);
    const codeText = labelCodeLine(label, content.count);
    const codeWidth = spec.brief ? columnWidth : W - 2 * m;
    // The code must show whole: a long one is set smaller rather than cut.
    const codeSize = Math.min(
      spec.codeSize,
      (spec.codeSize * codeWidth) / ts.width(codeText, spec.codeSize),
    );
    ts.line(`${spec.brief ? '' : '编号 '}${codeText}`, m, codeY, codeSize);
  }
  return placed;
}

export async function renderLabelsPdf(
  certificate: Certificate,
  labels: readonly PrintLabel[],
  layout: PrintLayout,
): Promise<RenderedPdf> {
  if (labels.length === 0) throw new RangeError('no labels to print');
  const content = contentOf(certificate);
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    // No Helvetica: every glyph comes from the embedded CJK font.
    font: null as unknown as string,
    info: {
      Title: `${content.title} ${formatCertificateCode(certificate.code)}`,
      Creator: '合格证通',
      Producer: '合格证通',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const ts = new Typesetter(doc);
  const placed =
    layout === 'a4-two-part'
      ? renderTwoPart(doc, ts, content, labels)
      : renderThermal(doc, ts, thermalSpecs[layout], content, labels);
  const pages = doc.bufferedPageRange().start + doc.bufferedPageRange().count;
  doc.end();
  await done;
  const first = placed[0];
  return {
    bytes: Buffer.concat(chunks),
    pages,
    qr: {
      version: first ? qrVersionOf(first.matrix) : 0,
      ecLevel: first?.matrix.ecLevel ?? 'M',
      moduleDots: first?.moduleDots ?? 0,
      area: first
        ? { x: first.x, y: first.y, side: first.matrix.size * first.module }
        : { x: 0, y: 0, side: 0 },
    },
  };
}

/** A4 portrait with two forms a page; each form is 存根联 on the left, 买方联 on the right. */
function renderTwoPart(
  doc: Doc,
  ts: Typesetter,
  content: LabelContent,
  labels: readonly PrintLabel[],
): PlacedQr[] {
  const W = 595.28;
  const H = 841.89;
  const m = 28;
  const gap = 24;
  const formH = (H - 2 * m - gap) / 2;
  const stubW = 190;
  const tear = 20;
  const buyerX = m + stubW + tear;
  const buyerW = W - m - buyerX;
  const pad = 10;
  const qrBox = 110;
  const qrTop = 57;
  const placed: PlacedQr[] = [];
  const shared = new SharedArt(doc);
  const promise = ts.fit(content.promise, 9, buyerW - 2 * pad, 4);
  const first = labels[0];
  if (!first) return placed;
  const probe = placeQr(first.verifyUrl, buyerX + buyerW - pad - qrBox, m + qrTop, qrBox, 8);
  const rows: [string, string, number][] = [
    ['产品名称', content.product, 2],
    ['数量', content.quantity, 1],
    ['产地', content.origin, 2],
    ['开具日期', content.date, 1],
    ['开具方式', content.issueUnit, 1],
    ['开具方', content.issuer, 2],
    ['联系方式', content.contact, 1],
    ['地址', content.address, 2],
    ['承诺依据', content.basis, 2],
  ];
  if (content.unit) rows.push([content.unit[0], content.unit[1], 1]);
  if (content.traceCode) rows.push(['追溯码', content.traceCode, 1]);

  /** One form's fixed parts, its top at `top`. */
  const drawForm = (top: number) => {
    doc.lineWidth(0.8).rect(m, top, stubW, formH).stroke('black');
    doc.rect(buyerX, top, buyerW, formH).stroke('black');
    // The tear line, its instruction set vertically in a gap of the dashes.
    const tx = m + stubW + tear / 2;
    const words = Array.from('沿虚线撕开');
    const textTop = top + formH / 2 - (words.length * 11) / 2;
    doc.save().lineWidth(0.6).dash(4, { space: 3 });
    doc
      .moveTo(tx, top)
      .lineTo(tx, textTop - 3)
      .stroke();
    doc
      .moveTo(tx, textTop + words.length * 11 + 3)
      .lineTo(tx, top + formH)
      .stroke();
    doc.restore();
    words.forEach((w, i) => ts.line(w, tx - 4.5, textTop + i * 11, 9));

    // 存根联: kept by the issuer, with room for the buyer's name by hand.
    ts.line(content.title, m, top + pad, 13, { bold: true, align: 'center', width: stubW });
    ts.line('存根联（开具方留存）', m, top + pad + 18, 8.5, { align: 'center', width: stubW });
    drawRows(ts, rows, m + pad, top + pad + 36, stubW - 2 * pad, top + formH - 80, 9, 1.45);
    ts.line('购买方：____________________', m + pad, top + formH - 62, 9);
    ts.line('联系电话：__________________', m + pad, top + formH - 42, 9);

    // 买方联: travels with the goods.
    ts.line(content.title, buyerX, top + pad, 20, { bold: true, align: 'center', width: buyerW });
    ts.line('买方联（随货同行）', buyerX, top + pad + 27, 9, { align: 'center', width: buyerW });
    const rowsWidth = probe.x - (quietModules + 1) * probe.module - buyerX - pad;
    drawRows(ts, rows, buyerX + pad, top + qrTop, rowsWidth, top + formH - 104, 10, 1.45);
    ts.line(
      '扫码核验真伪',
      probe.x - quietModules * probe.module,
      top - m + probe.y + probe.side - quietModules * probe.module,
      8,
      {
        align: 'center',
        width: probe.side,
      },
    );
    ts.block(promise, buyerX + pad, top + formH - 100, 9, 1.4);
    ts.line('开具方（签名或盖章）：________________', buyerX + pad, top + formH - 42, 9.5);
  };

  labels.forEach((label, i) => {
    const slot = i % 2;
    if (slot === 0) doc.addPage({ size: [W, H], margin: 0 });
    const top = m + slot * (formH + gap);
    // One copy of the form's art: the second slot on a page is the first moved down.
    doc.save();
    if (slot === 1) doc.translate(0, formH + gap);
    shared.place(W, H, () => drawForm(m));
    doc.restore();
    const qr =
      label === first
        ? probe
        : placeQr(label.verifyUrl, buyerX + buyerW - pad - qrBox, top + qrTop, qrBox, 8);
    drawQr(doc, qr);
    placed.push(qr);
    const codeText = `编号 ${labelCodeLine(label, content.count)}`;
    ts.line(codeText, m + pad, top + formH - 20, 8.5);
    ts.line(codeText, buyerX + pad, top + formH - 20, 9.5);
  });
  return placed;
}
