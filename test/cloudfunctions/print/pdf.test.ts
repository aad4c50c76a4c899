import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { ed25519Signer } from '../../../cloudfunctions/kit/signer';
import { renderLabelsPdf, type PrintLabel } from '../../../cloudfunctions/print/pdf';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import {
  labelCode,
  normalizeCertificate,
  verifyUrl,
  type Certificate,
} from '../../../src/domain/certificate';
import { printLayoutCodes, type PrintLayout } from '../../../src/domain/print';
import type { Subject } from '../../../src/domain/subject';
import { issueInput, smallholder, testRuntime, type TestRuntime } from '../../helpers/runtime';
import { decodeQrPages, pdfFonts, pdfInfo, pdfText, pdfWords } from './pdf-tools';

let rt: TestRuntime;
let subject: Subject;
beforeAll(async () => {
  rt = testRuntime();
  subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
});
afterAll(() => rt.close());

/** A certificate issued through the real action; `packages` labels if the action takes them. */
async function issued(overrides: Record<string, unknown> = {}, count = 1): Promise<Certificate> {
  const [own] = await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subject._id, { ...(count > 1 ? { packages: count } : {}), ...overrides }),
    'wx-1',
  );
  const certificates = rt.store.collection<Certificate>('certificates');
  const stored = await certificates.get(own?.code ?? '');
  if (!stored) throw new Error('issued certificate not stored');
  if (stored.count !== count) await certificates.update(stored.code, { count });
  return normalizeCertificate({ ...stored, count });
}

/** Every label of `c`, signed as the print action signs them. */
function labelsOf(c: Certificate, baseUrl = rt.config.publicBaseUrl): PrintLabel[] {
  const signer = ed25519Signer(rt.config.signingKey);
  return Array.from({ length: c.count }, (_, i) => {
    const label = labelCode(c.code, i, c.count);
    return { index: i + 1, label, verifyUrl: verifyUrl(baseUrl, label, signer.sign(label)) };
  });
}

/** Points per layout page, as pdfinfo prints them. */
const pageSizes: Record<PrintLayout, [number, number]> = {
  '80x60': [226.772, 170.079],
  '100x70': [283.465, 198.425],
  '50x30': [141.732, 85.039],
  'a4-two-part': [595.28, 841.89],
};

describe.each(printLayoutCodes)('%s', (layout) => {
  let certificate: Certificate;
  let labels: PrintLabel[];
  let pdf: Awaited<ReturnType<typeof renderLabelsPdf>>;
  beforeAll(async () => {
    certificate = await issued({ productName: '番茄' }, 3);
    labels = labelsOf(certificate);
    pdf = await renderLabelsPdf(certificate, labels, layout);
  });

  it('prints every label with a QR code a 203 dpi print decodes to its own signed URL', () => {
    const perPage = layout === 'a4-two-part' ? 2 : 1;
    const pages = decodeQrPages(pdf.bytes);
    expect(pages).toHaveLength(Math.ceil(labels.length / perPage));
    expect(pdf.pages).toBe(pages.length);
    const signer = ed25519Signer(rt.config.signingKey);
    labels.forEach((l, i) => {
      const decoded = pages[Math.floor(i / perPage)] ?? [];
      expect(decoded).toContain(l.verifyUrl);
      const signature = new URL(l.verifyUrl).searchParams.get('s') ?? '';
      expect(signer.verify(l.label, signature)).toBe(true);
    });
    expect(new Set(labels.map((l) => l.label)).size).toBe(3);
    expect(pdf.qr.moduleDots).toBeGreaterThanOrEqual(3);
  });

  it('has the layout’s page size', () => {
    const info = pdfInfo(pdf.bytes);
    const [w, h] = pageSizes[layout];
    expect(info.width).toBeCloseTo(w, 1);
    expect(info.height).toBeCloseTo(h, 1);
  });

  it('embeds one font, the CJK one, as a subset', () => {
    const fonts = pdfFonts(pdf.bytes);
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatchObject({ emb: 'yes', sub: 'yes' });
    expect(fonts[0]?.name).toMatch(/^[A-Z]{6}\+WenQuanYiMicroHei$/);
  });

  it('shows the title, the product, the date and each label’s code', () => {
    const text = pdfText(pdf.bytes);
    expect(text).toContain('承诺达标合格证');
    expect(text).toContain('番茄');
    expect(text).toContain(certificate.issueDate);
    expect(text).toContain('王建国');
    for (const l of labels) expect(text.replace(/-/g, '')).toContain(l.label);
    if (layout === '50x30') {
      expect(text).not.toContain('我承诺');
    } else {
      expect(text).toContain('我承诺');
      expect(text).toContain('质量安全控制符合要求');
      expect(text).toContain('连云区墟沟街道东山村');
    }
    if (layout === 'a4-two-part') {
      expect(text).toContain('存根联');
      expect(text).toContain('买方联');
      expect(text).toContain('沿');
    }
  });
});

