/**
 * The report tests' world, built through the real actions with the clock moved through 2025–26,
 * so every figure can be checked against records whose dates and divisions are known:
 *
 * | subject            | type        | division | above scale | registered  | certificates (labels)              |
 * | ------------------ | ----------- | -------- | ----------- | ----------- | ---------------------------------- |
 * | 海州湾农业公司 (C) | enterprise  | 墟沟     | yes (9–10月) | 2025-08-01 | none                               |
 * | 连云蔬菜合作社 (B) | cooperative | 墟沟     | yes         | 2025-11-01  | 11-10 青菜 (1); 02-10 青菜 (3); 03-15 番茄 vehicle (1) |
 * | 王建国 (A)         | smallholder | 墟沟     | no          | 2026-01-05  | 03-01 青菜 (2)                     |
 * | 赵家渔场 (D)       | family_farm | 连岛     | yes (3–10月) | 2026-01-05 | 03-20 紫菜 (5)                     |
 * | 墟沟农贸市场 (M)   | buyer       | 墟沟     | no          | 2026-01-05  | —                                  |
 *
 * Market M: 03-16 accepts B's vehicle label; 03-16 goods without a certificate, sampled, failed.
 * 墟沟 (sup-xg): 03-18 patrols B and samples B's 02-10 goods: fail, promise contradicted → key
 * supervision and case r1 (deadline 04-02; submitted 03-25, closed 03-28); 04-10 samples A's goods
 * without a certificate: fail → case r2 (deadline 04-25, never closed). 连岛 (sup-ld): 03-21
 * patrols D and samples it: pass. Training: sup-xg (03-10) and B's operator (04-01); the 告知书
 * confirmed by A's operator (02-02). The clock ends at 2026-05-06 09:00 China time.
 */
import type { OwnCertificate } from '../../../cloudfunctions/certificate/actions';
import { certificateFunction } from '../../../cloudfunctions/certificate/actions';
import type { CloudFunction } from '../../../cloudfunctions/kit/action';
import { invoke } from '../../../cloudfunctions/kit/invoke';
import { marketFunction } from '../../../cloudfunctions/market/actions';
import { reportFunction } from '../../../cloudfunctions/report/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { SampleOutcome } from '../../../cloudfunctions/supervision/actions';
import type { Envelope } from '../../../src/domain/errors';
import { creditCodeCheckChar } from '../../../src/domain/identity';
import type { Attendance, Delivery } from '../../../src/domain/outreach';
import type { DrillRef } from '../../../src/domain/report';
import type { Subject } from '../../../src/domain/subject';
import type { RuntimeConfig } from '../../../cloudfunctions/kit/action';
import { issueInput, smallholder, testSigningKey, validIdNumber } from '../../helpers/runtime';
import { liandao, sampleInput, supervisionRuntime, xugou } from '../supervision/world';

export { liandao, xugou };

/** The configuration the test runtime uses (helpers/runtime.ts). */
export const reportConfig: RuntimeConfig = {
  publicBaseUrl: 'https://hgz.example.cn',
  identitySecret: 'test-identity-secret',
  signingKey: testSigningKey,
};

const creditCode = (first17: string) => first17 + (creditCodeCheckChar(first17) ?? '');

export function reportRuntime() {
  const rt = supervisionRuntime();
  /** Calls the report function as a user. */
  const report = <T = unknown>(action: string, input: unknown, as: string | null) =>
    rt.call<T>(reportFunction, action, input, as);
  const reportOk = <T = unknown>(action: string, input: unknown, as: string | null) =>
    rt.ok<T>(reportFunction, action, input, as);
  /** Calls an action as the runtime itself (a timer), as CloudBase and the scheduler do. */
  async function system<T = unknown>(fn: CloudFunction, action: string): Promise<Envelope<T>> {
    return (await invoke(
      fn,
      { action, input: {} },
      {
        store: rt.store,
        callerId: null,
        config: reportConfig,
        files: rt.files,
        now: rt.now,
        system: true,
        logError: (_m, cause) => rt.errors.push(cause),
      },
    )) as Envelope<T>;
  }
  return { ...rt, report, reportOk, system };
}
export type ReportRuntime = ReturnType<typeof reportRuntime>;

