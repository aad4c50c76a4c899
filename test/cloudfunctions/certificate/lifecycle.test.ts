import ExcelJS from 'exceljs';
import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import type { AuditEntry } from '../../../cloudfunctions/kit/audit';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { verifyFunction, type VerifyResult } from '../../../cloudfunctions/verify/actions';
import type { Subject } from '../../../src/domain/subject';
import { issueInput, smallholder, testRuntime, type TestRuntime } from '../../helpers/runtime';

let rt: TestRuntime;
let subject: Subject;
let cert: OwnCertificate;
beforeEach(async () => {
  rt = testRuntime();
  subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  rt.setNow('2026-03-01T02:00:00Z');
  [cert] = (await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subject._id),
    'wx-1',
  )) as [OwnCertificate];
});
afterEach(() => rt.close());

describe('retention and revocation', () => {
  it('keeps the retained copy for one year by default', () => {
    expect(cert.retentionUntil).toBe('2027-03-01T02:00:00.000Z');
    expect(cert.retained).toBe(true);
  });

  it('refuses deletion inside the retention period, saying until when, changing nothing', async () => {
    rt.setNow('2027-02-28T02:00:00Z');
    const res = await rt.call(certificateFunction, 'remove', { code: cert.code }, 'wx-1');
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!res.ok) expect(res.error.message).toContain('2027-03-01');
    expect(await rt.store.collection('certificates').get(cert.code)).not.toBeNull();
  });

  it('allows deletion after the retention period, with an audit entry', async () => {
    rt.setNow('2027-03-02T02:00:00Z');
    await rt.ok(certificateFunction, 'remove', { code: cert.code }, 'wx-1');
    expect(await rt.store.collection('certificates').get(cert.code)).toBeNull();
    const trail = await rt.store.collection<AuditEntry>('audit').find({ entityId: cert.code });
    expect(trail.map((a) => a.action)).toEqual(['certificate.issue', 'certificate.remove']);
  });

  it('honours a configured period, never below six months', async () => {
    const { runtimeConfigFromEnv } = await import('../../../cloudfunctions/kit/config');
    const env = { IDENTITY_SECRET: 'x'.repeat(40), SIGNING_KEY: rt.config.signingKey };
    expect(runtimeConfigFromEnv({ ...env, RETENTION_DAYS: '200' }, { port: 1 }).retentionDays).toBe(
      200,
    );
    expect(() => runtimeConfigFromEnv({ ...env, RETENTION_DAYS: '90' }, { port: 1 })).toThrow(
      /六个月/,
    );
  });

  it('revokes with a reason; the verify page says 已撤销 and why; the trail says who and when', async () => {
    rt.setNow('2026-03-02T03:00:00Z');
    const revoked = await rt.ok<OwnCertificate>(
      certificateFunction,
      'revoke',
      { code: cert.code, reason: '数量写错，已重新开具' },
      'wx-1',
    );
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: '2026-03-02T03:00:00.000Z' });
    const seen = await rt.ok<VerifyResult>(
      verifyFunction,
      'lookup',
      { code: cert.verifyUrl },
      null,
    );
    expect(seen).toMatchObject({
      verdict: 'revoked',
      certificate: { revokedReason: '数量写错，已重新开具' },
    });
    const trail = await rt.ok<AuditEntry[]>(
      certificateFunction,
      'history',
      { code: cert.code },
      'wx-1',
    );
    expect(trail.map((a) => [a.action, a.actorId])).toEqual([
      ['certificate.issue', 'wx-1'],
      ['certificate.revoke', 'wx-1'],
    ]);
    expect(trail[1]?.detail).toMatchObject({ reason: '数量写错，已重新开具' });
  });

  it('refuses a second revocation, an empty reason, and someone else’s certificate', async () => {
    expect(
      await rt.call(certificateFunction, 'revoke', { code: cert.code, reason: ' ' }, 'wx-1'),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { reason: expect.any(Array) } },
    });
    await rt.ok(
      subjectFunction,
      'register',
      smallholder({ name: '李四', identityNumber: '11010519491231002X' }),
      'wx-2',
    );
    expect(
      await rt.call(certificateFunction, 'revoke', { code: cert.code, reason: '恶意撤销' }, 'wx-2'),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await rt.store.collection('certificates').get(cert.code)) as object).toMatchObject({
      status: 'valid',
    });
    await rt.ok(certificateFunction, 'revoke', { code: cert.code, reason: '开错了' }, 'wx-1');
    expect(
      await rt.call(certificateFunction, 'revoke', { code: cert.code, reason: '再撤一次' }, 'wx-1'),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('the retained copies: list, search, export', () => {
  beforeEach(async () => {
    rt.setNow('2026-04-10T02:00:00Z');
    await rt.ok(
      certificateFunction,
      'issue',
      issueInput(subject._id, { productName: '番茄' }),
      'wx-1',
    );
    rt.setNow('2026-05-20T02:00:00Z');
    await rt.ok(
      certificateFunction,
      'issue',
      issueInput(subject._id, {
        productName: '=HYPERLINK("http://evil")',
        issueUnit: 'batch',
        batchNo: 'B-77',
      }),
      'wx-1',
    );
  });

  it('searches by product, batch number and date range', async () => {
    const by = async (filters: object) =>
      (await rt.ok<OwnCertificate[]>(certificateFunction, 'mine', filters, 'wx-1')).map(
        (c) => c.productName,
      );
    expect(await by({ q: '番' })).toEqual(['番茄']);
    expect(await by({ q: 'b-77' })).toEqual(['=HYPERLINK("http://evil")']);
    expect(await by({ from: '2026-04-01', to: '2026-04-30' })).toEqual(['番茄']);
    expect(await by({})).toHaveLength(3);
    expect(await by({ status: 'revoked' })).toEqual([]);
  });

  it('exports an .xlsx that reads back, with formula-like text neutralised', async () => {
    const out = await rt.ok<{ filename: string; rows: number; base64: string }>(
      certificateFunction,
      'export',
      {},
      'wx-1',
    );
    expect(out.rows).toBe(3);
    expect(out.filename).toMatch(/^合格证存根-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(out.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('合格证存根')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('合格证编号');
    const products = [2, 3, 4].map((r) => sheet.getRow(r).getCell(2).value);
    expect(products).toContain('\'=HYPERLINK("http://evil")');
    expect(products).toContain('番茄');
    for (let r = 2; r <= 4; r++) {
      for (let c = 1; c <= sheet.columnCount; c++) {
        const cell = sheet.getRow(r).getCell(c);
        expect(cell.formula).toBeUndefined();
      }
    }
  });

  it('exports nothing of other producers', async () => {
    const out = await rt.ok<{ rows: number }>(certificateFunction, 'export', {}, 'wx-stranger');
    expect(out.rows).toBe(0);
  });
});
