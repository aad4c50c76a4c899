import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { ed25519Signer } from '../../../cloudfunctions/kit/signer';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Subject } from '../../../src/domain/subject';
import {
  issueInput,
  smallholder,
  testRuntime,
  testSigningKey,
  validIdNumber,
  type TestRuntime,
} from '../../helpers/runtime';

let rt: TestRuntime;
let subject: Subject;
beforeEach(async () => {
  rt = testRuntime();
  subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
});
afterEach(() => rt.close());

async function storedCounts() {
  return {
    certificates: await rt.store.collection('certificates').count(),
    requests: await rt.store.collection('requests').count(),
    audit: await rt.store.collection('audit').count(),
  };
}

describe('certificate.issue', () => {
  it('issues a certificate under the 2025 template with an unguessable code and its QR URL', async () => {
    rt.setNow('2026-11-29T17:30:00.000Z'); // 01:30 on 30 November in China
    const [cert] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(subject._id),
      'wx-1',
    );
    expect(cert).toMatchObject({
      templateVersion: '2025',
      style: 1,
      productName: '青菜',
      quantity: { value: '25.5', unit: 'kg' },
      issueDate: '2026-11-30',
      status: 'valid',
      issuer: { name: '王建国', phone: '138****5678' },
    });
    expect(cert?.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    const signature = cert?.verifyUrl.split('?s=')[1] ?? '';
    expect(cert?.verifyUrl).toBe(`https://hgz.example.cn/c/${cert?.code}?s=${signature}`);
    expect(ed25519Signer(testSigningKey).verify(cert?.code ?? '', signature)).toBe(true);
    expect(cert?.display.title).toBe('承诺达标合格证');
    expect(cert?.display.basisLabels).toEqual(['质量安全控制符合要求']);
  });

  it('gives every certificate a different code', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const [c] = await rt.ok<OwnCertificate[]>(
        certificateFunction,
        'issue',
        issueInput(subject._id),
        'wx-1',
      );
      codes.add(c?.code ?? '');
    }
    expect(codes.size).toBe(20);
  });

  it('returns the same certificate when a request is retried, and issues it once', async () => {
    const input = issueInput(subject._id);
    const [first] = await rt.ok<OwnCertificate[]>(certificateFunction, 'issue', input, 'wx-1');
    const [again] = await rt.ok<OwnCertificate[]>(certificateFunction, 'issue', input, 'wx-1');
    expect(again?.code).toBe(first?.code);
    expect(await storedCounts()).toMatchObject({ certificates: 1, requests: 1 });
  });

  it('refuses a request id reused for different content, changing nothing', async () => {
    const input = issueInput(subject._id);
    await rt.ok(certificateFunction, 'issue', input, 'wx-1');
    const before = await storedCounts();
    const res = await rt.call(
      certificateFunction,
      'issue',
      { ...input, productName: '番茄' },
      'wx-1',
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await storedCounts()).toEqual(before);
  });

  it.each([
    ['quantity 0', { quantity: { value: '0', unit: 'kg' } }, 'quantity.value'],
    ['a negative quantity', { quantity: { value: '-3', unit: 'kg' } }, 'quantity.value'],
    ['a float-looking quantity', { quantity: { value: 1e21, unit: 'kg' } }, 'quantity.value'],
    ['an unknown unit', { quantity: { value: '3', unit: 'pound' } }, 'quantity.unit'],
    ['no basis', { basis: [] }, 'basis'],
    ['the dropped 自我承诺 basis', { basis: ['self_pledge'] }, 'basis.0'],
    ['a vehicle without a plate', { issueUnit: 'vehicle' }, 'vehiclePlate'],
    ['no origin', { origin: '' }, 'origin'],
  ])('refuses %s with a field error and stores nothing', async (_name, overrides, path) => {
    const before = await storedCounts();
    const res = await rt.call(
      certificateFunction,
      'issue',
      issueInput(subject._id, overrides),
      'wx-1',
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!res.ok) expect(Object.keys(res.error.fields ?? {})).toContain(path);
    expect(await storedCounts()).toEqual(before);
  });

  it('records the plate for a per-vehicle certificate', async () => {
    const [c] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(subject._id, { issueUnit: 'vehicle', vehiclePlate: '苏g12345' }),
      'wx-1',
    );
    expect(c).toMatchObject({ issueUnit: 'vehicle', vehiclePlate: '苏G12345', batchNo: null });
  });

  it("refuses to issue on someone else's subject, storing nothing", async () => {
    await rt.ok(
      subjectFunction,
      'register',
      smallholder({ name: '李四', identityNumber: validIdNumber('19700101', '456') }),
      'wx-2',
    );
    const res = await rt.call(certificateFunction, 'issue', issueInput(subject._id), 'wx-2');
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await storedCounts()).toMatchObject({ certificates: 0 });
  });

  it('refuses callers who are not producers or buyers', async () => {
    expect(
      await rt.call(certificateFunction, 'issue', issueInput(subject._id), 'wx-stranger'),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('refuses a retired subject', async () => {
    await rt.store.collection<Subject>('subjects').update(subject._id, { status: 'retired' });
    const res = await rt.call(certificateFunction, 'issue', issueInput(subject._id), 'wx-1');
    expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    if (!res.ok) expect(res.error.message).toContain('已注销');
  });
});

describe('certificate.mine and certificate.get', () => {
  it('lists the retained copies newest first, only the caller’s own', async () => {
    rt.setNow('2026-11-01T02:00:00Z');
    await rt.ok(
      certificateFunction,
      'issue',
      issueInput(subject._id, { productName: '早的' }),
      'wx-1',
    );
    rt.setNow('2026-11-02T02:00:00Z');
    await rt.ok(
      certificateFunction,
      'issue',
      issueInput(subject._id, { productName: '晚的' }),
      'wx-1',
    );
    const list = await rt.ok<OwnCertificate[]>(certificateFunction, 'mine', {}, 'wx-1');
    expect(list.map((c) => c.productName)).toEqual(['晚的', '早的']);
    expect(await rt.ok(certificateFunction, 'mine', {}, 'wx-2')).toEqual([]);
  });

  it("finds one's own certificate by a typed code and hides others'", async () => {
    const [c] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(subject._id),
      'wx-1',
    );
    const typed = (c?.code ?? '')
      .toLowerCase()
      .replace(/(.{4})/g, '$1-')
      .slice(0, -1);
    expect(await rt.ok(certificateFunction, 'get', { code: typed }, 'wx-1')).toMatchObject({
      code: c?.code,
    });
    expect(await rt.call(certificateFunction, 'get', { code: c?.code }, 'wx-2')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
