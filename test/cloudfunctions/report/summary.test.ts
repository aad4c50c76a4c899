import ExcelJS from 'exceljs';
import type { Rollup, SummaryReport } from '../../../cloudfunctions/report/actions';
import type { KeyFigures } from '../../../src/domain/report';
import { pdfText } from '../print/pdf-tools';
import {
  buildReportWorld,
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

/** The period due 2026-05-06: December 2025 to April 2026. */
const may = { divisionCode: xugou, from: '2025-12-01', to: '2026-04-30' };

const xugouNow: KeyFigures = {
  subjects: 4,
  aboveScale: 2,
  aboveScaleIssuing: 1,
  issuingShare: 0.5,
  certificates: 3,
  labels: 6,
  marketArrivals: 2,
  marketWithCertificate: 1,
  acceptanceRate: 0.5,
  patrols: 1,
  samples: 2,
  failures: 2,
  promisesContradicted: 1,
  keySupervisionActive: 1,
  rectificationsOpened: 2,
  rectificationsClosed: 1,
  rectificationsOverdue: 1,
  // sup-xg of sup-xg, coord-xg and enf-xg; B's operator of A, B, C and M; A of A, B and C.
  staffTrainingCoverage: 1 / 3,
  producerTrainingCoverage: 0.25,
  publicityReach: 1 / 3,
};

/** August to November 2025: C (08-01) and B (11-01) registered, B issued one certificate. */
const xugouBefore: KeyFigures = {
  subjects: 2,
  aboveScale: 2,
  aboveScaleIssuing: 1,
  issuingShare: 0.5,
  certificates: 1,
  labels: 1,
  marketArrivals: 0,
  marketWithCertificate: 0,
  acceptanceRate: null,
  patrols: 0,
  samples: 0,
  failures: 0,
  promisesContradicted: 0,
  keySupervisionActive: 0,
  rectificationsOpened: 0,
  rectificationsClosed: 0,
  rectificationsOverdue: 0,
  staffTrainingCoverage: 0,
  producerTrainingCoverage: 0,
  publicityReach: 0,
};

describe('report.summary', () => {
  it('gives a street’s figures for the period, the previous period’s, and the lists', async () => {
    const s = await rt.reportOk<SummaryReport>('summary', may, 'sup-xg');
    expect(s.divisionName).toBe('墟沟街道');
    expect(s.period).toEqual({
      period: '2026-05-06',
      from: '2025-12-01',
      to: '2026-04-30',
      label: '2026年第1次书面总结（2025年12月—2026年4月）',
    });
    expect(s.figures).toEqual(xugouNow);
    expect(s.previous).toMatchObject({
      period: '2025-12-06',
      from: '2025-08-01',
      to: '2025-11-30',
      asOf: '2025-11-30T15:59:59.999Z',
    });
    expect(s.previous.figures).toEqual(xugouBefore);
    expect(Object.fromEntries(s.changes.map((c) => [c.key, c.deltaText]))).toEqual({
      subjects: '+2',
      aboveScale: '持平',
      aboveScaleIssuing: '持平',
      issuingShare: '持平',
      certificates: '+2',
      labels: '+5',
      marketArrivals: '+2',
      marketWithCertificate: '+1',
      acceptanceRate: '—',
      patrols: '+1',
      samples: '+2',
      failures: '+2',
      promisesContradicted: '+1',
      keySupervisionActive: '+1',
      rectificationsOpened: '+2',
      rectificationsClosed: '+1',
      rectificationsOverdue: '+1',
      staffTrainingCoverage: '+33.3 个百分点',
      producerTrainingCoverage: '+25.0 个百分点',
      publicityReach: '+33.3 个百分点',
    });
    // C: out of season (September–October) and nothing issued since it registered 277 days ago.
    expect(s.lists.dormantSubjects).toMatchObject({ afterDays: 180, total: 1 });
    expect(s.lists.dormantSubjects.items.map((i) => [i.subject.name, i.idleDays])).toEqual([
      ['海州湾农业公司', 277],
    ]);
    expect(s.lists.overdueRectifications.map((c) => [c._id, c.subjectName, c.deadline])).toEqual([
      [world.cases.r2, '王建国', '2026-04-25'],
    ]);
    expect(s.lists.untrainedStaff).toMatchObject({
      available: true,
      items: [
        { userId: 'enf-xg', nickname: '执法大队', trained: false },
        { userId: 'coord-xg', nickname: '东山村协管员', trained: false },
      ],
    });
    expect(s.document).toBeNull();
  });

  it('is the street’s own: another street’s supervisor is refused, a district code is not a street', async () => {
    expect(await rt.report('summary', may, 'sup-ld')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await rt.report('summary', { ...may, divisionCode: '320703' }, 'admin')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { divisionCode: ['请选择街道/乡镇'] } },
    });
    expect(await rt.report('summary', { divisionCode: xugou }, 'admin')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { from: expect.any(Array), to: expect.any(Array) } },
    });
  });

  it('exports the summary as a workbook that reads back', async () => {
    const x = await rt.reportOk<{ filename: string; base64: string }>('summaryXlsx', may, 'admin');
    expect(x.filename).toBe('墟沟街道书面总结-2025-12-01至2026-04-30.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.base64, 'base64') as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '概况',
      '主要数据',
      '按月',
      '按品类和开具方式',
      '在册不运行',
      '逾期整改',
      '未参加培训人员',
    ]);
    const rows = (name: string) =>
      (wb.getWorksheet(name)?.getSheetValues() ?? [])
        .slice(1)
        .map((r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(rows('概况')[1]).toEqual(['街道/乡镇', '墟沟街道']);
    expect(rows('主要数据')[0]).toEqual(['指标', '本期', '上期', '变化']);
    expect(rows('主要数据')).toContainEqual(['开具合格证（张）', '3', '1', '增加 2']);
    expect(rows('主要数据')).toContainEqual(['规模以上主体开证率', '50.0%', '50.0%', '持平']);
    expect(rows('主要数据')).toContainEqual(['凭证入市率', '50.0%', '—', '—']);
    expect(rows('按月').slice(1)).toEqual([
      ['2025年12月', 0, 0, 2, 0, '0.0%'],
      ['2026年1月', 0, 0, 2, 0, '0.0%'],
      ['2026年2月', 1, 3, 2, 1, '50.0%'],
      ['2026年3月', 2, 3, 2, 1, '50.0%'],
      ['2026年4月', 0, 0, 2, 0, '0.0%'],
    ]);
    expect(rows('在册不运行')[1]?.slice(0, 2)).toEqual(['海州湾农业公司', '企业']);
    expect(rows('逾期整改')[1]?.slice(0, 4)).toEqual([
      '王建国',
      '抽检不合格',
      '2026-04-10',
      '2026-04-25',
    ]);
    expect(rows('未参加培训人员').slice(1)).toEqual([
      ['执法大队', '执法人员', '墟沟街道'],
      ['东山村协管员', '村级协管员', '墟沟街道'],
    ]);
  });

  it('prints the summary as a Chinese PDF in the file store', async () => {
    const r = await rt.reportOk<{ fileId: string; url: string; pages: number; filename: string }>(
      'summaryPdf',
      may,
      'sup-xg',
    );
    expect(r.url).toMatch(/^https:\/\/hgz\.example\.cn\/files\//);
    const file = await rt.files.get(r.fileId);
    expect(file?.contentType).toBe('application/pdf');
    const text = pdfText(file!.bytes);
    for (const expected of [
      '墟沟街道承诺达标合格证工作书面总结',
      '2026年第1次书面总结（2025年12月—2026年4月）',
      '一、主要数据',
      '开具合格证（张）',
      '海州湾农业公司',
      '王建国',
      '执法大队、东山村协管员',
      '（待街道填写）',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(`第 1 / ${r.pages} 页`);
  });

  it('is not available without a file store', async () => {
    const { testRuntime } = await import('../../helpers/runtime');
    const bare = testRuntime();
    try {
      await bare.store.collection('users').put({
        _id: 'admin',
        nickname: 'a',
        roles: ['admin'],
        divisionCode: null,
        createdAt: '2026-01-01T00:00:00.000Z',
      } as never);
      const { reportFunction } = await import('../../../cloudfunctions/report/actions');
      const res = await bare.call(reportFunction, 'summaryPdf', may, 'admin');
      expect(res).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    } finally {
      await bare.close();
    }
  });
});

describe('report.rollup', () => {
  it('sets every street side by side with the district total', async () => {
    const r = await rt.reportOk<Rollup>('rollup', { from: may.from, to: may.to }, 'admin');
    expect(r.period?.period).toBe('2026-05-06');
    expect(r.rows).toHaveLength(13);
    const row = (code: string) => r.rows.find((x) => x.divisionCode === code)!;
    expect(row(xugou).figures).toEqual(xugouNow);
    expect(row(liandao).figures).toMatchObject({
      subjects: 1,
      aboveScale: 1,
      aboveScaleIssuing: 1,
      issuingShare: 1,
      certificates: 1,
      labels: 5,
      patrols: 1,
      samples: 1,
      failures: 0,
    });
    expect(row('320703002').figures).toMatchObject({
      subjects: 0,
      certificates: 0,
      issuingShare: null,
    });
    expect(r.total).toMatchObject({
      subjects: 5,
      aboveScale: 3,
      aboveScaleIssuing: 2,
      certificates: 4,
      labels: 11,
      patrols: 2,
      samples: 3,
      failures: 2,
    });
    // The district is the sum of its streets for every count.
    for (const key of ['subjects', 'certificates', 'labels', 'patrols', 'samples'] as const) {
      expect(r.rows.reduce((n, x) => n + (x.figures[key] ?? 0), 0)).toBe(r.total[key]);
    }
    expect(row(xugou).summary).toBeNull();
  });

  it('is the bureau’s', async () => {
    expect(await rt.report('rollup', { from: may.from, to: may.to }, 'sup-xg')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
