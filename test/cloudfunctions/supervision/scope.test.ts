/**
 * Scope: staff of 连岛 can neither see nor change 墟沟's supervision records, producers only
 * their own cases; every refusal leaves the store exactly as it was.
 */
import type {
  KeyListItem,
  PatrolView,
  RectificationView,
  SampleOutcome,
  StationsResult,
  UploadedPhoto,
} from '../../../cloudfunctions/supervision/actions';
import type { CollectionName } from '../../../cloudfunctions/kit/store/port';
import type { Station } from '../../../src/domain/supervision';
import {
  buildWorld,
  jpegBytes,
  sampleInput,
  supervisionRuntime,
  type SupervisionRuntime,
  type SupervisionWorld,
} from './world';

let rt: SupervisionRuntime;
let w: SupervisionWorld;
let caseId: string;
let patrolId: string;
let stationId: string;
let photoId: string;

const watched: CollectionName[] = [
  'samples',
  'patrols',
  'rectifications',
  'keySupervision',
  'stations',
  'files',
  'scans',
  'audit',
];
async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const c of watched) out[c] = await rt.store.collection(c).find();
  return out;
}

beforeEach(async () => {
  rt = supervisionRuntime();
  w = await buildWorld(rt);
  await rt.addUser('sup-none', ['supervisor'], null);
  const failed = await rt.svOk<SampleOutcome>(
    'recordSample',
    sampleInput(w.wang._id, [w.wangCert.code], true),
    'sup-xg',
  );
  caseId = failed.rectification!._id;
  await rt.svOk(
    'submitRectification',
    { caseId, measures: '停用违规农药', evidenceFileIds: [] },
    'wx-wang',
  );
  const photo = await rt.svOk<UploadedPhoto>(
    'uploadPhoto',
    { base64: jpegBytes().toString('base64'), contentType: 'image/jpeg' },
    'sup-xg',
  );
  photoId = photo.fileId;
  patrolId = (
    await rt.svOk<PatrolView>(
      'recordPatrol',
      {
        subjectId: w.wang._id,
        date: '2026-11-29',
        staffNames: ['张三'],
        issuingCertificates: false,
        photoFileIds: [photoId],
      },
      'sup-xg',
    )
  )._id;
  stationId = (
    await rt.svOk<Station>(
      'saveStation',
      { kind: 'station', name: '墟沟监管站', divisionCode: '320703001', staffUserIds: ['sup-xg'] },
      'sup-xg',
    )
  )._id;
});
afterEach(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

/** Calls that name 墟沟's records; `[action, input]`. */
const namingXugou = (): [string, unknown][] => [
  [
    'recordPatrol',
    {
      subjectId: w.wang._id,
      date: '2026-11-29',
      staffNames: ['李四'],
      issuingCertificates: true,
      scanned: [w.wangCert.verifyUrl],
    },
  ],
  ['recordSample', sampleInput(w.wang._id, [w.wangCert.code], true)],
  ['patrols', { subjectId: w.wang._id }],
  ['samples', { subjectId: w.wang._id }],
  ['submitRectification', { caseId, measures: '连岛代为提交', evidenceFileIds: [] }],
  ['signOff', { caseId, decision: 'close', note: '' }],
  ['rectification', { caseId }],
  ['placeOnKeySupervision', { subjectId: w.wang._id, patrolId, note: '连岛越权列入' }],
  [
    'saveStation',
    { id: stationId, kind: 'station', name: '改名', divisionCode: '320703001', staffUserIds: [] },
  ],
  ['photoUrls', { fileIds: [photoId] }],
];

describe('scope', () => {
  it.each(['sup-ld', 'sup-none'])(
    'refuses %s on every 墟沟 record, changing nothing',
    async (as) => {
      const before = await snapshot();
      for (const [action, input] of namingXugou()) {
        const res = await rt.sv(action, input, as);
        expect([action, res.ok ? 'ok' : res.error.code]).toEqual([action, 'FORBIDDEN']);
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it('refuses the other producer on the case, and producers on staff actions', async () => {
    const before = await snapshot();
    for (const [action, input] of namingXugou()) {
      const res = await rt.sv(action, input, 'wx-zhao');
      expect([action, res.ok ? 'ok' : res.error.code]).toEqual([action, 'FORBIDDEN']);
    }
    for (const action of ['workList', 'keyList', 'stations']) {
      const res = await rt.sv(action, {}, 'wx-wang');
      expect([action, res.ok ? 'ok' : res.error.code]).toEqual([action, 'FORBIDDEN']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers UNAUTHENTICATED to anonymous callers', async () => {
    for (const [action, input] of namingXugou()) {
      const res = await rt.sv(action, input, null);
      expect([action, res.ok ? 'ok' : res.error.code]).toEqual([action, 'UNAUTHENTICATED']);
    }
  });

  it('shows 连岛 nothing of 墟沟 in any list', async () => {
    expect(await rt.svOk<PatrolView[]>('patrols', {}, 'sup-ld')).toEqual([]);
    expect(await rt.svOk<unknown[]>('samples', {}, 'sup-ld')).toEqual([]);
    expect(await rt.svOk<RectificationView[]>('rectifications', {}, 'sup-ld')).toEqual([]);
    expect(await rt.svOk<KeyListItem[]>('keyList', {}, 'sup-ld')).toEqual([]);
    expect((await rt.svOk<StationsResult>('stations', {}, 'sup-ld')).stations).toEqual([]);
    // …while 墟沟's own staff see them.
    expect(await rt.svOk<PatrolView[]>('patrols', {}, 'coord-xg')).toHaveLength(1);
    expect(await rt.svOk<KeyListItem[]>('keyList', {}, 'enf-xg')).toHaveLength(1);
  });
});
