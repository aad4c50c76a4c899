import * as z from 'zod/mini';
import { lianyunDivisions } from '../../src/domain/division';
import { useChineseMessages } from '../../src/domain/locale';
import {
  asOfInstant,
  assessmentPolicy,
  assessmentScore,
  changesBetween,
  dashboardInputSchema,
  dashboardOf,
  drillItems,
  dueDateToDraft,
  endOfChinaDay,
  inDirectoryAt,
  inDirectoryDuring,
  isSummaryDueDate,
  keyActiveAt,
  keyFiguresOf,
  latestDueDate,
  nextDueDate,
  monthRange,
  monthsBetween,
  narrativeSchema,
  previousSummaryPeriod,
  rankByScore,
  recordsWithin,
  rectificationOverdueAt,
  rectificationStatusAt,
  resolvePeriod,
  scheduledPeriodOf,
  summaryPeriodOf,
  windowOf,
  type AssessmentFacts,
  type DrillRef,
  type ReportWindow,
} from '../../src/domain/report';
import type { Subject } from '../../src/domain/subject';
import { key, liandao, rectification, subject, world, xugou } from './report-fixtures';

useChineseMessages();

const messages = (schema: z.core.$ZodType, input: unknown) => {
  const r = z.safeParse(schema, input);
  if (r.success) return {};
  const out: Record<string, string[]> = {};
  for (const i of r.error.issues) (out[i.path.join('.')] ??= []).push(i.message);
  return out;
};

const now = new Date('2026-05-06T01:00:00.000Z');
const period = { from: '2026-01-01', to: '2026-04-30' };
const w: ReportWindow = windowOf(period, now);
const streets = lianyunDivisions.filter((d) => d.kind !== 'district');

/** Every figure of a dashboard that carries a count and its drill. */
function countFigures(
  value: unknown,
  path = '',
): { path: string; count: number; drill: DrillRef }[] {
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Record<string, unknown>;
  const found: { path: string; count: number; drill: DrillRef }[] = [];
  if (v.drill && typeof v.drill === 'object') {
    const count =
      typeof v.count === 'number'
        ? v.count
        : typeof v.records === 'number'
          ? v.records
          : typeof v.total === 'number'
            ? v.total
            : typeof v.issuing === 'number' && typeof v.aboveScale === 'number'
              ? v.aboveScale
              : typeof v.arrivals === 'number'
                ? v.arrivals
                : null;
    if (count !== null) found.push({ path, count, drill: v.drill as DrillRef });
  }
  for (const [k, child] of Object.entries(v)) {
    if (k === 'drill') continue;
    found.push(...countFigures(child, `${path}.${k}`));
  }
  return found;
}

