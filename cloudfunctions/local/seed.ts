/**
 * Demo data for the embedded runtime: one user per role, a smallholder with a few certificates,
 * and the 墟沟 office's 告知书 and next training session, so a first `npm start` shows a working
 * product. The subject and certificates go through the
 * real actions (same rules, same audit trail), so demo data is real data.
 */
import { certificateFunction } from '../certificate/actions';
import type { OwnCertificate } from '../certificate/actions';
import { chinaDate } from '../../src/domain/certificate';
import type { TestRecord } from '../../src/domain/test-record';
import { creditCodeCheckChar, idCardCheckChar } from '../../src/domain/identity';
import { roles as roleLabels, type Role, type User } from '../../src/domain/role';
import type { Subject, SubjectRegistration } from '../../src/domain/subject';
import type { CloudFunction, RuntimeConfig } from '../kit/action';
import { invoke } from '../kit/invoke';
import type { Store } from '../kit/store/port';
import { outreachFunction } from '../outreach/actions';
import type { OutreachItem, TrainingSession } from '../../src/domain/outreach';
import { subjectFunction } from '../subject/actions';

/** A ready-made identity offered by the local dev login. */
export interface DemoUser {
  userId: string;
  nickname: string;
  roles: Role[];
  divisionCode: string | null;
  description: string;
}

const xugou = '320703001';
const liandao = '320703003';

export const demoUsers: readonly DemoUser[] = [
  {
    userId: 'demo-producer',
    nickname: '王大爷',
    roles: ['producer'],
    divisionCode: null,
    description: '墟沟街道的种菜户（小农户），已登记，开过几张合格证。试试开具和打印合格证。',
  },
  {
    userId: 'demo-buyer',
    nickname: '李老板',
    roles: ['buyer'],
    divisionCode: null,
    description: '收购商，收货时扫码查验合格证，混装或分装后重新开具合格证。',
  },
  {
    userId: 'demo-coordinator',
    nickname: '张协管',
    roles: ['coordinator'],
    divisionCode: xugou,
    description: '墟沟街道的村级协管员，帮助农户登记和开具合格证。',
  },
  {
    userId: 'demo-supervisor',
    nickname: '刘监管',
    roles: ['supervisor'],
    divisionCode: xugou,
    description: '墟沟街道监管员，查看辖区主体名录和开证情况。',
  },
  {
    userId: 'demo-supervisor-ld',
    nickname: '孙监管',
    roles: ['supervisor'],
    divisionCode: liandao,
    description: '连岛街道监管员：看不到墟沟街道的记录，用来对比辖区范围。',
  },
  {
    userId: 'demo-enforcement',
    nickname: '陈执法',
    roles: ['enforcement'],
    divisionCode: '320703',
    description: '区执法人员，巡查时核验合格证真伪。',
  },
  {
    userId: 'demo-admin',
    nickname: '赵管理',
    roles: ['admin'],
    divisionCode: null,
    description: '区农业农村局管理员，管理账号、查看全区统计。',
  },
];

/** The seeded demo users with their role labels, for the dev-login picker. */
export function demoUserView(u: DemoUser) {
  return {
    userId: u.userId,
    nickname: u.nickname,
    roles: u.roles,
    roleLabels: u.roles.map((r) => roleLabels[r]),
    description: u.description,
  };
}

export interface SeedOptions {
  /** The seeding instant; certificates are dated over the two days before it. */
  now: Date | (() => Date);
  /** The same secret the runtime uses, so fingerprints match later registrations. */
  identitySecret: string;
  /** The runtime's signing key (the seed's certificates are issued through the real actions). */
  signingKey: string;
}

export interface SeedResult {
  /** False when the demo data was already there and nothing was written. */
  seeded: boolean;
  certificateCodes: string[];
}

/** Written last: its presence means a complete seed. */
const markerId = 'demo-seed';
/** The outreach demo's own marker, so data dirs seeded before it existed get it too. */
const outreachMarkerId = 'demo-seed-outreach';

/** The 告知书 the 墟沟 office has sent its producers (found again by its title). */
export const demoNotice = {
  kind: 'notice_letter',
  title: '墟沟街道关于全面推行承诺达标合格证的告知书',
  body: [
    '# 告知事项',
    '自即日起，本街道生产主体上市销售食用农产品，须随货开具承诺达标合格证。',
    '- 如实填写产品名称、数量、产地、开具日期和联系方式',
    '- 承诺不使用禁用农药兽药、停用兽药和非法添加物，常规农药兽药残留不超标',
    '- 合格证和检测记录保存不少于 6 个月',
    '# 怎么开',
    '在“合格证通”小程序里登记主体后，点“开具合格证”，按提示填写即可打印或出示。',
    '有疑问请联系墟沟街道农业服务中心。',
  ].join('\n'),
  requiresAck: true,
} as const;

