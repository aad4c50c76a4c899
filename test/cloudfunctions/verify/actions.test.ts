import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { ed25519Signer, generateSigningKey } from '../../../cloudfunctions/kit/signer';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import {
  lookupCertificate,
  verifyFunction,
  type SuspectsResult,
  type VerifyResult,
} from '../../../cloudfunctions/verify/actions';
import { labelCode, verifyUrl } from '../../../src/domain/certificate';
import { verifyLabelSignature } from '../../../src/domain/label-signature';
import type { Role, User } from '../../../src/domain/role';
import type { Scan } from '../../../src/domain/scan';
import type { Subject } from '../../../src/domain/subject';
import {
  issueInput,
  smallholder,
  testRuntime,
  testSigningKey,
  validIdNumber,
  type TestRuntime,
} from '../../helpers/runtime';
import { lookupCtx } from '../../helpers/verify';

const signer = ed25519Signer(testSigningKey);
const base = 'https://hgz.example.cn';
/** The URL a label's QR code holds, signed as the server signs it. */
const signedUrl = (label: string) => verifyUrl(base, label, signer.sign(label));
/** The signature with one character in the middle changed. */
const tamper = (sig: string) => `${sig.slice(0, 40)}${sig[40] === 'A' ? 'B' : 'A'}${sig.slice(41)}`;

let rt: TestRuntime;
let subject: Subject;
let cert: OwnCertificate;

async function issue(
  overrides: Record<string, unknown> = {},
  as = 'wx-1',
  subjectId = subject._id,
) {
  const [c] = await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subjectId, overrides),
    as,
  );
  if (!c) throw new Error('nothing issued');
  return c;
}

async function addUser(id: string, roles: Role[], divisionCode: string | null = null) {
  await rt.store.collection<User>('users').put({
    _id: id,
    nickname: id,
    roles,
    divisionCode,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
}

const lookup = (code: string, as: string | null = null, extra: Record<string, unknown> = {}) =>
  rt.ok<VerifyResult>(verifyFunction, 'lookup', { code, ...extra }, as);
const scans = () => rt.store.collection<Scan>('scans').find();

beforeEach(async () => {
  rt = testRuntime();
  subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  cert = await issue();
});
afterEach(() => rt.close());

describe('verify.lookup', () => {
  it('tells anyone, signed in or not, that a scanned certificate is valid', async () => {
    const res = await lookup(signedUrl(cert.code));
    expect(res).toMatchObject({
      verdict: 'valid',
      verdictLabel: '有效',
      explanation: expect.stringContaining('真实有效'),
      code: cert.code,
      label: { code: cert.code, index: 1, count: 1 },
      signature: 'valid',
      signatureLabel: '签名有效',
      copySuspected: false,
      divisionName: '墟沟街道',
      certificate: { productName: '青菜', display: { title: '承诺达标合格证' } },
    });
  });

  it('shows no private data: no openid, no request id, phone masked', async () => {
    const res = await lookup(cert.code);
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
    const res = await lookup(cert.code);
    expect(res).toMatchObject({
      verdict: 'revoked',
      verdictLabel: '已撤销',
      certificate: { revokedReason: '数量填错' },
    });
  });

  it.each(['ZZZZZZZZZZZZZZZZ', 'https://evil.example/c/0000000000000000', 'hello', '<script>'])(
    'answers 未找到 for %p',
    async (code) => {
      const res = await lookup(code);
      expect(res).toMatchObject({ verdict: 'not_found', certificate: null, label: null });
    },
  );

  it('refuses an empty code as invalid input', async () => {
    expect(await rt.call(verifyFunction, 'lookup', { code: '' }, null)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { code: expect.any(Array) } },
    });
  });
});