describe('periods', () => {
  it('covers the whole months since the previous summary, due on the 6th after', () => {
    expect(summaryPeriodOf('2026-05-06')).toMatchObject({
      from: '2025-12-01',
      to: '2026-04-30',
      label: '2026年第1次书面总结（2025年12月—2026年4月）',
    });
    expect(summaryPeriodOf('2026-08-06')).toMatchObject({ from: '2026-05-01', to: '2026-07-31' });
    expect(summaryPeriodOf('2026-12-06')).toMatchObject({ from: '2026-08-01', to: '2026-11-30' });
    expect(() => summaryPeriodOf('2026-05-07')).toThrow(RangeError);
  });

  it('finds due dates, the previous period and the scheduled period of some dates', () => {
    expect(isSummaryDueDate('2026-08-06')).toBe(true);
    expect(isSummaryDueDate('2026-08-07')).toBe(false);
    expect(latestDueDate('2026-05-05')).toBe('2025-12-06');
    expect(latestDueDate('2026-05-06')).toBe('2026-05-06');
    expect(latestDueDate('2026-01-01')).toBe('2025-12-06');
    // The upcoming one: strictly after today (on a due date the tick drafts today's).
    expect(nextDueDate('2026-11-30')).toBe('2026-12-06');
    expect(nextDueDate('2026-12-06')).toBe('2027-05-06');
    expect(nextDueDate('2026-12-31')).toBe('2027-05-06');
    expect(nextDueDate('2026-05-05')).toBe('2026-05-06');
    expect(previousSummaryPeriod('2025-12-01')).toMatchObject({
      from: '2025-08-01',
      to: '2025-11-30',
    });
    expect(previousSummaryPeriod('2026-01-01')).toMatchObject({
      from: '2025-08-01',
      to: '2025-11-30',
    });
    expect(previousSummaryPeriod('2026-05-01')).toMatchObject({
      from: '2025-12-01',
      to: '2026-04-30',
    });
    expect(scheduledPeriodOf({ from: '2026-05-01', to: '2026-07-31' })?.period).toBe('2026-08-06');
    expect(scheduledPeriodOf({ from: '2026-05-02', to: '2026-07-31' })).toBeNull();
  });

  it('drafts on a due date and within the catch-up days after, not otherwise', () => {
    expect(dueDateToDraft('2026-05-06')).toBe('2026-05-06');
    expect(dueDateToDraft('2026-06-05')).toBe('2026-05-06');
    expect(dueDateToDraft('2026-06-06')).toBeNull();
    expect(dueDateToDraft('2026-05-05')).toBeNull();
  });

  it('counts months and days in China time', () => {
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(endOfChinaDay('2026-04-30')).toBe('2026-04-30T15:59:59.999Z');
    expect(asOfInstant('2026-04-30', now)).toBe('2026-04-30T15:59:59.999Z');
    expect(asOfInstant('2026-12-31', now)).toBe(now.toISOString());
    expect(resolvePeriod({}, '2026-05-06')).toEqual({ from: '2026-01-01', to: '2026-05-06' });
    expect(resolvePeriod({ from: '2026-09-01' }, '2026-05-06')).toEqual({
      from: '2026-09-01',
      to: '2026-09-01',
    });
  });

  it('refuses backwards and overlong periods in Chinese', () => {
    expect(messages(dashboardInputSchema, { from: '2026-05-01', to: '2026-04-01' })).toEqual({
      to: ['结束日期不能早于开始日期'],
    });
    expect(messages(dashboardInputSchema, { from: '2020-01-01', to: '2026-04-01' })).toEqual({
      to: ['统计期间最长 36 个月'],
    });
    expect(
      messages(narrativeSchema, { experience: '好', problems: '问题不少', suggestions: '' }),
    ).toEqual({
      experience: ['请填写工作经验和做法（至少 4 个字）'],
      suggestions: ['请填写下一步打算和建议（至少 4 个字）'],
    });
  });
});

