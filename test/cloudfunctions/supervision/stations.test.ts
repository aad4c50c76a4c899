import type { AuditEntry } from '../../../cloudfunctions/kit/audit';
import type { StationsResult } from '../../../cloudfunctions/supervision/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Station } from '../../../src/domain/supervision';
import type { Subject } from '../../../src/domain/subject';
import { smallholder, validIdNumber } from '../../helpers/runtime';
import { liandao, sampleInput, supervisionRuntime, xugou, type SupervisionRuntime } from './world';

let rt: SupervisionRuntime;
let wang: Subject;

beforeEach(async () => {
  rt = supervisionRuntime();
  rt.setNow('2026-08-01T02:00:00.000Z');
  wang = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-wang');
  await rt.store
    .collection<Subject>('subjects')
    .update(wang._id, { status: 'approved', reviewedAt: '2026-08-03T02:00:00.000Z' });
  await rt.addUser('sup-xg', ['supervisor'], xugou, '墟沟监管员');
  await rt.addUser('coord-xg', ['coordinator'], xugou, '东山村协管员');
  await rt.addUser('sup-ld', ['supervisor'], liandao);
  await rt.addUser('coord-ld', ['coordinator'], liandao);
  await rt.addUser('admin', ['admin'], null);
  rt.setNow('2026-11-29T02:00:00.000Z');
});
afterEach(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

const station = (overrides: Record<string, unknown> = {}) => ({
  kind: 'station',
  name: '墟沟街道农产品质量安全监管站',
  divisionCode: xugou,
  staffUserIds: ['sup-xg', 'coord-xg'],
  ...overrides,
});
const count = () => rt.store.collection('stations').count();

describe('saveStation', () => {
  it('lets a supervisor keep their own division’s stations and an admin any', async () => {
    const saved = await rt.svOk<Station>('saveStation', station(), 'sup-xg');
    expect(saved).toMatchObject({
      kind: 'station',
      divisionCode: xugou,
      staffUserIds: ['sup-xg', 'coord-xg'],
      createdBy: 'sup-xg',
      updatedBy: 'sup-xg',
    });
    rt.setNow('2026-11-30T02:00:00.000Z');
    const renamed = await rt.svOk<Station>(
      'saveStation',
      station({ id: saved._id, name: '墟沟监管站', staffUserIds: ['sup-xg'] }),
      'admin',
    );
    expect(renamed).toMatchObject({
      _id: saved._id,
      name: '墟沟监管站',
      createdAt: saved.createdAt,
      createdBy: 'sup-xg',
      updatedAt: '2026-11-30T02:00:00.000Z',
      updatedBy: 'admin',
    });
    expect(await count()).toBe(1);
    const audit = await rt.store.collection<AuditEntry>('audit').find({ entityId: saved._id });
    expect(audit.map((a) => a.action)).toEqual([
      'supervision.station.create',
      'supervision.station.update',
    ]);
  });

  it('refuses other divisions, moves out of scope, coordinators — storing nothing', async () => {
    const saved = await rt.svOk<Station>('saveStation', station(), 'sup-xg');
    const refusals: [unknown, string][] = [
      [station({ divisionCode: liandao, staffUserIds: [] }), 'sup-xg'],
      [station({ id: saved._id, name: '改名' }), 'sup-ld'],
      [station({ id: saved._id, divisionCode: liandao, staffUserIds: [] }), 'sup-xg'],
      [station(), 'coord-xg'],
      [station(), 'wx-wang'],
    ];
    for (const [input, as] of refusals) {
      expect(await rt.sv('saveStation', input, as)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(await count()).toBe(1);
    expect((await rt.store.collection<Station>('stations').get(saved._id))!.name).toBe(
      station().name,
    );
  });

  it('checks division and staff, in Chinese', async () => {
    expect(await rt.sv('saveStation', station({ divisionCode: '320703' }), 'admin')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { divisionCode: ['请选择所在街道/乡镇'] } },
    });
    expect(
      await rt.sv('saveStation', station({ divisionCode: '320703099' }), 'admin'),
    ).toMatchObject({
      ok: false,
      error: { fields: { divisionCode: ['请选择连云区内的街道或乡镇'] } },
    });
    expect(
      await rt.sv(
        'saveStation',
        station({ staffUserIds: ['nobody', 'wx-wang', 'coord-ld', 'sup-xg', 'sup-xg'] }),
        'admin',
      ),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        fields: {
          'staffUserIds.0': ['没有找到这名工作人员（须先获得监管人员身份）'],
          'staffUserIds.1': ['没有找到这名工作人员（须先获得监管人员身份）'],
          'staffUserIds.2': ['这名工作人员不属于该街道/乡镇'],
          staffUserIds: ['工作人员不能重复'],
        },
      },
    });
    expect(await rt.sv('saveStation', station({ id: 'stn_none' }), 'admin')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await count()).toBe(0);
  });
});