describe('package labels (一箱一证)', () => {
  let batch: OwnCertificate;
  beforeEach(async () => {
    batch = await issue({ packages: 100 });
  });

  it('finds label 3 of 100 with its index, and says its signature is valid', async () => {
    const label = labelCode(batch.code, 2, 100);
    const res = await lookup(signedUrl(label));
    expect(res).toMatchObject({
      verdict: 'valid',
      code: label,
      label: { code: label, index: 3, count: 100 },
      signature: 'valid',
      signatureLabel: '签名有效',
      certificate: { code: batch.code },
    });
  });

  it('says 无签名 for a typed label code, and still judges the record', async () => {
    const label = labelCode(batch.code, 99, 100);
    const res = await lookup(label.toLowerCase());
    expect(res).toMatchObject({
      verdict: 'valid',
      signature: 'absent',
      signatureLabel: '无签名',
      label: { index: 100, count: 100 },
    });
  });

  it('answers 未找到 for an index past the count, or the bare code of a multi-label record', async () => {
    const outside = labelCode(batch.code, 100, 200);
    for (const scanned of [signedUrl(outside), outside, batch.code, signedUrl(batch.code)]) {
      expect(await lookup(scanned)).toMatchObject({
        verdict: 'not_found',
        label: null,
        certificate: null,
      });
    }
    // And a package suffix on a one-label record.
    expect(await lookup(labelCode(cert.code, 0, 2))).toMatchObject({ verdict: 'not_found' });
    expect(await scans()).toEqual([]);
  });
});

describe('forged signatures', () => {
  it('calls a label whose signature is wrong 可疑 (疑似伪造), even though its code exists', async () => {
    const batch = await issue({ packages: 10 });
    const label = labelCode(batch.code, 4, 10);
    const forgeries = [
      // Another label's signature, a signature by another key, a tampered one, junk.
      verifyUrl(base, label, signer.sign(labelCode(batch.code, 5, 10))),
      verifyUrl(base, label, ed25519Signer(generateSigningKey()).sign(label)),
      verifyUrl(base, label, tamper(signer.sign(label))),
      `${base}/c/${label}?s=forged`,
    ];
    for (const scanned of forgeries) {
      const res = await lookup(scanned);
      expect(res).toMatchObject({
        verdict: 'suspicious',
        verdictLabel: '可疑',
        signature: 'invalid',
        signatureLabel: '签名无效',
        label: { index: 5, count: 10 },
      });
      expect(res.explanation).toContain('签名无效，疑似伪造');
    }
    // The forged scans are logged apart: they are evidence, not plausible scans of the label.
    const logged = await scans();
    expect(logged).toHaveLength(forgeries.length);
    expect(logged.every((s) => s.signature === 'invalid')).toBe(true);
  });

  it('calls a forged label 可疑 when its code does not exist, and records nothing', async () => {
    const res = await lookup(verifyUrl(base, 'ZZZZZZZZZZZZZZZZ', signer.sign(cert.code)));
    expect(res).toMatchObject({ verdict: 'suspicious', certificate: null, label: null });
    expect(await scans()).toEqual([]);
  });
});

