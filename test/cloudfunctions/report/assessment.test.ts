import type { Assessment, StationRanking } from '../../../cloudfunctions/report/actions';
import type { StationsResult } from '../../../cloudfunctions/supervision/actions';
import { assessmentPolicy } from '../../../src/domain/report';
import { buildReportWorld, liandao, reportRuntime, xugou, type ReportRuntime } from './world';

let rt: ReportRuntime;

beforeAll(async () => {
  rt = reportRuntime();
  await buildReportWorld(rt);
  await rt.svOk(
    'saveStation',
    { kind: 'station', name: '墟沟街道监管站', divisionCode: xugou, staffUserIds: ['sup-xg'] },
    'admin',
  );
  await rt.svOk(
    'saveStation',
    { kind: 'station', name: '连岛街道监管站', divisionCode: liandao, staffUserIds: ['sup-ld'] },
    'admin',
  );
});
afterAll(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

describe('report.assessment', () => {
  it('scores each street by the policy weights and ranks them', async () => {
    const a = await rt.reportOk<Assessment>(
      'assessment',
      { from: '2025-12-01', to: '2026-04-30' },
      'admin',
    );
    expect(a.weights).toEqual(assessmentPolicy.weights);
    expect(a.unavailable).toEqual({});
    expect(a.rows).toHaveLength(13);
    const [first, second, third] = a.rows;
    // 连岛: its one above-scale producer issued, was patrolled and sampled, but neither trained
    // nor reached by the 告知书; no case fell due. 70 of 90.
    expect(first).toMatchObject({
      rank: 1,
      divisionCode: liandao,
      score: 77.8,
      facts: {
        coverage: 1,
        producers: 1,
        producersPatrolled: 1,
        producersSampled: 1,
        training: 0,
        publicity: 0,
        rectificationsDue: 0,
      },
    });
    expect(first?.parts.rectification).toEqual({
      value: null,
      share: null,
      weight: 10,
      earned: null,
    });
    // 墟沟: B of B and C issued; A, B, C in the directory, B patrolled, A and B sampled; B of
    // A, B, C, M trained; A of A, B, C reached; of the two cases due (04-02, 04-25) one closed in
    // time. (15 + 6.67 + 20 + 2.5 + 3.33 + 5) / 100.
    expect(second).toMatchObject({
      rank: 2,
      divisionCode: xugou,
      score: 52.5,
      facts: {
        coverage: 0.5,
        producers: 3,
        producersPatrolled: 1,
        producersSampled: 2,
        patrols: 1,
        samples: 2,
        rectificationsDue: 2,
        rectificationsOnTime: 1,
        training: 0.25,
        publicity: 1 / 3,
      },
    });
    expect(second?.parts.coverage).toEqual({ value: 0.5, share: 0.5, weight: 30, earned: 15 });
    expect(second?.parts.sampling).toMatchObject({ share: 1, earned: 20 });
    // A street with no producers cannot be scored.
    expect(third).toMatchObject({ rank: null, score: null });
  });

  it('is the bureau’s', async () => {
    expect(
      await rt.report('assessment', { from: '2025-12-01', to: '2026-04-30' }, 'sup-xg'),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('report.stationRanking', () => {
  it('ranks the stations by the stars supervision derives', async () => {
    const ranking = await rt.reportOk<StationRanking>('stationRanking', {}, 'admin');
    const stations = await rt.svOk<StationsResult>('stations', {}, 'admin');
    expect(ranking.window).toEqual(stations.window);
    expect(ranking.rows.map((r) => [r.rank, r.name])).toEqual([
      [1, '墟沟街道监管站'],
      [2, '连岛街道监管站'],
    ]);
    for (const row of ranking.rows) {
      const s = stations.stations.find((x) => x._id === row.stationId)!;
      expect([row.score, row.stars, row.figures]).toEqual([
        s.rating.score,
        s.rating.stars,
        s.figures,
      ]);
    }
    // sup-xg: one patrol and two samples in the window; sup-ld: one of each.
    expect(ranking.rows.map((r) => [r.figures.patrols, r.figures.samples])).toEqual([
      [1, 2],
      [1, 1],
    ]);
  });

  it('shows a street office its own stations', async () => {
    const own = await rt.reportOk<StationRanking>('stationRanking', {}, 'sup-ld');
    expect(own.rows.map((r) => [r.rank, r.name])).toEqual([[1, '连岛街道监管站']]);
  });
});
