/**
 * Every action of every registered function, fed random and hostile input by fast-check: it
 * never answers INTERNAL, never throws past the boundary or hangs, pollutes no prototype, and a
 * call it refuses changes nothing in any collection.
 */
import fc from 'fast-check';
import type { CloudFunction } from '../../cloudfunctions/kit/action';
import { functions } from '../../cloudfunctions/registry';
import type { Envelope } from '../../src/domain/errors';
import type { Persona } from '../helpers/matrix';
import { attackInput, hostileStrings, hostileValue, type FieldPools } from './arbitraries';
import { buildAbuseWorld, type AbuseWorld } from './world';

/** How each action is attacked: as whom (one allowed to call it), and field value pools. */
interface AttackEntry {
  as: Persona | 'system';
  pools?: FieldPools;
  /** Fewer runs for actions that render files (PDF, xlsx) when they get through. */
  runs?: number;
}

const attacks: Readonly<Record<string, Readonly<Record<string, AttackEntry>>>> = {
  subject: {
    register: { as: 'stranger' },
    mine: { as: 'producerA' },
    division: { as: 'supervisorXugou' },
    update: { as: 'producerA' },
    get: { as: 'producerA' },
  },
  certificate: {
    issue: { as: 'producerA' },
    defaults: { as: 'producerA' },
    mine: { as: 'producerA' },
    get: { as: 'producerA' },
    labels: { as: 'producerA' },
    revoke: { as: 'producerA' },
    remove: { as: 'producerA' },
    history: { as: 'producerA' },
    export: { as: 'producerA', runs: 10 },
    addTestRecord: { as: 'producerA' },
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
    invite: { as: 'admin' },
    redeem: { as: 'stranger' },
    revokeRole: { as: 'admin' },
    staff: { as: 'supervisorXugou' },
    invitations: { as: 'admin' },
    cancelInvitation: { as: 'admin' },
  },
  paper: {
    allocate: { as: 'admin' },
    register: { as: 'producerA' },
    void: { as: 'admin' },
    ranges: { as: 'producerA' },
  },
  print: {
    labels: { as: 'producerA', runs: 10 },
  },
  market: {
    accept: { as: 'buyer' },
    arrivalWithoutCertificate: { as: 'buyer' },
    recordSample: { as: 'buyer' },
    entries: { as: 'supervisorXugou' },
    export: { as: 'buyer', runs: 10 },
    acceptanceRate: { as: 'admin' },
  },
  supervision: {
    uploadPhoto: { as: 'producerA' },
    photoUrls: { as: 'producerA' },
    recordPatrol: { as: 'coordinatorXugou' },
    patrols: { as: 'admin' },
    recordSample: { as: 'supervisorXugou' },
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
    summary: { as: 'admin' },
    summaryXlsx: { as: 'admin', runs: 10 },
    summaryPdf: { as: 'admin', runs: 10 },
    rollup: { as: 'admin' },
    tick: { as: 'system', runs: 10 },
    submitSummary: { as: 'supervisorXugou' },
    summaryDoc: { as: 'admin', runs: 10 },
    summaries: { as: 'admin' },
    assessment: { as: 'admin' },
    stationRanking: { as: 'admin' },
    compliance: { as: 'supervisorXugou' },
    complianceStatement: { as: 'admin', runs: 10 },
  },
  outreach: {
    uploadFile: { as: 'admin' },
    publish: { as: 'admin' },
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
    createSession: { as: 'supervisorXugou' },
    sessions: { as: 'producerA' },
    session: { as: 'producerA' },
    enroll: { as: 'producerA' },
    signInCode: { as: 'admin' },
    signIn: { as: 'producerA' },
    markAttendance: { as: 'admin' },
    attendees: { as: 'admin' },
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

    for (const [actionName, act] of Object.entries(fn.actions)) {
      it(`${name}.${actionName}: never INTERNAL; a refused call changes nothing`, async () => {
        const entry = attacks[name]?.[actionName];
        if (!entry) throw new Error(`${name}.${actionName} has no entry in the attack table`);
        await fc.assert(
          fc.asyncProperty(attackInput(act.input, entry.pools, w.known), async (input) => {
            w.errors.length = 0;
            const before = await w.dump();
            const res = await withDeadline(
              w.call(entry.as, fn as CloudFunction, actionName, input),
              `${name}.${actionName}`,
            );
            const problem = problemWith(res, w.errors);
            if (problem) throw new Error(problem);
            assertNoPollution();
            if (!res.ok) expect(await w.dump()).toBe(before);
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
          expect(await w.dump()).toBe(before);
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
});