describe('scan log', () => {
  it('records a scan of an existing label: code, label, time, channel, keyed scanner, no place', async () => {
    await lookup(signedUrl(cert.code));
    const [scan, ...rest] = await scans();
    expect(rest).toEqual([]);
    expect(scan).toEqual({
      _id: expect.stringMatching(/^scan_[0-9a-f]{24}$/),
      code: cert.code,
      label: cert.code,
      at: '2026-11-29T02:00:00.000Z',
      channel: 'consumer',
      scannerKey: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      place: null,
      signature: 'valid',
    });
  });

  it('records nothing for codes that do not exist or text that is no code', async () => {
    for (const code of [
      'ZZZZZZZZZZZZZZZZ',
      signedUrl('ZZZZZZZZZZZZZZZZ'),
      `${cert.code}ZZZ`,
      'hello',
    ]) {
      await lookup(code);
    }
    expect(await scans()).toEqual([]);
  });

  it('takes the channel from the roles: consumer, market, supervisor', async () => {
    await addUser('buyer-1', ['buyer']);
    await addUser('sup-1', ['supervisor'], '320703001');
    await addUser('enf-1', ['enforcement'], '320703');
    await addUser('admin-1', ['admin']);
    const who = [null, 'wx-1', 'wx-unknown', 'buyer-1', 'sup-1', 'enf-1', 'admin-1'];
    for (const as of who) await lookup(cert.code, as);
    const channels = (await scans()).map((s) => s.channel).sort();
    expect(channels).toEqual(
      [
        'consumer',
        'consumer',
        'consumer',
        'market',
        'supervisor',
        'supervisor',
        'supervisor',
      ].sort(),
    );
  });

  it('keys scanners by a hash salted with the label, never the raw address', async () => {
    const batch = await issue({ packages: 2 });
    const [a, b] = [labelCode(batch.code, 0, 2), labelCode(batch.code, 1, 2)];
    const from = (ip: string, userAgent = 'Mozilla/5.0 (Linux; Android 10)') =>
      lookupCtx(rt.store, () => new Date('2026-11-29T02:00:00.000Z'), {
        client: { ip, userAgent },
      });
    await lookupCertificate(from('203.0.113.7'), a);
    await lookupCertificate(from('203.0.113.7'), a);
    await lookupCertificate(from('203.0.113.8'), a);
    await lookupCertificate(from('203.0.113.7', 'Other'), a);
    await lookupCertificate(from('203.0.113.7'), b);
    const all = await scans();
    const byLabel = (l: string) => all.filter((s) => s.label === l).map((s) => s.scannerKey);
    const onA = byLabel(a);
    expect(onA).toHaveLength(4);
    expect(new Set(onA).size).toBe(3);
    // The same person on another label is not recognisable as the same person.
    expect(onA).not.toContain(byLabel(b)[0]);
    expect(JSON.stringify(all)).not.toMatch(/203\.0\.113|Mozilla|Android/);
  });

  it('keeps a shared place only coarsely: 0.1° or a division code', async () => {
    await lookup(cert.code, null, { place: { lat: 34.73456, lng: 119.44123 } });
    await lookup(cert.code, null, { place: { divisionCode: '320703001' } });
    await lookup(cert.code, null, { place: { lat: -0.04, lng: 0.01 } });
    const places = (await scans()).map((s) => s.place).sort();
    expect(places).toEqual(['div:320703001', 'geo:0.0,0.0', 'geo:34.7,119.4']);
    expect(
      await rt.call(verifyFunction, 'lookup', { code: cert.code, place: { lat: 91, lng: 0 } }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await scans()).toHaveLength(3);
  });
});

describe('疑似复制 (derived from the scans, with a clock)', () => {
  const label = () => signedUrl(cert.code);

  it('flags a package label past 20 distinct consumer scanners within 30 days', async () => {
    for (let i = 1; i <= 20; i++) await lookup(label(), `wx-person-${i}`);
    // The same people again, and staff, change nothing.
    await lookup(label(), 'wx-person-1');
    await addUser('sup-1', ['supervisor'], '320703001');
    await lookup(label(), 'sup-1');
    expect((await lookup(label(), 'wx-person-2')).copySuspected).toBe(false);
    const flagged = await lookup(label(), 'wx-person-21');
    expect(flagged.copySuspected).toBe(true);
    expect(flagged.verdict).toBe('valid');
    // Thirty-one days on, those scans have aged out of the window.
    rt.setNow('2026-12-30T03:00:00.000Z');
    expect((await lookup(label(), 'wx-person-22')).copySuspected).toBe(false);
  });

  it('flags a package label seen in more than 3 coarse places', async () => {
    const places = [
      { lat: 34.7, lng: 119.4 },
      { lat: 34.71, lng: 119.43 }, // the same 0.1° cell
      { lat: 32.0, lng: 118.8 },
      { divisionCode: '320703003' },
    ];
    for (const place of places) await lookup(label(), 'wx-a', { place });
    expect((await lookup(label(), 'wx-a')).copySuspected).toBe(false);
    const fourth = await lookup(label(), 'wx-a', { place: { lat: 31.2, lng: 121.5 } });
    expect(fourth.copySuspected).toBe(true);
  });

  it('gives a batch certificate room in proportion to its quantity', async () => {
    const load = await issue({
      issueUnit: 'batch',
      batchNo: 'B-1',
      quantity: { value: '500', unit: 'kg' },
    });
    for (let i = 1; i <= 30; i++) await lookup(load.code, `wx-buyer-${i}`);
    expect((await lookup(load.code, 'wx-buyer-31')).copySuspected).toBe(false);
  });

  it('does not count forged scans towards copying', async () => {
    const forged = verifyUrl(base, cert.code, signer.sign('ZZZZZZZZZZZZZZZZ'));
    for (let i = 1; i <= 25; i++) await lookup(forged, `wx-person-${i}`);
    expect((await lookup(label(), 'wx-someone')).copySuspected).toBe(false);
  });
});

describe('verify.suspects', () => {
  let elsewhere: OwnCertificate;
  beforeEach(async () => {
    const other = await rt.ok<Subject>(
      subjectFunction,
      'register',
      smallholder({
        name: '李四',
        identityNumber: validIdNumber('19700101', '456'),
        phone: '13912345678',
        divisionCode: '320703003',
        address: '连云区连岛街道西连岛村',
      }),
      'wx-2',
    );
    elsewhere = await issue({}, 'wx-2', other._id);
    await addUser('sup-xg', ['supervisor'], '320703001');
    await addUser('sup-ld', ['supervisor'], '320703003');
    await addUser('enf-1', ['enforcement'], '320703');
    await addUser('admin-1', ['admin']);
    await addUser('sup-none', ['supervisor'], null);
    // Copied: 25 strangers scan 墟沟's label; someone forges 连岛's once; a third label is fine.
    for (let i = 1; i <= 25; i++) await lookup(signedUrl(cert.code), `wx-person-${i}`);
    await lookup(verifyUrl(base, elsewhere.code, signer.sign(cert.code)), 'wx-x');
    const fine = await issue();
    for (let i = 1; i <= 5; i++) await lookup(signedUrl(fine.code), `wx-person-${i}`);
  });

  const suspects = (as: string | null) =>
    rt.call<SuspectsResult>(verifyFunction, 'suspects', {}, as);

  it('is for supervisors, enforcement and admins only', async () => {
    expect(await suspects(null)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await suspects('wx-1')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await addUser('buyer-1', ['buyer']);
    expect(await suspects('buyer-1')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await suspects('sup-none')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('lists flagged labels with their counts, district-wide for an admin', async () => {
    const res = await rt.ok<SuspectsResult>(verifyFunction, 'suspects', {}, 'admin-1');
    expect(res).toMatchObject({ windowDays: 30, truncated: false, examinedScans: 31 });
    expect(res.items).toEqual([
      expect.objectContaining({
        label: cert.code,
        code: cert.code,
        index: 1,
        count: 1,
        productName: '青菜',
        issuerName: '王建国',
        divisionName: '墟沟街道',
        scans: 25,
        consumerScanners: 25,
        places: 0,
        forgedScans: 0,
        thresholds: { consumers: 20, places: 3 },
        reasons: ['scanners'],
        copySuspected: true,
      }),
      expect.objectContaining({
        label: elsewhere.code,
        divisionName: '连岛街道',
        forgedScans: 1,
        reasons: ['forged'],
        copySuspected: false,
      }),
    ]);
  });

  it('shows a supervisor only the certificates of their own division', async () => {
    const xg = await rt.ok<SuspectsResult>(verifyFunction, 'suspects', {}, 'sup-xg');
    expect(xg.items.map((i) => i.label)).toEqual([cert.code]);
    const ld = await rt.ok<SuspectsResult>(verifyFunction, 'suspects', {}, 'sup-ld');
    expect(ld.items.map((i) => i.label)).toEqual([elsewhere.code]);
    const district = await rt.ok<SuspectsResult>(verifyFunction, 'suspects', {}, 'enf-1');
    expect(district.items).toHaveLength(2);
  });

  it('forgets what has aged out of the 30-day window', async () => {
    rt.setNow('2026-12-30T03:00:00.000Z');
    const res = await rt.ok<SuspectsResult>(verifyFunction, 'suspects', {}, 'admin-1');
    expect(res).toMatchObject({ examinedScans: 0, items: [] });
  });
});

describe('verify.publicKey', () => {
  it('gives anyone the key that checks the labels offline', async () => {
    const res = await rt.ok<{ algorithm: string; publicKey: string; messagePrefix: string }>(
      verifyFunction,
      'publicKey',
      {},
      null,
    );
    expect(res).toEqual({
      algorithm: 'Ed25519',
      publicKey: signer.publicKey,
      messagePrefix: 'hgz-label-v1:',
    });
    const label = labelCode(cert.code, 0, 1);
    expect(verifyLabelSignature(res.publicKey, label, signer.sign(label))).toBe(true);
  });
});
