import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import type { SampleOutcome, WorkList } from '../../../cloudfunctions/supervision/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { verifyFunction } from '../../../cloudfunctions/verify/actions';
import type { Subject, SubjectRegistration } from '../../../src/domain/subject';
import { creditCodeCheckChar } from '../../../src/domain/identity';
import { issueInput, smallholder, validIdNumber } from '../../helpers/runtime';
import {
  forge,
  liandao,
  sampleInput,
  supervisionRuntime,
  xugou,
  type SupervisionRuntime,
} from './world';

let rt: SupervisionRuntime;

afterEach(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

let seq = 100;
async function register(name: string, owner: string, extra: Partial<SubjectRegistration> = {}) {
  seq += 1;
  return rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({
      name,
      contactName: name.slice(0, 3),
      identityNumber: validIdNumber('19600101', String(seq)),
      ...extra,
    }),
    owner,
  );
}
async function approve(...subjects: Subject[]) {
  for (const s of subjects) {
    await rt.store
      .collection<Subject>('subjects')
      .update(s._id, { status: 'approved', reviewedAt: '2026-01-12T02:00:00.000Z' });
  }
}
async function issue(s: Subject, owner: string): Promise<OwnCertificate> {
  const [c] = await rt.ok<OwnCertificate[]>(certificateFunction, 'issue', issueInput(s._id), owner);
  return c!;
}
const at = (date: string) => rt.setNow(`${date}T02:00:00.000Z`);

/**
 * A year in 墟沟 and 连岛, ending on 2026-11-29:
 * - 王建国 (墟沟) sampled on 03-01: half-yearly sample due 08-30, 91 days late; a forged label of
 *   his scanned by a consumer today;
 * - 李秀英 (墟沟, season April–June) never sampled since registering on 01-10: due 07-11, 141
 *   days late; no certificate all year and out of season: dormant (在册不运行);
 * - 孙家菜园 (墟沟) sampled 10-01, then failed without a certificate on 11-25: a case that is not
 *   overdue (deadline 12-10), no key supervision, not due;
 * - 周家果园 (墟沟) failed on 10-20 against its certificate: on the key list, monthly sample due
 *   11-19 (10 days late), its case overdue since 11-04 (25 days);
 * - a retired subject and a market (buyer) in 墟沟: never on the sampling list;
 * - 钱家 (registered 11-10, waiting 19 days, late) and 吴家 (11-25, 4 days) waiting for review;
 * - 赵家渔场 (连岛): due, an overdue case, a forged label — none of it on 墟沟's list.
 */
async function buildYear() {
  at('2026-01-10');
  const wang = await register('王建国', 'wx-a');
  const li = await register('李秀英', 'wx-b');
  const sun = await register('孙家菜园', 'wx-c');
  const zhou = await register('周家果园', 'wx-d');
  const gone = await register('已注销户', 'wx-g');
  const zhao = await register('赵家渔场', 'wx-e', {
    address: '连云区连岛街道海滨村',
    divisionCode: liandao,
  });
  const first17 = '92320703MA2MTX001';
  const market = await rt.ok<Subject>(
    subjectFunction,
    'register',
    {
      ...smallholder(),
      type: 'buyer',
      name: '墟沟农贸市场',
      identityKind: 'credit_code',
      identityNumber: first17 + (creditCodeCheckChar(first17) ?? ''),
      contactName: '周经理',
    },
    'wx-m',
  );
  await approve(wang, li, sun, zhou, gone, zhao, market);
  // 李秀英 grows in spring only: out of season in November, nothing issued all year.
  await rt.store.collection<Subject>('subjects').update(li._id, { seasonMonths: [4, 5, 6] });
  await rt.addUser('sup-xg', ['supervisor'], xugou);
  await rt.addUser('sup-ld', ['supervisor'], liandao);
  await rt.addUser('admin', ['admin'], null);

  at('2026-03-01');
  const wangCert = await issue(wang, 'wx-a');
  const zhaoCert = await issue(zhao, 'wx-e');
  await rt.svOk('recordSample', sampleInput(wang._id, [], false, '2026-03-01'), 'sup-xg');

  at('2026-10-01');
  await rt.svOk('recordSample', sampleInput(sun._id, [], false, '2026-10-01'), 'sup-xg');

  at('2026-10-20');
  const zhouCert = await issue(zhou, 'wx-d');
  const zhouFail = await rt.svOk<SampleOutcome>(
    'recordSample',
    sampleInput(zhou._id, [zhouCert.code], true, '2026-10-20'),
    'sup-xg',
  );

  at('2026-10-25');
  await rt.svOk('recordSample', sampleInput(zhao._id, [], true, '2026-10-25'), 'sup-ld');

  at('2026-11-10');
  const qian = await register('钱家', 'wx-q');

  at('2026-11-25');
  const wu = await register('吴家', 'wx-w');
  await rt.svOk('recordSample', sampleInput(sun._id, [], true, '2026-11-25'), 'sup-xg');
  await rt.store.collection<Subject>('subjects').update(gone._id, { status: 'retired' });

  at('2026-11-29');
  await rt.ok(verifyFunction, 'lookup', { code: forge(wangCert.verifyUrl) }, null);
  await rt.ok(verifyFunction, 'lookup', { code: forge(zhaoCert.verifyUrl) }, null);

  return { wang, li, sun, zhou, zhao, qian, wu, wangCert, zhouFail };
}

