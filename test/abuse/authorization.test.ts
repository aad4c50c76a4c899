/**
 * THE authorization matrix: every function × action, who may call it and the scope rule that
 * narrows it, in one table — checked against the running actions.
 *
 * 1. The table lists exactly the registry's actions, with the access each one declares.
 * 2. The role layer, for every action × every persona (anonymous, a signed-in stranger,
 *    producers A/B, the market's buyer, coordinator/supervisor/enforcement of 墟沟 and of 连岛,
 *    the admin) and the runtime's timer: the refused get UNAUTHENTICATED or FORBIDDEN, the
 *    allowed get past it (to input validation, with nothing written).
 * 3. The scope layer (own record / own division / other division) with real inputs: rows below
 *    for the functions without a matrix of their own; for the others the row's `cells` names
 *    the per-function matrix (test/cloudfunctions/<fn>/matrix.test.ts) that holds them, and
 *    this file checks that it does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateFunction } from '../../cloudfunctions/certificate/actions';
import { directoryFunction } from '../../cloudfunctions/directory/actions';
import type { Access } from '../../cloudfunctions/kit/action';
import { invoke } from '../../cloudfunctions/kit/invoke';
import { paperFunction } from '../../cloudfunctions/paper/actions';
import { printFunction } from '../../cloudfunctions/print/actions';
import { printLayoutCodes } from '../../src/domain/print';
import { functions } from '../../cloudfunctions/registry';
import { subjectFunction } from '../../cloudfunctions/subject/actions';
import { verifyFunction } from '../../cloudfunctions/verify/actions';
import type { Role } from '../../src/domain/role';
import {
  authorizationMatrix,
  buildWorld,
  personaProfiles,
  personas,
  xugou,
  type Persona,
  type World,
} from '../helpers/matrix';
import { issueInput, smallholder, validIdNumber } from '../helpers/runtime';
import { rosterRow, rosterXlsx } from '../cloudfunctions/directory/helpers';

/** Where an action's scope cells are checked: below ('here'), or a per-function matrix file. */
type Cells = 'here' | `test/cloudfunctions/${string}/matrix.test.ts`;

interface Entry {
  /** Who may call at all: exactly what the action declares. */
  roles: Access;
  /** The scope rule on top of the role, in words. */
  scope: string;
  cells: Cells;
}

const staff: Role[] = ['supervisor', 'coordinator', 'enforcement', 'admin'];
const producers: Role[] = ['producer', 'buyer'];
const fieldStaff: Role[] = ['coordinator', 'supervisor', 'enforcement', 'admin'];
const managers: Role[] = ['supervisor', 'admin'];
const directoryMatrix = 'test/cloudfunctions/directory/matrix.test.ts';
const marketMatrix = 'test/cloudfunctions/market/matrix.test.ts';
const supervisionMatrix = 'test/cloudfunctions/supervision/matrix.test.ts';
const reportMatrix = 'test/cloudfunctions/report/matrix.test.ts';
const outreachMatrix = 'test/cloudfunctions/outreach/matrix.test.ts';
const userMatrix = 'test/cloudfunctions/user/matrix.test.ts';

const ownDivision = 'own division (admin: district); another division FORBIDDEN';

