/**
 * Rendering 1,000 80×60 labels of one per-package certificate to PDF (each with its own signed
 * QR code, vector, and the shared text) against the baseline: computing the same 1,000 QR
 * matrices, which the PDF cannot do without. Signing is done beforehand and counted in neither.
 */
import { ed25519Signer, generateSigningKey } from '../../cloudfunctions/kit/signer';
import { renderLabelsPdf, type PrintLabel } from '../../cloudfunctions/print/pdf';
import { qrMatrixOf } from '../../cloudfunctions/print/qr';
import { labelCode, verifyUrl, type Certificate } from '../../src/domain/certificate';
import type { BenchResult } from './harness';
import { median } from './harness';

const N = 1000;
const rounds = 3;

const certificate: Certificate = {
  _id: '7Q2M9XKD4HZP8W3N',
  code: '7Q2M9XKD4HZP8W3N',
  templateVersion: '2025',
  style: 1,
  subjectId: 'sub_bench',
  issuer: {
    subjectId: 'sub_bench',
    name: '连云区东山果蔬专业合作社',
    typeLabel: '农民专业合作社',
    contactName: '王建国',
    phone: '138****5678',
    address: '连云区墟沟街道东山村三组',
    divisionCode: '320703001',
  },
  productName: '青菜',
  quantity: { value: '5', unit: 'kg' },
  origin: '连云区墟沟街道东山村',
  issueDate: '2026-11-29',
  issuedAt: '2026-11-29T02:00:00.000Z',
  basis: ['quality_control', 'self_test'],
  issueUnit: 'package',
  vehiclePlate: null,
  batchNo: null,
  count: N,
  form: 'electronic',
  serial: null,
  traceCode: null,
  sourceCodes: [],
  testRecordIds: [],
  status: 'valid',
  revokedReason: null,
  revokedAt: null,
  issuedBy: 'bench',
  requestId: 'bench',
};

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** The compressed size of the embedded font program (the subset). */
function fontSubsetBytes(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const ref = /\/FontFile2 (\d+) 0 R/.exec(text)?.[1];
  return Number(new RegExp(`\\n${ref} 0 obj\\n<<\\n/Length (\\d+)`).exec(text)?.[1] ?? NaN);
}

export async function run(): Promise<BenchResult[]> {
  const signer = ed25519Signer(generateSigningKey());
  const labels: PrintLabel[] = Array.from({ length: N }, (_, i) => {
    const label = labelCode(certificate.code, i, N);
    return {
      index: i + 1,
      label,
      verifyUrl: verifyUrl('https://hgz.example.cn', label, signer.sign(label)),
    };
  });
  // Warm both paths (JIT, the font file read) before timing either.
  for (const l of labels.slice(0, 50)) qrMatrixOf(l.verifyUrl, 'M');
  await renderLabelsPdf(certificate, labels.slice(0, 50), '80x60');

  const qrTimes: number[] = [];
  const pdfTimes: number[] = [];
  let pdf: Awaited<ReturnType<typeof renderLabelsPdf>> | null = null;
  for (let r = 0; r < rounds; r++) {
    let t0 = process.hrtime.bigint();
    for (const l of labels) qrMatrixOf(l.verifyUrl, 'M');
    qrTimes.push(ms(t0));
    t0 = process.hrtime.bigint();
    pdf = await renderLabelsPdf(certificate, labels, '80x60');
    pdfTimes.push(ms(t0));
  }
  const one: number[] = [];
  const single = { ...certificate, count: 1 };
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    await renderLabelsPdf(
      single,
      [{ index: 1, label: single.code, verifyUrl: labels[0]!.verifyUrl }],
      '80x60',
    );
    one.push(ms(t0));
  }
  const qrMs = median(qrTimes);
  const pdfMs = median(pdfTimes);
  if (!pdf || pdf.pages !== N) throw new Error('the bench PDF does not have one page per label');
  return [
    {
      name: `PDF of ${N} 80×60 labels (vector QR, shared text)`,
      value: pdfMs,
      unit: 'ms',
      baseline: { name: `${N} QR matrices (qrcode-generator, M)`, value: qrMs },
      ratio: pdfMs / qrMs,
      note: `median of ${rounds}; QR v${pdf.qr.version}-${pdf.qr.ecLevel}, ${pdf.qr.moduleDots} dots/module at 203 dpi`,
    },
    { name: `PDF size, ${N} labels`, value: pdf.bytes.length / 1024, unit: 'KB' },
    { name: 'embedded font subset', value: fontSubsetBytes(pdf.bytes) / 1024, unit: 'KB' },
    {
      name: 'PDF of one label (a single print)',
      value: median(one),
      unit: 'ms',
      note: 'median of 5',
    },
  ];
}
