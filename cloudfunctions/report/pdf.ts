/**
 * Printable Chinese documents of the report: a street's 书面总结 and a subject's 合规证明 (with
 * the QR code that checks it is genuine). A4, set in the CJK font the label printing embeds
 * (WenQuanYi Micro Hei, subset), flowing onto as many pages as the content needs.
 */
import PDFDocument from 'pdfkit';
import { chinaDate } from '../../src/domain/certificate';
import { chinaDateTime } from '../../src/domain/market';
import { keyFigureText, monthLabel, percentText, summaryStatuses } from '../../src/domain/report';
import { complianceConclusions, type Statement } from '../../src/domain/compliance';
import { cjkFontBytes } from '../print/pdf';
import { qrMatrixOf, qrRectOps } from '../print/qr';
import type { SummaryReport } from './summary';

export interface RenderedDocument {
  bytes: Buffer;
  pages: number;
}

type Doc = PDFKit.PDFDocument;

const page = { width: 595.28, height: 841.89, margin: 56 };
const contentWidth = page.width - 2 * page.margin;
const bottom = page.height - page.margin;

/** Text that can be set: no control characters; runs of blanks as one. */
function clean(text: string | number | null | undefined): string {
  if (text === null || text === undefined) return '';
  return String(text)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
    .replace(/[ \t]+/g, ' ');
}

/** A flowing A4 document: headings, paragraphs and ruled tables, page breaks as needed. */
class Writer {
  constructor(readonly doc: Doc) {}

