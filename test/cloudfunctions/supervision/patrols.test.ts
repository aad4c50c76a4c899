import { readdirSync } from 'node:fs';
import type {
  PatrolView,
  PhotoLink,
  UploadedPhoto,
} from '../../../cloudfunctions/supervision/actions';
import { photoPolicy, type Patrol } from '../../../src/domain/supervision';
import type { Scan } from '../../../src/domain/scan';
import {
  buildWorld,
  forge,
  jpegBytes,
  pngBytes,
  supervisionRuntime,
  type SupervisionRuntime,
  type SupervisionWorld,
} from './world';

let rt: SupervisionRuntime;
let w: SupervisionWorld;

beforeEach(async () => {
  rt = supervisionRuntime();
  w = await buildWorld(rt);
});
afterEach(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

const patrolInput = (overrides: Record<string, unknown> = {}) => ({
  subjectId: w.wang._id,
  date: '2026-11-29',
  staffNames: ['张三', '李四'],
  issuingCertificates: true,
  scanned: [] as string[],
  findings: '',
  ...overrides,
});
const upload = (bytes: Buffer, contentType = 'image/jpeg', as = 'sup-xg') =>
  rt.sv<UploadedPhoto>('uploadPhoto', { base64: bytes.toString('base64'), contentType }, as);
const storedFiles = () =>
  readdirSync(rt.filesDir, { withFileTypes: true }).filter((f) => f.isFile());

describe('recordPatrol', () => {
  it('verifies every scanned label and keeps its verdict; a forged label is recorded as suspicious', async () => {
    const patrol = await rt.svOk<PatrolView>(
      'recordPatrol',
      patrolInput({
        scanned: [
          w.wangCert.verifyUrl,
          forge(w.wangCert.verifyUrl),
          'ZZZZZZZZZZZZZZZZ',
          w.zhaoCert.code,
        ],
        findings: '发现一张伪造标签',
      }),
      'coord-xg',
    );
    expect(patrol.checks).toEqual([
      {
        scanned: w.wangCert.verifyUrl,
        label: w.wangCert.code,
        verdict: 'valid',
        signature: 'valid',
        copySuspected: false,
        certificateCode: w.wangCert.code,
        productName: '青菜',
        issuerName: '王建国',
        ofSubject: true,
      },
      {
        scanned: forge(w.wangCert.verifyUrl),
        label: w.wangCert.code,
        verdict: 'suspicious',
        signature: 'invalid',
        copySuspected: false,
        certificateCode: w.wangCert.code,
        productName: '青菜',
        issuerName: '王建国',
        ofSubject: true,
      },
      {
        scanned: 'ZZZZZZZZZZZZZZZZ',
        label: 'ZZZZZZZZZZZZZZZZ',
        verdict: 'not_found',
        signature: 'absent',
        copySuspected: false,
        certificateCode: null,
        productName: null,
        issuerName: null,
        ofSubject: null,
      },
      expect.objectContaining({ verdict: 'valid', issuerName: '赵家渔场', ofSubject: false }),
    ]);
    expect(patrol.summary).toEqual({
      checked: 4,
      valid: 2,
      revoked: 0,
      notFound: 1,
      suspicious: 1,
      copySuspected: 0,
      problems: 2,
    });
    expect(patrol).toMatchObject({
      subjectName: '王建国',
      divisionCode: '320703001',
      by: 'coord-xg',
      at: '2026-11-29T02:00:00.000Z',
    });
    // Each existing label's check is a supervisor's scan in the log (unknown codes are not logged).
    const scans = await rt.store.collection<Scan>('scans').find();
    expect(scans.map((s) => [s.label, s.channel, s.signature]).sort()).toEqual(
      [
        [w.wangCert.code, 'supervisor', 'valid'],
        [w.wangCert.code, 'supervisor', 'invalid'],
        [w.zhaoCert.code, 'supervisor', 'absent'],
      ].sort(),
    );
    const { summary: _summary, ...stored } = patrol;
    expect(await rt.store.collection<Patrol>('patrols').get(patrol._id)).toEqual(stored);
  });

  it('refuses a future date and empty staff, in Chinese', async () => {
    const res = await rt.sv(
      'recordPatrol',
      patrolInput({ date: '2026-11-30', staffNames: [] }),
      'sup-xg',
    );
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { staffNames: ['请至少填写一名检查人员'] } },
    });
    expect(
      await rt.sv('recordPatrol', patrolInput({ date: '2026-11-30' }), 'sup-xg'),
    ).toMatchObject({ ok: false, error: { fields: { date: ['巡查日期不能晚于今天'] } } });
    expect(await rt.store.collection('patrols').count()).toBe(0);
  });

  it('records a retried request once', async () => {
    const input = patrolInput({ requestId: 'patrol-retry-01', scanned: [w.wangCert.code] });
    const first = await rt.svOk<PatrolView>('recordPatrol', input, 'sup-xg');
    const second = await rt.svOk<PatrolView>('recordPatrol', input, 'sup-xg');
    expect(second).toEqual(first);
    expect(await rt.store.collection('patrols').count()).toBe(1);
    expect(await rt.store.collection('scans').count()).toBe(1);
  });

  it('lists patrols of the division between dates, newest first', async () => {
    for (const date of ['2026-10-01', '2026-11-15', '2026-11-29']) {
      await rt.svOk('recordPatrol', patrolInput({ date }), 'sup-xg');
    }
    await rt.svOk('recordPatrol', patrolInput({ subjectId: w.zhao._id }), 'sup-ld');
    const all = await rt.svOk<PatrolView[]>('patrols', {}, 'sup-xg');
    expect(all.map((p) => p.date)).toEqual(['2026-11-29', '2026-11-15', '2026-10-01']);
    const some = await rt.svOk<PatrolView[]>(
      'patrols',
      { subjectId: w.wang._id, from: '2026-11-01', to: '2026-11-28' },
      'sup-xg',
    );
    expect(some.map((p) => p.date)).toEqual(['2026-11-15']);
    expect(await rt.svOk<PatrolView[]>('patrols', {}, 'admin')).toHaveLength(4);
  });
});

