import type {
  KeyListItem,
  RectificationView,
  SampleOutcome,
} from '../../../cloudfunctions/supervision/actions';
import type { AuditEntry } from '../../../cloudfunctions/kit/audit';
import { certificateFunction } from '../../../cloudfunctions/certificate/actions';
import type { KeySupervision, Rectification, Sample } from '../../../src/domain/supervision';
import { issueInput } from '../../helpers/runtime';
import {
  buildWorld,
  forge,
  sampleInput,
  supervisionRuntime,
  type SupervisionRuntime,
  type SupervisionWorld,
} from './world';

let rt: SupervisionRuntime;
let w: SupervisionWorld;

beforeEach(async () => {
  rt = supervisionRuntime();
  w = await buildWorld(rt);
});
afterEach(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

const sample = (input: unknown, as = 'sup-xg') => rt.svOk<SampleOutcome>('recordSample', input, as);
const keyList = (as = 'sup-xg', input: Record<string, unknown> = {}) =>
  rt.svOk<KeyListItem[]>('keyList', input, as);
const submit = (caseId: string, as = 'wx-wang') =>
  rt.svOk<RectificationView>(
    'submitRectification',
    { caseId, measures: '停用违规农药，清理库存，重新培训用药', evidenceFileIds: [] },
    as,
  );
const close = (caseId: string, as = 'sup-xg') =>
  rt.svOk<RectificationView>('signOff', { caseId, decision: 'close', note: '现场核查到位' }, as);

/** Issue → sample fails → key list and a case: the first half of every path. */
async function failOnPromise(): Promise<SampleOutcome> {
  return sample(sampleInput(w.wang._id, [w.wangCert.verifyUrl], true));
}

describe('the key-supervision path', () => {
  it('runs end to end: fail → key list + case → submit → close → follow-up passes → off', async () => {
    const failed = await failOnPromise();
    expect(failed.promiseContradicted).toBe(true);
    expect(failed.sample).toMatchObject({
      source: 'supervision',
      subjectId: w.wang._id,
      certificateCodes: [w.wangCert.code],
      promisedCodes: [w.wangCert.code],
      kind: 'rapid',
      result: 'fail',
      divisionCode: '320703001',
      by: 'sup-xg',
      at: '2026-11-29T02:00:00.000Z',
    });
    expect(failed.rectification).toMatchObject({
      subjectId: w.wang._id,
      sampleId: failed.sample._id,
      divisionCode: '320703001',
      reason: 'promise_contradicted',
      measures: '',
      evidence: [],
      status: 'open',
      deadline: '2026-12-14',
      note: '抽检不合格项目：有机磷和氨基甲酸酯类农药残留（抑制率 62%，标准 抑制率<50%）',
      overdue: false,
      daysLeft: 15,
    });
    expect(failed.keySupervision).toMatchObject({
      _id: w.wang._id,
      status: 'active',
      since: '2026-11-29T02:00:00.000Z',
      reason: 'promise_contradicted',
      sampleId: failed.sample._id,
      caseIds: [failed.rectification!._id],
      samplingIntervalDays: 30,
    });
    // What is stored is what was answered.
    expect(await rt.store.collection<Sample>('samples').get(failed.sample._id)).toEqual(
      failed.sample,
    );

    let list = await keyList();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      subjectId: w.wang._id,
      subjectName: '王建国',
      status: 'active',
      statusLabel: '重点监管中',
      reasonLabel: '承诺与抽检结果不符',
      openCases: 1,
      overdueCases: 0,
      lastSampledOn: '2026-11-29',
      nextSamplingDue: '2026-12-29',
      samplingDue: false,
    });

    const caseId = failed.rectification!._id;
    rt.setNow('2026-12-05T02:00:00.000Z');
    expect(await submit(caseId)).toMatchObject({ status: 'submitted', submittedBy: 'wx-wang' });
    rt.setNow('2026-12-08T02:00:00.000Z');
    expect(await close(caseId)).toMatchObject({
      status: 'closed',
      closedAt: '2026-12-08T02:00:00.000Z',
      closedBy: 'sup-xg',
      signOffs: [{ decision: 'close', note: '现场核查到位', by: 'sup-xg' }],
    });
    // Closed, but no follow-up yet: still on the list.
    expect((await keyList())[0]).toMatchObject({ status: 'active', openCases: 0 });

    rt.setNow('2026-12-10T02:00:00.000Z');
    const followUp = await sample(sampleInput(w.wang._id, [w.wangCert.code], false, '2026-12-10'));
    expect(followUp).toMatchObject({
      lifted: true,
      promiseContradicted: false,
      rectification: null,
      keySupervision: {
        status: 'lifted',
        liftedAt: '2026-12-10T02:00:00.000Z',
        liftedBySampleId: followUp.sample._id,
      },
      sample: { result: 'pass', liftedKeySupervision: true },
    });
    expect(await keyList('sup-xg', { status: 'active' })).toEqual([]);
    list = await keyList('sup-xg', { status: 'lifted' });
    expect(list[0]).toMatchObject({ status: 'lifted', nextSamplingDue: null });

    const audit = await rt.store.collection<AuditEntry>('audit').find();
    expect(audit.map((a) => a.action).filter((a) => a.startsWith('supervision.'))).toEqual([
      'supervision.sample',
      'supervision.rectification.open',
      'supervision.key.place',
      'supervision.rectification.submit',
      'supervision.rectification.close',
      'supervision.sample',
      'supervision.key.lift',
    ]);
  });

  it('keeps the subject on the list when the follow-up fails (and opens another case)', async () => {
    const failed = await failOnPromise();
    const caseId = failed.rectification!._id;
    await submit(caseId);
    await close(caseId);
    rt.setNow('2026-11-30T02:00:00.000Z');
    const again = await sample(sampleInput(w.wang._id, [w.wangCert.code], true, '2026-11-30'));
    expect(again.lifted).toBe(false);
    expect(again.keySupervision).toMatchObject({
      status: 'active',
      since: '2026-11-29T02:00:00.000Z',
      caseIds: [caseId, again.rectification!._id],
    });
    // Passing now is not enough: the new case is open.
    rt.setNow('2026-12-01T02:00:00.000Z');
    const pass = await sample(sampleInput(w.wang._id, [], false, '2026-12-01'));
    expect(pass.lifted).toBe(false);
    expect((await keyList())[0]).toMatchObject({ status: 'active', openCases: 1 });
  });

  it('keeps the subject on the list when a sample passes while the case is open or submitted', async () => {
    const failed = await failOnPromise();
    rt.setNow('2026-11-30T02:00:00.000Z');
    expect((await sample(sampleInput(w.wang._id, [], false, '2026-11-30'))).lifted).toBe(false);
    await submit(failed.rectification!._id);
    rt.setNow('2026-12-01T02:00:00.000Z');
    expect((await sample(sampleInput(w.wang._id, [], false, '2026-12-01'))).lifted).toBe(false);
    expect((await keyList())[0]?.status).toBe('active');
  });

  it('does not count a sample taken before the sign-off, even if recorded after it', async () => {
    const failed = await failOnPromise();
    rt.setNow('2026-12-03T02:00:00.000Z');
    await submit(failed.rectification!._id);
    await close(failed.rectification!._id);
    rt.setNow('2026-12-04T02:00:00.000Z');
    const late = await sample(sampleInput(w.wang._id, [], false, '2026-12-02'));
    expect(late.lifted).toBe(false);
    const followUp = await sample(sampleInput(w.wang._id, [], false, '2026-12-03'));
    expect(followUp.lifted).toBe(true);
  });

  it('goes back on the list after leaving it, keeping the earlier episode in its history', async () => {
    const failed = await failOnPromise();
    await submit(failed.rectification!._id);
    await close(failed.rectification!._id);
    rt.setNow('2026-11-30T02:00:00.000Z');
    const pass = await sample(sampleInput(w.wang._id, [], false, '2026-11-30'));
    expect(pass.lifted).toBe(true);
    rt.setNow('2027-01-05T02:00:00.000Z');
    const cert = await rt.ok<{ code: string }[]>(
      certificateFunction,
      'issue',
      issueInput(w.wang._id),
      'wx-wang',
    );
    const again = await sample(sampleInput(w.wang._id, [cert[0]!.code], true, '2027-01-05'));
    expect(again.keySupervision).toMatchObject({
      status: 'active',
      since: '2027-01-05T02:00:00.000Z',
      liftedAt: null,
      history: [
        {
          since: '2026-11-29T02:00:00.000Z',
          liftedAt: '2026-11-30T02:00:00.000Z',
          liftedBySampleId: pass.sample._id,
          caseIds: [failed.rectification!._id],
        },
      ],
    });
  });
});