describe('state at an instant', () => {
  it('keeps a subject in the directory from its entry until retired; never merged or rejected ones', () => {
    const [a, , , , , r, g, j] = world().subjects as Subject[];
    expect(inDirectoryAt(a!, '2026-01-04T00:00:00.000Z')).toBe(false);
    expect(inDirectoryAt(a!, '2026-01-06T00:00:00.000Z')).toBe(true);
    expect(inDirectoryAt(r!, '2026-02-14T00:00:00.000Z')).toBe(true);
    expect(inDirectoryAt(r!, '2026-02-16T00:00:00.000Z')).toBe(false);
    expect(inDirectoryDuring(r!, { from: '2026-02-15', to: '2026-03-31' })).toBe(true);
    expect(inDirectoryDuring(r!, { from: '2026-02-16', to: '2026-03-31' })).toBe(false);
    expect(inDirectoryAt(g!, '2026-01-10T00:00:00.000Z')).toBe(false);
    expect(inDirectoryAt(j!, '2026-01-10T00:00:00.000Z')).toBe(false);
  });

  it('reads a case’s status at a past instant from its record', () => {
    const c = rectification('r', 'B', {
      openedAt: '2026-03-01T00:00:00.000Z',
      deadline: '2026-03-16',
      status: 'closed',
      submittedAt: '2026-03-20T00:00:00.000Z',
      closedAt: '2026-03-22T00:00:00.000Z',
      signOffs: [
        { decision: 'reopen', note: '不到位', at: '2026-03-12T00:00:00.000Z', by: 's' },
        { decision: 'close', note: '', at: '2026-03-22T00:00:00.000Z', by: 's' },
      ],
    });
    expect(rectificationStatusAt(c, '2026-02-28T00:00:00.000Z')).toBeNull();
    expect(rectificationStatusAt(c, '2026-03-05T00:00:00.000Z')).toBe('open');
    expect(rectificationStatusAt(c, '2026-03-13T00:00:00.000Z')).toBe('open');
    expect(rectificationStatusAt(c, '2026-03-21T00:00:00.000Z')).toBe('submitted');
    expect(rectificationStatusAt(c, '2026-03-23T00:00:00.000Z')).toBe('closed');
    expect(rectificationOverdueAt(c, '2026-03-16T10:00:00.000Z')).toBe(false);
    expect(rectificationOverdueAt(c, '2026-03-17T10:00:00.000Z')).toBe(true);
    expect(rectificationOverdueAt(c, '2026-03-23T10:00:00.000Z')).toBe(false);
  });

  it('reads key supervision at an instant from its episodes', () => {
    const k = key('B', {
      since: '2026-04-01T00:00:00.000Z',
      history: [
        {
          since: '2026-01-01T00:00:00.000Z',
          reason: 'false_certificate',
          sampleId: null,
          patrolId: 'p',
          caseIds: [],
          samplingIntervalDays: 30,
          liftedAt: '2026-02-01T00:00:00.000Z',
          liftedBySampleId: 's',
        },
      ],
    });
    expect(keyActiveAt(k, '2026-01-15T00:00:00.000Z')).toBe(true);
    expect(keyActiveAt(k, '2026-03-01T00:00:00.000Z')).toBe(false);
    expect(keyActiveAt(k, '2026-04-02T00:00:00.000Z')).toBe(true);
  });
});

