/**
 * The report function as CloudBase calls it: the daily timer trigger drafts the summaries, the
 * HTTP access service serves `/s/<id>`, and ordinary calls go through the envelope.
 */
import { cloudbaseMain, type HttpResult } from '../../../cloudfunctions/kit/cloudbase-main';
import { reportFunction, type StatementResult } from '../../../cloudfunctions/report/actions';
import type { SummaryDoc } from '../../../src/domain/report';
import { forge } from '../supervision/world';
import { buildReportWorld, reportConfig, reportRuntime, type ReportRuntime } from './world';

let rt: ReportRuntime;
let issued: StatementResult;

beforeAll(async () => {
  rt = reportRuntime();
  const world = await buildReportWorld(rt);
  issued = await rt.reportOk<StatementResult>(
    'complianceStatement',
    { subjectId: world.subjects.b._id, from: '2026-01-01', to: '2026-04-30' },
    'sup-xg',
  );
});
afterAll(async () => {
  await rt.close();
});

const main = (callerId: string | null = null) =>
  cloudbaseMain(reportFunction, () => ({
    store: rt.store,
    config: reportConfig,
    files: rt.files,
    callerId: () => callerId,
  }));

const httpGet = (path: string, query: Record<string, string> = {}) =>
  main()({
    httpMethod: 'GET',
    path,
    headers: {},
    queryStringParameters: query,
    body: '',
    isBase64Encoded: false,
  }) as Promise<HttpResult>;

describe('the report function on CloudBase', () => {
  it('drafts the summaries due when the timer trigger fires, once', async () => {
    // The timer runs at the platform's clock; the due date is judged in China time.
    jest.useFakeTimers({
      now: new Date('2026-05-06T01:00:00.000Z'),
      doNotFake: ['nextTick', 'setImmediate'],
    });
    try {
      const timer = { Type: 'Timer', TriggerName: 'summaryDrafts', Time: '2026-05-06T00:30:00Z' };
      const first = await main()(timer);
      expect(first).toMatchObject({ ok: true, data: { period: '2026-05-06' } });
      const second = await main()(timer);
      expect(second).toMatchObject({ ok: true, data: { created: [] } });
    } finally {
      jest.useRealTimers();
    }
    expect(await rt.store.collection<SummaryDoc>('summaries').count({ period: '2026-05-06' })).toBe(
      13,
    );
  });

  it('serves a statement’s verification page through HTTP access, with or without /s', async () => {
    const url = new URL(issued.verifyUrl);
    const s = url.searchParams.get('s') ?? '';
    for (const path of [url.pathname, url.pathname.replace(/^\/s/, '')]) {
      const res = await httpGet(path, { s });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.body).toContain('真实有效');
    }
    const tampered = new URL(forge(issued.verifyUrl)).searchParams.get('s') ?? '';
    const forged = await httpGet(url.pathname, { s: tampered });
    expect(forged.body).toContain('签名无效');
    expect((await httpGet('/s/a/b')).statusCode).toBe(404);
  });

  it('answers ordinary calls with the envelope, for the caller the platform vouches for', async () => {
    const res = await main('sup-xg')({ action: 'summaries', input: {} });
    expect(res).toMatchObject({ ok: true });
    const refused = await main('sup-xg')({ action: 'tick', input: {} });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
