/**
 * The authorization matrix of the outreach function: every action as every persona. The matrix
 * runtime has no file store, so an allowed upload may answer UNAVAILABLE; what is checked here is
 * who gets past role, scope and address.
 */
import { outreachFunction } from '../../../cloudfunctions/outreach/actions';
import { authorizationMatrix, xugou, type MatrixRow, type World } from '../../helpers/matrix';
import { jpegBase64, noticeLetter } from './world';

interface Data {
  /** A 告知书 from 墟沟's supervisor to 墟沟 (producerA and the buyer's market are addressed). */
  itemId: string;
  /** A producers' session in 墟沟, open for sign-in now. */
  sessionId: string;
  code: string;
}

/** 10:10–12:10 China time on the matrix clock's day: sign-in is open at 10:00. */
const openSession = {
  title: '合格证开具培训',
  audience: 'producers',
  startsAt: '2026-11-29T10:10+08:00',
  endsAt: '2026-11-29T12:10+08:00',
  place: '墟沟街道便民服务中心',
};

async function setup(world: World): Promise<Data> {
  const published = await world.ok<{ item: { itemId: string } }>(
    'supervisorXugou',
    outreachFunction,
    'publish',
    noticeLetter(),
  );
  const created = await world.ok<{ session: { sessionId: string } }>(
    'supervisorXugou',
    outreachFunction,
    'createSession',
    openSession,
  );
  const { code } = await world.ok<{ code: string }>(
    'supervisorXugou',
    outreachFunction,
    'signInCode',
    {
      sessionId: created.session.sessionId,
    },
  );
  return { itemId: published.item.itemId, sessionId: created.session.sessionId, code };
}

const fn = outreachFunction;
const readers = ['coordinator', 'supervisor', 'enforcement', 'admin'] as const;
const xugouReaders = ['coordinatorXugou', 'supervisorXugou', 'enforcementXugou', 'admin'] as const;
const xugouPublishers = ['supervisorXugou', 'admin'] as const;
const addressed = ['producerA', 'buyer'] as const;

const rows: MatrixRow<Data>[] = [
  {
    fn,
    action: 'uploadFile',
    input: () => ({ base64: jpegBase64(), contentType: 'image/jpeg' }),
    allowed: ['supervisor', 'admin'],
  },
  {
    fn,
    action: 'publish',
    input: () => noticeLetter({ audience: { divisionCodes: [xugou] } }),
    allowed: xugouPublishers,
    expectOk: true,
  },
  { fn, action: 'items', input: () => ({}), allowed: readers, expectOk: true },
  {
    fn,
    action: 'item',
    input: ({ data }) => ({ itemId: data.itemId }),
    allowed: xugouReaders,
    expectOk: true,
  },
  {
    fn,
    action: 'posterQr',
    input: ({ data }) => ({ itemId: data.itemId }),
    allowed: xugouReaders,
    expectOk: true,
  },
  { fn, action: 'inbox', input: () => ({}), allowed: ['signedIn'], expectOk: true },
  {
    fn,
    action: 'read',
    input: ({ data }) => ({ itemId: data.itemId }),
    allowed: addressed,
    refused: { default: 'NOT_FOUND' },
    expectOk: true,
  },
  {
    fn,
    action: 'acknowledge',
    input: ({ data }) => ({ itemId: data.itemId }),
    allowed: addressed,
    refused: { default: 'NOT_FOUND' },
    expectOk: true,
  },
  {
    fn,
    action: 'reach',
    input: ({ data }) => ({ itemId: data.itemId }),
    allowed: xugouReaders,
    expectOk: true,
  },
  {
    fn,
    action: 'unacknowledged',
    input: ({ data }) => ({ itemId: data.itemId }),
    allowed: xugouReaders,
    expectOk: true,
  },
  {
    fn,
    action: 'remind',
    input: ({ data }) => ({ itemId: data.itemId }),
    allowed: xugouPublishers,
    expectOk: true,
  },
  {
    fn,
    action: 'consent',
    input: () => ({ templateKey: 'notice' }),
    allowed: ['signedIn'],
    expectOk: true,
  },
  { fn, action: 'subscriptions', input: () => ({}), allowed: ['signedIn'], expectOk: true },
  {
    fn,
    action: 'createSession',
    input: () => ({ ...openSession, divisionCodes: [xugou] }),
    allowed: xugouPublishers,
    expectOk: true,
  },
  { fn, action: 'sessions', input: () => ({}), allowed: ['signedIn'], expectOk: true },
  {
    fn,
    action: 'session',
    input: ({ data }) => ({ sessionId: data.sessionId }),
    allowed: [...xugouReaders, ...addressed],
    refused: { default: 'NOT_FOUND' },
    expectOk: true,
  },
  {
    fn,
    action: 'enroll',
    input: ({ data }) => ({ sessionId: data.sessionId }),
    allowed: addressed,
    expectOk: true,
  },
  {
    fn,
    action: 'signInCode',
    input: ({ data }) => ({ sessionId: data.sessionId }),
    allowed: xugouPublishers,
    expectOk: true,
  },
  {
    fn,
    action: 'signIn',
    input: ({ data }) => ({ code: data.code, sessionId: data.sessionId }),
    allowed: ['signedIn'],
    expectOk: true,
  },
  {
    fn,
    action: 'markAttendance',
    input: ({ data, world }) => ({
      sessionId: data.sessionId,
      userId: world.ids.producerB,
      reason: '现场纸质签到',
    }),
    allowed: xugouPublishers,
    expectOk: true,
  },
  {
    fn,
    action: 'attendees',
    input: ({ data }) => ({ sessionId: data.sessionId }),
    allowed: xugouPublishers,
    expectOk: true,
  },
  {
    fn,
    action: 'sessionAddressees',
    input: ({ data }) => ({ sessionId: data.sessionId, query: '' }),
    allowed: xugouPublishers,
    expectOk: true,
  },
  { fn, action: 'coverage', input: () => ({}), allowed: ['supervisor', 'admin'], expectOk: true },
  {
    fn,
    action: 'coverageExport',
    input: () => ({}),
    allowed: ['supervisor', 'admin'],
    expectOk: true,
  },
  // Only the runtime's timer: no persona at all.
  { fn, action: 'tick', input: () => ({}), allowed: [] },
];

authorizationMatrix('outreach', rows, { setup });

it('covers every action of the function', () => {
  expect(rows.map((r) => r.action).sort()).toEqual(Object.keys(outreachFunction.actions).sort());
});
