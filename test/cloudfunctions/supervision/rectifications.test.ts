import type {
  RectificationDetail,
  RectificationView,
  SampleOutcome,
  UploadedPhoto,
} from '../../../cloudfunctions/supervision/actions';
import type { Rectification } from '../../../src/domain/supervision';
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

beforeEach(async () => {
  rt = supervisionRuntime();
  w = await buildWorld(rt);
  const failed = await rt.svOk<SampleOutcome>(
    'recordSample',
    sampleInput(w.wang._id, [w.wangCert.code], true),
    'sup-xg',
  );
  caseId = failed.rectification!._id;
});
afterEach(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

const list = (as: string, input: Record<string, unknown> = {}) =>
  rt.svOk<RectificationView[]>('rectifications', input, as);
const measures = { measures: '停用违规农药，清理库存', evidenceFileIds: [] as string[] };
const stored = () => rt.store.collection<Rectification>('rectifications').get(caseId);

describe('overdue, derived with the clock', () => {
  it('is not overdue on the deadline day, overdue the day after, and never once closed', async () => {
    rt.setNow('2026-12-14T15:59:00.000Z'); // 23:59 China time on the deadline day
    expect((await list('sup-xg'))[0]).toMatchObject({ overdue: false, daysLeft: 0 });
    expect(await list('sup-xg', { overdue: true })).toEqual([]);

    rt.setNow('2026-12-14T16:00:00.000Z'); // 00:00 on 12-15 in China
    expect((await list('sup-xg'))[0]).toMatchObject({
      overdue: true,
      daysOverdue: 1,
      daysLeft: 0,
      statusLabel: '整改中',
    });
    expect(await list('sup-xg', { overdue: true })).toHaveLength(1);

    // A submitted case is still overdue until it is signed off.
    await rt.svOk('submitRectification', { caseId, ...measures }, 'wx-wang');
    rt.setNow('2026-12-20T02:00:00.000Z');
    expect((await list('sup-xg'))[0]).toMatchObject({ status: 'submitted', daysOverdue: 6 });

    await rt.svOk('signOff', { caseId, decision: 'close', note: '' }, 'sup-xg');
    expect((await list('sup-xg'))[0]).toMatchObject({
      status: 'closed',
      overdue: false,
      daysOverdue: 0,
      daysLeft: null,
    });
    // Nothing about being overdue is stored.
    expect(Object.keys((await stored())!)).not.toContain('overdue');
  });
});

describe('submitRectification', () => {
  it('is open to the subject’s producer and to staff of its division, not to other producers', async () => {
    expect(await rt.sv('submitRectification', { caseId, ...measures }, 'wx-zhao')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await rt.sv('submitRectification', { caseId, ...measures }, 'sup-ld')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await stored())!.status).toBe('open');
    await rt.svOk('submitRectification', { caseId, ...measures }, 'coord-xg');
    const again = await rt.svOk<RectificationView>(
      'submitRectification',
      { caseId, measures: '补充：更换供药渠道', evidenceFileIds: [] },
      'wx-wang',
    );
    expect(again).toMatchObject({ status: 'submitted', measures: '补充：更换供药渠道' });
  });

  it('takes evidence photos the producer uploaded, and refuses someone else’s', async () => {
    const upload = (as: string) =>
      rt.svOk<UploadedPhoto>(
        'uploadPhoto',
        { base64: jpegBytes().toString('base64'), contentType: 'image/jpeg' },
        as,
      );
    const mine = await upload('wx-wang');
    const theirs = await upload('wx-zhao');
    expect(
      await rt.sv(
        'submitRectification',
        { caseId, measures: measures.measures, evidenceFileIds: [mine.fileId, theirs.fileId] },
        'wx-wang',
      ),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        fields: { 'evidenceFileIds.1': ['只能使用您自己上传的照片'] },
      },
    });
    expect((await stored())!.evidence).toEqual([]);
    const done = await rt.svOk<RectificationView>(
      'submitRectification',
      { caseId, measures: measures.measures, evidenceFileIds: [mine.fileId] },
      'wx-wang',
    );
    expect(done.evidence).toEqual([mine.fileId]);
    // The supervisor of the division may now see it; 连岛's may not.
    expect(await rt.sv('photoUrls', { fileIds: [mine.fileId] }, 'sup-xg')).toMatchObject({
      ok: true,
    });
    expect(await rt.sv('photoUrls', { fileIds: [mine.fileId] }, 'sup-ld')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('refuses a closed case and short measures', async () => {
    expect(
      await rt.sv(
        'submitRectification',
        { caseId, measures: '好', evidenceFileIds: [] },
        'wx-wang',
      ),
    ).toMatchObject({ ok: false, error: { fields: { measures: ['整改措施至少 4 个字'] } } });
    await rt.svOk('submitRectification', { caseId, ...measures }, 'wx-wang');
    await rt.svOk('signOff', { caseId, decision: 'close', note: '' }, 'sup-xg');
    expect(await rt.sv('submitRectification', { caseId, ...measures }, 'wx-wang')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: '这项整改已销号，不能再提交' },
    });
  });
});