describe('dashboardOf', () => {
  const district = () =>
    dashboardOf(world(), { divisionCode: null, rows: streets }, w, now.toISOString());

  it('counts the district exactly', () => {
    const d = district();
    expect(d.asOf).toBe('2026-04-30T15:59:59.999Z');
    expect(d.months).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    // A, B, C, M, D (R retired, G merged, J rejected).
    expect(d.directory.total.count).toBe(5);
    expect(d.directory.aboveScale.count).toBe(3);
    expect(Object.fromEntries(d.directory.byType.map((t) => [t.type, t.count]))).toEqual({
      enterprise: 1,
      cooperative: 1,
      family_farm: 1,
      smallholder: 1,
      buyer: 1,
    });
    expect(d.directory.byDivision.find((r) => r.divisionCode === xugou)).toMatchObject({
      total: 4,
      aboveScale: 2,
      byType: { smallholder: 1, cooperative: 1, enterprise: 1, buyer: 1, family_farm: 0 },
    });
    expect(d.directory.byDivision).toHaveLength(13);

    // Above scale during the period: B, C, D and R (retired mid-February); issuing: B, D, R.
    expect(d.coverage.aboveScale.count).toBe(4);
    expect(d.coverage.issuing.count).toBe(3);
    expect(d.coverage.notIssuing.count).toBe(1);
    expect(d.coverage.shareText).toBe('75.0%');
    expect(d.coverage.byMonth.map((m) => [m.month, m.aboveScale, m.issuing, m.shareText])).toEqual([
      ['2026-01', 4, 1, '25.0%'],
      ['2026-02', 4, 1, '25.0%'],
      ['2026-03', 3, 2, '66.7%'],
      ['2026-04', 3, 0, '0.0%'],
    ]);

    const c = d.certificates;
    expect([c.records.count, c.labels]).toEqual([5, 12]);
    expect([c.revoked.count, c.revoked.labels]).toEqual([1, 2]);
    expect(c.byMonth.map((m) => [m.month, m.records, m.labels])).toEqual([
      ['2026-01', 1, 1],
      ['2026-02', 1, 3],
      ['2026-03', 3, 8],
      ['2026-04', 0, 0],
    ]);
    expect(c.byIssueUnit.map((u) => [u.issueUnit, u.records, u.labels])).toEqual([
      ['package', 4, 11],
      ['vehicle', 1, 1],
      ['batch', 0, 0],
    ]);
    expect(c.byProduct.map((p) => [p.productName, p.records, p.labels])).toEqual([
      ['青菜', 3, 6],
      ['紫菜', 1, 5],
      ['番茄', 1, 1],
    ]);
    expect(
      c.byCategory.filter((x) => x.records > 0).map((x) => [x.category, x.records, x.labels]),
    ).toEqual([
      ['vegetable', 4, 7],
      ['aquatic', 1, 5],
    ]);

    expect(d.market).toMatchObject({
      arrivals: 3,
      withCertificate: 1,
      withoutCertificate: 2,
      sampled: 1,
      failed: 1,
      rateText: '33.3%',
    });
    expect(d.supervision.patrols.count).toBe(2);
    expect(d.supervision.samples.count).toBe(3);
    expect(d.supervision.failures.count).toBe(2);
    expect(d.supervision.promisesContradicted.count).toBe(1);
    expect(d.keySupervision.active.count).toBe(1);
    expect(d.keySupervision.placedInPeriod.count).toBe(1);
    expect(
      Object.fromEntries(Object.entries(d.rectifications).map(([k, v]) => [k, v.count])),
    ).toEqual({
      opened: 2,
      open: 1,
      submitted: 0,
      closed: 1,
      overdue: 1,
      outstanding: 1,
      outstandingOverdue: 1,
    });
    // Outreach: of the three staff to train, sup-xg was trained (sup-ld only after the period);
    // of the five subjects in the directory, B's operator attended; of the four producers, A's
    // operator confirmed the 告知书 (D's only after the period).
    if (!d.training.available || !d.publicity.available) throw new Error('outreach missing');
    expect([d.training.staff.total, d.training.staff.trained, d.training.staff.shareText]).toEqual([
      3,
      1,
      '33.3%',
    ]);
    expect(d.training.staff.untrained.count).toBe(2);
    expect([d.training.producers.total, d.training.producers.trained]).toEqual([5, 1]);
    expect(d.publicity).toMatchObject({
      producers: { count: 4 },
      reached: { count: 1 },
      shareText: '25.0%',
      unclaimed: 0,
      deliveries: { delivered: 3, read: 2, acknowledged: 1 },
    });
  });

  it('drills every figure to exactly the records it counted', () => {
    const records = world();
    const d = district();
    const figures = countFigures(d);
    expect(figures.length).toBeGreaterThan(40);
    for (const f of figures) {
      const items = drillItems(records, f.drill.figure, f.drill.params, w);
      expect({ path: f.path, n: items.length }).toEqual({ path: f.path, n: f.count });
    }
  });

  it('names the very records: failures are the failed samples, overdue the overdue case', () => {
    const records = world();
    const d = district();
    const ids = (ref: DrillRef) =>
      drillItems(records, ref.figure, ref.params, w).map((x) => (x as { _id: string })._id);
    expect(ids(d.supervision.failures.drill).sort()).toEqual(['s1', 's3']);
    expect(ids(d.rectifications.overdue.drill)).toEqual(['r2']);
    expect(ids(d.market.withoutCertificateDrill).sort()).toEqual(['e2', 'e3']);
    const notIssuing = drillItems(records, 'aboveScale', d.coverage.notIssuing.drill.params, w);
    expect(notIssuing.map((x) => (x as { subject: { _id: string } }).subject._id)).toEqual(['C']);
  });

  it('keeps a division to its own records', () => {
    const d = dashboardOf(
      recordsWithin(world(), [liandao]),
      { divisionCode: liandao, rows: streets.filter((s) => s.code === liandao) },
      w,
      now.toISOString(),
    );
    expect(d.divisionName).toBe('连岛街道');
    expect(d.directory.total.count).toBe(1);
    expect(d.coverage.shareText).toBe('100.0%');
    expect([d.certificates.records.count, d.certificates.labels]).toEqual([1, 5]);
    expect(d.market.arrivals).toBe(0);
    expect(d.supervision.samples.count).toBe(1);
    expect(d.supervision.failures.count).toBe(0);
    expect(d.keySupervision.active.count).toBe(0);
    expect(d.rectifications.opened.count).toBe(0);
    expect(d.directory.total.drill.params).toEqual({
      divisionCode: liandao,
      from: '2026-01-01',
      to: '2026-04-30',
    });
  });
});

