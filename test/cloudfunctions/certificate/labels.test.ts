import {
  certificateFunction,
  type LabelView,
  type OwnCertificate,
  type SubjectDefaults,
} from '../../../cloudfunctions/certificate/actions';
import { ed25519Signer } from '../../../cloudfunctions/kit/signer';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { parseLabelCode } from '../../../src/domain/certificate';
import type { Subject } from '../../../src/domain/subject';
import {
  issueInput,
  smallholder,
  testRuntime,
  testSigningKey,
  type TestRuntime,
} from '../../helpers/runtime';

let rt: TestRuntime;
let subject: Subject;
beforeEach(async () => {
  rt = testRuntime();
  subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
});
afterEach(() => rt.close());

const counts = async () => ({
  certificates: await rt.store.collection('certificates').count(),
  requests: await rt.store.collection('requests').count(),
});

describe('一箱一证: N package labels from one request', () => {
  it('issues 10,000 labels as one record, each label with its own signed code', async () => {
    const [c] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(subject._id, { packages: 10_000 }),
      'wx-1',
    );
    expect(c?.count).toBe(10_000);
    expect(await counts()).toEqual({ certificates: 1, requests: 1 });
    const signer = ed25519Signer(testSigningKey);
    const page = await rt.ok<{ count: number; labels: LabelView[] }>(
      certificateFunction,
      'labels',
      { code: c?.code, offset: 9_900, limit: 500 },
      'wx-1',
    );
    expect(page.count).toBe(10_000);
    expect(page.labels).toHaveLength(100);
    expect(page.labels.at(-1)?.index).toBe(10_000);
    const all = new Set<string>();
    for (let offset = 0; offset < 10_000; offset += 500) {
      const p = await rt.ok<{ labels: LabelView[] }>(
        certificateFunction,
        'labels',
        { code: c?.code, offset, limit: 500 },
        'wx-1',
      );
      for (const l of p.labels) {
        all.add(l.label);
        expect(parseLabelCode(l.label)).toEqual({ code: c?.code, index: l.index - 1 });
      }
    }
    expect(all.size).toBe(10_000);
    const last = page.labels.at(-1)!;
    expect(signer.verify(last.label, last.verifyUrl.split('?s=')[1] ?? '')).toBe(true);
  });

  it('refuses more than 10,000 packages, and 0, storing nothing', async () => {
    for (const packages of [10_001, 0, 1.5]) {
      const res = await rt.call(
        certificateFunction,
        'issue',
        issueInput(subject._id, { packages }),
        'wx-1',
      );
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!res.ok) expect(Object.keys(res.error.fields ?? {})).toContain('packages');
    }
    expect(await counts()).toEqual({ certificates: 0, requests: 0 });
  });

  it('issues one certificate for a whole vehicle or batch, never N', async () => {
    const res = await rt.call(
      certificateFunction,
      'issue',
      issueInput(subject._id, { issueUnit: 'batch', batchNo: 'P-7', packages: 5 }),
      'wx-1',
    );
    expect(res).toMatchObject({ ok: false, error: { fields: { packages: expect.any(Array) } } });
    const [c] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(subject._id, { issueUnit: 'batch', batchNo: 'P-7' }),
      'wx-1',
    );
    expect(c).toMatchObject({ count: 1, batchNo: 'P-7', issueUnit: 'batch' });
    expect(c?.labels.map((l) => l.label)).toEqual([c?.code]);
  });

  it('returns the same N labels on a retry and never issues twice', async () => {
    const input = issueInput(subject._id, { packages: 300 });
    const [a] = await rt.ok<OwnCertificate[]>(certificateFunction, 'issue', input, 'wx-1');
    const retries = await Promise.all(
      [1, 2, 3].map(() => rt.ok<OwnCertificate[]>(certificateFunction, 'issue', input, 'wx-1')),
    );
    for (const [b] of retries) expect(b?.code).toBe(a?.code);
    expect(await counts()).toEqual({ certificates: 1, requests: 1 });
  });

  it('refuses labels of a certificate that is not the caller’s', async () => {
    const [c] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(subject._id, { packages: 3 }),
      'wx-1',
    );
    expect(
      await rt.call(certificateFunction, 'labels', { code: c?.code }, 'wx-other'),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('defaults remembered per subject', () => {
  it('remembers the last product, quantity, unit, origin and basis', async () => {
    expect(
      await rt.ok(certificateFunction, 'defaults', { subjectId: subject._id }, 'wx-1'),
    ).toBeNull();
    await rt.ok(
      certificateFunction,
      'issue',
      issueInput(subject._id, {
        productName: '番茄',
        quantity: { value: '20.50', unit: 'jin' },
        origin: '连云区墟沟街道东山村二组',
        packages: 4,
      }),
      'wx-1',
    );
    expect(
      await rt.ok<SubjectDefaults>(
        certificateFunction,
        'defaults',
        { subjectId: subject._id },
        'wx-1',
      ),
    ).toMatchObject({
      productName: '番茄',
      quantity: { value: '20.5', unit: 'jin' },
      origin: '连云区墟沟街道东山村二组',
      basis: ['quality_control'],
      issueUnit: 'package',
      packages: 4,
    });
    expect(
      await rt.call(certificateFunction, 'defaults', { subjectId: subject._id }, 'wx-other'),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
