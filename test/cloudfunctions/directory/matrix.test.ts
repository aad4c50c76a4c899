import { directoryFunction } from '../../../cloudfunctions/directory/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Subject } from '../../../src/domain/subject';
import {
  authorizationMatrix,
  liandao,
  xugou,
  type Persona,
  type World,
} from '../../helpers/matrix';
import { smallholder } from '../../helpers/runtime';
import { idNumber, rosterRow, rosterXlsx } from './helpers';

/** A fresh identity per call, so each persona acts on its own new subject. */
let serial = 100;

/** A newly registered subject (pending review) in a division, operated by a new user. */
async function freshSubject(world: World, divisionCode = xugou): Promise<Subject> {
  const n = serial++;
  return world.rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({
      name: `新农户${n}`,
      identityNumber: idNumber(n),
      divisionCode,
      address: divisionCode === xugou ? '连云区墟沟街道东山村' : '连云区连岛街道海滨村',
    }),
    `mx-new-${n}`,
  );
}

/** A subject that has been dormant for a year: registered long ago, out of season, no certificate. */
async function dormantSubject(world: World): Promise<Subject> {
  const s = await freshSubject(world);
  const dormant = { ...s, createdAt: '2025-06-01T00:00:00.000Z', seasonMonths: [6, 7] };
  await world.rt.store.collection<Subject>('subjects').put(dormant);
  return dormant;
}

interface Data {
  roster: string;
}

const staff: readonly Persona[] = [
  'coordinatorXugou',
  'supervisorXugou',
  'enforcementXugou',
  'coordinatorLiandao',
  'supervisorLiandao',
  'enforcementLiandao',
  'admin',
];
const xugouReaders: readonly Persona[] = [
  'coordinatorXugou',
  'supervisorXugou',
  'enforcementXugou',
  'admin',
];
const xugouEditors: readonly Persona[] = ['supervisorXugou', 'admin'];

authorizationMatrix<Data>(
  'directory function: roles × actions',
  [
    ...(['list', 'pending', 'dormant', 'duplicates', 'export'] as const).map((action) => ({
      title: `${action} (own area)`,
      fn: directoryFunction,
      action,
      input: () => ({}),
      allowed: staff,
      expectOk: true,
    })),
    ...(['list', 'pending', 'dormant', 'duplicates', 'export'] as const).map((action) => ({
      title: `${action} of 墟沟`,
      fn: directoryFunction,
      action,
      input: () => ({ divisionCode: xugou }),
      allowed: xugouReaders,
      expectOk: true,
    })),
    {
      title: 'get a 墟沟 subject',
      fn: directoryFunction,
      action: 'get',
      input: ({ world }) => ({ subjectId: world.subjects.producerA._id }),
      allowed: xugouReaders,
      expectOk: true,
    },
    {
      title: 'review a new 墟沟 registration',
      fn: directoryFunction,
      action: 'review',
      input: async ({ world }) => ({
        subjectId: (await freshSubject(world))._id,
        decision: 'approve',
      }),
      allowed: xugouEditors,
      expectOk: true,
    },
    {
      title: 'review a new 连岛 registration',
      fn: directoryFunction,
      action: 'review',
      input: async ({ world }) => ({
        subjectId: (await freshSubject(world, liandao))._id,
        decision: 'request_changes',
        reason: '请补充材料',
      }),
      allowed: ['supervisorLiandao', 'admin'],
      expectOk: true,
    },
    {
      fn: directoryFunction,
      action: 'importTemplate',
      input: () => ({}),
      allowed: ['supervisor', 'admin'],
      expectOk: true,
    },
    {
      // A supervisor of 连岛 gets through to the check, which refuses the 墟沟 row.
      title: 'import (dry run) a 墟沟 roster',
      fn: directoryFunction,
      action: 'import',
      input: ({ data }) => ({ base64: data.roster, dryRun: true }),
      allowed: ['supervisor', 'admin'],
      expectOk: true,
    },
    {
      title: 'merge two new 墟沟 subjects',
      fn: directoryFunction,
      action: 'merge',
      input: async ({ world }) => ({
        keepId: (await freshSubject(world))._id,
        mergeIds: [(await freshSubject(world))._id],
        reason: '一人多身份',
      }),
      allowed: xugouEditors,
      expectOk: true,
    },
    {
      title: 'confirm a dormant 墟沟 subject',
      fn: directoryFunction,
      action: 'confirmDormant',
      input: async ({ world }) => ({
        subjectId: (await dormantSubject(world))._id,
        decision: 'keep',
        reason: '电话核实仍在经营',
      }),
      allowed: xugouEditors,
      expectOk: true,
    },
    {
      title: "history of producer A's subject",
      fn: directoryFunction,
      action: 'history',
      input: ({ world }) => ({ subjectId: world.subjects.producerA._id }),
      allowed: [...xugouReaders, 'producerA'],
      refused: {
        stranger: 'NOT_FOUND',
        producerB: 'NOT_FOUND',
        buyer: 'NOT_FOUND',
        default: 'FORBIDDEN',
      },
      expectOk: true,
    },
    {
      title: "subject.update of producer A's subject",
      fn: subjectFunction,
      action: 'update',
      input: ({ world }) => ({
        subjectId: world.subjects.producerA._id,
        phone: `1390000${String(serial++).padStart(4, '0')}`,
      }),
      allowed: ['producerA'],
      refused: 'NOT_FOUND',
      expectOk: true,
    },
  ],
  {
    setup: async () => ({ roster: await rosterXlsx([rosterRow(9001)]) }),
  },
);
