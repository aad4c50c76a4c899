import type { AuditEntry } from '../../../cloudfunctions/kit/audit';
import {
  reportFunction,
  type SummariesResult,
  type SummaryDocView,
  type TickResult,
} from '../../../cloudfunctions/report/actions';
import { summaryDocId, type SummaryDoc } from '../../../src/domain/report';
import { buildReportWorld, liandao, reportRuntime, xugou, type ReportRuntime } from './world';

let rt: ReportRuntime;

beforeEach(async () => {
  rt = reportRuntime();
  await buildReportWorld(rt);
  // Two weeks before the 6 May summary is due.
  rt.setNow('2026-04-20T02:00:00.000Z');
});
afterEach(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

const upcoming = '2026-05-06';
const xugouId = summaryDocId(xugou, upcoming);
const narrative = {
  experience: '提前梳理本街道合作社开证台账。',
  problems: '部分散户尚未领取打印设备。',
  suggestions: '五月前完成设备发放和培训。',
};
const summaries = () => rt.store.collection<SummaryDoc>('summaries');
const audits = async (action: string) =>
  (await rt.store.collection<AuditEntry>('audit').find({})).filter((a) => a.action === action);

describe('report.openSummary', () => {
  it('opens the upcoming draft early, once, and the tick later keeps it and its narrative', async () => {
    const list = await rt.reportOk<SummariesResult>('summaries', { period: upcoming }, 'sup-xg');
    expect(list).toMatchObject({ due: false, upcoming: true });
    expect(list.rows[0]).toMatchObject({ divisionCode: xugou, status: 'missing' });

    const opened = await rt.reportOk<SummaryDocView>(
      'openSummary',
      { divisionCode: xugou, period: upcoming },
      'sup-xg',
    );
    expect(opened).toMatchObject({
      _id: xugouId,
      status: 'draft',
      statusLabel: '待报送',
      from: '2025-12-01',
      to: '2026-04-30',
      generatedAt: '2026-04-20T02:00:00.000Z',
      label: '2026年第1次书面总结（2025年12月—2026年4月）',
    });
    // Opening again (a double tap, the bureau) returns the same document.
    const again = await rt.reportOk<SummaryDocView>(
      'openSummary',
      { divisionCode: xugou, period: upcoming },
      'admin',
    );
    expect(again).toEqual(opened);
    expect(await summaries().find({})).toHaveLength(1);
    expect(await audits('report.summary.draft')).toHaveLength(1);

    await rt.reportOk('submitSummary', { id: xugouId, narrative }, 'sup-xg');

    // The due date: the tick drafts the 12 other streets and leaves 墟沟's submitted summary.
    rt.setNow('2026-05-06T01:00:00.000Z');
    const tick = await rt.system<TickResult>(reportFunction, 'tick');
    if (!tick.ok) throw new Error(JSON.stringify(tick.error));
    expect(tick.data.created).toHaveLength(12);
    expect(tick.data.existing).toEqual([xugouId]);
    expect(await summaries().find({})).toHaveLength(13);
    expect(await summaries().get(xugouId)).toMatchObject({
      status: 'submitted',
      narrative,
      generatedAt: '2026-04-20T02:00:00.000Z',
    });
    const notices = await audits('report.summary.notify');
    expect(notices).toHaveLength(12);
    expect(notices.map((n) => n.entityId)).not.toContain(xugouId);
    const all = await rt.reportOk<SummariesResult>('summaries', {}, 'admin');
    expect(all.submitted).toBe(1);
  });

  it('tells the street’s other supervisors once when its draft is opened early', async () => {
    await rt.addUser('sup-xg2', ['supervisor'], xugou, '墟沟监管员二');
    await rt.addUser('sup-xg3', ['supervisor'], xugou, '墟沟监管员三');
    const opened = await rt.reportOk<SummaryDocView>(
      'openSummary',
      { divisionCode: xugou, period: upcoming },
      'sup-xg',
    );
    // The opener is not told; 连岛's supervisor and 墟沟's coordinator are not either.
    expect(opened.notified).toEqual(['sup-xg2', 'sup-xg3']);
    const notices = await audits('report.summary.notify');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      entityId: xugouId,
      detail: {
        channel: 'audit',
        recipients: ['sup-xg2', 'sup-xg3'],
        divisionCode: xugou,
        period: upcoming,
        openedBy: 'sup-xg',
        message:
          '墟沟街道2026年第1次书面总结（2025年12月—2026年4月）草稿已生成，请补充工作经验、存在问题和建议后报送区农业农村局',
      },
    });

    // Opening again (another supervisor, the bureau) and the due date's tick tell no one more
    // about 墟沟's draft.
    await rt.reportOk('openSummary', { divisionCode: xugou, period: upcoming }, 'sup-xg2');
    await rt.reportOk('openSummary', { divisionCode: xugou, period: upcoming }, 'admin');
    rt.setNow('2026-05-06T01:00:00.000Z');
    await rt.system(reportFunction, 'tick');
    const after = await audits('report.summary.notify');
    expect(after.filter((n) => n.entityId === xugouId)).toHaveLength(1);
    expect(after).toHaveLength(13);
  });

  it('when the bureau opens a street’s draft early, tells all of that street’s supervisors', async () => {
    await rt.addUser('sup-xg2', ['supervisor'], xugou, '墟沟监管员二');
    await rt.reportOk('openSummary', { divisionCode: xugou, period: upcoming }, 'admin');
    const notices = await audits('report.summary.notify');
    expect(notices.map((n) => n.detail)).toEqual([
      expect.objectContaining({ recipients: ['sup-xg', 'sup-xg2'], openedBy: 'admin' }),
    ]);
  });

  it('leaves an early draft’s figures as opened; the tick does not overwrite it', async () => {
    const opened = await rt.reportOk<SummaryDocView>(
      'openSummary',
      { divisionCode: xugou, period: upcoming },
      'sup-xg',
    );
    rt.setNow('2026-05-06T01:00:00.000Z');
    await rt.system(reportFunction, 'tick');
    const kept = await summaries().get(xugouId);
    expect(kept?.figures).toEqual(opened.figures);
    expect(kept?.status).toBe('draft');
  });

  it('refuses another street’s supervisor, producers, and staff who do not report', async () => {
    const input = { divisionCode: xugou, period: upcoming };
    expect(await rt.report('openSummary', input, 'sup-ld')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    for (const as of ['wx-wang', 'wx-coop', 'coord-xg']) {
      expect(await rt.report('openSummary', input, as)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(await rt.report('openSummary', input, null)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    expect(await summaries().find({})).toHaveLength(0);
    // 连岛's own office may open 连岛's.
    expect(
      await rt.reportOk('openSummary', { divisionCode: liandao, period: upcoming }, 'sup-ld'),
    ).toMatchObject({ divisionCode: liandao, status: 'draft' });
  });

  it('refuses bad input: a day that is not due, a period other than the upcoming, no street', async () => {
    const refused = async (input: unknown, field: string) => {
      const out = await rt.report('openSummary', input, 'sup-xg');
      expect(out).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!out.ok) expect(Object.keys(out.error.fields ?? {})).toContain(field);
    };
    await refused({ divisionCode: xugou, period: '2026-05-07' }, 'period');
    // Past periods are the tick's; the one after next is not open yet.
    await refused({ divisionCode: xugou, period: '2025-12-06' }, 'period');
    await refused({ divisionCode: xugou, period: '2026-08-06' }, 'period');
    await refused({ divisionCode: '320703', period: upcoming }, 'divisionCode');
    await refused({ period: upcoming }, 'divisionCode');
    expect(await summaries().find({})).toHaveLength(0);
  });

  it('lists a street’s drafts still awaiting their narrative, oldest first', async () => {
    rt.setNow('2026-05-06T01:00:00.000Z');
    await rt.system(reportFunction, 'tick');
    rt.setNow('2026-07-20T02:00:00.000Z');
    await rt.reportOk('openSummary', { divisionCode: xugou, period: '2026-08-06' }, 'sup-xg');
    const own = await rt.reportOk<SummariesResult>('summaries', {}, 'sup-xg');
    expect(own.openDrafts.map((d) => d.id)).toEqual([
      summaryDocId(xugou, '2026-05-06'),
      summaryDocId(xugou, '2026-08-06'),
    ]);
    expect((await rt.reportOk<SummariesResult>('summaries', {}, 'admin')).openDrafts).toHaveLength(
      14,
    );
  });
});
