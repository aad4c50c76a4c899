import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import {
  fileUrlKeyFrom,
  openLocalFileStore,
  type LocalFileStore,
} from '../../../cloudfunctions/kit/files/local';
import { invoke } from '../../../cloudfunctions/kit/invoke';
import { ed25519Signer } from '../../../cloudfunctions/kit/signer';
import { printFunction } from '../../../cloudfunctions/print/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { labelCode, parseLabelCode, type Certificate } from '../../../src/domain/certificate';
import type { Envelope } from '../../../src/domain/errors';
import type { PrintLabelsResult } from '../../../src/domain/print';
import type { Subject } from '../../../src/domain/subject';
import {
  issueInput,
  smallholder,
  testRuntime,
  validIdNumber,
  type TestRuntime,
} from '../../helpers/runtime';
import { decodeQrPages, pdfInfo } from './pdf-tools';

let rt: TestRuntime;
let filesDir: string;
let files: LocalFileStore;
let now: Date;
let subject: Subject;
let certificate: OwnCertificate;

beforeEach(async () => {
  rt = testRuntime();
  now = new Date('2026-11-29T02:00:00.000Z');
  rt.setNow(now.toISOString());
  filesDir = mkdtempSync(join(tmpdir(), 'hgz-files-'));
  files = openLocalFileStore({
    dir: filesDir,
    baseUrl: 'http://127.0.0.1:8080',
    urlKey: fileUrlKeyFrom(rt.config.identitySecret),
    now: () => now,
  });
  subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  [certificate] = (await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subject._id, { packages: 3 }),
    'wx-1',
  )) as [OwnCertificate];
});
afterEach(async () => {
  await rt.close();
  rmSync(filesDir, { recursive: true, force: true });
});

/** print.labels through the real boundary, with the local file store (or none). */
function print(
  input: unknown,
  as: string | null = 'wx-1',
  withFiles = true,
): Promise<Envelope<PrintLabelsResult>> {
  return invoke(
    printFunction,
    { action: 'labels', input },
    {
      store: rt.store,
      callerId: as,
      config: rt.config,
      now: () => now,
      logError: () => undefined,
      ...(withFiles ? { files } : {}),
    },
  ) as Promise<Envelope<PrintLabelsResult>>;
}

async function ok(input: unknown): Promise<PrintLabelsResult> {
  const res = await print(input);
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.data;
}

const stored = () => readdirSync(filesDir).filter((f) => f.endsWith('.pdf'));

