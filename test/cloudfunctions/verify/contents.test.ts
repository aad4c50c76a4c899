/** What the verify page shows beyond the verdict: tests, trace code, sources, paper forms. */
import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { verifyFunction, type VerifyResult } from '../../../cloudfunctions/verify/actions';
import { renderVerifyPage } from '../../../cloudfunctions/verify/page';
import type { Subject } from '../../../src/domain/subject';
import {
  issueInput,
  passedTests,
  smallholder,
  testRuntime,
  type TestRuntime,
} from '../../helpers/runtime';

let rt: TestRuntime;
let farm: Subject;
beforeEach(async () => {
  rt = testRuntime();
  farm = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-farm');
});
afterEach(() => rt.close());

async function issue(subjectId: string, as: string, overrides: Record<string, unknown> = {}) {
  const [c] = await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subjectId, overrides),
    as,
  );
  return c!;
}

const lookup = (scanned: string) =>
  rt.ok<VerifyResult>(verifyFunction, 'lookup', { code: scanned }, null);

it('shows the test records a 自行检测 / 委托检测 promise rests on', async () => {
  const tests = await passedTests(rt, farm._id, 'wx-farm');
  const c = await issue(farm._id, 'wx-farm', {
    basis: ['self_test', 'commissioned_test'],
    testRecordIds: tests,
  });
  const result = await lookup(c.verifyUrl);
  expect(result.tests.map((t) => t.party).sort()).toEqual(['委托检测', '自行检测']);
  const { html } = renderVerifyPage(result);
  expect(html).toContain('检测记录');
  expect(html).toContain('连云港市农产品质量检验测试中心');
  expect(html).toContain('<b>合格</b>');
});

it('shows the trace code of a 二合一 label, linked when the platform is configured', async () => {
  const c = await issue(farm._id, 'wx-farm', { traceCode: 'JS320703-2026-0001' });
  let result = await lookup(c.verifyUrl);
  expect(result.traceUrl).toBeNull();
  expect(renderVerifyPage(result).html).toContain('<dt>追溯码</dt><dd>JS320703-2026-0001</dd>');
  rt.config.traceUrlTemplate = 'https://trace.example.gov.cn/q?code={code}';
  result = await lookup(c.verifyUrl);
  expect(result.traceUrl).toBe('https://trace.example.gov.cn/q?code=JS320703-2026-0001');
  expect(renderVerifyPage(result).html).toContain(
    '<a href="https://trace.example.gov.cn/q?code=JS320703-2026-0001" rel="noopener">',
  );
});

it('lists a mixed lot’s source certificates, each linking to its own page', async () => {
  const buyer = await rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({ type: 'buyer', name: '收购点', identityNumber: '11010519491231002X' }),
    'wx-buyer',
  );
  const a = await issue(farm._id, 'wx-farm', { packages: 2 });
  const mixed = await issue(buyer._id, 'wx-buyer', { sourceCodes: [a.labels[1]!.label] });
  const { html } = renderVerifyPage(await lookup(mixed.verifyUrl));
  expect(html).toContain('来源合格证（1 张）');
  expect(html).toContain(`href="/c/${a.labels[1]!.label}"`);
  const source = await lookup(`https://hgz.example.cn/c/${a.labels[1]!.label}`);
  expect(source).toMatchObject({ verdict: 'valid', label: { index: 2, count: 2 } });
});
