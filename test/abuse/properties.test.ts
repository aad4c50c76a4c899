/**
 * Every action of every registered function, fed random and hostile input by fast-check: it
 * never answers INTERNAL, never throws past the boundary or hangs, pollutes no prototype, and a
 * call it refuses changes nothing in any collection.
 */
import fc from 'fast-check';
import type * as z from 'zod/mini';
import type { CloudFunction } from '../../cloudfunctions/kit/action';
import { functions } from '../../cloudfunctions/registry';
import type { Envelope } from '../../src/domain/errors';
import { codeEntryRateLimit, refillMs } from '../../src/domain/rate-limit';
import type { Subject } from '../../src/domain/subject';
import type { Persona } from '../helpers/matrix';
import { attackInput, hostileStrings, hostileValue, mutated, type FieldPools } from './arbitraries';
import { issueInput, smallholder, validIdNumber } from '../helpers/runtime';
import { buildAbuseWorld, type AbuseWorld } from './world';

const xugou = '320703001';
const period = { from: '2026-11-01', to: '2026-11-29' };
const subjectA = (w: AbuseWorld) => w.world.subjects.producerA._id;
const market = (w: AbuseWorld) => w.world.subjects.buyer._id;

/** How each action is attacked: as whom (one allowed to call it), and field value pools. */
interface AttackEntry {
  as: Persona | 'system';
  pools?: FieldPools;
  /** A valid input to mutate field by field, for actions whose inputs are rarely valid by chance. */
  base?: (w: AbuseWorld) => Record<string, unknown>;
  /** Fewer runs for actions that render files (PDF, xlsx) when they get through. */
  runs?: number;
  /**
   * A code-entry surface, limited per user (limitCodeEntry): each run moves the clock on by the
   * limit's refill time, so every run reaches the code's parsing and lookup, not the limiter.
   */
  codeEntry?: boolean;
}

