/**
 * The authorization matrix: every action called as every kind of user, asserting who gets
 * through and what the others are told.
 *
 * The world (built fresh for each matrix, through the real actions where it matters):
 *
 * | persona              | roles        | division           | notes                           |
 * | -------------------- | ------------ | ------------------ | ------------------------------- |
 * | `anonymous`          | —            | —                  | no caller at all                |
 * | `stranger`           | —            | —                  | signed in, never seen before    |
 * | `producerA`          | producer     | (subject in 墟沟)  | `world.subjects.producerA`      |
 * | `producerB`          | producer     | (subject in 连岛)  | `world.subjects.producerB`      |
 * | `buyer`              | buyer        | (subject in 墟沟)  | the market: `world.subjects.buyer` |
 * | `coordinatorXugou`   | coordinator  | 墟沟 320703001     |                                 |
 * | `supervisorXugou`    | supervisor   | 墟沟 320703001     |                                 |
 * | `enforcementXugou`   | enforcement  | 墟沟 320703001     |                                 |
 * | `coordinatorLiandao` | coordinator  | 连岛 320703003     |                                 |
 * | `supervisorLiandao`  | supervisor   | 连岛 320703003     |                                 |
 * | `enforcementLiandao` | enforcement  | 连岛 320703003     |                                 |
 * | `admin`              | admin        | — (district-wide)  |                                 |
 *
 * Use it from a test file (one jest `describe` per row, one `it` per persona):
 *
 * ```ts
 * authorizationMatrix('supervision', [
 *   {
 *     fn: supervisionFunction,
 *     action: 'recordPatrol',
 *     // Called once per persona; may create what it needs first (a fresh target per call).
 *     input: ({ world }) => ({ subjectId: world.subjects.producerA._id, … }),
 *     // Personas, roles (every persona holding it), 'signedIn' or 'public'.
 *     allowed: ['admin', 'supervisorXugou', 'coordinatorXugou', 'enforcementXugou'],
 *     // What the refused get; default UNAUTHENTICATED for anonymous, FORBIDDEN for the rest.
 *     refused: { producerB: 'NOT_FOUND' },
 *   },
 * ], { setup: async (world) => ({ certificate: await issueOne(world) }) });
 * ```
 *
 * An allowed persona passes when the call succeeds or fails for a reason that is not about who
 * is asking (CONFLICT, say): UNAUTHENTICATED, FORBIDDEN, NOT_FOUND (a record hidden by scope),
 * INVALID_INPUT (a row whose input hides the scope check) and INTERNAL fail it. Set
 * `expectOk: true` to demand success. A refused persona passes only with the expected code.
 * Rows run in order against one shared world; a row whose calls change the personas themselves
 * (granting them roles, say) sets `fresh: true` and gets a new world for every call.
 */
import type { CloudFunction } from '../../cloudfunctions/kit/action';
import { subjectFunction } from '../../cloudfunctions/subject/actions';
import type { Envelope, ErrorCode } from '../../src/domain/errors';
import { creditCodeCheckChar } from '../../src/domain/identity';
import type { Role, User } from '../../src/domain/role';
import type { Subject } from '../../src/domain/subject';
import { smallholder, testRuntime, validIdNumber, type TestRuntime } from './runtime';

export const xugou = '320703001';
export const liandao = '320703003';

export const personas = [
  'anonymous',
  'stranger',
  'producerA',
  'producerB',
  'buyer',
  'coordinatorXugou',
  'supervisorXugou',
  'enforcementXugou',
  'coordinatorLiandao',
  'supervisorLiandao',
  'enforcementLiandao',
  'admin',
] as const;
export type Persona = (typeof personas)[number];

/** Who each persona is: roles and division as the world creates them. */
export const personaProfiles: Readonly<
  Record<Persona, { userId: string | null; roles: readonly Role[]; divisionCode: string | null }>