/** The 墟沟 office's next training for vegetable growers, a week after the seed. */
export const demoSessionTitle = '承诺达标合格证开具培训（蔬菜种植户）';

function withCheck(first17: string, check: (s: string) => string | null): string {
  const c = check(first17);
  if (!c) throw new Error(`cannot build a demo identity number from ${first17}`);
  return first17 + c;
}

/** 王大爷 — a person, so an ID number (fictitious, valid in form, stored masked). */
const producerRegistration: SubjectRegistration = {
  type: 'smallholder',
  name: '王大爷',
  identityKind: 'id_card',
  identityNumber: withCheck('32070319580312131', idCardCheckChar),
  contactName: '王大爷',
  phone: '13900001234',
  address: '连云区墟沟街道示范村三组 18 号',
  divisionCode: xugou,
  products: ['青菜', '番茄', '黄瓜'],
  aboveScale: false,
};

/** 李老板's stall — an individual business with a (fictitious) 统一社会信用代码. */
const buyerRegistration: SubjectRegistration = {
  type: 'buyer',
  name: '李记果蔬收购点',
  identityKind: 'credit_code',
  identityNumber: withCheck('92320703MA2DEM001', creditCodeCheckChar),
  contactName: '李建华',
  phone: '13900005678',
  address: '连云区墟沟街道农贸市场 2 号摊位',
  divisionCode: xugou,
  products: ['青菜', '番茄', '黄瓜'],
  aboveScale: false,
};

/** A rapid test on the farm and a commissioned lab test, for the demo promises to rest on. */
const demoTests = [
  {
    item: '有机磷和氨基甲酸酯类农药残留',
    method: 'GB/T 5009.199 速测卡法',
    kind: 'rapid',
    party: 'self',
    result: 'pass',
  },
  {
    item: '农药残留（腐霉利、毒死蜱等 20 项）',
    method: 'GB 23200.113',
    kind: 'lab',
    party: 'commissioned',
    result: 'pass',
    lab: '连云港市农产品质量检验测试中心',
  },
] as const;

/** The demo certificates: request ids are fixed so a repeated seed returns the same ones. */
const demoIssues = [
  {
    daysAgo: 2,
    input: {
      requestId: 'demo-seed-qingcai',
      productName: '青菜',
      quantity: { value: '5', unit: 'jin' },
      origin: '连云区墟沟街道示范村',
      basis: ['quality_control'],
      issueUnit: 'package',
      packages: 12,
    },
  },
  {
    daysAgo: 1,
    input: {
      requestId: 'demo-seed-fanqie',
      productName: '番茄',
      quantity: { value: '120.5', unit: 'kg' },
      origin: '连云区墟沟街道示范村',
      basis: ['quality_control', 'self_test'],
      tests: ['self'],
      issueUnit: 'vehicle',
      vehiclePlate: '苏G12345',
    },
  },
  {
    daysAgo: 0,
    input: {
      requestId: 'demo-seed-huanggua',
      productName: '黄瓜',
      quantity: { value: '8', unit: 'box' },
      origin: '连云区墟沟街道示范村',
      basis: ['commissioned_test'],
      tests: ['commissioned'],
      issueUnit: 'batch',
      batchNo: 'HG-001',
    },
  },
] as const;

/** Inserts the demo users that are missing; the ones there are left as they are. */
async function seedDemoUsers(store: Store, now: Date): Promise<void> {
  const users = store.collection<User>('users');
  for (const u of demoUsers) {
    if (await users.get(u.userId)) continue;
    // Producer and buyer get their role from registering a subject, as a real user would.
    const staff = !u.roles.includes('producer') && !u.roles.includes('buyer');
    await users.insert({
      _id: u.userId,
      nickname: u.nickname,
      roles: staff ? u.roles : [],
      divisionCode: u.divisionCode,
      createdAt: now.toISOString(),
    });
  }
}

/**
 * Seeds the demo users, subjects and certificates; does nothing when a complete seed is there.
 * Every step is itself repeatable, so a seed cut short finishes on the next start.
 */