const attacks: Readonly<Record<string, Readonly<Record<string, AttackEntry>>>> = {
  subject: {
    register: {
      as: 'stranger',
      base: () =>
        smallholder({ name: '新登记户', identityNumber: validIdNumber('19710203', '777') }),
    },
    mine: { as: 'producerA' },
    division: { as: 'supervisorXugou' },
    update: {
      as: 'producerA',
      base: (w) => ({ subjectId: subjectA(w), phone: '13900001111', products: ['青菜'] }),
    },
    get: { as: 'producerA' },
  },
  certificate: {
    issue: { as: 'producerA', base: (w) => issueInput(subjectA(w), { packages: 2 }) },
    defaults: { as: 'producerA' },
    mine: { as: 'producerA' },
    get: { as: 'producerA' },
    labels: { as: 'producerA' },
    revoke: { as: 'producerA', base: (w) => ({ code: w.certificate.code, reason: '填写错误' }) },
    remove: { as: 'producerA' },
    history: { as: 'producerA' },
    export: { as: 'producerA', runs: 10 },
    addTestRecord: {
      as: 'producerA',
      base: (w) => ({
        subjectId: subjectA(w),
        kind: 'rapid',
        result: 'pass',
        testedOn: '2026-11-28',
        item: '有机磷农药残留',
        method: '速测卡法',
        party: 'self',
      }),
    },
    testRecords: { as: 'producerA' },
    epcis: { as: 'producerA' },
  },
  verify: {
    lookup: { as: 'anonymous' },
    publicKey: { as: 'anonymous' },
    suspects: { as: 'supervisorXugou' },
  },
  user: {
    me: { as: 'producerA' },
    invite: { as: 'admin', base: () => ({ role: 'coordinator', divisionCode: xugou }) },
    redeem: { as: 'stranger', codeEntry: true },
    revokeRole: { as: 'admin' },
    staff: { as: 'supervisorXugou' },
    invitations: { as: 'admin' },
    cancelInvitation: { as: 'admin' },
  },
  paper: {
    allocate: { as: 'admin', base: (w) => ({ subjectId: subjectA(w), from: 1, to: 50 }) },
    register: {
      as: 'producerA',
      base: (w) => ({
        subjectId: subjectA(w),
        serial: 'XG2026-000007',
        productName: '青菜',
        quantity: { value: '30', unit: 'kg' },
        origin: '连云区墟沟街道东山村',
        issueDate: '2026-11-29',
        basis: ['quality_control'],
      }),
    },
    void: { as: 'admin' },
    ranges: { as: 'producerA' },
  },
  print: {
    labels: { as: 'producerA', runs: 10 },
  },
  market: {
    accept: {
      as: 'buyer',
      base: (w) => ({ marketSubjectId: market(w), scanned: w.certificate.code }),
    },
    arrivalWithoutCertificate: {
      as: 'buyer',
      base: (w) => ({
        marketSubjectId: market(w),
        productName: '土豆',
        quantity: { value: '50', unit: 'kg' },
        supplier: { name: '李四', phone: '13900001111' },
        stall: 'B-3',
      }),
    },
    recordSample: { as: 'buyer' },
    entries: { as: 'supervisorXugou' },
    export: { as: 'buyer', runs: 10 },
    acceptanceRate: { as: 'admin' },
  },
  supervision: {
    uploadPhoto: { as: 'producerA' },
    photoUrls: { as: 'producerA' },
    recordPatrol: {
      as: 'coordinatorXugou',
      base: (w) => ({
        subjectId: subjectA(w),
        date: '2026-11-29',
        staffNames: ['李四'],
        issuingCertificates: true,
      }),
    },
    patrols: { as: 'admin' },
    recordSample: {
      as: 'supervisorXugou',
      base: (w) => ({
        subjectId: subjectA(w),
        certificateCodes: [w.certificate.code],
        kind: 'rapid',
        productName: '青菜',
        items: [{ item: '有机磷和氨基甲酸酯类农药残留', result: 'fail', value: '抑制率 62%' }],
        sampledOn: '2026-11-29',
      }),
    },
    samples: { as: 'admin' },
    submitRectification: { as: 'producerA' },
    signOff: { as: 'supervisorXugou' },
    rectifications: { as: 'producerA' },
    rectification: { as: 'producerA' },
    keyList: { as: 'admin' },
    placeOnKeySupervision: { as: 'enforcementXugou' },
    workList: { as: 'supervisorXugou' },
    saveStation: { as: 'admin' },
    stations: { as: 'admin' },
  },
  directory: {
    list: { as: 'coordinatorXugou' },
    get: { as: 'admin' },
    pending: { as: 'admin' },
    review: { as: 'supervisorXugou' },
    importTemplate: { as: 'admin', runs: 5 },
    import: { as: 'admin', runs: 15 },
    importStatus: { as: 'admin' },
    export: { as: 'admin', runs: 10 },
    duplicates: { as: 'admin' },
    merge: { as: 'admin' },
    dormant: { as: 'admin' },
    confirmDormant: { as: 'supervisorXugou' },
    history: { as: 'producerA' },
  },
  report: {
    dashboard: { as: 'admin' },
    drill: { as: 'supervisorXugou' },
    summary: { as: 'admin', base: () => ({ divisionCode: xugou, ...period }) },
    summaryXlsx: { as: 'admin', runs: 10, base: () => ({ divisionCode: xugou, ...period }) },
    summaryPdf: { as: 'admin', runs: 8, base: () => ({ divisionCode: xugou, ...period }) },
    rollup: { as: 'admin' },
    tick: { as: 'system', runs: 10 },
    openSummary: {
      as: 'supervisorXugou',
      base: () => ({ divisionCode: xugou, period: '2026-12-06' }),
    },
    submitSummary: { as: 'supervisorXugou' },
    summaryDoc: { as: 'admin', runs: 10 },
    summaries: { as: 'admin' },
    assessment: { as: 'admin' },
    stationRanking: { as: 'admin' },
    compliance: { as: 'supervisorXugou', base: (w) => ({ subjectId: subjectA(w), ...period }) },
    complianceStatement: {
      as: 'admin',
      runs: 8,
      base: (w) => ({ subjectId: subjectA(w), ...period }),
    },
  },
  outreach: {
    uploadFile: { as: 'admin' },
    publish: {
      as: 'admin',
      base: () => ({
        kind: 'notice_letter',
        title: '承诺达标合格证告知书',
        body: '# 告知书\n- 销售食用农产品须开具承诺达标合格证',
        audience: { divisionCodes: [xugou] },
      }),
    },
    items: { as: 'admin' },
    item: { as: 'admin' },
    posterQr: { as: 'admin' },
    inbox: { as: 'producerA' },
    read: { as: 'producerA' },
    acknowledge: { as: 'producerA' },
    reach: { as: 'admin' },
    unacknowledged: { as: 'supervisorXugou' },
    remind: { as: 'admin' },
    consent: { as: 'producerA' },
    subscriptions: { as: 'producerA' },
    createSession: {
      as: 'supervisorXugou',
      base: () => ({
        title: '合格证开具培训',
        audience: 'producers',
        startsAt: '2026-11-29T10:10+08:00',
        endsAt: '2026-11-29T12:10+08:00',
        place: '墟沟街道便民服务中心',
      }),
    },
    sessions: { as: 'producerA' },
    session: { as: 'producerA' },
    enroll: { as: 'producerA' },
    signInCode: { as: 'admin' },
    signIn: { as: 'producerA', codeEntry: true },
    markAttendance: { as: 'admin' },
    attendees: { as: 'admin' },
    sessionAddressees: { as: 'admin' },
    coverage: { as: 'admin' },
    coverageExport: { as: 'admin', runs: 10 },
    tick: { as: 'system', runs: 10 },
  },
};