export const authorizationTable: Readonly<Record<string, Readonly<Record<string, Entry>>>> = {
  subject: {
    register: { roles: 'signedIn', scope: 'the caller becomes the operator', cells: 'here' },
    mine: { roles: 'signedIn', scope: "the caller's own subjects only", cells: 'here' },
    division: { roles: staff, scope: ownDivision, cells: 'here' },
    update: { roles: 'signedIn', scope: 'own subject; anyone else NOT_FOUND', cells: 'here' },
    get: { roles: 'signedIn', scope: 'own subject; anyone else NOT_FOUND', cells: 'here' },
  },
  certificate: {
    issue: { roles: producers, scope: 'own subject; others NOT_FOUND', cells: 'here' },
    defaults: { roles: 'signedIn', scope: 'own subject; others NOT_FOUND', cells: 'here' },
    mine: { roles: 'signedIn', scope: "own subjects' certificates only", cells: 'here' },
    get: { roles: 'signedIn', scope: 'own certificate; others NOT_FOUND', cells: 'here' },
    labels: { roles: 'signedIn', scope: 'own certificate; others NOT_FOUND', cells: 'here' },
    revoke: { roles: producers, scope: 'own certificate; others NOT_FOUND', cells: 'here' },
    remove: { roles: producers, scope: 'own certificate; others NOT_FOUND', cells: 'here' },
    history: { roles: 'signedIn', scope: 'own certificate; others NOT_FOUND', cells: 'here' },
    export: { roles: 'signedIn', scope: "own subjects' certificates only", cells: 'here' },
    addTestRecord: { roles: producers, scope: 'own subject; others NOT_FOUND', cells: 'here' },
    testRecords: { roles: 'signedIn', scope: 'own subject; others NOT_FOUND', cells: 'here' },
    epcis: { roles: 'signedIn', scope: 'own certificate; others NOT_FOUND', cells: 'here' },
  },
  verify: {
    lookup: { roles: 'public', scope: 'anyone; personal data masked', cells: 'here' },
    publicKey: { roles: 'public', scope: 'anyone', cells: 'here' },
    suspects: {
      roles: ['supervisor', 'enforcement', 'admin'],
      scope: "own division's certificates (admin: district)",
      cells: 'here',
    },
  },
  user: {
    me: { roles: 'signedIn', scope: 'oneself', cells: userMatrix },
    invite: {
      roles: managers,
      scope: 'admin any role anywhere; a supervisor coordinators of own division only',
      cells: userMatrix,
    },
    redeem: {
      roles: 'signedIn',
      scope: 'holder of the code; one division per person; rate limited',
      cells: userMatrix,
    },
    revokeRole: { roles: managers, scope: 'as invite', cells: userMatrix },
    staff: { roles: managers, scope: ownDivision, cells: userMatrix },
    invitations: { roles: managers, scope: 'own invitations (admin: all)', cells: userMatrix },
    cancelInvitation: {
      roles: managers,
      scope: "own invitations (admin: all); another's NOT_FOUND",
      cells: userMatrix,
    },
  },
  paper: {
    allocate: { roles: managers, scope: "subject's division: " + ownDivision, cells: 'here' },
    register: {
      roles: ['producer', 'buyer', 'supervisor', 'admin'],
      scope: "subject's operator, or its division's supervisor; other producers NOT_FOUND",
      cells: 'here',
    },
    void: { roles: managers, scope: "range's division: " + ownDivision, cells: 'here' },
    ranges: {
      roles: 'signedIn',
      scope: "a subject's: its operator or its division's staff; others NOT_FOUND",
      cells: 'here',
    },
  },
  print: {
    labels: { roles: producers, scope: 'own certificate; others NOT_FOUND', cells: 'here' },
  },
  market: {
    accept: { roles: ['buyer'], scope: "the buyer's own market only", cells: marketMatrix },
    arrivalWithoutCertificate: { roles: ['buyer'], scope: 'own market', cells: marketMatrix },
    recordSample: { roles: ['buyer'], scope: 'own market', cells: marketMatrix },
    entries: {
      roles: ['buyer', 'supervisor', 'enforcement', 'admin'],
      scope: "own market; staff: the market's division",
      cells: marketMatrix,
    },
    export: { roles: ['buyer'], scope: 'own market', cells: marketMatrix },
    acceptanceRate: {
      roles: ['buyer', 'supervisor', 'enforcement', 'admin'],
      scope: "own market; staff: the market's division",
      cells: marketMatrix,
    },
  },
  supervision: {
    uploadPhoto: {
      roles: [...fieldStaff, 'producer'],
      scope: 'uploader',
      cells: supervisionMatrix,
    },
    photoUrls: {
      roles: [...fieldStaff, 'producer'],
      scope: "the record's division (staff) or its subject (producer)",
      cells: supervisionMatrix,
    },
    recordPatrol: { roles: fieldStaff, scope: ownDivision, cells: supervisionMatrix },
    patrols: { roles: fieldStaff, scope: ownDivision, cells: supervisionMatrix },
    recordSample: { roles: fieldStaff, scope: ownDivision, cells: supervisionMatrix },
    samples: { roles: fieldStaff, scope: ownDivision, cells: supervisionMatrix },
    submitRectification: {
      roles: [...fieldStaff, 'producer'],
      scope: "own division's cases; the case's own producer",
      cells: supervisionMatrix,
    },
    signOff: { roles: managers, scope: ownDivision, cells: supervisionMatrix },
    rectifications: {
      roles: [...fieldStaff, 'producer'],
      scope: "own division's; a producer their own",
      cells: supervisionMatrix,
    },
    rectification: {
      roles: [...fieldStaff, 'producer'],
      scope: "own division's; a producer their own",
      cells: supervisionMatrix,
    },
    keyList: { roles: fieldStaff, scope: ownDivision, cells: supervisionMatrix },
    placeOnKeySupervision: {
      roles: ['supervisor', 'enforcement', 'admin'],
      scope: ownDivision,
      cells: supervisionMatrix,
    },
    workList: { roles: managers, scope: ownDivision, cells: supervisionMatrix },
    saveStation: { roles: managers, scope: ownDivision, cells: supervisionMatrix },
    stations: { roles: fieldStaff, scope: ownDivision, cells: supervisionMatrix },
  },
  directory: {
    list: { roles: staff, scope: ownDivision, cells: directoryMatrix },
    get: { roles: staff, scope: ownDivision, cells: directoryMatrix },
    pending: { roles: staff, scope: ownDivision, cells: directoryMatrix },
    review: { roles: managers, scope: ownDivision, cells: directoryMatrix },
    importTemplate: { roles: managers, scope: 'none', cells: directoryMatrix },
    import: { roles: managers, scope: 'rows of own division only', cells: directoryMatrix },
    importStatus: { roles: managers, scope: "own imports; another's NOT_FOUND", cells: 'here' },
    export: { roles: staff, scope: ownDivision, cells: directoryMatrix },
    duplicates: { roles: staff, scope: ownDivision, cells: directoryMatrix },
    merge: { roles: managers, scope: ownDivision, cells: directoryMatrix },
    dormant: { roles: staff, scope: ownDivision, cells: directoryMatrix },
    confirmDormant: { roles: managers, scope: ownDivision, cells: directoryMatrix },
    history: {
      roles: 'signedIn',
      scope: "own subject, or its division's staff; producers NOT_FOUND",
      cells: directoryMatrix,
    },
  },
  report: {
    dashboard: { roles: managers, scope: ownDivision, cells: reportMatrix },
    drill: { roles: managers, scope: ownDivision, cells: reportMatrix },
    summary: { roles: managers, scope: ownDivision, cells: reportMatrix },
    summaryXlsx: { roles: managers, scope: ownDivision, cells: reportMatrix },
    summaryPdf: { roles: managers, scope: ownDivision, cells: reportMatrix },
    rollup: { roles: ['admin'], scope: 'district', cells: reportMatrix },
    tick: { roles: 'system', scope: 'the runtime timer only, never a person', cells: reportMatrix },
    openSummary: {
      roles: managers,
      scope: 'own street (admin: any), upcoming period only',
      cells: reportMatrix,
    },
    submitSummary: { roles: ['supervisor'], scope: 'own street only', cells: reportMatrix },
    summaryDoc: { roles: managers, scope: ownDivision, cells: reportMatrix },
    summaries: { roles: managers, scope: ownDivision, cells: reportMatrix },
    assessment: { roles: ['admin'], scope: 'district', cells: reportMatrix },
    stationRanking: { roles: managers, scope: ownDivision, cells: reportMatrix },
    compliance: { roles: fieldStaff, scope: ownDivision, cells: reportMatrix },
    complianceStatement: { roles: managers, scope: ownDivision, cells: reportMatrix },
  },
  outreach: {
    uploadFile: { roles: managers, scope: 'uploader', cells: outreachMatrix },
    publish: { roles: managers, scope: 'to own division only', cells: outreachMatrix },
    items: { roles: fieldStaff, scope: ownDivision, cells: outreachMatrix },
    item: { roles: fieldStaff, scope: ownDivision, cells: outreachMatrix },
    posterQr: { roles: fieldStaff, scope: ownDivision, cells: outreachMatrix },
    inbox: { roles: 'signedIn', scope: 'own deliveries', cells: outreachMatrix },
    read: { roles: 'signedIn', scope: 'addressed only; others NOT_FOUND', cells: outreachMatrix },
    acknowledge: { roles: 'signedIn', scope: 'addressed only', cells: outreachMatrix },
    reach: { roles: fieldStaff, scope: ownDivision, cells: outreachMatrix },
    unacknowledged: { roles: fieldStaff, scope: ownDivision, cells: outreachMatrix },
    remind: { roles: managers, scope: ownDivision, cells: outreachMatrix },
    consent: { roles: 'signedIn', scope: 'oneself', cells: outreachMatrix },
    subscriptions: { roles: 'signedIn', scope: 'oneself', cells: outreachMatrix },
    createSession: { roles: managers, scope: 'for own division', cells: outreachMatrix },
    sessions: { roles: 'signedIn', scope: 'those addressed to the caller', cells: outreachMatrix },
    session: {
      roles: 'signedIn',
      scope: "addressed, or the division's staff; others NOT_FOUND",
      cells: outreachMatrix,
    },
    enroll: { roles: 'signedIn', scope: 'addressed only', cells: outreachMatrix },
    signInCode: { roles: managers, scope: 'organiser (own division)', cells: outreachMatrix },
    signIn: { roles: 'signedIn', scope: 'holder of the code; rate limited', cells: outreachMatrix },
    markAttendance: { roles: managers, scope: 'organiser', cells: outreachMatrix },
    attendees: { roles: managers, scope: 'organiser', cells: outreachMatrix },
    sessionAddressees: {
      roles: managers,
      scope: 'organiser; only addressees in the caller scope',
      cells: outreachMatrix,
    },
    coverage: { roles: managers, scope: ownDivision, cells: outreachMatrix },
    coverageExport: { roles: managers, scope: ownDivision, cells: outreachMatrix },
    tick: { roles: 'system', scope: 'the runtime timer only', cells: outreachMatrix },
  },
};

