import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { verifyFunction, type VerifyResult } from '../../../cloudfunctions/verify/actions';
import type { Subject } from '../../../src/domain/subject';
import { issueInput, smallholder, testRuntime, type TestRuntime } from '../../helpers/runtime';

let rt: TestRuntime;
let cert: OwnCertificate;
beforeEach(async () => {
  rt = testRuntime();
  const subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  [cert] = (await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subject._id),
    'wx-1',
  )) as [OwnCertificate];
});
afterEach(() => rt.close());

describe('verify.lookup', () => {
  it('tells anyone, signed in or not, that a scanned certificate is valid', async () => {
    const res = await rt.ok<VerifyResult>(verifyFunction, 'lookup', { code: cert.verifyUrl }, null);
    expect(res).toMatchObject({
      verdict: 'valid',
      verdictLabel: '有效',
      code: cert.code,
      divisionName: '墟沟街道',
      certificate: { productName: '青菜', display: { title: '承诺达标合格证' } },
    });
  });

  it('shows no private data: no openid, no request id, phone masked', async () => {
    const res = await rt.ok<VerifyResult>(verifyFunction, 'lookup', { code: cert.code }, null);
    const text = JSON.stringify(res);
    expect(text).not.toContain('wx-1');
    expect(text).not.toContain(cert.requestId);
    expect(text).not.toContain('13812345678');
    expect(text).toContain('138****5678');
  });

  it('says 已撤销 and why for a revoked certificate', async () => {
    await rt.store
      .collection('certificates')
      .update(cert.code, { status: 'revoked', revokedReason: '数量填错' });
    const res = await rt.ok<VerifyResult>(verifyFunction, 'lookup', { code: cert.code }, null);
    expect(res).toMatchObject({
      verdict: 'revoked',
      verdictLabel: '已撤销',
      certificate: { revokedReason: '数量填错' },
    });
  });

  it.each(['ZZZZZZZZZZZZZZZZ', 'https://evil.example/c/0000000000000000', 'hello', '<script>'])(
    'answers 未找到 for %p',
    async (code) => {
      const res = await rt.ok<VerifyResult>(verifyFunction, 'lookup', { code }, null);
      expect(res).toMatchObject({ verdict: 'not_found', certificate: null });
    },
  );

  it('refuses an empty code as invalid input', async () => {
    expect(await rt.call(verifyFunction, 'lookup', { code: '' }, null)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { code: expect.any(Array) } },
    });
  });
});