> = {
  anonymous: { userId: null, roles: [], divisionCode: null },
  stranger: { userId: 'mx-stranger', roles: [], divisionCode: null },
  producerA: { userId: 'mx-producer-a', roles: ['producer'], divisionCode: null },
  producerB: { userId: 'mx-producer-b', roles: ['producer'], divisionCode: null },
  buyer: { userId: 'mx-buyer', roles: ['buyer'], divisionCode: null },
  coordinatorXugou: { userId: 'mx-coordinator-xg', roles: ['coordinator'], divisionCode: xugou },
  supervisorXugou: { userId: 'mx-supervisor-xg', roles: ['supervisor'], divisionCode: xugou },
  enforcementXugou: { userId: 'mx-enforcement-xg', roles: ['enforcement'], divisionCode: xugou },
  coordinatorLiandao: {
    userId: 'mx-coordinator-ld',
    roles: ['coordinator'],
    divisionCode: liandao,
  },
  supervisorLiandao: { userId: 'mx-supervisor-ld', roles: ['supervisor'], divisionCode: liandao },
  enforcementLiandao: {
    userId: 'mx-enforcement-ld',
    roles: ['enforcement'],
    divisionCode: liandao,
  },
  admin: { userId: 'mx-admin', roles: ['admin'], divisionCode: null },
};

export interface World {
  rt: TestRuntime;
  /** The user id each persona calls as (null for anonymous). */
  ids: Record<Persona, string | null>;
  /** Registered through subject.register: A's in 墟沟, B's in 连岛, the buyer's (market) in 墟沟. */
  subjects: { producerA: Subject; producerB: Subject; buyer: Subject };
  /** Calls an action as a persona, through the real boundary. */
  call<T = unknown>(
    as: Persona,
    fn: CloudFunction,
    action: string,
    input: unknown,
  ): Promise<Envelope<T>>;
  /** Like `call`, but throws unless the envelope is ok. */
  ok<T = unknown>(as: Persona, fn: CloudFunction, action: string, input: unknown): Promise<T>;
}

/** Who may call: a persona, every persona holding a role, any signed-in caller, or anyone. */
export type Allow = Persona | Role | 'signedIn' | 'public';

/** What one call of a row receives to build its input. */
export interface CellCtx<D> {
  world: World;
  /** What the matrix's `setup` returned. */
  data: D;
  as: Persona;
  userId: string | null;
}

export interface MatrixRow<D = undefined> {
  fn: CloudFunction;
  action: string;
  input(cell: CellCtx<D>): unknown;
  allowed: readonly Allow[];
  /** The code the refused get: one for all, or per persona ('default' for the rest). */
  refused?: ErrorCode | Partial<Record<Persona | 'default', ErrorCode>>;
  /** The allowed must succeed outright, not merely get past role and scope. */
  expectOk?: boolean;
  /** Call as these personas only (default: all). */
  only?: readonly Persona[];
  /** A new world for every call, for rows whose calls change the personas. */
  fresh?: boolean;
  /** Shown in the test names (default `fn.action`). */
  title?: string;
}

export interface MatrixOptions<D> {
  /** Builds what the rows need beyond the world (a certificate, a patrol…), once per world. */
  setup?: (world: World) => Promise<D>;
}

/** Codes that mean "not you" (or hide a record from you): an allowed caller must never get them. */
const refusalCodes: readonly ErrorCode[] = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_INPUT',
  'INTERNAL',
];

function buyerIdentity(): string {
  const first17 = '92320703MA2MTX001';
  return first17 + (creditCodeCheckChar(first17) ?? '');
}

/** Builds the world on a fresh runtime; close it with `world.rt.close()`. */
export async function buildWorld(): Promise<World> {
  const rt = testRuntime();
  const ids = Object.fromEntries(personas.map((p) => [p, personaProfiles[p].userId])) as Record<
    Persona,
    string | null
  >;
  const users = rt.store.collection<User>('users');
  for (const p of personas) {
    const profile = personaProfiles[p];
    // Producers and the buyer get their role by registering, as real users do.
    if (!profile.userId || profile.roles.length === 0 || p === 'buyer' || p.startsWith('producer'))
      continue;
    await users.insert({
      _id: profile.userId,
      nickname: p,
      roles: [...profile.roles],
      divisionCode: profile.divisionCode,
      createdAt: '2026-11-01T00:00:00.000Z',
    });
  }
  const register = (as: string, input: unknown) =>
    rt.ok<Subject>(subjectFunction, 'register', input, as);
  const subjects = {
    producerA: await register('mx-producer-a', smallholder({ name: '王建国' })),
    producerB: await register(
      'mx-producer-b',
      smallholder({
        name: '李海生',
        identityNumber: validIdNumber('19620704', '456'),
        contactName: '李海生',
        phone: '13812340000',
        address: '连云区连岛街道西连岛村二组',
        divisionCode: liandao,
      }),
    ),
    buyer: await register('mx-buyer', {
      ...smallholder(),
      type: 'buyer',
      name: '墟沟农贸市场',
      identityKind: 'credit_code',
      identityNumber: buyerIdentity(),
      contactName: '周经理',
      phone: '13812349999',
      address: '连云区墟沟街道农贸市场',
    }),
  };
  return {
    rt,
    ids,
    subjects,
    call: (as, fn, action, input) => rt.call(fn, action, input, ids[as]),
    ok: (as, fn, action, input) => rt.ok(fn, action, input, ids[as]),
  };
}

