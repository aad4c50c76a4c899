/**
 * The authorization matrix of the supervision function: every action as every persona.
 * The matrix runtime has no file store, so an allowed photo call may answer UNAVAILABLE; what is
 * checked here is who gets past role and scope (the photo tests cover the bytes).
 */
import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { deterministicId } from '../../../cloudfunctions/kit/ids';
import {
  supervisionFunction,
  type PatrolView,
  type SampleOutcome,
} from '../../../cloudfunctions/supervision/actions';
import type { PhotoFile } from '../../../cloudfunctions/supervision/photos';
import { issueInput } from '../../helpers/runtime';
import { authorizationMatrix, xugou, type MatrixRow, type World } from '../../helpers/matrix';
import { jpegBytes, sampleInput } from './world';

interface Data {
  caseId: string;
  patrolId: string;
  photoFileId: string;
}

async function setup(world: World): Promise<Data> {
  const a = world.subjects.producerA;
  const [cert] = await world.ok<OwnCertificate[]>(
    'producerA',
    certificateFunction,
    'issue',
    issueInput(a._id),
  );
  const failed = await world.ok<SampleOutcome>(
    'supervisorXugou',
    supervisionFunction,
    'recordSample',
    sampleInput(a._id, [cert!.code], true),
  );
  const patrol = await world.ok<PatrolView>(
    'supervisorXugou',
    supervisionFunction,
    'recordPatrol',
    {
      subjectId: a._id,
      date: '2026-11-29',
      staffNames: ['张三'],
      issuingCertificates: true,
    },
  );
  // A photo on that patrol, as an upload would have left it (the matrix has no file store).
  const photoFileId = `${'ab'.repeat(16)}.jpg`;
  await world.rt.store.collection<PhotoFile>('files').insert({
    _id: deterministicId('photo', photoFileId),
    kind: 'photo',
    fileId: photoFileId,
    key: `photos/2026-11/${photoFileId}`,
    contentType: 'image/jpeg',
    bytes: 1024,
    createdBy: 'mx-enforcement-xg',
    createdAt: '2026-11-29T02:00:00.000Z',
    attachedTo: { entity: 'patrols', id: patrol._id, subjectId: a._id, divisionCode: xugou },
  });
  return { caseId: failed.rectification!._id, patrolId: patrol._id, photoFileId };
}

const fieldStaff = ['coordinator', 'supervisor', 'enforcement', 'admin'] as const;
const xugouStaff = ['coordinatorXugou', 'supervisorXugou', 'enforcementXugou', 'admin'] as const;
const fn = supervisionFunction;
const subjectA = (world: World) => world.subjects.producerA._id;

const rows: MatrixRow<Data>[] = [
  {
    fn,
    action: 'uploadPhoto',
    input: () => ({ base64: jpegBytes().toString('base64'), contentType: 'image/jpeg' }),
    allowed: [...fieldStaff, 'producer'],
  },
  {
    fn,
    action: 'photoUrls',
    input: ({ data }) => ({ fileIds: [data.photoFileId] }),
    allowed: xugouStaff,
  },
  {
    fn,
    action: 'recordPatrol',
    input: ({ world }) => ({
      subjectId: subjectA(world),
      date: '2026-11-29',
      staffNames: ['李四'],
      issuingCertificates: true,
    }),
    allowed: xugouStaff,
    expectOk: true,
  },
  {
    fn,
    action: 'patrols',
    input: ({ world }) => ({ subjectId: subjectA(world) }),
    allowed: xugouStaff,
    expectOk: true,
  },
  {
    fn,
    action: 'recordSample',
    input: ({ world }) => sampleInput(subjectA(world), [], false),
    allowed: xugouStaff,
    expectOk: true,
  },
  {
    fn,
    action: 'samples',
    input: ({ world }) => ({ subjectId: subjectA(world) }),
    allowed: xugouStaff,
    expectOk: true,
  },
  {
    fn,
    action: 'submitRectification',
    input: ({ data }) => ({ caseId: data.caseId, measures: '停用违规农药', evidenceFileIds: [] }),
    allowed: [...xugouStaff, 'producerA'],
    expectOk: true,
  },
  {
    fn,
    action: 'rectification',
    input: ({ data }) => ({ caseId: data.caseId }),
    allowed: [...xugouStaff, 'producerA'],
    expectOk: true,
  },
  {
    fn,
    action: 'rectifications',
    input: () => ({}),
    allowed: [...fieldStaff, 'producer'],
    expectOk: true,
  },
  {
    fn,
    action: 'signOff',
    input: ({ data }) => ({ caseId: data.caseId, decision: 'close', note: '核查到位' }),
    // The first to sign off closes it; the admin after finds it closed (CONFLICT).
    allowed: ['supervisorXugou', 'admin'],
  },
  {
    fn,
    action: 'keyList',
    input: () => ({}),
    allowed: fieldStaff,
    expectOk: true,
  },
  {
    fn,
    action: 'placeOnKeySupervision',
    input: ({ world, data }) => ({
      subjectId: subjectA(world),
      patrolId: data.patrolId,
      note: '现场发现伪造标签',
    }),
    // The first places it; the others find it placed (CONFLICT).
    allowed: ['supervisorXugou', 'enforcementXugou', 'admin'],
  },
  {
    fn,
    action: 'workList',
    input: () => ({}),
    allowed: ['supervisor', 'admin'],
    expectOk: true,
  },
  {
    fn,
    action: 'saveStation',
    input: () => ({
      kind: 'service_point',
      name: '东山村服务点',
      divisionCode: xugou,
      staffUserIds: [],
    }),
    allowed: ['supervisorXugou', 'admin'],
    expectOk: true,
  },
  {
    fn,
    action: 'stations',
    input: () => ({}),
    allowed: fieldStaff,
    expectOk: true,
  },
];

authorizationMatrix<Data>('supervision', rows, { setup });
