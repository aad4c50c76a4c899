import type { AuditEntry } from '../../../cloudfunctions/kit/audit';
import { runScheduled } from '../../../cloudfunctions/kit/system';
import { startScheduler } from '../../../cloudfunctions/local/scheduler';
import {
  reportFunction,
  type SummariesResult,
  type SummaryDocView,
  type SummaryReport,
  type TickResult,
} from '../../../cloudfunctions/report/actions';
import { summaryDocId, type SummaryDoc } from '../../../src/domain/report';
import { pdfText } from '../print/pdf-tools';
import {
  buildReportWorld,
  liandao,
  reportConfig,
  reportRuntime,
  xugou,
  type ReportRuntime,
} from './world';

let rt: ReportRuntime;

beforeEach(async () => {
  rt = reportRuntime();
  await buildReportWorld(rt);
});
afterEach(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

const xugouId = summaryDocId(xugou, '2026-05-06');
const narrative = {
  experience: '以合作社为重点，逐户上门指导开具合格证。',
  problems: '个别小农户仍习惯口头承诺。',
  suggestions: '下一步结合农贸市场准入倒逼开证。',
};
const drafts = () => rt.store.collection<SummaryDoc>('summaries').find({});
const notices = async () =>
  (await rt.store.collection<AuditEntry>('audit').find({})).filter(
    (a) => a.action === 'report.summary.notify',
  );

describe('report.tick', () => {
  it('drafts every street’s summary on the due date, once however often it runs', async () => {
    const first = await rt.system<TickResult>(reportFunction, 'tick');
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    expect(first.data).toMatchObject({
      today: '2026-05-06',
      period: '2026-05-06',
      channel: 'audit',
    });
    expect(first.data.created).toHaveLength(13);
    const second = await rt.system<TickResult>(reportFunction, 'tick');
    expect(second).toMatchObject({ ok: true, data: { created: [], channel: null } });
    if (second.ok) expect(second.data.existing).toHaveLength(13);
    expect(await drafts()).toHaveLength(13);

    const doc = await rt.store.collection<SummaryDoc>('summaries').get(xugouId);
    expect(doc).toMatchObject({
      divisionCode: xugou,
      period: '2026-05-06',
      from: '2025-12-01',
      to: '2026-04-30',
      status: 'draft',
      narrative: { experience: '', problems: '', suggestions: '' },
      notified: ['sup-xg'],
      generatedAt: '2026-05-06T01:00:00.000Z',
      submittedAt: null,
    });
    // The snapshot is the summary's figures at the moment of drafting.
    const live = await rt.reportOk<SummaryReport>(
      'summary',
      { divisionCode: xugou, from: '2025-12-01', to: '2026-04-30' },
      'admin',
    );
    expect(doc?.figures).toEqual(live.figures);

    // One notice per street, naming its supervisors.
    const sent = await notices();
    expect(sent).toHaveLength(13);
    expect(sent.find((n) => n.entityId === xugouId)?.detail).toMatchObject({
      channel: 'audit',
      recipients: ['sup-xg'],
      period: '2026-05-06',
    });
    expect(
      sent.find((n) => n.entityId === summaryDocId(liandao, '2026-05-06'))?.detail,
    ).toMatchObject({
      recipients: ['sup-ld'],
    });
  });

  it('drafts nothing between due dates, and catches up a missed one within 30 days', async () => {
    rt.setNow('2026-04-20T01:00:00.000Z');
    expect(await rt.system(reportFunction, 'tick')).toMatchObject({
      ok: true,
      data: { period: null, created: [] },
    });
    rt.setNow('2026-06-20T01:00:00.000Z');
    expect(await rt.system(reportFunction, 'tick')).toMatchObject({
      ok: true,
      data: { period: null },
    });
    expect(await drafts()).toHaveLength(0);
    rt.setNow('2026-05-20T01:00:00.000Z');
    const late = await rt.system<TickResult>(reportFunction, 'tick');
    expect(late).toMatchObject({ ok: true, data: { period: '2026-05-06' } });
    expect(await drafts()).toHaveLength(13);
  });

  it('is the runtime’s, not a person’s', async () => {
    expect(await rt.report('tick', {}, 'admin')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await rt.report('tick', {}, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('runs as the function’s scheduled work, and from the local scheduler', async () => {
    const deps = { store: rt.store, config: reportConfig, files: rt.files, now: rt.now };
    const out = await runScheduled([reportFunction], deps);
    expect((out.report as TickResult).created).toHaveLength(13);
    const scheduler = startScheduler([reportFunction], deps, { firstRunMs: 60_000 });
    try {
      const again = await scheduler.runNow();
      expect((again.report as TickResult).existing).toHaveLength(13);
    } finally {
      scheduler.stop();
    }
    expect(await drafts()).toHaveLength(13);
    expect(await notices()).toHaveLength(13);
  });
});

describe('report.submitSummary and report.summaries', () => {
  beforeEach(async () => {
    await rt.system(reportFunction, 'tick');
  });

  it('lets the street’s supervisor add the narrative and submit, once', async () => {
    rt.setNow('2026-05-08T02:00:00.000Z');
    const done = await rt.reportOk<SummaryDocView>(
      'submitSummary',
      { id: xugouId, narrative },
      'sup-xg',
    );
    expect(done).toMatchObject({
      status: 'submitted',
      statusLabel: '已报送',
      submittedBy: 'sup-xg',
      submittedAt: '2026-05-08T02:00:00.000Z',
      narrative,
      divisionName: '墟沟街道',
    });
    expect(await rt.report('submitSummary', { id: xugouId, narrative }, 'sup-xg')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    // The summary and its PDF now carry the street's words.
    const s = await rt.reportOk<SummaryReport>(
      'summary',
      { divisionCode: xugou, from: '2025-12-01', to: '2026-04-30' },
      'admin',
    );
    expect(s.document?.narrative).toEqual(narrative);
    const pdf = await rt.reportOk<{ fileId: string }>(
      'summaryPdf',
      { divisionCode: xugou, from: '2025-12-01', to: '2026-04-30' },
      'admin',
    );
    const text = pdfText((await rt.files.get(pdf.fileId))!.bytes);
    expect(text).toContain('逐户上门指导开具合格证');
    expect(text).toContain('已报送');
  });

  it('refuses another street’s supervisor, the bureau, and a thin narrative', async () => {
    expect(await rt.report('submitSummary', { id: xugouId, narrative }, 'sup-ld')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await rt.report('submitSummary', { id: xugouId, narrative }, 'admin')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await rt.report(
        'submitSummary',
        { id: xugouId, narrative: { ...narrative, problems: '无' } },
        'sup-xg',
      ),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        fields: { 'narrative.problems': ['请填写存在的问题（至少 4 个字）'] },
      },
    });
    expect(await rt.report('submitSummary', { id: 'sum_nope', narrative }, 'sup-xg')).toMatchObject(
      {
        ok: false,
        error: { code: 'NOT_FOUND' },
      },
    );
  });

  it('shows the bureau who has not submitted', async () => {
    await rt.reportOk('submitSummary', { id: xugouId, narrative }, 'sup-xg');
    const all = await rt.reportOk<SummariesResult>('summaries', {}, 'admin');
    expect(all.period).toMatchObject({
      period: '2026-05-06',
      from: '2025-12-01',
      to: '2026-04-30',
    });
    expect(all.due).toBe(true);
    expect(all.rows).toHaveLength(13);
    expect(all.submitted).toBe(1);
    expect(all.notSubmitted).toHaveLength(12);
    expect(all.notSubmitted.map((r) => r.divisionCode)).not.toContain(xugou);
    expect(all.notSubmitted[0]).toMatchObject({ status: 'draft', statusLabel: '待报送' });
    // A period never drafted: every street is missing.
    const next = await rt.reportOk<SummariesResult>('summaries', { period: '2026-08-06' }, 'admin');
    expect(next.due).toBe(false);
    expect(next.notSubmitted.every((r) => r.status === 'missing')).toBe(true);
    // A street office sees its own row.
    const own = await rt.reportOk<SummariesResult>('summaries', {}, 'sup-ld');
    expect(own.rows.map((r) => r.divisionCode)).toEqual([liandao]);
    expect(await rt.report('summaries', { period: '2026-05-07' }, 'admin')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('opens one document for its street and the bureau', async () => {
    const doc = await rt.reportOk<SummaryDocView>('summaryDoc', { id: xugouId }, 'sup-xg');
    expect(doc).toMatchObject({
      label: '2026年第1次书面总结（2025年12月—2026年4月）',
      status: 'draft',
    });
    expect(await rt.report('summaryDoc', { id: xugouId }, 'sup-ld')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await rt.reportOk('summaryDoc', { id: xugouId }, 'admin')).toMatchObject({
      _id: xugouId,
    });
  });
});
