import * as z from 'zod/mini';
import { useChineseMessages } from '../../src/domain/locale';
import {
  addDays,
  contradictsPromise,
  daysBetween,
  daysOverdue,
  detectPhotoType,
  isCalendarDate,
  isOverdue,
  leavesKeySupervision,
  patrolInputSchema,
  photoPolicy,
  photoUploadSchema,
  promiseStoodOn,
  rateStation,
  ratingWindow,
  rectificationDeadline,
  sampleInputSchema,
  sampleResult,
  samplingPolicy,
  samplingSchedule,
  signOffSchema,
  stationRatingPolicy,
} from '../../src/domain/supervision';

useChineseMessages();

const messages = (schema: z.core.$ZodType, input: unknown) => {
  const r = z.safeParse(schema, input);
  if (r.success) return {};
  const out: Record<string, string[]> = {};
  for (const i of r.error.issues) (out[i.path.join('.')] ??= []).push(i.message);
  return out;
};

describe('dates', () => {
  it('adds days across months and years, and counts them', () => {
    expect(addDays('2026-11-29', 15)).toBe('2026-12-14');
    expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
    expect(addDays('2026-11-29', -89)).toBe('2026-09-01');
    expect(daysBetween('2026-07-11', '2026-11-29')).toBe(141);
    expect(daysBetween('2026-11-29', '2026-11-28')).toBe(-1);
  });
  it('knows real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });
});

describe('sampling', () => {
  const item = (result: 'pass' | 'fail') => ({ result });
  it('fails when any item fails', () => {
    expect(sampleResult([item('pass'), item('pass')])).toBe('pass');
    expect(sampleResult([item('pass'), item('fail')])).toBe('fail');
  });

  const valid = { status: 'valid' as const, revokedAt: null, issueDate: '2026-11-20' };
  it('takes a promise as standing when issued by the sampling day and in force then', () => {
    expect(promiseStoodOn(valid, '2026-11-29')).toBe(true);
    expect(promiseStoodOn(valid, '2026-11-20')).toBe(true);
    expect(promiseStoodOn(valid, '2026-11-19')).toBe(false);
    const revoked = (at: string | null) => ({
      ...valid,
      status: 'revoked' as const,
      revokedAt: at,
    });
    // 2026-11-28T20:00Z is 11-29 04:00 in China: revoked on the sampling day, still a promise.
    expect(promiseStoodOn(revoked('2026-11-28T20:00:00.000Z'), '2026-11-29')).toBe(true);
    expect(promiseStoodOn(revoked('2026-11-28T15:00:00.000Z'), '2026-11-29')).toBe(false);
    expect(promiseStoodOn(revoked(null), '2026-11-29')).toBe(false);
  });

  it('calls a failure against a standing promise a contradiction — and nothing else', () => {
    expect(contradictsPromise('fail', [valid], '2026-11-29')).toBe(true);
    expect(contradictsPromise('pass', [valid], '2026-11-29')).toBe(false);
    expect(contradictsPromise('fail', [], '2026-11-29')).toBe(false);
    expect(contradictsPromise('fail', [{ ...valid, issueDate: '2026-12-01' }], '2026-11-29')).toBe(
      false,
    );
  });

  it('schedules half-yearly, monthly on key supervision, from the later of last sample and anchor', () => {
    expect(samplingPolicy).toEqual({ regularIntervalDays: 182, keyIntervalDays: 30 });
    const regular = { anchorOn: '2026-01-10', lastSampledOn: null, underKeySupervision: false };
    expect(samplingSchedule(regular, '2026-07-10')).toEqual({
      intervalDays: 182,
      lastSampledOn: null,
      dueOn: '2026-07-11',
      due: false,
      daysOverdue: 0,
    });
    expect(samplingSchedule(regular, '2026-07-11')).toMatchObject({ due: true, daysOverdue: 0 });
    expect(
      samplingSchedule({ ...regular, lastSampledOn: '2026-03-01' }, '2026-11-29'),
    ).toMatchObject({ dueOn: '2026-08-30', due: true, daysOverdue: 91 });
    // Placed on the list today after a sample months ago: the month runs from today.
    expect(
      samplingSchedule(
        { anchorOn: '2026-11-29', lastSampledOn: '2026-06-01', underKeySupervision: true },
        '2026-11-29',
      ),
    ).toMatchObject({ intervalDays: 30, dueOn: '2026-12-29', due: false });
  });

  it('checks sample input in Chinese', () => {
    expect(
      messages(sampleInputSchema, {
        subjectId: '',
        kind: 'lab',
        items: [{ item: '', result: 'maybe' }],
        sampledOn: '29/11/2026',
        certificateCodes: [''],
      }),
    ).toEqual({
      subjectId: ['请选择被抽检的主体'],
      'certificateCodes.0': ['关联合格证不能为空'],
      'items.0.item': ['检测项目至少 2 个字'],
      'items.0.result': ['请选择检测结果'],
      sampledOn: ['抽样日期格式应为 2026-11-29'],
    });
  });
});

describe('rectification', () => {
  it('gives 15 days', () => {
    expect(rectificationDeadline('2026-11-29')).toBe('2026-12-14');
  });
  it('is overdue from the day after the deadline (China time) until closed', () => {
    const c = { status: 'open' as const, deadline: '2026-12-14' };
    expect(isOverdue(c, new Date('2026-12-14T15:59:59.000Z'))).toBe(false);
    expect(isOverdue(c, new Date('2026-12-14T16:00:00.000Z'))).toBe(true);
    expect(daysOverdue(c, new Date('2026-12-20T02:00:00.000Z'))).toBe(6);
    expect(isOverdue({ ...c, status: 'submitted' }, new Date('2026-12-20T02:00:00.000Z'))).toBe(
      true,
    );
    expect(isOverdue({ ...c, status: 'closed' }, new Date('2026-12-20T02:00:00.000Z'))).toBe(false);
    expect(daysOverdue({ ...c, status: 'closed' }, new Date('2026-12-20T02:00:00.000Z'))).toBe(0);
  });
  it('needs a reason to send a case back and no deadline to close it', () => {
    expect(messages(signOffSchema, { caseId: 'c', decision: 'reopen' })).toEqual({
      note: ['退回整改请写明原因'],
    });
    expect(
      messages(signOffSchema, { caseId: 'c', decision: 'close', deadline: '2026-12-31' }),
    ).toEqual({ deadline: ['销号不需要整改期限'] });
  });
});

describe('leaving key supervision', () => {
  const ks = { status: 'active' as const, caseIds: ['a', 'b'] };
  const closed = (id: string, closedAt: string) => ({
    _id: id,
    status: 'closed' as const,
    closedAt,
  });
  const pass = { result: 'pass' as const, sampledOn: '2026-12-10', at: '2026-12-10T02:00:00.000Z' };
  const cases = [closed('a', '2026-12-01T02:00:00.000Z'), closed('b', '2026-12-08T02:00:00.000Z')];

  it('needs every case closed and a passing sample after the last sign-off', () => {
    expect(leavesKeySupervision(ks, cases, pass)).toBe(true);
    expect(leavesKeySupervision(ks, cases, { ...pass, result: 'fail' })).toBe(false);
    expect(
      leavesKeySupervision(
        ks,
        [cases[0]!, { _id: 'b', status: 'submitted', closedAt: null }],
        pass,
      ),
    ).toBe(false);
    expect(leavesKeySupervision(ks, [cases[0]!], pass)).toBe(false);
    expect(leavesKeySupervision({ ...ks, status: 'lifted' }, cases, pass)).toBe(false);
    expect(leavesKeySupervision({ ...ks, caseIds: [] }, cases, pass)).toBe(false);
  });
  it('does not count a sample taken before the sign-off day or recorded before the sign-off', () => {
    expect(leavesKeySupervision(ks, cases, { ...pass, sampledOn: '2026-12-07' })).toBe(false);
    expect(
      leavesKeySupervision(ks, cases, {
        ...pass,
        sampledOn: '2026-12-08',
        at: '2026-12-08T01:00:00.000Z',
      }),
    ).toBe(false);
    expect(
      leavesKeySupervision(ks, cases, {
        ...pass,
        sampledOn: '2026-12-08',
        at: '2026-12-08T03:00:00.000Z',
      }),
    ).toBe(true);
  });
});

describe('photos', () => {
  it('recognises JPEG and PNG by their magic bytes only', () => {
    expect(detectPhotoType(Uint8Array.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
    expect(
      detectPhotoType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])),
    ).toBe('image/png');
    expect(detectPhotoType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    expect(detectPhotoType(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(detectPhotoType(new Uint8Array())).toBeNull();
  });
  it('refuses more base64 than 2 MB can take before decoding anything', () => {
    const limit = Math.ceil(photoPolicy.maxBytes / 3) * 4;
    expect(
      messages(photoUploadSchema, { base64: 'A'.repeat(limit + 4), contentType: 'image/jpeg' }),
    ).toEqual({ base64: ['照片不能超过 2 MB'] });
    expect(messages(photoUploadSchema, { base64: 'AAAA', contentType: 'image/webp' })).toEqual({
      contentType: ['只支持 JPEG 或 PNG 照片'],
    });
  });
});

describe('patrol input', () => {
  it('checks in Chinese and fills defaults', () => {
    expect(messages(patrolInputSchema, { subjectId: 's', date: '2026-11-29' })).toEqual({
      staffNames: ['请填写检查人员'],
      issuingCertificates: ['请选择是否按要求开具合格证'],
    });
    const ok = z.parse(patrolInputSchema, {
      subjectId: 's',
      date: '2026-11-29',
      staffNames: [' 张三 '],
      issuingCertificates: false,
    });
    expect(ok).toEqual({
      subjectId: 's',
      date: '2026-11-29',
      staffNames: ['张三'],
      issuingCertificates: false,
      scanned: [],
      findings: '',
      photoFileIds: [],
    });
  });
});

describe('station rating', () => {
  it('weighs figures against targets, leaving out what a station cannot have', () => {
    expect(stationRatingPolicy.weights).toEqual({ patrols: 40, samples: 40, reviews: 20 });
    expect(
      rateStation('station', { patrols: 24, samples: 12, reviews: { due: 5, onTime: 5 } }),
    ).toEqual({
      score: 100,
      stars: 5,
      parts: {
        patrols: { share: 1, weight: 40 },
        samples: { share: 1, weight: 40 },
        reviews: { share: 1, weight: 20 },
      },
    });
    // Beyond the target earns no more.
    expect(rateStation('station', { patrols: 100, samples: 6, reviews: null }).score).toBe(75);
    expect(rateStation('service_point', { patrols: 6, samples: 3, reviews: null })).toMatchObject({
      score: 50,
      stars: 2,
      parts: { reviews: null },
    });
    // A service point's reviews never count, even when given.
    expect(
      rateStation('service_point', { patrols: 12, samples: 6, reviews: { due: 4, onTime: 0 } })
        .score,
    ).toBe(100);
    // No review due: the weight goes to the others.
    expect(
      rateStation('station', { patrols: 12, samples: 6, reviews: { due: 0, onTime: 0 } }),
    ).toMatchObject({ score: 50, parts: { reviews: null } });
  });

  it.each([
    [90, 5],
    [89, 4],
    [75, 4],
    [74, 3],
    [60, 3],
    [59, 2],
    [40, 2],
    [39, 1],
    [0, 1],
  ])('gives score %i %i stars', (score, stars) => {
    // Patrols and samples at the same share of their targets score that share.
    const share = score / 100;
    const rating = rateStation('station', {
      patrols: share * 24,
      samples: share * 12,
      reviews: null,
    });
    expect(rating.score).toBe(score);
    expect(rating.stars).toBe(stars);
  });

  it('covers the last 90 days, today included', () => {
    expect(ratingWindow('2026-11-29')).toEqual({ from: '2026-09-01', to: '2026-11-29', days: 90 });
  });
});