describe('recordSample: what a failure means', () => {
  it('opens a case but no key supervision when no certificate is linked (no promise to contradict)', async () => {
    const res = await sample(sampleInput(w.wang._id, [], true));
    expect(res).toMatchObject({
      promiseContradicted: false,
      rectification: { reason: 'failed_sample', status: 'open' },
      keySupervision: null,
      lifted: false,
    });
    expect(await rt.store.collection('keySupervision').count()).toBe(0);
  });

  it('takes a certificate revoked before the sampling day as no promise, and one revoked after as one', async () => {
    await rt.store
      .collection('certificates')
      .update(w.wangCert.code, { status: 'revoked', revokedAt: '2026-11-28T01:00:00.000Z' });
    const before = await sample(sampleInput(w.wang._id, [w.wangCert.code], true));
    expect(before.promiseContradicted).toBe(false);
    expect(before.sample.promisedCodes).toEqual([]);
    await rt.store
      .collection('certificates')
      .update(w.wangCert.code, { revokedAt: '2026-11-29T03:00:00.000Z' });
    const after = await sample(sampleInput(w.wang._id, [w.wangCert.code], true));
    expect(after.promiseContradicted).toBe(true);
  });

  it('passes leave no case and no key supervision', async () => {
    const res = await sample(sampleInput(w.wang._id, [w.wangCert.code], false));
    expect(res).toMatchObject({
      promiseContradicted: false,
      rectification: null,
      keySupervision: null,
      lifted: false,
      sample: { result: 'pass', caseId: null },
    });
    expect(await rt.store.collection('rectifications').count()).toBe(0);
  });

  it('refuses certificates that do not exist, are not the subject’s, or carry a forged signature — storing nothing', async () => {
    const res = await rt.sv(
      'recordSample',
      sampleInput(
        w.wang._id,
        ['ZZZZZZZZZZZZZZZZ', w.zhaoCert.code, forge(w.wangCert.verifyUrl), w.wangCert.code],
        true,
      ),
      'sup-xg',
    );
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        fields: {
          'certificateCodes.0': ['没有找到这张合格证'],
          'certificateCodes.1': ['这张合格证不是被抽检主体开具的'],
          'certificateCodes.2': ['标签签名无效，疑似伪造，不能作为该主体的合格证'],
        },
      },
    });
    for (const c of ['samples', 'rectifications', 'keySupervision']) {
      expect(await rt.store.collection(c as 'samples').count()).toBe(0);
    }
  });

  it('refuses a certificate issued after the sampling day, and a sampling day in the future', async () => {
    const early = await rt.sv(
      'recordSample',
      sampleInput(w.wang._id, [w.wangCert.code], true, '2026-11-20'),
      'sup-xg',
    );
    expect(early).toMatchObject({
      ok: false,
      error: { fields: { 'certificateCodes.0': ['这张合格证开具于抽样之后'] } },
    });
    const future = await rt.sv(
      'recordSample',
      sampleInput(w.wang._id, [], true, '2026-11-30'),
      'sup-xg',
    );
    expect(future).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fields: { sampledOn: ['抽样日期不能晚于今天'] } },
    });
  });

  it('validates in Chinese: items, lab for a lab test, dates', async () => {
    const res = await rt.sv(
      'recordSample',
      { subjectId: w.wang._id, kind: 'lab', items: [], sampledOn: '2026-02-30' },
      'sup-xg',
    );
    expect(res).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        fields: {
          items: ['请至少填写一个检测项目'],
          sampledOn: ['抽样日期不是有效的日期'],
        },
      },
    });
    const lab = await rt.sv(
      'recordSample',
      { ...sampleInput(w.wang._id, [], false), kind: 'lab' },
      'sup-xg',
    );
    expect(lab).toMatchObject({
      ok: false,
      error: { fields: { lab: ['实验室检测请填写检测机构'] } },
    });
  });

  it('records a retried request once (same requestId, same outcome, one case)', async () => {
    const input = {
      ...sampleInput(w.wang._id, [w.wangCert.code], true),
      requestId: 'smp-retry-0001',
    };
    const first = await sample(input);
    const second = await sample(input);
    expect(second).toEqual(first);
    expect(await rt.store.collection<Rectification>('rectifications').count()).toBe(1);
    expect(await rt.store.collection<Sample>('samples').count()).toBe(1);
  });

  it('ignores market samples in the schedule (source: market shares the collection)', async () => {
    await failOnPromise();
    await rt.store.collection('samples').insert({
      _id: 'mkt-1',
      source: 'market',
      subjectId: w.wang._id,
      sampledOn: '2026-12-20',
      result: 'pass',
      divisionCode: '320703001',
      at: '2026-12-20T02:00:00.000Z',
    } as never);
    const [item] = await keyList();
    expect(item).toMatchObject({ lastSampledOn: '2026-11-29', nextSamplingDue: '2026-12-29' });
    const list = await rt.svOk<Sample[]>('samples', {}, 'sup-xg');
    expect(list.map((s) => s.source)).toEqual(['supervision']);
  });
});

describe('key supervision from a patrol (虚假开具合格证)', () => {
  it('places the subject with a case once per patrol', async () => {
    const patrol = await rt.svOk<{ _id: string }>(
      'recordPatrol',
      {
        subjectId: w.wang._id,
        date: '2026-11-29',
        staffNames: ['张三'],
        issuingCertificates: true,
        scanned: [forge(w.wangCert.verifyUrl)],
        findings: '现场发现伪造标签',
      },
      'sup-xg',
    );
    const input = { subjectId: w.wang._id, patrolId: patrol._id, note: '现场标签签名无效，系伪造' };
    const placed = await rt.svOk<{ keySupervision: KeySupervision; rectification: Rectification }>(
      'placeOnKeySupervision',
      input,
      'enf-xg',
    );
    expect(placed).toMatchObject({
      keySupervision: { status: 'active', reason: 'false_certificate', patrolId: patrol._id },
      rectification: { reason: 'false_certificate', patrolId: patrol._id, note: input.note },
    });
    expect(await rt.sv('placeOnKeySupervision', input, 'enf-xg')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(
      await rt.sv('placeOnKeySupervision', { ...input, subjectId: w.zhao._id }, 'admin'),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