describe('changes and key figures', () => {
  it('compares counts and shares with their own words', () => {
    const d = dashboardOf(world(), { divisionCode: null, rows: streets }, w, now.toISOString());
    const current = keyFiguresOf(d);
    const previous = {
      ...current,
      certificates: 2,
      issuingShare: 0.5,
      patrols: 2,
      publicityReach: null,
    };
    const changes = Object.fromEntries(changesBetween(current, previous).map((c) => [c.key, c]));
    expect(changes.certificates).toMatchObject({
      current: 5,
      previous: 2,
      delta: 3,
      deltaText: '+3',
    });
    expect(changes.issuingShare).toMatchObject({ deltaText: '+25.0 个百分点' });
    expect(changes.patrols).toMatchObject({ delta: 0, deltaText: '持平' });
    expect(changes.publicityReach).toMatchObject({ delta: null, deltaText: '—' });
    expect(changes.certificates?.deltaWords).toBe('增加 3');
    expect(changes.issuingShare?.deltaWords).toBe('上升 25.0 个百分点');
  });
});

describe('assessment', () => {
  const facts = (o: Partial<AssessmentFacts>): AssessmentFacts => ({
    coverage: 0.5,
    producers: 3,
    producersPatrolled: 1,
    producersSampled: 2,
    patrols: 1,
    samples: 2,
    training: null,
    publicity: null,
    rectificationsDue: 2,
    rectificationsOnTime: 1,
    ...o,
  });

  it('weighs the parts by policy, leaving out what cannot be counted', () => {
    const total = Object.values(assessmentPolicy.weights).reduce((a, b) => a + b, 0);
    expect(total).toBe(100);
    const s = assessmentScore(facts({}));
    // 0.5×30 + (1/3)×20 + min(1, (2/3)/0.5)×20 + 0.5×10 over 80 = 46.67/80.
    expect(s.score).toBe(58.3);
    expect(s.parts.sampling).toMatchObject({ share: 1, weight: 20, earned: 20 });
    expect(s.parts.training).toEqual({ value: null, share: null, weight: 10, earned: null });
    const full = assessmentScore(
      facts({
        coverage: 1,
        producersPatrolled: 3,
        producersSampled: 3,
        training: 1,
        publicity: 0.5,
        rectificationsOnTime: 2,
      }),
    );
    expect(full.score).toBe(95);
    expect(
      assessmentScore(facts({ coverage: null, producers: 0, rectificationsDue: 0 })).score,
    ).toBeNull();
  });

  it('ranks by score with ties sharing a rank and unscored rows last', () => {
    const ranked = rankByScore([
      { id: 'a', score: 70 },
      { id: 'b', score: null },
      { id: 'c', score: 90 },
      { id: 'd', score: 70 },
    ]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['c', 1],
      ['a', 2],
      ['d', 2],
      ['b', null],
    ]);
  });
});