const defaultRuns = 25;
/** ABUSE_RUNS_SCALE=10 npx jest test/abuse runs ten times as many cases, for a deeper search. */
const runsScale = Number(process.env.ABUSE_RUNS_SCALE ?? '1') || 1;
/** Longer than any honest call here takes, short enough that a hang fails the test. */
const hangMs = 15_000;

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer in ${hangMs} ms`)), hangMs);
    }),
  ]);
}

/**
 * What a refused call may have changed: nothing — except that the scan log records a label that
 * was really scanned (market.accept verifies before it refuses a duplicate); copy detection
 * counts every scan, so that is kept on purpose. Existing scans are never changed.
 */
function expectUnchanged(before: Record<string, string>, after: Record<string, string>): void {
  const { scans: scansBefore = '[]', ...restBefore } = before;
  const { scans: scansAfter = '[]', ...restAfter } = after;
  expect(restAfter).toEqual(restBefore);
  const old = JSON.parse(scansBefore) as { _id: string }[];
  const now = new Map((JSON.parse(scansAfter) as { _id: string }[]).map((s) => [s._id, s]));
  for (const scan of old) expect(now.get(scan._id)).toEqual(scan);
}

/** Object.prototype and Array.prototype exactly as the language made them. */
function assertNoPollution(): void {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.keys(Array.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).roles).toBeUndefined();
}

/** Why an answer is not acceptable, or null: an envelope, never INTERNAL, nothing logged. */
function problemWith(res: Envelope<unknown>, errors: unknown[]): string | null {
  if (typeof res !== 'object' || res === null || typeof res.ok !== 'boolean') {
    return `not an envelope: ${String(res)}`;
  }
  if (!res.ok && res.error.code === 'INTERNAL') {
    return `INTERNAL: ${errors.map((e) => (e instanceof Error ? e.stack : String(e))).join('\n')}`;
  }
  if (errors.length > 0) return `logged errors: ${errors.map(String).join('; ')}`;
  return null;
}

test('every registered action has an attack entry, and every entry an action', () => {
  const registered = Object.entries(functions).flatMap(([name, fn]) =>
    Object.keys(fn.actions).map((a) => `${name}.${a}`),
  );
  const listed = Object.entries(attacks).flatMap(([name, table]) =>
    Object.keys(table).map((a) => `${name}.${a}`),
  );
  expect(listed.sort()).toEqual(registered.sort());
});

for (const [name, fn] of Object.entries(functions)) {
  describe(`${name}: hostile input`, () => {
    let w: AbuseWorld;
    beforeAll(async () => {
      w = await buildAbuseWorld();
    });
    afterAll(async () => {
      await w.close();
    });
    afterEach(() => {
      assertNoPollution();
    });

    const inputsFor = (entry: AttackEntry, schema: z.core.$ZodType) => {
      const wild = attackInput(schema, entry.pools, w.known);
      return entry.base
        ? fc.oneof(
            { weight: 3, arbitrary: mutated(entry.base(w), schema, w.known) },
            { weight: 2, arbitrary: wild },
          )
        : wild;
    };

    for (const [actionName, act] of Object.entries(fn.actions)) {
      it(`${name}.${actionName}: never INTERNAL; a refused call changes nothing`, async () => {
        const entry = attacks[name]?.[actionName];
        if (!entry) throw new Error(`${name}.${actionName} has no entry in the attack table`);
        await fc.assert(
          fc.asyncProperty(inputsFor(entry, act.input), async (input) => {
            w.errors.length = 0;
            if (entry.codeEntry) w.advance(refillMs(codeEntryRateLimit));
            const before = await w.dump();
            const res = await withDeadline(
              w.call(entry.as, fn as CloudFunction, actionName, input),
              `${name}.${actionName}`,
            );
            const problem = problemWith(res, w.errors);
            if (problem) throw new Error(problem);
            assertNoPollution();
            if (entry.codeEntry && !res.ok) expect(res.error.code).not.toBe('RATE_LIMITED');
            if (!res.ok) expectUnchanged(before, await w.dump());
          }),
          { numRuns: Math.ceil((entry.runs ?? defaultRuns) * runsScale) },
        );
      });
    }

    it(`${name}: malformed events (not objects, odd action names) are INVALID_INPUT`, async () => {
      const event = fc.oneof(
        hostileValue,
        fc.record({
          action: fc.oneof(
            fc.constantFrom(
              '__proto__',
              'constructor',
              'toString',
              'hasOwnProperty',
              'valueOf',
              ...hostileStrings,
            ),
            hostileValue,
          ),
          input: hostileValue,
        }),
      );
      await fc.assert(
        fc.asyncProperty(event, async (e) => {
          w.errors.length = 0;
          const before = await w.dump();
          const res = await withDeadline(w.send('admin', fn as CloudFunction, e), name);
          const problem = problemWith(res, w.errors);
          if (problem) throw new Error(problem);
          expect(res.ok).toBe(false);
          if (!res.ok) expect(res.error.code).toBe('INVALID_INPUT');
          expect(await w.dump()).toEqual(before);
        }),
        { numRuns: Math.ceil(30 * runsScale) },
      );
    });
  });
}

describe('found by the properties above, kept as examples', () => {
  let w: AbuseWorld;
  beforeAll(async () => {
    w = await buildAbuseWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  // A code of only spaces and dashes normalised to '' and reached the store as an empty id.
  it.each(['get', 'revoke', 'history', 'epcis', 'remove', 'labels'])(
    'certificate.%s with a code of spaces and dashes is INVALID_INPUT',
    async (action) => {
      const res = await w.call('producerA', functions.certificate!, action, {
        code: ' - ',
        reason: '填写错误',
      });
      expect(res.ok ? 'ok' : res.error.code).toBe('INVALID_INPUT');
      expect(w.errors).toEqual([]);
    },
  );

  // A field given as undefined was spread over the stored subject and erased its type; the next
  // update then failed with INTERNAL.
  it('subject.update with fields given as undefined leaves them as they were', async () => {
    const subjectId = w.world.subjects.producerA._id;
    const res = await w.call('producerA', functions.subject!, 'update', {
      subjectId,
      type: undefined,
      name: undefined,
      phone: '13900002222',
    });
    expect(res.ok).toBe(true);
    const stored = await w.world.rt.store.collection<Subject>('subjects').get(subjectId);
    expect(stored).toMatchObject({ type: 'smallholder', name: '王建国', phone: '13900002222' });
    const again = await w.call('producerA', functions.subject!, 'update', {
      subjectId,
      phone: '13900003333',
    });
    expect(again.ok).toBe(true);
    expect(w.errors).toEqual([]);
  });
});
