import type { AddressInfo } from 'node:net';
import type { AuditEntry } from '../../../cloudfunctions/kit/audit';
import { statementSigner } from '../../../cloudfunctions/kit/statement-signer';
import { createLocalServer } from '../../../cloudfunctions/local/server';
import {
  reportFunction,
  type ComplianceResult,
  type StatementResult,
} from '../../../cloudfunctions/report/actions';
import { statementPage } from '../../../cloudfunctions/report/statement-page';
import { ed25519Signer } from '../../../cloudfunctions/kit/signer';
import type { Statement } from '../../../src/domain/compliance';
import { decodeQrPages, pdfText } from '../print/pdf-tools';
import { forge } from '../supervision/world';
import {
  buildReportWorld,
  reportConfig,
  reportRuntime,
  type ReportRuntime,
  type ReportWorld,
} from './world';

let rt: ReportRuntime;
let world: ReportWorld;

beforeAll(async () => {
  rt = reportRuntime();
  world = await buildReportWorld(rt);
});
afterAll(async () => {
  try {
    expect(rt.errors).toEqual([]);
  } finally {
    await rt.close();
  }
});

const spring = { from: '2026-01-01', to: '2026-04-30' };

describe('report.compliance', () => {
  it('says a subject with a failed sample that contradicted its promise does not meet it', async () => {
    const c = await rt.reportOk<ComplianceResult>(
      'compliance',
      { subjectId: world.subjects.b._id, ...spring },
      'coord-xg',
    );
    expect(c.subject).toMatchObject({ name: '连云蔬菜合作社', typeLabel: '农民专业合作社' });
    expect(c.issuance).toMatchObject({
      dueMonths: 4,
      monthsIssued: 2,
      missingMonths: ['2026-01', '2026-04'],
      regular: false,
      certificates: 2,
      labels: 4,
    });
    expect(c.sampling.failed).toEqual([
      {
        sampleId: world.samples.b,
        sampledOn: '2026-03-18',
        productName: '青菜',
        failedItems: ['有机磷和氨基甲酸酯类农药残留'],
        promiseContradicted: true,
      },
    ]);
    expect(c.keySupervision).toMatchObject({ active: true, reasonLabel: '承诺与抽检结果不符' });
    expect(c.rectifications).toEqual([
      {
        caseId: world.cases.r1,
        reasonLabel: '承诺与抽检结果不符',
        openedOn: '2026-03-18',
        deadline: '2026-04-02',
        statusLabel: '已销号',
        overdue: false,
      },
    ]);
    expect(c.conclusion).toBe('does_not_meet');
    expect(c.reasons).toEqual([
      '2026年1月、2026年4月在生产季节内未开具合格证',
      '承诺与抽检结果不符 1 次',
      '期末仍在重点监管名单中',
    ]);
  });

  it('says a subject that issued in every month of its season meets it', async () => {
    const c = await rt.reportOk<ComplianceResult>(
      'compliance',
      { subjectId: world.subjects.d._id, from: '2026-01-01', to: '2026-03-31' },
      'sup-ld',
    );
    expect(c.issuance.months.map((m) => [m.month, m.inSeason, m.due, m.certificates])).toEqual([
      ['2026-01', false, false, 0],
      ['2026-02', false, false, 0],
      ['2026-03', true, true, 1],
    ]);
    expect([c.conclusion, c.conclusionLabel]).toEqual(['meets', '符合：按规定使用承诺达标合格证']);
  });

  it('keeps to the caller’s division', async () => {
    expect(
      await rt.report('compliance', { subjectId: world.subjects.b._id, ...spring }, 'sup-ld'),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await rt.report('compliance', { subjectId: 'sub_nope', ...spring }, 'admin'),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(
      await rt.report('compliance', { subjectId: world.subjects.b._id, ...spring }, 'wx-coop'),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('report.complianceStatement', () => {
  let issued: StatementResult;
  beforeAll(async () => {
    issued = await rt.reportOk<StatementResult>(
      'complianceStatement',
      { subjectId: world.subjects.b._id, ...spring },
      'sup-xg',
    );
  });

  it('stores the statement with its findings and who issued it', async () => {
    const stored = await rt.store.collection<Statement>('statements').get(issued.statement._id);
    expect(stored).toMatchObject({
      subjectId: world.subjects.b._id,
      from: '2026-01-01',
      to: '2026-04-30',
      issuedBy: 'sup-xg',
      issuedAt: '2026-05-06T01:00:00.000Z',
      issuerName: '墟沟街道农产品质量安全监管站',
      findings: { conclusion: 'does_not_meet' },
    });
    expect(issued.verifyUrl).toMatch(
      /^https:\/\/hgz\.example\.cn\/s\/stm_[0-9a-f]{24}\?s=[A-Za-z0-9_-]{86}$/,
    );
    const audit = await rt.store
      .collection<AuditEntry>('audit')
      .find({ entityId: issued.statement._id });
    expect(audit.map((a) => a.action)).toEqual(['report.statement.issue']);
  });

  it('prints what it found, and a QR code of its signed URL', async () => {
    const file = await rt.files.get(issued.fileId);
    expect(file?.contentType).toBe('application/pdf');
    const text = pdfText(file!.bytes);
    for (const expected of [
      '承诺达标合格证使用情况证明',
      '连云蔬菜合作社',
      '结论：不符合',
      '承诺与抽检结果不符 1 次',
      '期末仍在重点监管名单中',
      '有机磷和氨基甲酸酯类农药残留',
      '墟沟街道农产品质量安全监管站',
      issued.statement._id,
    ]) {
      expect(text).toContain(expected);
    }
    expect(decodeQrPages(file!.bytes, 150)[0]).toEqual([issued.verifyUrl]);
  });

  it('verifies as 真实有效 with its content; a tampered signature or an unknown id does not', async () => {
    const id = issued.statement._id;
    const sig = new URL(issued.verifyUrl).searchParams.get('s');
    const ctx = { store: rt.store, config: reportConfig };
    const good = await statementPage(ctx, id, sig);
    expect(good.status).toBe(200);
    expect(good.html).toContain('真实有效');
    expect(good.html).toContain('连云蔬菜合作社');
    expect(good.html).toContain('不符合');

    const tampered = new URL(forge(issued.verifyUrl)).searchParams.get('s');
    const bad = await statementPage(ctx, id, tampered);
    expect(bad.html).toContain('签名无效');
    expect(bad.html).not.toContain('连云蔬菜合作社');
    expect((await statementPage(ctx, id, null)).html).toContain('签名无效');

    // A label's signature over the same text is not a statement's signature.
    const labelSig = ed25519Signer(reportConfig.signingKey).sign(id);
    expect((await statementPage(ctx, id, labelSig)).html).toContain('签名无效');

    const unknown = 'stm_000000000000000000000000';
    const missing = await statementPage(
      ctx,
      unknown,
      statementSigner(reportConfig.signingKey).sign(unknown),
    );
    expect([missing.status, missing.html.includes('未找到')]).toEqual([404, true]);
    expect((await statementPage(ctx, 'not-an-id', sig)).status).toBe(404);
  });

  it('is served at /s/<id> on the embedded server, without script', async () => {
    const server = createLocalServer({
      store: rt.store,
      config: reportConfig,
      staticDir: null,
      now: rt.now,
      logError: (_m, c) => rt.errors.push(c),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const path = new URL(issued.verifyUrl);
      const res = await fetch(`http://127.0.0.1:${port}${path.pathname}${path.search}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await res.text();
      expect(html).toContain('真实有效');
      expect(html).not.toContain('<script');
      const forged = new URL(forge(issued.verifyUrl));
      const bad = await fetch(`http://127.0.0.1:${port}${forged.pathname}${forged.search}`);
      expect(await bad.text()).toContain('签名无效');
      const none = await fetch(`http://127.0.0.1:${port}/s/stm_000000000000000000000000`);
      expect(await none.text()).toContain('签名无效');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('is issued by a street office or the bureau, within their division', async () => {
    expect(
      await rt.report(
        'complianceStatement',
        { subjectId: world.subjects.b._id, ...spring },
        'coord-xg',
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await rt.report(
        'complianceStatement',
        { subjectId: world.subjects.b._id, ...spring },
        'sup-ld',
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const byBureau = await rt.reportOk<StatementResult>(
      'complianceStatement',
      { subjectId: world.subjects.d._id, from: '2026-01-01', to: '2026-03-31' },
      'admin',
    );
    expect(byBureau.statement).toMatchObject({
      issuerName: '连云区农业农村局',
      findings: { conclusion: 'meets' },
    });
    expect(reportFunction.pages?.map((p) => p.prefix)).toEqual(['s']);
  });
});