describe('photos', () => {
  it('stores a JPEG or PNG and serves it back through a signed link', async () => {
    const jpeg = jpegBytes(4096);
    const up = await upload(jpeg);
    expect(up).toMatchObject({ ok: true, data: { contentType: 'image/jpeg', bytes: 4096 } });
    const png = await upload(pngBytes(), 'image/png');
    expect(png).toMatchObject({ ok: true, data: { contentType: 'image/png' } });
    if (!up.ok) return;
    const [link] = await rt.svOk<PhotoLink[]>('photoUrls', { fileIds: [up.data.fileId] }, 'sup-xg');
    const url = new URL(link!.url);
    expect(url.pathname).toBe(`/files/${up.data.fileId}`);
    expect(rt.files.checkToken(up.data.fileId, url.searchParams.get('t'))).toBe(true);
    expect(link!.expiresAt).toBe('2026-11-29T02:15:00.000Z');
    const file = await rt.files.get(up.data.fileId);
    expect(Buffer.from(file!.bytes).equals(jpeg)).toBe(true);
    expect(file!.contentType).toBe('image/jpeg');
  });

  it('refuses bad magic bytes, a type that does not match, and anything over 2 MB — storing nothing', async () => {
    const gif = Buffer.from('GIF89a-not-a-photo');
    expect(await upload(gif)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { base64: ['文件内容不是 JPEG 或 PNG 照片'] } },
    });
    expect(await upload(pngBytes(), 'image/jpeg')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { contentType: ['文件内容是 PNG 照片'] } },
    });
    // One byte over: the base64 still fits the schema, the decoded size does not.
    expect(await upload(jpegBytes(photoPolicy.maxBytes + 1))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { base64: ['照片不能超过 2 MB'] } },
    });
    expect(await upload(jpegBytes(3 * 1024 * 1024))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { base64: ['照片不能超过 2 MB'] } },
    });
    expect(
      await rt.sv('uploadPhoto', { base64: 'not base64!', contentType: 'image/jpeg' }, 'sup-xg'),
    ).toMatchObject({ ok: false, error: { fields: { base64: ['照片内容不是有效的 base64'] } } });
    expect(
      await rt.sv('uploadPhoto', { base64: 'AAAA', contentType: 'image/gif' }, 'sup-xg'),
    ).toMatchObject({ ok: false, error: { fields: { contentType: ['只支持 JPEG 或 PNG 照片'] } } });
    expect(storedFiles()).toEqual([]);
    expect(await rt.store.collection('files').count()).toBe(0);
    // Exactly 2 MB is fine.
    expect(await upload(jpegBytes(photoPolicy.maxBytes))).toMatchObject({ ok: true });
  });

  it('puts a photo on one patrol only, and shows it to the division’s staff only', async () => {
    const up = await upload(jpegBytes());
    if (!up.ok) throw new Error('upload failed');
    const fileId = up.data.fileId;
    const patrol = await rt.svOk<PatrolView>(
      'recordPatrol',
      patrolInput({ photoFileIds: [fileId] }),
      'sup-xg',
    );
    expect(patrol.photoFileIds).toEqual([fileId]);
    expect(
      await rt.sv('recordPatrol', patrolInput({ photoFileIds: [fileId] }), 'sup-xg'),
    ).toMatchObject({
      ok: false,
      error: { fields: { 'photoFileIds.0': ['这张照片已用于其他记录'] } },
    });
    expect(
      await rt.sv(
        'recordPatrol',
        patrolInput({ photoFileIds: ['0'.repeat(32) + '.jpg'] }),
        'sup-xg',
      ),
    ).toMatchObject({
      ok: false,
      error: { fields: { 'photoFileIds.0': ['没有找到这张照片，请重新上传'] } },
    });
    for (const as of ['sup-xg', 'enf-xg', 'admin']) {
      expect(await rt.sv('photoUrls', { fileIds: [fileId] }, as)).toMatchObject({ ok: true });
    }
    for (const as of ['sup-ld', 'wx-wang']) {
      expect(await rt.sv('photoUrls', { fileIds: [fileId] }, as)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(await rt.sv('photoUrls', { fileIds: ['nope'] }, 'sup-xg')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await rt.store.collection('patrols').count()).toBe(1);
  });

  it('refuses someone else’s unattached upload on a patrol', async () => {
    const up = await upload(jpegBytes(), 'image/jpeg', 'enf-xg');
    if (!up.ok) throw new Error('upload failed');
    expect(
      await rt.sv('recordPatrol', patrolInput({ photoFileIds: [up.data.fileId] }), 'sup-xg'),
    ).toMatchObject({
      ok: false,
      error: { fields: { 'photoFileIds.0': ['只能使用您自己上传的照片'] } },
    });
    expect(await rt.sv('photoUrls', { fileIds: [up.data.fileId] }, 'sup-xg')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