/** Whether `persona` is among the allowed. */
export function isAllowed(allowed: readonly Allow[], persona: Persona): boolean {
  const profile = personaProfiles[persona];
  return allowed.some(
    (a) =>
      a === 'public' ||
      (a === 'signedIn' && persona !== 'anonymous') ||
      a === persona ||
      profile.roles.includes(a as Role),
  );
}

/** The code a refused persona should get under a row. */
export function expectedRefusal(row: Pick<MatrixRow<never>, 'refused'>, persona: Persona) {
  const fallback: ErrorCode = persona === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
  if (typeof row.refused === 'string') return persona === 'anonymous' ? fallback : row.refused;
  return (
    row.refused?.[persona] ??
    (persona === 'anonymous' ? fallback : row.refused?.default) ??
    fallback
  );
}

/**
 * Calls one cell (row × persona) and says what is wrong with its answer, or null when it is
 * as the row expects.
 */
export async function checkCell<D>(
  world: World,
  data: D,
  row: MatrixRow<D>,
  persona: Persona,
): Promise<string | null> {
  const userId = world.ids[persona];
  const input = await row.input({ world, data, as: persona, userId });
  const res = await world.call(persona, row.fn, row.action, input);
  const name = `${row.title ?? `${row.fn.name}.${row.action}`} as ${persona}`;
  const got = res.ok ? 'ok' : `${res.error.code} (${res.error.message})`;
  if (isAllowed(row.allowed, persona)) {
    if (res.ok) return null;
    if (row.expectOk || refusalCodes.includes(res.error.code)) {
      return `${name}: expected to be allowed, got ${got}`;
    }
    return null;
  }
  const want = expectedRefusal(row, persona);
  if (!res.ok && res.error.code === want) return null;
  return `${name}: expected ${want}, got ${got}`;
}

/**
 * Registers the matrix with jest: a `describe` per row, an `it` per persona, against one world
 * built before the rows (or one per call for `fresh` rows).
 */
export function authorizationMatrix<D = undefined>(
  title: string,
  rows: readonly MatrixRow<D>[],
  options: MatrixOptions<D> = {},
): void {
  const prepare = async (): Promise<{ world: World; data: D }> => {
    const world = await buildWorld();
    const data = options.setup ? await options.setup(world) : (undefined as D);
    return { world, data };
  };
  describe(title, () => {
    let shared: { world: World; data: D } | null = null;
    beforeAll(async () => {
      if (rows.some((r) => !r.fresh)) shared = await prepare();
    });
    afterAll(async () => {
      await shared?.world.rt.close();
    });
    for (const row of rows) {
      describe(row.title ?? `${row.fn.name}.${row.action}`, () => {
        for (const persona of row.only ?? personas) {
          const outcome = isAllowed(row.allowed, persona)
            ? 'allowed'
            : `refused ${expectedRefusal(row, persona)}`;
          it(`${persona} → ${outcome}`, async () => {
            const here = row.fresh ? await prepare() : shared;
            if (!here) throw new Error('the matrix world was not built');
            try {
              const problem = await checkCell(here.world, here.data, row, persona);
              if (problem) throw new Error(problem);
              expect(here.world.rt.errors).toEqual([]);
            } finally {
              if (row.fresh) await here.world.rt.close();
            }
          });
        }
      });
    }
  });
}