describe('stations: figures and stars derived at call time', () => {
  /** Subjects registered on 10-01; three reviewed within 7 days, one after 10. */
  async function reviews() {
    rt.setNow('2026-10-01T02:00:00.000Z');
    for (const [i, reviewedAt] of [
      '2026-10-05T02:00:00.000Z',
      '2026-10-05T02:00:00.000Z',
      '2026-10-08T02:00:00.000Z',
      '2026-10-11T02:00:00.000Z',
    ].entries()) {
      const s = await rt.ok<Subject>(
        subjectFunction,
        'register',
        smallholder({ name: `农户${i}`, identityNumber: validIdNumber('19700101', `20${i}`) }),
        `wx-r${i}`,
      );
      await rt.store
        .collection<Subject>('subjects')
        .update(s._id, { status: 'approved', reviewedAt });
    }
    rt.setNow('2026-11-29T02:00:00.000Z');
  }

  async function work(as: string, patrols: string[], samples: string[]) {
    for (const date of patrols) {
      await rt.svOk(
        'recordPatrol',
        {
          subjectId: wang._id,
          date,
          staffNames: ['张三'],
          issuingCertificates: true,
        },
        as,
      );
    }
    for (const date of samples) {
      await rt.svOk('recordSample', sampleInput(wang._id, [], false, date), as);
    }
  }
  const dates = (n: number, from = '2026-09-01') =>
    Array.from({ length: n }, (_, i) =>
      new Date(Date.parse(`${from}T00:00:00Z`) + i * 7 * 86_400_000).toISOString().slice(0, 10),
    );

  it('rates a station 4 stars at 75 and its service point 2 stars at 50', async () => {
    await reviews();
    // The window is 2026-09-01..11-29: the day before it does not count.
    await work('sup-xg', [...dates(12), '2026-08-31'], [...dates(6), '2026-08-31']);
    await work('coord-xg', dates(6), dates(3));
    const st = await rt.svOk<Station>('saveStation', station(), 'sup-xg');
    const sp = await rt.svOk<Station>(
      'saveStation',
      station({ kind: 'service_point', name: '东山村服务点', staffUserIds: ['coord-xg'] }),
      'sup-xg',
    );
    await rt.svOk<Station>(
      'saveStation',
      station({ name: '连岛街道监管站', divisionCode: liandao, staffUserIds: [] }),
      'admin',
    );

    const res = await rt.svOk<StationsResult>('stations', {}, 'coord-xg');
    expect(res.computedAt).toBe('2026-11-29T02:00:00.000Z');
    expect(res.window).toEqual({ from: '2026-09-01', to: '2026-11-29', days: 90 });
    expect(res.stations.map((s) => s._id)).toEqual([st._id, sp._id]);
    expect(res.stations[0]).toMatchObject({
      kindLabel: '乡镇农产品质量安全监管站',
      divisionName: '墟沟街道',
      staff: [
        { userId: 'sup-xg', nickname: '墟沟监管员' },
        { userId: 'coord-xg', nickname: '东山村协管员' },
      ],
      figures: { patrols: 18, samples: 9, reviews: { due: 4, onTime: 3 } },
      rating: {
        score: 75,
        stars: 4,
        parts: {
          patrols: { share: 0.75, weight: 40 },
          samples: { share: 0.75, weight: 40 },
          reviews: { share: 0.75, weight: 20 },
        },
      },
    });
    expect(res.stations[1]).toMatchObject({
      kindLabel: '村级农产品质量安全服务站点',
      figures: { patrols: 6, samples: 3, reviews: null },
      rating: { score: 50, stars: 2, parts: { reviews: null } },
    });

    const all = await rt.svOk<StationsResult>('stations', {}, 'admin');
    expect(all.stations.map((s) => [s.name, s.rating.score, s.rating.stars])).toEqual([
      ['墟沟街道农产品质量安全监管站', 75, 4],
      ['东山村服务点', 50, 2],
      ['连岛街道监管站', 0, 1],
    ]);

    // A registration still waiting past its 7 days counts as late; one not yet due does not.
    for (const [i, date] of ['2026-11-01', '2026-11-25'].entries()) {
      rt.setNow(`${date}T02:00:00.000Z`);
      await rt.ok(
        subjectFunction,
        'register',
        smallholder({ name: `新户${i}`, identityNumber: validIdNumber('19800101', `30${i}`) }),
        `wx-n${i}`,
      );
    }
    rt.setNow('2026-11-29T02:00:00.000Z');
    const withPending = await rt.svOk<StationsResult>('stations', {}, 'sup-xg');
    expect(withPending.stations[0]).toMatchObject({
      figures: { reviews: { due: 5, onTime: 3 } },
      rating: { score: 72, stars: 3 },
    });

    // Ninety days on, the same work has left the window.
    rt.setNow('2027-03-01T02:00:00.000Z');
    const later = await rt.svOk<StationsResult>('stations', {}, 'sup-xg');
    expect(later.stations[0]).toMatchObject({
      // 新户1's review fell due on 12-02 and is still not done.
      figures: { patrols: 0, samples: 0, reviews: { due: 1, onTime: 0 } },
      rating: { score: 0, stars: 1 },
    });
  });

  it('shows 连岛 staff only 连岛’s stations, and producers none', async () => {
    await rt.svOk('saveStation', station(), 'sup-xg');
    expect((await rt.svOk<StationsResult>('stations', {}, 'sup-ld')).stations).toEqual([]);
    expect(await rt.sv('stations', {}, 'wx-wang')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