  static async render(title: string, draw: (w: Writer) => void): Promise<RenderedDocument> {
    const doc = new PDFDocument({
      size: 'A4',
      margin: page.margin,
      bufferPages: true,
      // No Helvetica: every glyph comes from the embedded CJK font.
      font: null as unknown as string,
      info: { Title: title, Creator: '合格证通', Producer: '合格证通' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => {
      doc.on('end', resolve);
      doc.on('error', reject);
    });
    doc.registerFont('cjk', cjkFontBytes(), 'WenQuanYiMicroHei');
    doc.font('cjk');
    const w = new Writer(doc);
    draw(w);
    const range = doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      // The footer sits in the bottom margin: with it in force, pdfkit would start a new page.
      doc.page.margins.bottom = 0;
      doc.fontSize(8).fillColor('#555');
      doc.text(`合格证通 · 第 ${i + 1} / ${range.count} 页`, page.margin, page.height - 40, {
        width: contentWidth,
        align: 'center',
        lineBreak: false,
      });
      doc.fillColor('black');
    }
    doc.end();
    await done;
    return { bytes: Buffer.concat(chunks), pages: range.count };
  }

  /** Starts a new page when less than `height` is left. */
  ensure(height: number): void {
    if (this.doc.y + height > bottom) {
      this.doc.addPage();
      this.doc.y = page.margin;
    }
  }

  private bold(size: number): void {
    this.doc.lineWidth(size * 0.03);
  }

  title(text: string, size = 18): void {
    this.doc.fontSize(size);
    this.bold(size);
    this.doc.text(clean(text), page.margin, this.doc.y, {
      width: contentWidth,
      align: 'center',
      fill: true,
      stroke: true,
    });
    this.doc.moveDown(0.4);
  }

  heading(text: string): void {
    this.ensure(60);
    this.doc.moveDown(0.6);
    this.doc.fontSize(13);
    this.bold(13);
    this.doc.text(clean(text), page.margin, this.doc.y, {
      width: contentWidth,
      fill: true,
      stroke: true,
    });
    this.doc.moveDown(0.3);
  }

  paragraph(
    text: string,
    options: { size?: number; align?: 'center' | 'left'; indent?: number } = {},
  ): void {
    const size = options.size ?? 11;
    this.doc.fontSize(size);
    this.ensure(size * 1.6);
    this.doc.text(clean(text), page.margin + (options.indent ?? 0), this.doc.y, {
      width: contentWidth - (options.indent ?? 0),
      align: options.align ?? 'left',
      lineGap: 3,
    });
  }

  /** A ruled table; `widths` are fractions of the content width. */
  table(headers: string[], rows: (string | number)[][], widths: number[], size = 9.5): void {
    const pad = 4;
    const cols = widths.map((f) => f * contentWidth);
    const heightOf = (cells: (string | number)[]) => {
      this.doc.fontSize(size);
      return (
        Math.max(
          ...cells.map((c, i) =>
            this.doc.heightOfString(clean(c) || ' ', { width: (cols[i] ?? 40) - 2 * pad }),
          ),
        ) +
        2 * pad
      );
    };
    const drawRow = (cells: (string | number)[], header: boolean) => {
      const h = heightOf(cells);
      if (this.doc.y + h > bottom) {
        this.doc.addPage();
        this.doc.y = page.margin;
        if (!header) drawRow(headers, true);
      }
      const top = this.doc.y;
      let x = page.margin;
      this.doc.fontSize(size);
      cells.forEach((cell, i) => {
        const cw = cols[i] ?? 40;
        if (header) this.doc.rect(x, top, cw, h).fillAndStroke('#eeeeee', 'black');
        else this.doc.rect(x, top, cw, h).stroke('black');
        this.doc.fillColor('black');
        if (header) this.bold(size);
        this.doc.text(clean(cell), x + pad, top + pad, {
          width: cw - 2 * pad,
          ...(header ? { fill: true, stroke: true } : {}),
        });
        x += cw;
      });
      this.doc.x = page.margin;
      this.doc.y = top + h;
    };
    this.doc.lineWidth(0.5);
    drawRow(headers, true);
    for (const r of rows) {
      this.doc.lineWidth(0.5);
      drawRow(r, false);
    }
    this.doc.moveDown(0.4);
  }

  /** A QR code of `text`, `side` points square, its top left at (x, y). */
  qr(text: string, x: number, y: number, side: number): void {
    const matrix = qrMatrixOf(text, 'M');
    const quiet = 2;
    const module = side / (matrix.size + 2 * quiet);
    this.doc.save();
    this.doc.rect(x, y, side, side).fill('white');
    this.doc.transform(module, 0, 0, module, x + quiet * module, y + quiet * module);
    this.doc.addContent(qrRectOps(matrix));
    this.doc.fillColor('black').fill();
    this.doc.restore();
  }
}

const chinaTime = (iso: string) => `${chinaDateTime(iso)}（北京时间）`;

/** 书面总结 of a street for a period. */
export function renderSummaryPdf(s: SummaryReport): Promise<RenderedDocument> {
  const title = `${s.divisionName}承诺达标合格证工作书面总结`;
  return Writer.render(title, (w) => {
    const d = s.dashboard;
    w.title(title);
    w.paragraph(s.period?.label ?? `统计期间：${s.from} 至 ${s.to}`, { align: 'center' });
    w.doc.moveDown(0.5);
    w.paragraph(`统计期间：${s.from} 至 ${s.to}；对比上期：${s.previous.from} 至 ${s.previous.to}`);
    w.paragraph(`名录、重点监管、整改状态截至：${chinaTime(s.asOf)}`);
    w.paragraph(`生成时间：${chinaTime(s.computedAt)}`);
    w.paragraph(
      `报送状态：${
        s.document
          ? `${summaryStatuses[s.document.status]}${s.document.submittedAt ? `（${chinaTime(s.document.submittedAt)}）` : ''}`
          : '未生成总结草稿'
      }`,
    );

    w.heading('一、主要数据');
    w.table(
      ['指标', '本期', '上期', '变化'],
      s.changes.map((c) => [
        c.label,
        keyFigureText(c.key, c.current),
        keyFigureText(c.key, c.previous),
        c.deltaText,
      ]),
      [0.46, 0.16, 0.16, 0.22],
    );

    w.heading('二、合格证开具');
    w.table(
      ['月份', '合格证（张）', '标签（份）', '规模以上主体', '其中开证', '开证率'],
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
      [0.18, 0.17, 0.15, 0.18, 0.14, 0.18],
    );
    w.table(
      ['产品品类', '合格证（张）', '标签（份）'],
      d.certificates.byCategory
        .filter((c) => c.records > 0)
        .map((c) => [c.label, c.records, c.labels]),
      [0.5, 0.25, 0.25],
    );
    w.table(
      ['开具方式', '合格证（张）', '标签（份）'],
      d.certificates.byIssueUnit.map((u) => [u.label, u.records, u.labels]),
      [0.5, 0.25, 0.25],
    );

    const dormant = s.lists.dormantSubjects;
    w.heading(
      `三、在册不运行主体（${dormant.total} 家，截至 ${chinaDate(new Date(dormant.asOf))}）`,
    );
    if (dormant.items.length === 0) w.paragraph('无。');
    else
      w.table(
        ['主体名称', '主体类型', '最后开证', '未开证天数'],
        dormant.items.map((i) => [
          i.subject.name,
          i.subject.typeLabel,
          i.lastIssuedAt ? chinaDate(new Date(i.lastIssuedAt)) : '从未开证',
          i.idleDays,
        ]),
        [0.4, 0.25, 0.18, 0.17],
      );

    const overdue = s.lists.overdueRectifications;
    w.heading(`四、逾期未销号整改（${overdue.length} 件）`);
    if (overdue.length === 0) w.paragraph('无。');
    else
      w.table(
        ['主体名称', '整改原因', '整改期限', '状态'],
        overdue.map((c) => [c.subjectName, c.reasonLabel, c.deadline, c.statusLabel]),
        [0.36, 0.28, 0.18, 0.18],
      );

    w.heading('五、未参加培训人员');
    const untrained = s.lists.untrainedStaff;
    if (!untrained.available) w.paragraph(`暂无法统计：${untrained.reason}。`);
    else if (untrained.items.length === 0) w.paragraph('无。');
    else w.paragraph(untrained.items.map((u) => u.nickname).join('、'));

    w.heading('六、工作总结');
    const n = s.document?.narrative;
    const parts: [string, string][] = [
      ['（一）工作经验和做法', n?.experience ?? ''],
      ['（二）存在的问题', n?.problems ?? ''],
      ['（三）下一步打算和建议', n?.suggestions ?? ''],
    ];
    for (const [label, text] of parts) {
      w.paragraph(label);
      w.paragraph(text || '（待街道填写）', { indent: 22 });
    }
  });
}

/** 合规证明 of a subject, with the QR code of its verification URL. */
export function renderStatementPdf(st: Statement, url: string): Promise<RenderedDocument> {
  const f = st.findings;
  const title = '承诺达标合格证使用情况证明';
  return Writer.render(title, (w) => {
    w.title(title);
    w.paragraph(`编号：${st._id}`, { size: 9, align: 'center' });
    w.doc.moveDown(0.5);
    const qrSide = 120;
    const qrTop = w.doc.y;
    w.qr(url, page.margin + contentWidth - qrSide, qrTop, qrSide);
    w.doc.fontSize(8);
    w.doc.text('扫码核验真伪', page.margin + contentWidth - qrSide, qrTop + qrSide + 2, {
      width: qrSide,
      align: 'center',
    });
    w.doc.y = qrTop;
    const left = contentWidth - qrSide - 12;
    const line = (label: string, value: string) => {
      w.doc.fontSize(11);
      w.doc.text(`${label}：${clean(value)}`, page.margin, w.doc.y, { width: left, lineGap: 3 });
    };
    line('主体名称', f.subject.name);
    line('主体类型', f.subject.typeLabel);
    line('证件号码', f.subject.identity);
    line('所在街道/乡镇', f.subject.divisionName);
    line('生产季节', f.subject.seasonLabel);
    line('统计期间', `${f.from} 至 ${f.to}`);
    w.doc.y = Math.max(w.doc.y, qrTop + qrSide + 16);

    w.heading(`结论：${complianceConclusions[f.conclusion]}`);
    if (f.reasons.length > 0) {
      f.reasons.forEach((r, i) => w.paragraph(`${i + 1}. ${r}`, { indent: 12 }));
    }

    w.heading('一、合格证开具情况');
    const is = f.issuance;
    w.paragraph(
      `统计期间共开具合格证 ${is.certificates} 张（标签 ${is.labels} 份${is.revoked ? `，其中已撤销 ${is.revoked} 张` : ''}）。` +
        (is.regular === null
          ? '期间内没有应开证的月份。'
          : `应开证月份 ${is.dueMonths} 个，已开证 ${is.monthsIssued} 个` +
            (is.missingMonths.length > 0
              ? `，未开证月份：${is.missingMonths.map(monthLabel).join('、')}。`
              : '，按月规律开具。')),
    );
    w.table(
      ['月份', '生产季节内', '应开证', '开具（张）'],
      is.months.map((m) => [
        monthLabel(m.month),
        m.inSeason ? '是' : '否',
        m.due ? '是' : '否',
        m.certificates,
      ]),
      [0.3, 0.22, 0.22, 0.26],
    );

    w.heading('二、抽检情况');
    const sp = f.sampling;
    w.paragraph(
      `统计期间抽检 ${sp.samples} 批次，不合格 ${sp.failed.length} 批次，其中承诺与抽检结果不符 ${sp.promisesContradicted} 批次。`,
    );
    for (const x of sp.failed) {
      w.paragraph(
        `${x.sampledOn} ${x.productName ?? ''} 抽检不合格：${x.failedItems.join('、')}${x.promiseContradicted ? '（承诺与抽检结果不符）' : ''}`,
        { indent: 12 },
      );
    }

    w.heading('三、虚假开具合格证');
    if (f.falseCertificates.length === 0) w.paragraph('未发现。');
    for (const c of f.falseCertificates) w.paragraph(`${c.openedOn}：${c.note}`, { indent: 12 });
    if (f.patrolsNotIssuing.length > 0) {
      w.paragraph(
        `巡查发现未按要求开具合格证 ${f.patrolsNotIssuing.length} 次（${f.patrolsNotIssuing.map((p) => p.date).join('、')}）。`,
      );
    }

    w.heading('四、重点监管');
    const k = f.keySupervision;
    w.paragraph(
      k.active
        ? `期末在重点监管名单中（${k.reasonLabel ?? ''}，自 ${k.since ? chinaDate(new Date(k.since)) : ''} 起）。`
        : k.placedInPeriod
          ? '期间内曾列入重点监管，期末已解除。'
          : '期间内未列入重点监管。',
    );

    w.heading('五、整改情况');
    if (f.rectifications.length === 0) w.paragraph('无。');
    else
      w.table(
        ['整改原因', '开立日期', '整改期限', '状态'],
        f.rectifications.map((c) => [
          c.reasonLabel,
          c.openedOn,
          c.deadline,
          `${c.statusLabel}${c.overdue ? '（逾期）' : ''}`,
        ]),
        [0.34, 0.2, 0.2, 0.26],
      );

    w.doc.moveDown(1);
    w.paragraph('本证明依据合格证通平台的开证、巡查、抽检和整改记录生成，扫描二维码可核验真伪。');
    w.paragraph(`出具单位：${st.issuerName}`);
    w.paragraph(`出具时间：${chinaTime(st.issuedAt)}`);
    w.paragraph(`核验地址：${url}`, { size: 7 });
  });
}