export async function seedDemoData(store: Store, options: SeedOptions): Promise<SeedResult> {
  const nowFn = typeof options.now === 'function' ? options.now : () => options.now as Date;
  const now = nowFn();
  // Before the marker check, so a demo user added to the list reaches an existing data dir too.
  await seedDemoUsers(store, now);

  const counters = store.collection<{ _id: string; seededAt: string }>('counters');
  const config: RuntimeConfig = {
    // Only echoed in the actions' answers (verifyUrl), never stored.
    publicBaseUrl: 'http://127.0.0.1',
    identitySecret: options.identitySecret,
    signingKey: options.signingKey,
  };
  const call = async <T>(
    fn: CloudFunction,
    action: string,
    input: unknown,
    callerId: string,
    at: Date = now,
  ) => {
    const res = await invoke(fn, { action, input }, { store, callerId, config, now: () => at });
    return res as { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
  };

  /** The 告知书 to 墟沟 and a training session: once, after the producers are registered. */
  const writeOutreach = async () => {
    const sent = await store
      .collection<OutreachItem>('outreachItems')
      .find({ title: demoNotice.title });
    if (sent.length === 0) {
      const res = await call(
        outreachFunction,
        'publish',
        { ...demoNotice, audience: { divisionCodes: [xugou] } },
        'demo-supervisor',
      );
      if (!res.ok) throw new Error(`发布告知书失败：${res.error.message}`);
    }
    const sessions = await store
      .collection<TrainingSession>('trainingSessions')
      .find({ title: demoSessionTitle });
    if (sessions.length === 0) {
      const day = chinaDate(new Date(now.getTime() + 7 * 24 * 3600_000));
      const res = await call(
        outreachFunction,
        'createSession',
        {
          title: demoSessionTitle,
          audience: 'producers',
          productCategory: 'vegetable',
          divisionCodes: [xugou],
          startsAt: `${day}T09:00+08:00`,
          endsAt: `${day}T11:30+08:00`,
          place: '墟沟街道农业服务中心二楼会议室',
          materials: [],
        },
        'demo-supervisor',
      );
      if (!res.ok) throw new Error(`创建培训失败：${res.error.message}`);
    }
    await counters.put({ _id: outreachMarkerId, seededAt: now.toISOString() });
  };
  /**
   * The outreach demo is a nicety: when it cannot be written (say demo-supervisor's role was
   * changed in a dev data dir) the server still starts; without its marker, the next start tries
   * again.
   */
  const seedOutreach = async () => {
    if (await counters.get(outreachMarkerId)) return;
    try {
      await writeOutreach();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.warn(`演示数据：墟沟告知书和培训未写入（${reason}），其余照常，下次启动再试`);
    }
  };

  if (await counters.get(markerId)) {
    await seedOutreach();
    return { seeded: false, certificateCodes: [] };
  }

  const register = async (userId: string, input: SubjectRegistration): Promise<Subject> => {
    const res = await call<Subject>(subjectFunction, 'register', input, userId);
    if (res.ok) return res.data;
    if (res.error.code === 'CONFLICT') {
      const mine = await call<Subject[]>(subjectFunction, 'mine', {}, userId);
      const found = mine.ok ? mine.data.find((s) => s.name === input.name) : undefined;
      if (found) return found;
    }
    throw new Error(`demo seed: registering ${input.name} failed: ${res.error.message}`);
  };
  const producerSubject = await register('demo-producer', producerRegistration);
  await register('demo-buyer', buyerRegistration);

  // The tests the 自行检测/委托检测 promises rest on, recorded once (found again on a re-run).
  const testIds: Record<string, string> = {};
  const existing = await call<TestRecord[]>(
    certificateFunction,
    'testRecords',
    { subjectId: producerSubject._id },
    'demo-producer',
  );
  for (const t of demoTests) {
    const found = existing.ok ? existing.data.find((r) => r.item === t.item) : undefined;
    if (found) {
      testIds[t.party] = found._id;
      continue;
    }
    const res = await call<TestRecord>(
      certificateFunction,
      'addTestRecord',
      { ...t, subjectId: producerSubject._id, testedOn: chinaDate(now) },
      'demo-producer',
    );
    if (!res.ok) throw new Error(`demo seed: recording test failed: ${res.error.message}`);
    testIds[t.party] = res.data._id;
  }

  const certificateCodes: string[] = [];
  for (const { daysAgo, input } of demoIssues) {
    const at = new Date(now.getTime() - daysAgo * 24 * 3600_000);
    const { tests, ...rest } = { tests: [] as readonly string[], ...input };
    const res = await call<OwnCertificate[]>(
      certificateFunction,
      'issue',
      {
        ...rest,
        subjectId: producerSubject._id,
        testRecordIds: tests.map((party) => testIds[party]),
      },
      'demo-producer',
      at,
    );
    if (!res.ok) {
      throw new Error(`demo seed: issuing ${input.productName} failed: ${res.error.message}`);
    }
    certificateCodes.push(...res.data.map((c) => c.code));
  }

  await seedOutreach();
  await counters.put({ _id: markerId, seededAt: now.toISOString() });
  return { seeded: true, certificateCodes };
}