describe('signOff', () => {
  it('needs submitted measures, a reason to send back, and a later deadline', async () => {
    expect(await rt.sv('signOff', { caseId, decision: 'close', note: '' }, 'sup-xg')).toMatchObject(
      { ok: false, error: { code: 'CONFLICT', message: '整改措施尚未提交，暂不能核查' } },
    );
    await rt.svOk('submitRectification', { caseId, ...measures }, 'wx-wang');
    expect(
      await rt.sv('signOff', { caseId, decision: 'reopen', note: '' }, 'sup-xg'),
    ).toMatchObject({ ok: false, error: { fields: { note: ['退回整改请写明原因'] } } });
    expect(
      await rt.sv(
        'signOff',
        { caseId, decision: 'reopen', note: '库存未清理', deadline: '2026-11-29' },
        'sup-xg',
      ),
    ).toMatchObject({ ok: false, error: { fields: { deadline: ['新的整改期限应晚于今天'] } } });
    const reopened = await rt.svOk<RectificationView>(
      'signOff',
      { caseId, decision: 'reopen', note: '库存未清理', deadline: '2026-12-31' },
      'sup-xg',
    );
    expect(reopened).toMatchObject({
      status: 'open',
      deadline: '2026-12-31',
      closedAt: null,
      signOffs: [{ decision: 'reopen', note: '库存未清理', by: 'sup-xg' }],
    });
  });

  it('is for supervisors and admins of the division only; producers and 连岛 are refused', async () => {
    await rt.svOk('submitRectification', { caseId, ...measures }, 'wx-wang');
    for (const as of ['wx-wang', 'coord-xg', 'enf-xg', 'sup-ld']) {
      expect(await rt.sv('signOff', { caseId, decision: 'close', note: '' }, as)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect((await stored())!.status).toBe('submitted');
    expect(await rt.sv('signOff', { caseId, decision: 'close', note: '' }, 'admin')).toMatchObject({
      ok: true,
    });
  });

  it('refuses a supervisor signing off their own subject’s case', async () => {
    await rt.addUser('wx-wang', ['producer', 'supervisor'], '320703001');
    await rt.svOk('submitRectification', { caseId, ...measures }, 'wx-wang');
    expect(
      await rt.sv('signOff', { caseId, decision: 'close', note: '' }, 'wx-wang'),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: '不能核查自己经营主体的整改' },
    });
  });
});

describe('rectifications and rectification', () => {
  it('shows producers their own cases only, with the sample that opened them', async () => {
    expect(await list('wx-wang')).toHaveLength(1);
    expect(await list('wx-zhao')).toEqual([]);
    expect(await list('sup-ld')).toEqual([]);
    expect(await list('admin')).toHaveLength(1);
    const detail = await rt.svOk<RectificationDetail>('rectification', { caseId }, 'wx-wang');
    expect(detail).toMatchObject({
      case: { _id: caseId, reasonLabel: '承诺与抽检结果不符' },
      sample: { result: 'fail', items: [{ item: '有机磷和氨基甲酸酯类农药残留', result: 'fail' }] },
    });
    expect(await rt.sv('rectification', { caseId }, 'wx-zhao')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await rt.sv('rectification', { caseId: 'rec_none' }, 'sup-xg')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('filters by status and subject', async () => {
    expect(await list('sup-xg', { status: 'closed' })).toEqual([]);
    expect(await list('sup-xg', { status: 'open', subjectId: w.wang._id })).toHaveLength(1);
    expect(await rt.sv('rectifications', { status: 'done' }, 'sup-xg')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { status: ['整改状态不正确'] } },
    });
  });
});