describe('workList', () => {
  it('lists exactly what 墟沟 needs, derived now', async () => {
    rt = supervisionRuntime();
    const y = await buildYear();
    const list = await rt.svOk<WorkList>('workList', {}, 'sup-xg');

    expect(list.at).toBe('2026-11-29T02:00:00.000Z');
    expect(list.divisionCode).toBe(xugou);
    expect(list.dueForSampling).toEqual({
      count: 3,
      items: [
        {
          subjectId: y.zhou._id,
          name: '周家果园',
          divisionCode: xugou,
          divisionName: '墟沟街道',
          underKeySupervision: true,
          intervalDays: 30,
          lastSampledOn: '2026-10-20',
          dueOn: '2026-11-19',
          daysOverdue: 10,
        },
        {
          subjectId: y.li._id,
          name: '李秀英',
          divisionCode: xugou,
          divisionName: '墟沟街道',
          underKeySupervision: false,
          intervalDays: 182,
          lastSampledOn: null,
          dueOn: '2026-07-11',
          daysOverdue: 141,
        },
        {
          subjectId: y.wang._id,
          name: '王建国',
          divisionCode: xugou,
          divisionName: '墟沟街道',
          underKeySupervision: false,
          intervalDays: 182,
          lastSampledOn: '2026-03-01',
          dueOn: '2026-08-30',
          daysOverdue: 91,
        },
      ],
    });

    expect(list.overdueRectifications.count).toBe(1);
    expect(list.overdueRectifications.items).toEqual([
      expect.objectContaining({
        _id: y.zhouFail.rectification!._id,
        subjectName: '周家果园',
        reason: 'promise_contradicted',
        deadline: '2026-11-04',
        status: 'open',
        overdue: true,
        daysOverdue: 25,
      }),
    ]);

    expect(list.suspectedCopies.count).toBe(1);
    expect(list.suspectedCopies.items).toEqual([
      expect.objectContaining({
        label: y.wangCert.code,
        subjectId: y.wang._id,
        issuerName: '王建国',
        forgedScans: 1,
        reasons: ['forged'],
        copySuspected: false,
      }),
    ]);

    expect(list.dormantSubjects).toEqual({
      count: 1,
      items: [
        {
          subject: expect.objectContaining({ _id: y.li._id, name: '李秀英' }),
          lastIssuedAt: null,
          idleSince: '2026-01-10T02:00:00.000Z',
          idleDays: 323,
          seasonLabel: '4-6月',
        },
      ],
    });

    expect(list.pendingRegistrations).toEqual({
      count: 2,
      items: [
        {
          subject: expect.objectContaining({ _id: y.qian._id, name: '钱家', divisionCode: xugou }),
          submittedAt: '2026-11-10T02:00:00.000Z',
          daysWaiting: 19,
          resubmitted: false,
          claim: false,
          late: true,
        },
        {
          subject: expect.objectContaining({ _id: y.wu._id, name: '吴家', divisionCode: xugou }),
          submittedAt: '2026-11-25T02:00:00.000Z',
          daysWaiting: 4,
          resubmitted: false,
          claim: false,
          late: false,
        },
      ],
    });
  });

  it('covers the whole district for an admin, and only their own division for 连岛', async () => {
    rt = supervisionRuntime();
    const y = await buildYear();
    const ld = await rt.svOk<WorkList>('workList', {}, 'sup-ld');
    expect(ld.dueForSampling.items.map((i) => i.name)).toEqual([]);
    expect(ld.overdueRectifications.items.map((c) => c.subjectName)).toEqual(['赵家渔场']);
    expect(ld.suspectedCopies.items.map((s) => s.issuerName)).toEqual(['赵家渔场']);
    expect(ld.pendingRegistrations.count).toBe(0);
    expect(ld.dormantSubjects.count).toBe(0);

    const all = await rt.svOk<WorkList>('workList', {}, 'admin');
    expect(all.divisionCode).toBeNull();
    expect(all.overdueRectifications.count).toBe(2);
    expect(all.suspectedCopies.count).toBe(2);
    expect(all.pendingRegistrations.items.map((p) => p.subject._id)).toEqual([
      y.qian._id,
      y.wu._id,
    ]);
    expect(all.dormantSubjects.count).toBe(1);
  });

  it('moves with the clock: the key subject falls due again a month after its next sample', async () => {
    rt = supervisionRuntime();
    const y = await buildYear();
    await rt.svOk('recordSample', sampleInput(y.zhou._id, [], false), 'sup-xg');
    let list = await rt.svOk<WorkList>('workList', {}, 'sup-xg');
    expect(list.dueForSampling.items.map((i) => i.name)).toEqual(['李秀英', '王建国']);
    at('2026-12-29');
    list = await rt.svOk<WorkList>('workList', {}, 'sup-xg');
    expect(list.dueForSampling.items[0]).toMatchObject({ name: '周家果园', dueOn: '2026-12-29' });
  });
});
