import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Subject } from '../../../src/domain/subject';
import type { TestRecord } from '../../../src/domain/test-record';
import {
  issueInput,
  passedTests,
  smallholder,
  testRuntime,
  type TestRuntime,
} from '../../helpers/runtime';
import type { Scan } from '../../../src/domain/scan';

let rt: TestRuntime;
let farm: Subject;
let buyer: Subject;
beforeEach(async () => {
  rt = testRuntime();
  farm = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-farm');
  buyer = await rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({ type: 'buyer', name: '海州湾收购点', identityNumber: '11010519491231002X' }),
    'wx-buyer',
  );
});
afterEach(() => rt.close());

const certCount = () => rt.store.collection('certificates').count();

describe('test records behind 自行检测 / 委托检测', () => {
  it('links passed tests and shows them with the certificate', async () => {
    const [selfTest, labTest] = await passedTests(rt, farm._id, 'wx-farm');
    const [c] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(farm._id, {
        basis: ['self_test', 'commissioned_test'],
        testRecordIds: [selfTest, labTest],
      }),
      'wx-farm',
    );
    const got = await rt.ok<OwnCertificate & { tests: TestRecord[] }>(
      certificateFunction,
      'get',
      { code: c?.code },
      'wx-farm',
    );
    expect(got.tests.map((t) => t.party).sort()).toEqual(['commissioned', 'self']);
    expect(got.display.basisLabels).toEqual(['自行检测合格', '委托检测合格']);
  });

  it('refuses a test basis without a record, with a failed record, or with the wrong kind', async () => {
    const failed = await rt.ok<TestRecord>(
      certificateFunction,
      'addTestRecord',
      {
        subjectId: farm._id,
        item: '毒死蜱',
        method: '速测卡法',
        kind: 'rapid',
        party: 'self',
        result: 'fail',
        testedOn: '2026-11-28',
      },
      'wx-farm',
    );
    const [selfTest] = await passedTests(rt, farm._id, 'wx-farm');
    const cases = [
      [{ basis: ['self_test'] }, 'testRecordIds'],
      [{ basis: ['self_test'], testRecordIds: [failed._id] }, 'testRecordIds.0'],
      [{ basis: ['commissioned_test'], testRecordIds: [selfTest] }, 'testRecordIds'],
      [{ basis: ['self_test'], testRecordIds: ['tst_nope'] }, 'testRecordIds.0'],
    ] as const;
    for (const [overrides, field] of cases) {
      const res = await rt.call(
        certificateFunction,
        'issue',
        issueInput(farm._id, overrides),
        'wx-farm',
      );
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!res.ok) expect(Object.keys(res.error.fields ?? {})).toContain(field);
    }
    expect(await certCount()).toBe(0);
  });

  it('refuses another subject’s test record', async () => {
    const [foreign] = await passedTests(rt, buyer._id, 'wx-buyer');
    const res = await rt.call(
      certificateFunction,
      'issue',
      issueInput(farm._id, { basis: ['self_test'], testRecordIds: [foreign] }),
      'wx-farm',
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('requires the lab for a commissioned test', async () => {
    const res = await rt.call(
      certificateFunction,
      'addTestRecord',
      {
        subjectId: farm._id,
        item: '农残',
        method: 'GB 23200.113',
        kind: 'lab',
        party: 'commissioned',
        result: 'pass',
        testedOn: '2026-11-28',
      },
      'wx-farm',
    );
    expect(res).toMatchObject({
      ok: false,
      error: { fields: { lab: ['委托检测请填写检测机构'] } },
    });
    expect(await rt.store.collection('testRecords').count()).toBe(0);
  });
});

describe('style 2: a buyer re-issues after mixing, listing the certificates it was made from', () => {
  async function farmCert(packages = 3) {
    const [c] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(farm._id, { packages }),
      'wx-farm',
    );
    return c!;
  }

  it('issues style 2 with the buyer promise, from scanned labels', async () => {
    const a = await farmCert(3);
    const b = await farmCert(1);
    const [mixed] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(buyer._id, { sourceCodes: [a.labels[1]!.verifyUrl, b.code, a.labels[1]!.label] }),
      'wx-buyer',
    );
    expect(mixed).toMatchObject({ style: 2, sourceCodes: [a.labels[1]!.label, b.code] });
    expect(mixed?.display.promise).toContain('已收取并保存了所收购农产品的承诺达标合格证');
  });

  it('refuses a buyer without sources, unknown or revoked sources, and sources from a producer', async () => {
    const a = await farmCert(2);
    await rt.ok(certificateFunction, 'revoke', { code: a.code, reason: '开错了' }, 'wx-farm');
    const cases = [
      [buyer._id, 'wx-buyer', { sourceCodes: [] }, 'sourceCodes'],
      [buyer._id, 'wx-buyer', { sourceCodes: ['ZZZZZZZZZZZZZZZZ'] }, 'sourceCodes.0'],
      [buyer._id, 'wx-buyer', { sourceCodes: [a.labels[0]!.label] }, 'sourceCodes.0'],
      [buyer._id, 'wx-buyer', { sourceCodes: [`${a.code}0Z0`] }, 'sourceCodes.0'],
      [farm._id, 'wx-farm', { sourceCodes: [a.code] }, 'sourceCodes'],
    ] as const;
    const before = await certCount();
    for (const [subjectId, as, overrides, field] of cases) {
      const res = await rt.call(certificateFunction, 'issue', issueInput(subjectId, overrides), as);
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!res.ok) expect(Object.keys(res.error.fields ?? {})).toContain(field);
    }
    expect(await certCount()).toBe(before);
  });

  it('exports the chain as EPCIS 2.0: commissioning at the farms, transformation at the buyer', async () => {
    const a = await farmCert(2);
    const b = await farmCert(1);
    const [mixed] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(buyer._id, {
        sourceCodes: [a.labels[0]!.label, b.code],
        traceCode: 'JS-320703-0001',
      }),
      'wx-buyer',
    );
    expect(mixed?.traceCode).toBe('JS-320703-0001');
    await rt.store.collection<Scan>('scans').insert({
      _id: 'scan-1',
      code: a.code,
      label: a.labels[0]!.label,
      at: '2026-11-29T03:00:00.000Z',
      channel: 'market',
      scannerKey: 'k',
      place: null,
      signature: 'valid',
    });
    const doc = await rt.ok<{
      type: string;
      schemaVersion: string;
      '@context': unknown[];
      epcisBody: { eventList: Record<string, unknown>[] };
    }>(certificateFunction, 'epcis', { code: mixed?.code }, 'wx-buyer');
    expect(doc).toMatchObject({ type: 'EPCISDocument', schemaVersion: '2.0' });
    expect(doc['@context'][0]).toBe('https://ref.gs1.org/standards/epcis/epcis-context.jsonld');
    const events = doc.epcisBody.eventList;
    const kinds = events.map((e) => `${e.type}:${e.bizStep}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ObjectEvent:commissioning',
        'ObjectEvent:commissioning',
        'TransformationEvent:repackaging',
        'ObjectEvent:receiving',
      ]),
    );
    const transform = events.find((e) => e.type === 'TransformationEvent')!;
    expect(transform.inputEPCList).toEqual([
      `https://hgz.example.cn/c/${a.labels[0]!.label}`,
      `https://hgz.example.cn/c/${b.code}`,
    ]);
    expect(transform.outputEPCList).toEqual([`https://hgz.example.cn/c/${mixed?.code}`]);
    const commissioned = events.filter((e) => e.bizStep === 'commissioning');
    expect(commissioned.map((e) => (e.epcList as string[]).length).sort()).toEqual([1, 2]);
    for (const e of events) expect(e.eventTimeZoneOffset).toBe('+08:00');
  });

  it('refuses a malformed trace code', async () => {
    const res = await rt.call(
      certificateFunction,
      'issue',
      issueInput(farm._id, { traceCode: '<script>' }),
      'wx-farm',
    );
    expect(res).toMatchObject({ ok: false, error: { fields: { traceCode: expect.any(Array) } } });
  });
});
