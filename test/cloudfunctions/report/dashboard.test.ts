import type { DrillResult } from '../../../cloudfunctions/report/actions';
import type { Dashboard } from '../../../src/domain/report';
import {
  buildReportWorld,
  countFigures,
  liandao,
  reportRuntime,
  xugou,
  type ReportRuntime,
  type ReportWorld,
} from './world';

let rt: ReportRuntime;
let world: ReportWorld;

beforeAll(async () => {
  rt = reportRuntime();
  world = await buildReportWorld(rt);
});
afterAll(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

const period = { from: '2026-01-01', to: '2026-04-30' };
const counts = (d: Dashboard) => ({
  subjects: d.directory.total.count,
  aboveScale: d.directory.aboveScale.count,
  coverage: [d.coverage.aboveScale.count, d.coverage.issuing.count, d.coverage.shareText],
  certificates: [d.certificates.records.count, d.certificates.labels],
  market: [d.market.arrivals, d.market.withCertificate, d.market.failed, d.market.rateText],
  supervision: [
    d.supervision.patrols.count,
    d.supervision.samples.count,
    d.supervision.failures.count,
    d.supervision.promisesContradicted.count,
  ],
  key: [d.keySupervision.active.count, d.keySupervision.placedInPeriod.count],
  rectifications: Object.fromEntries(
    Object.entries(d.rectifications).map(([k, v]) => [k, v.count]),
  ),
});

describe('report.dashboard', () => {
  it('gives the bureau the district’s figures, derived from the records', async () => {
    const d = await rt.reportOk<Dashboard>('dashboard', period, 'admin');
    expect(d.computedAt).toBe('2026-05-06T01:00:00.000Z');
    expect(d.asOf).toBe('2026-04-30T15:59:59.999Z');
    expect(d.divisionCode).toBeNull();
    expect(counts(d)).toEqual({
      subjects: 5,
      aboveScale: 3,
      coverage: [3, 2, '66.7%'],
      certificates: [4, 11],
      market: [2, 1, 1, '50.0%'],
      supervision: [2, 3, 2, 1],
      key: [1, 1],
      rectifications: {
        opened: 2,
        open: 1,
        submitted: 0,
        closed: 1,
        overdue: 1,
        outstanding: 1,
        outstandingOverdue: 1,
      },
    });
    expect(Object.fromEntries(d.directory.byType.map((t) => [t.type, t.count]))).toEqual({
      enterprise: 1,
      cooperative: 1,
      family_farm: 1,
      smallholder: 1,
      buyer: 1,
    });
    const rows = Object.fromEntries(d.directory.byDivision.map((r) => [r.divisionCode, r.total]));
    expect([rows[xugou], rows[liandao], d.directory.byDivision.length]).toEqual([4, 1, 13]);
    expect(d.coverage.byMonth.map((m) => [m.month, m.aboveScale, m.issuing])).toEqual([
      ['2026-01', 3, 0],
      ['2026-02', 3, 1],
      ['2026-03', 3, 2],
      ['2026-04', 3, 0],
    ]);
    expect(d.certificates.byMonth.map((m) => [m.month, m.records, m.labels])).toEqual([
      ['2026-01', 0, 0],
      ['2026-02', 1, 3],
      ['2026-03', 3, 8],
      ['2026-04', 0, 0],
    ]);
    expect(d.certificates.byIssueUnit.map((u) => [u.label, u.records, u.labels])).toEqual([
      ['按包装（一箱一证）', 3, 10],
      ['按车（一车一证）', 1, 1],
      ['按批（一批一证）', 0, 0],
    ]);
    expect(d.certificates.byProduct.map((p) => [p.productName, p.records, p.labels])).toEqual([
      ['青菜', 2, 5],
      ['紫菜', 1, 5],
      ['番茄', 1, 1],
    ]);
    expect(
      d.certificates.byCategory.filter((c) => c.records > 0).map((c) => [c.label, c.records]),
    ).toEqual([
      ['蔬菜（含食用菌）', 3],
      ['水产品', 1],
    ]);
    // Outreach: sup-xg of four staff trained; B of five subjects; A of four producers confirmed.
    expect(d.training).toMatchObject({
      available: true,
      staff: { total: 4, trained: 1, shareText: '25.0%', untrained: { count: 3 } },
      producers: { total: 5, trained: 1, shareText: '20.0%' },
    });
    expect(d.publicity).toMatchObject({
      available: true,
      producers: { count: 4 },
      reached: { count: 1 },
      shareText: '25.0%',
      deliveries: { delivered: 2, read: 1, acknowledged: 1 },
    });
  });

  it('gives a street’s supervisor their own division only', async () => {
    const own = await rt.reportOk<Dashboard>('dashboard', period, 'sup-xg');
    expect(own.divisionCode).toBe(xugou);
    expect(counts(own)).toEqual({
      subjects: 4,
      aboveScale: 2,
      coverage: [2, 1, '50.0%'],
      certificates: [3, 6],
      market: [2, 1, 1, '50.0%'],
      supervision: [1, 2, 2, 1],
      key: [1, 1],
      rectifications: {
        opened: 2,
        open: 1,
        submitted: 0,
        closed: 1,
        overdue: 1,
        outstanding: 1,
        outstandingOverdue: 1,
      },
    });
    expect(own.directory.byDivision.map((r) => r.divisionCode)).toEqual([xugou]);
    const other = await rt.report('dashboard', { ...period, divisionCode: liandao }, 'sup-xg');
    expect(other).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const district = await rt.report('dashboard', { ...period, divisionCode: '320703' }, 'sup-xg');
    expect(district).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const whole = await rt.reportOk<Dashboard>(
      'dashboard',
      { ...period, divisionCode: '320703' },
      'admin',
    );
    expect([whole.divisionCode, whole.directory.total.count]).toEqual([null, 5]);
  });

  it('lets the bureau look at one division', async () => {
    const d = await rt.reportOk<Dashboard>(
      'dashboard',
      { ...period, divisionCode: liandao },
      'admin',
    );
    expect(d.divisionName).toBe('连岛街道');
    expect(counts(d)).toEqual({
      subjects: 1,
      aboveScale: 1,
      coverage: [1, 1, '100.0%'],
      certificates: [1, 5],
      market: [0, 0, 0, '—'],
      supervision: [1, 1, 0, 0],
      key: [0, 0],
      rectifications: {
        opened: 0,
        open: 0,
        submitted: 0,
        closed: 0,
        overdue: 0,
        outstanding: 0,
        outstandingOverdue: 0,
      },
    });
  });

  it('defaults to this year so far and says so', async () => {
    const d = await rt.reportOk<Dashboard>('dashboard', {}, 'admin');
    expect([d.from, d.to, d.asOf]).toEqual([
      '2026-01-01',
      '2026-05-06',
      '2026-05-06T01:00:00.000Z',
    ]);
  });

  it('refuses bad input in Chinese and other roles', async () => {
    const bad = await rt.report('dashboard', { from: '2026-05-01', to: '2026-01-01' }, 'admin');
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { to: ['结束日期不能早于开始日期'] } },
    });
    const unknown = await rt.report('dashboard', { divisionCode: '320703099' }, 'admin');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const coordinator = await rt.report('dashboard', {}, 'coord-xg');
    expect(coordinator).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('report.drill', () => {
  it('returns exactly the records behind every figure of the district', async () => {
    const d = await rt.reportOk<Dashboard>('dashboard', period, 'admin');
    const figures = countFigures(d);
    expect(figures.length).toBeGreaterThan(50);
    for (const f of figures) {
      const r = await rt.reportOk<DrillResult>('drill', { ...f.drill, limit: 200 }, 'admin');
      expect({ path: f.path, total: r.total, items: r.items.length }).toEqual({
        path: f.path,
        total: f.count,
        items: Math.min(f.count, 200),
      });
    }
  });

  it('names the records: the failed samples, the overdue case, the certificates of a month', async () => {
    const d = await rt.reportOk<Dashboard>('dashboard', period, 'admin');
    const ids = async (ref: object) =>
      (await rt.reportOk<DrillResult>('drill', ref, 'admin')).items.map(
        (x) => (x as { _id: string })._id,
      );
    expect((await ids(d.supervision.failures.drill)).sort()).toEqual(
      [world.samples.a, world.samples.b].sort(),
    );
    expect(await ids(d.rectifications.overdue.drill)).toEqual([world.cases.r2]);
    expect(await ids(d.rectifications.closed.drill)).toEqual([world.cases.r1]);
    const march = d.certificates.byMonth.find((m) => m.month === '2026-03')!;
    expect((await ids(march.drill)).sort()).toEqual(
      [
        world.certificates.a0301._id,
        world.certificates.b0315._id,
        world.certificates.d0320._id,
      ].sort(),
    );
    const notIssuing = await rt.reportOk<DrillResult>(
      'drill',
      d.coverage.notIssuing.drill,
      'admin',
    );
    expect(notIssuing.items.map((x) => (x as { subject: { name: string } }).subject.name)).toEqual([
      '海州湾农业公司',
    ]);
  });

  it('pages, and keeps to the caller’s scope', async () => {
    const page = await rt.reportOk<DrillResult>(
      'drill',
      { figure: 'certificates', params: period, skip: 1, limit: 2 },
      'admin',
    );
    expect([page.total, page.items.length, page.skip, page.limit]).toEqual([4, 2, 1, 2]);
    const own = await rt.reportOk<DrillResult>(
      'drill',
      { figure: 'certificates', params: period },
      'sup-xg',
    );
    expect(own.total).toBe(3);
    const other = await rt.report(
      'drill',
      { figure: 'certificates', params: { ...period, divisionCode: liandao } },
      'sup-xg',
    );
    expect(other).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const untrained = await rt.reportOk<DrillResult>(
      'drill',
      { figure: 'training', params: { ...period, recipient: 'staff', trained: false } },
      'sup-xg',
    );
    expect(untrained.items.map((x) => (x as { userId: string }).userId)).toEqual([
      'enf-xg',
      'coord-xg',
    ]);
    const reached = await rt.reportOk<DrillResult>(
      'drill',
      { figure: 'publicity', params: { ...period, reached: true } },
      'admin',
    );
    expect(reached.items.map((x) => (x as { subject: { name: string } }).subject.name)).toEqual([
      '王建国',
    ]);
  });
});