const registered = Object.entries(functions).flatMap(([name, fn]) =>
  Object.entries(fn.actions).map(([action, a]) => ({ name, action, declared: a.roles as Access })),
);

describe('the table', () => {
  it('lists exactly the registered actions', () => {
    const listed = Object.entries(authorizationTable).flatMap(([n, t]) =>
      Object.keys(t).map((a) => `${n}.${a}`),
    );
    expect(listed.sort()).toEqual(registered.map((r) => `${r.name}.${r.action}`).sort());
  });

  it.each(registered.map((r) => [`${r.name}.${r.action}`, r] as const))(
    '%s: the table says the access the action declares',
    (_label, r) => {
      const entry = authorizationTable[r.name]?.[r.action];
      const norm = (a: Access | undefined) => (Array.isArray(a) ? [...a].sort() : a);
      expect(norm(entry?.roles)).toEqual(norm(r.declared));
    },
  );

  it('names, for every action checked elsewhere, a matrix that has a row for it', () => {
    const missing: string[] = [];
    const root = join(__dirname, '..', '..');
    for (const [name, table] of Object.entries(authorizationTable)) {
      for (const [action, entry] of Object.entries(table)) {
        if (entry.cells === 'here') continue;
        const text = readFileSync(join(root, entry.cells), 'utf8');
        const fnName = `${name}Function`;
        if (!text.includes(fnName) || !text.includes(`'${action}'`)) {
          missing.push(`${name}.${action} in ${entry.cells}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

/** Whether `persona` may call an action of access `roles` (the role layer only). */
function mayCall(roles: Access, persona: Persona): boolean {
  if (roles === 'public') return true;
  if (roles === 'system') return false;
  if (persona === 'anonymous') return false;
  if (roles === 'signedIn') return true;
  return personaProfiles[persona].roles.some((r) => roles.includes(r));
}

describe('the role layer, every action × every persona and the timer', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld();
  });
  afterAll(async () => {
    await world.rt.close();
  });

  it.each(registered.map((r) => [`${r.name}.${r.action}`, r] as const))('%s', async (_l, r) => {
    const fn = functions[r.name]!;
    const wrong: string[] = [];
    // Input 42 is never valid: an allowed caller gets INVALID_INPUT (past the role check, before
    // the action runs); a refused one is refused before the input is looked at.
    for (const persona of personas) {
      const res = await world.call(persona, fn, r.action, 42);
      const got = res.ok ? 'ok' : res.error.code;
      const want = mayCall(r.declared, persona)
        ? 'INVALID_INPUT'
        : persona === 'anonymous'
          ? 'UNAUTHENTICATED'
          : 'FORBIDDEN';
      if (got !== want) wrong.push(`${persona}: expected ${want}, got ${got}`);
    }
    const timer = await invoke(
      fn,
      { action: r.action, input: 42 },
      { store: world.rt.store, callerId: null, config: world.rt.config, system: true },
    );
    const timerWant =
      r.declared === 'system' || r.declared === 'public' ? 'INVALID_INPUT' : 'UNAUTHENTICATED';
    const timerGot = timer.ok ? 'ok' : timer.error.code;
    if (timerGot !== timerWant) wrong.push(`timer: expected ${timerWant}, got ${timerGot}`);
    expect(wrong).toEqual([]);
    expect(world.rt.errors).toEqual([]);
  });
});

// --- the scope layer, for the functions without a matrix of their own ------------------------

let n = 0;
const xugouStaff: Persona[] = ['coordinatorXugou', 'supervisorXugou', 'enforcementXugou', 'admin'];

/** A new certificate of producer A's subject (revoke and remove use up the one they get). */
async function certificateOfA(world: World): Promise<{ _id: string; code: string }> {
  const [c] = await world.ok<{ _id: string; code: string }[]>(
    'producerA',
    certificateFunction,
    'issue',
    issueInput(world.subjects.producerA._id),
  );
  return c!;
}

interface Data {
  certificate: { _id: string; code: string };
  range: { id: string };
}

authorizationMatrix<Data>(
  'scope: subject, certificate, verify, paper, print, directory.importStatus',
  [
    {
      title: 'subject.register a new smallholder',
      fn: subjectFunction,
      action: 'register',
      input: () => {
        const i = ++n;
        return smallholder({
          name: `登记户${i}`,
          identityNumber: validIdNumber('19700101', String(100 + i).slice(-3)),
        });
      },
      allowed: ['signedIn'],
      // One person, one subject per identity: those who already operate one are told so.
      // Registering makes the caller a producer: a fresh world for each call.
      fresh: true,
      only: ['anonymous', 'stranger', 'coordinatorXugou', 'supervisorLiandao', 'admin'],
    },
    {
      fn: subjectFunction,
      action: 'mine',
      input: () => ({}),
      allowed: ['signedIn'],
      expectOk: true,
    },
    {
      title: 'subject.division of 墟沟',
      fn: subjectFunction,
      action: 'division',
      input: () => ({ divisionCode: xugou }),
      allowed: xugouStaff,
      expectOk: true,
    },
    {
      title: "subject.update of producer A's subject",
      fn: subjectFunction,
      action: 'update',
      input: ({ world }) => ({
        subjectId: world.subjects.producerA._id,
        phone: `1390000${String(++n).padStart(4, '0')}`,
      }),
      allowed: ['producerA'],
      refused: 'NOT_FOUND',
      expectOk: true,
    },
    {
      title: "subject.get of producer A's subject",
      fn: subjectFunction,
      action: 'get',
      input: ({ world }) => ({ subjectId: world.subjects.producerA._id }),
      allowed: ['producerA'],
      refused: 'NOT_FOUND',
      expectOk: true,
    },
    {
      title: "certificate.issue for producer A's subject",
      fn: certificateFunction,
      action: 'issue',
      input: ({ world }) => issueInput(world.subjects.producerA._id),
      allowed: ['producerA'],
      refused: { producerB: 'NOT_FOUND', buyer: 'NOT_FOUND' },
      expectOk: true,
    },
    ...(['defaults', 'testRecords'] as const).map((action) => ({
      title: `certificate.${action} of producer A's subject`,
      fn: certificateFunction,
      action,
      input: ({ world }: { world: World }) => ({ subjectId: world.subjects.producerA._id }),
      allowed: ['producerA'] as Persona[],
      refused: 'NOT_FOUND' as const,
      expectOk: true,
    })),
    {
      title: "certificate.addTestRecord for producer A's subject",
      fn: certificateFunction,
      action: 'addTestRecord',
      input: ({ world }) => ({
        subjectId: world.subjects.producerA._id,
        kind: 'rapid',
        result: 'pass',
        testedOn: '2026-11-28',
        item: '有机磷农药残留',
        method: '速测卡法',
        party: 'self',
      }),
      allowed: ['producerA'],
      refused: { producerB: 'NOT_FOUND', buyer: 'NOT_FOUND' },
      expectOk: true,
    },
    ...(['mine', 'export'] as const).map((action) => ({
      title: `certificate.${action} (own only)`,
      fn: certificateFunction,
      action,
      input: () => ({}),
      allowed: ['signedIn'] as const,
    })),
    ...(['get', 'labels', 'history', 'epcis'] as const).map((action) => ({
      title: `certificate.${action} of producer A's certificate`,
      fn: certificateFunction,
      action,
      input: ({ data }: { data: Data }) => ({ code: data.certificate.code }),
      allowed: ['producerA'] as Persona[],
      refused: 'NOT_FOUND' as const,
      expectOk: true,
    })),
    {
      title: "certificate.revoke of producer A's certificate",
      fn: certificateFunction,
      action: 'revoke',
      input: async ({ world }) => ({
        code: (await certificateOfA(world)).code,
        reason: '填写错误',
      }),
      allowed: ['producerA'],
      refused: { producerB: 'NOT_FOUND', buyer: 'NOT_FOUND' },
      expectOk: true,
    },
    {
      title: "certificate.remove of producer A's certificate",
      fn: certificateFunction,
      action: 'remove',
      input: async ({ world }) => {
        const { code } = await certificateOfA(world);
        // Only after the retention period (留存期限) may a certificate go.
        world.rt.setNow('2028-06-01T02:00:00.000Z');
        return { code };
      },
      allowed: ['producerA'],
      refused: { producerB: 'NOT_FOUND', buyer: 'NOT_FOUND' },
      // The clock moves on: a world of its own for each call.
      fresh: true,
      expectOk: true,
    },
    {
      title: "print.labels of producer A's certificate",
      fn: printFunction,
      action: 'labels',
      input: ({ data }) => ({ code: data.certificate.code, layout: printLayoutCodes[0] }),
      allowed: ['producerA'],
      refused: { producerB: 'NOT_FOUND', buyer: 'NOT_FOUND' },
    },
    {
      title: "verify.lookup of producer A's certificate",
      fn: verifyFunction,
      action: 'lookup',
      input: ({ data }) => ({ code: data.certificate.code }),
      allowed: ['public'],
      expectOk: true,
    },
    {
      fn: verifyFunction,
      action: 'publicKey',
      input: () => ({}),
      allowed: ['public'],
      expectOk: true,
    },
    {
      title: 'verify.suspects (own division)',
      fn: verifyFunction,
      action: 'suspects',
      input: () => ({}),
      allowed: ['supervisor', 'enforcement', 'admin'],
      expectOk: true,
    },
    {
      title: "paper.allocate to producer A's subject (墟沟)",
      fn: paperFunction,
      action: 'allocate',
      input: ({ world }) => {
        const from = 10_000 + ++n * 10;
        return { subjectId: world.subjects.producerA._id, from, to: from + 9 };
      },
      allowed: ['supervisorXugou', 'admin'],
      expectOk: true,
    },
    {
      title: "paper.register a form of producer A's range",
      fn: paperFunction,
      action: 'register',
      input: ({ world }) => ({
        subjectId: world.subjects.producerA._id,
        serial: `XG2026-${String(++n).padStart(6, '0')}`,
        productName: '青菜',
        quantity: { value: '30', unit: 'kg' },
        origin: '连云区墟沟街道东山村',
        issueDate: '2026-11-29',
        basis: ['quality_control'],
      }),
      allowed: ['producerA', 'supervisorXugou', 'admin'],
      refused: { producerB: 'NOT_FOUND', buyer: 'NOT_FOUND' },
      expectOk: true,
    },
    {
      title: "paper.void part of producer A's range",
      fn: paperFunction,
      action: 'void',
      input: ({ data }) => {
        const at = 200 + ++n;
        return { rangeId: data.range.id, from: at, to: at, reason: '印刷损坏' };
      },
      allowed: ['supervisorXugou', 'admin'],
      expectOk: true,
    },
    {
      title: "paper.ranges of producer A's subject",
      fn: paperFunction,
      action: 'ranges',
      input: ({ world }) => ({ subjectId: world.subjects.producerA._id }),
      allowed: ['producerA', ...xugouStaff],
      refused: {
        stranger: 'NOT_FOUND',
        producerB: 'NOT_FOUND',
        buyer: 'NOT_FOUND',
        default: 'FORBIDDEN',
      },
      expectOk: true,
    },
    {
      title: "directory.importStatus of the admin's import",
      fn: directoryFunction,
      action: 'importStatus',
      input: () => ({ importId: 'imp-abuse-0001' }),
      allowed: ['admin'],
      // Another's import is not there for a supervisor: the batch is keyed by who imported it.
      refused: { supervisorXugou: 'NOT_FOUND', supervisorLiandao: 'NOT_FOUND' },
      expectOk: true,
    },
  ],
  {
    setup: async (world) => {
      const certificate = await certificateOfA(world);
      const range = await world.ok<{ id: string }>('admin', paperFunction, 'allocate', {
        subjectId: world.subjects.producerA._id,
        from: 1,
        to: 500,
      });
      await world.ok('admin', directoryFunction, 'import', {
        base64: await rosterXlsx([rosterRow(9101)]),
        importId: 'imp-abuse-0001',
      });
      return { certificate, range };
    },
  },
);