describe('contents', () => {
  it('prints a 2019-trial record under its own title and basis', async () => {
    const c = await issued();
    const old = { ...c, templateVersion: '2019-trial', basis: ['self_pledge' as const] };
    for (const layout of ['80x60', 'a4-two-part'] as const) {
      const text = pdfText((await renderLabelsPdf(old, labelsOf(old), layout)).bytes);
      expect(text).toContain('食用农产品合格证');
      expect(text).not.toContain('承诺达标合格证');
      expect(text).toContain('自我承诺');
    }
  });

  it('shows the plate of a per-vehicle certificate', async () => {
    const c = await issued({ issueUnit: 'vehicle', vehiclePlate: '苏G12345' });
    const text = pdfText((await renderLabelsPdf(c, labelsOf(c), '100x70')).bytes);
    expect(text).toContain('苏G12345');
  });

  it('keeps a 3-label PDF small: the font subset is a few KB', async () => {
    const c = await issued({}, 3);
    const { bytes } = await renderLabelsPdf(c, labelsOf(c), '80x60');
    const text = bytes.toString('latin1');
    const fontRef = /\/FontFile2 (\d+) 0 R/.exec(text)?.[1];
    const length = Number(new RegExp(`\\n${fontRef} 0 obj\\n<<\\n/Length (\\d+)`).exec(text)?.[1]);
    expect(length).toBeGreaterThan(1000);
    expect(length).toBeLessThan(40_000);
    expect(bytes.length).toBeLessThan(60_000);
  });

  it('refuses to render no labels', async () => {
    const c = await issued();
    await expect(renderLabelsPdf(c, [], '80x60')).rejects.toThrow(RangeError);
  });
});

describe('hostile text', () => {
  const hostile = {
    productName: `<script>alert("x")</script>${'特别长的产品名称'.repeat(20)}🍅👨‍👩‍👧`,
    origin: `${'连云区墟沟街道东山村三组'.repeat(12)}\n\u0000\u202e`,
    issuerName: `${'一个名字非常非常长的农业合作社'.repeat(8)} Ltd.`,
  };

  function intersects(a: { xMin: number; yMin: number; xMax: number; yMax: number }, b: typeof a) {
    const e = 0.5; // touching boxes of adjacent characters are not an overlap
    return a.xMin < b.xMax - e && b.xMin < a.xMax - e && a.yMin < b.yMax - e && b.yMin < a.yMax - e;
  }

  it.each(printLayoutCodes)(
    '%s: stays inside its boxes, and the QR still decodes',
    async (layout) => {
      const c0 = await issued();
      const c: Certificate = {
        ...c0,
        productName: hostile.productName,
        origin: hostile.origin,
        issuer: { ...c0.issuer, name: hostile.issuerName },
      };
      const labels = labelsOf(c);
      const pdf = await renderLabelsPdf(c, labels, layout);
      expect(decodeQrPages(pdf.bytes)[0]).toEqual([labels[0]?.verifyUrl]);

      const text = pdfText(pdf.bytes);
      // Shown as text, cut short where it does not fit.
      expect(text).toContain('<script>alert("x")');
      expect(text).toContain('…');
      expect(text).not.toContain('\u202e');

      const { pageWidth, pageHeight, words } = pdfWords(pdf.bytes);
      const { x, y, side } = pdf.qr.area;
      const qrBox = { xMin: x, yMin: y, xMax: x + side, yMax: y + side };
      const onPage = words.filter((w) => w.page === 1);
      for (const w of onPage) {
        expect(w.xMin).toBeGreaterThanOrEqual(0);
        expect(w.yMin).toBeGreaterThanOrEqual(0);
        expect(w.xMax).toBeLessThanOrEqual(pageWidth);
        expect(w.yMax).toBeLessThanOrEqual(pageHeight);
        expect([w.text, intersects(w, qrBox)]).toEqual([w.text, false]);
      }
      // No line ran into the next: no two words share ink.
      onPage.forEach((a, i) =>
        onPage
          .slice(i + 1)
          .forEach((b) =>
            expect([a.text, b.text, intersects(a, b)]).toEqual([a.text, b.text, false]),
          ),
      );
    },
  );

  it('replaces emoji the font lacks with one □ each, and keeps the rest', async () => {
    const c0 = await issued();
    const c = { ...c0, productName: '🍅番茄👨‍👩‍👧' };
    const text = pdfText((await renderLabelsPdf(c, labelsOf(c), '80x60')).bytes);
    expect(text).toContain('□番茄□');
  });
});

describe('QR size on 50×30', () => {
  it('keeps error correction M for the usual URL', async () => {
    const c = await issued();
    const pdf = await renderLabelsPdf(c, labelsOf(c), '50x30');
    expect(pdf.qr).toMatchObject({ ecLevel: 'M', moduleDots: 3 });
  });

  it('lowers error correction to L when a long base URL would need modules under 3 dots', async () => {
    const c = await issued();
    const labels = labelsOf(c, 'https://hegezheng-verify.lianyunqu.lianyungang.gov.cn');
    const pdf = await renderLabelsPdf(c, labels, '50x30');
    expect(pdf.qr.ecLevel).toBe('L');
    expect(pdf.qr.moduleDots).toBeGreaterThanOrEqual(3);
    expect(decodeQrPages(pdf.bytes)[0]).toEqual([labels[0]?.verifyUrl]);
  });
});