describe('print.labels', () => {
  it('renders every label of the caller’s certificate, stores the PDF and links to it', async () => {
    const res = await ok({ code: certificate.code, layout: '80x60' });
    expect(res).toMatchObject({ pages: 3, from: 1, to: 3, count: 3, expiresIn: 900 });
    const url = new URL(res.url);
    expect(url.pathname).toBe(`/files/${res.fileId}`);
    expect(files.checkToken(res.fileId, url.searchParams.get('t'))).toBe(true);

    const file = await files.get(res.fileId);
    expect(file?.contentType).toBe('application/pdf');
    expect(file?.name).toMatch(/^80x60-1-3-[0-9a-f]+\.pdf$/);
    expect(file?.bytes.length).toBe(res.bytes);
    const bytes = Buffer.from(file?.bytes ?? []);
    expect(pdfInfo(bytes).pages).toBe(3);

    const signer = ed25519Signer(rt.config.signingKey);
    const decoded = decodeQrPages(bytes);
    expect(decoded.map((d) => d.length)).toEqual([1, 1, 1]);
    decoded.forEach(([text], i) => {
      const label = labelCode(certificate.code, i, 3);
      expect(text).toMatch(new RegExp(`^https://hgz\\.example\\.cn/c/${label}\\?s=`));
      expect(signer.verify(label, new URL(text ?? '').searchParams.get('s') ?? '')).toBe(true);
    });

    const records = await rt.store.collection('files').find({ certificateCode: certificate.code });
    expect(records).toEqual([
      expect.objectContaining({
        kind: 'print',
        fileId: res.fileId,
        layout: '80x60',
        pages: 3,
        createdBy: 'wx-1',
      }),
    ]);
  });

  it('prints the A4 two-part forms two to a page', async () => {
    const res = await ok({ code: certificate.code, layout: 'a4-two-part' });
    expect(res.pages).toBe(2);
  });

  it('prints one package label from its label code, or a range', async () => {
    const second = labelCode(certificate.code, 1, 3);
    const one = await ok({ code: second, layout: '50x30' });
    expect(one).toMatchObject({ pages: 1, from: 2, to: 2 });
    const bytes = Buffer.from((await files.get(one.fileId))?.bytes ?? []);
    expect(parseLabelCode(new URL(decodeQrPages(bytes)[0]?.[0] ?? '').pathname.slice(3))).toEqual({
      code: certificate.code,
      index: 1,
    });
    expect(await ok({ code: certificate.code, layout: '100x70', from: 2, to: 3 })).toMatchObject({
      pages: 2,
      from: 2,
      to: 3,
    });
  });

  it('refuses a range beyond the certificate’s labels, with the field', async () => {
    const res = await print({ code: certificate.code, layout: '80x60', from: 2, to: 4 });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!res.ok) expect(res.error.fields).toEqual({ to: ['序号不能超过 3'] });
    const backwards = await print({ code: certificate.code, layout: '80x60', from: 3, to: 2 });
    expect(backwards.ok).toBe(false);
    if (!backwards.ok) expect(backwards.error.fields).toEqual({ to: ['结束序号不能小于起始序号'] });
    expect(stored()).toEqual([]);
  });

  it('refuses an unknown layout and a missing code with Chinese field errors', async () => {
    const res = await print({ code: certificate.code, layout: 'A5' });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!res.ok) expect(res.error.fields).toEqual({ layout: ['请选择打印版式'] });
    const noCode = await print({ layout: '80x60' });
    expect(noCode.ok).toBe(false);
    if (!noCode.ok) expect(noCode.error.fields).toEqual({ code: ['请选择要打印的合格证'] });
    expect(stored()).toEqual([]);
  });

  it('answers NOT_FOUND for someone else’s certificate, an unknown one and a label beyond the count', async () => {
    await rt.ok(
      subjectFunction,
      'register',
      smallholder({ name: '李四', identityNumber: validIdNumber('19700101', '456') }),
      'wx-2',
    );
    const others = await print({ code: certificate.code, layout: '80x60' }, 'wx-2');
    expect(others).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: '没有找到这张合格证' },
    });
    for (const code of ['0000000000000000', `${certificate.code}00Z`, 'not a code']) {
      expect(await print({ code, layout: '80x60' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    }
    expect(stored()).toEqual([]);
  });

  it('is for producers and buyers only', async () => {
    expect(await print({ code: certificate.code, layout: '80x60' }, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await print({ code: certificate.code, layout: '80x60' }, 'wx-stranger')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('refuses a revoked certificate with the reason, storing nothing', async () => {
    await rt.ok(
      certificateFunction,
      'revoke',
      { code: certificate.code, reason: '标签打错了' },
      'wx-1',
    );
    const res = await print({ code: certificate.code, layout: '80x60' });
    expect(res).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!res.ok)
      expect(res.error.message).toBe('这张合格证已撤销（原因：标签打错了），不能再打印标签');
    expect(stored()).toEqual([]);
    expect(await rt.store.collection('files').count()).toBe(0);
  });

  it('answers UNAVAILABLE when the runtime has no file store', async () => {
    const res = await print({ code: certificate.code, layout: '80x60' }, 'wx-1', false);
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: '文件存储未配置，暂时无法生成文件' },
    });
  });
});

describe('download links', () => {
  it('expire after a quarter of an hour and cannot be forged or moved to another file', async () => {
    const a = await ok({ code: certificate.code, layout: '80x60' });
    const b = await ok({ code: certificate.code, layout: '50x30' });
    const token = new URL(a.url).searchParams.get('t') ?? '';
    expect(files.checkToken(a.fileId, token)).toBe(true);
    expect(files.checkToken(b.fileId, token)).toBe(false);
    const [expiry, mac] = token.split('.');
    expect(files.checkToken(a.fileId, `${Number(expiry) + 3600}.${mac}`)).toBe(false);
    expect(files.checkToken(a.fileId, `${expiry}.${'A'.repeat(32)}`)).toBe(false);
    expect(files.checkToken(a.fileId, null)).toBe(false);
    expect(files.checkToken(a.fileId, '')).toBe(false);

    now = new Date(now.getTime() + 899_000);
    expect(files.checkToken(a.fileId, token)).toBe(true);
    now = new Date(now.getTime() + 2_000);
    expect(files.checkToken(a.fileId, token)).toBe(false);
  });

  it('made with another key do not pass', async () => {
    const a = await ok({ code: certificate.code, layout: '80x60' });
    const other = openLocalFileStore({
      dir: filesDir,
      baseUrl: 'http://127.0.0.1:8080',
      urlKey: fileUrlKeyFrom('another-secret'),
      now: () => now,
    });
    expect(other.checkToken(a.fileId, new URL(a.url).searchParams.get('t'))).toBe(false);
  });
});

describe('stored record', () => {
  it('keeps the certificate untouched', async () => {
    const before = await rt.store.collection<Certificate>('certificates').get(certificate.code);
    await ok({ code: certificate.code, layout: '80x60' });
    expect(await rt.store.collection<Certificate>('certificates').get(certificate.code)).toEqual(
      before,
    );
  });
});