/** China 10:00 of a date, as the clock's instant. */
export const at = (date: string) => `${date}T02:00:00.000Z`;

export async function buildReportWorld(rt: ReportRuntime) {
  await rt.addUser('sup-xg', ['supervisor'], xugou, '墟沟监管员');
  await rt.addUser('sup-ld', ['supervisor'], liandao, '连岛监管员');
  await rt.addUser('coord-xg', ['coordinator'], xugou, '东山村协管员');
  await rt.addUser('enf-xg', ['enforcement'], xugou, '执法大队');
  await rt.addUser('admin', ['admin'], null, '区农业农村局');

  const register = (as: string, input: unknown) =>
    rt.ok<Subject>(subjectFunction, 'register', input, as);
  const issue = async (subjectId: string, as: string, overrides: Record<string, unknown> = {}) => {
    const [c] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(subjectId, overrides),
      as,
    );
    if (!c) throw new Error('nothing issued');
    return c;
  };
  const org = (name: string, type: string, code: string, extra: Record<string, unknown> = {}) => ({
    ...smallholder(),
    type,
    name,
    identityKind: 'credit_code',
    identityNumber: creditCode(code),
    contactName: '经理',
    address: `连云区墟沟街道${name}`,
    ...extra,
  });

  rt.setNow(at('2025-08-01'));
  const c = await register(
    'wx-ent',
    org('海州湾农业公司', 'enterprise', '91320703MA2MTX003', {
      aboveScale: true,
      seasonMonths: [9, 10],
      phone: '13812340003',
    }),
  );
  rt.setNow(at('2025-11-01'));
  const b = await register(
    'wx-coop',
    org('连云蔬菜合作社', 'cooperative', '93320703MA2MTX002', {
      aboveScale: true,
      phone: '13812340002',
    }),
  );
  rt.setNow(at('2025-11-10'));
  const b1110 = await issue(b._id, 'wx-coop');

  rt.setNow(at('2026-01-05'));
  const a = await register('wx-wang', smallholder());
  const d = await register(
    'wx-zhao',
    smallholder({
      type: 'family_farm',
      name: '赵家渔场',
      identityNumber: validIdNumber('19700101', '357'),
      contactName: '赵海',
      phone: '13812340004',
      address: '连云区连岛街道海滨村',
      divisionCode: liandao,
      aboveScale: true,
      seasonMonths: [3, 4, 5, 6, 7, 8, 9, 10],
      products: ['紫菜'],
    }),
  );
  const m = await register(
    'wx-market',
    org('墟沟农贸市场', 'buyer', '92320703MA2MTX004', { phone: '13812340005' }),
  );

  rt.setNow(at('2026-02-10'));
  const b0210 = await issue(b._id, 'wx-coop', { packages: 3 });
  rt.setNow(at('2026-03-01'));
  const a0301 = await issue(a._id, 'wx-wang', { packages: 2 });
  rt.setNow(at('2026-03-15'));
  const b0315 = await issue(b._id, 'wx-coop', {
    productName: '番茄',
    issueUnit: 'vehicle',
    vehiclePlate: '苏G12345',
  });

  rt.setNow(at('2026-03-16'));
  await rt.ok(
    marketFunction,
    'accept',
    { marketSubjectId: m._id, scanned: b0315.verifyUrl },
    'wx-market',
  );
  const arrival = await rt.ok<{ _id: string }>(
    marketFunction,
    'arrivalWithoutCertificate',
    { marketSubjectId: m._id, productName: '芹菜', quantity: { value: '50', unit: 'kg' } },
    'wx-market',
  );
  await rt.ok(
    marketFunction,
    'recordSample',
    { entryId: arrival._id, kind: 'rapid', items: [{ item: '农药残留', result: 'fail' }] },
    'wx-market',
  );

  rt.setNow(at('2026-03-18'));
  const patrol = (subjectId: string, date: string, as: string) =>
    rt.svOk(
      'recordPatrol',
      {
        subjectId,
        date,
        staffNames: ['张三'],
        issuingCertificates: true,
        scanned: [],
      },
      as,
    );
  await patrol(b._id, '2026-03-18', 'sup-xg');
  const bSample = await rt.svOk<SampleOutcome>(
    'recordSample',
    sampleInput(b._id, [b0210.verifyUrl], true, '2026-03-18'),
    'sup-xg',
  );

  rt.setNow(at('2026-03-20'));
  const d0320 = await issue(d._id, 'wx-zhao', { productName: '紫菜', packages: 5 });
  rt.setNow(at('2026-03-21'));
  await patrol(d._id, '2026-03-21', 'sup-ld');
  await rt.svOk('recordSample', sampleInput(d._id, [], false, '2026-03-21'), 'sup-ld');

  const r1 = bSample.rectification?._id ?? '';
  rt.setNow(at('2026-03-25'));
  await rt.svOk(
    'submitRectification',
    { caseId: r1, measures: '停用违禁农药，重新培训' },
    'wx-coop',
  );
  rt.setNow(at('2026-03-28'));
  await rt.svOk('signOff', { caseId: r1, decision: 'close' }, 'sup-xg');

  rt.setNow(at('2026-04-10'));
  const aSample = await rt.svOk<SampleOutcome>(
    'recordSample',
    sampleInput(a._id, [], true, '2026-04-10'),
    'sup-xg',
  );

  // Outreach, as its documents record it: sup-xg attended a staff session on 03-10, B's operator
  // a producers' session on 04-01; the 告知书 reached A's and B's operators on 02-01, and A's
  // operator confirmed it (已阅知) on 02-02.
  const attended = (userId: string, audience: Attendance['sessionAudience'], on: string) =>
    rt.store.collection<Attendance>('trainingAttendance').insert({
      _id: `att-${userId}`,
      sessionId: `trn_${audience}`,
      userId,
      sessionAudience: audience,
      divisionCode: xugou,
      recipient: audience === 'producers' ? 'producer' : 'staff',
      enrolledAt: null,
      attendedAt: at(on),
      method: 'scan',
      markedBy: null,
      reason: null,
      updatedAt: at(on),
    });
  await attended('sup-xg', 'supervisors', '2026-03-10');
  await attended('wx-coop', 'producers', '2026-04-01');
  const delivered = (userId: string, ackOn: string | null) =>
    rt.store.collection<Delivery>('deliveries').insert({
      _id: `dlv-${userId}`,
      itemId: 'pub_000000000000000000000001',
      itemType: 'publicity',
      userId,
      recipient: 'producer',
      divisionCode: xugou,
      requiresAck: true,
      deliveredAt: at('2026-02-01'),
      readAt: ackOn ? at(ackOn) : null,
      ackAt: ackOn ? at(ackOn) : null,
      remindedAt: null,
      remindedOn: null,
      via: 'send',
    });
  await delivered('wx-wang', '2026-02-02');
  await delivered('wx-coop', null);

  rt.setNow('2026-05-06T01:00:00.000Z');
  return {
    subjects: { a, b, c, d, m },
    certificates: { b1110, b0210, a0301, b0315, d0320 },
    samples: { b: bSample.sample._id, a: aSample.sample._id },
    cases: { r1, r2: aSample.rectification?._id ?? '' },
    arrivalId: arrival._id,
  };
}
export type ReportWorld = Awaited<ReturnType<typeof buildReportWorld>>;

/** Every figure of a result that carries a count and its drill, with where it is. */
export function countFigures(
  value: unknown,
  path = '',
): { path: string; count: number; drill: DrillRef }[] {
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Record<string, unknown>;
  const found: { path: string; count: number; drill: DrillRef }[] = [];
  if (v.drill && typeof v.drill === 'object') {
    const count = [v.count, v.records, v.total, v.aboveScale, v.arrivals].find(
      (n): n is number => typeof n === 'number',
    );
    if (count !== undefined) found.push({ path, count, drill: v.drill as DrillRef });
  }
  for (const [k, child] of Object.entries(v)) {
    if (k !== 'drill') found.push(...countFigures(child, `${path}.${k}`));
  }
  return found;
}
