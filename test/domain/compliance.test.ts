import * as z from 'zod/mini';
import { complianceInputSchema, complianceOf, statementUrl } from '../../src/domain/compliance';
import { useChineseMessages } from '../../src/domain/locale';
import { windowOf, type ReportRecords } from '../../src/domain/report';
import { world } from './report-fixtures';

useChineseMessages();

const now = new Date('2026-05-06T01:00:00.000Z');
const w = windowOf({ from: '2026-01-01', to: '2026-04-30' }, now);

describe('complianceOf', () => {
  const recordsOf = (r: ReportRecords, id: string) => ({
    certificates: r.certificates.filter((c) => c.subjectId === id),
    samples: r.samples.filter((s) => s.subjectId === id),
    patrols: r.patrols.filter((p) => p.subjectId === id),
    keySupervision: r.keySupervision.find((k) => k.subjectId === id) ?? null,
    rectifications: r.rectifications.filter((c) => c.subjectId === id),
  });

  it('finds irregular issuing, a contradicted promise and key supervision', () => {
    const r = world();
    const b = r.subjects.find((s) => s._id === 'B')!;
    const f = complianceOf(b, recordsOf(r, 'B'), w);
    expect(f.issuance).toMatchObject({
      dueMonths: 4,
      monthsIssued: 2,
      missingMonths: ['2026-01', '2026-04'],
      regular: false,
      certificates: 2,
      labels: 4,
    });
    expect(f.sampling).toMatchObject({ samples: 1, promisesContradicted: 1 });
    expect(f.sampling.failed[0]).toMatchObject({ sampleId: 's1', failedItems: ['毒死蜱'] });
    expect(f.keySupervision).toMatchObject({ active: true, placedInPeriod: true });
    expect(f.conclusion).toBe('does_not_meet');
    expect(f.reasons).toEqual([
      '2026年1月、2026年4月在生产季节内未开具合格证',
      '承诺与抽检结果不符 1 次',
      '期末仍在重点监管名单中',
    ]);
  });

  it('judges only the months in season, over and in the directory', () => {
    const r = world();
    const d = r.subjects.find((s) => s._id === 'D')!;
    const march = complianceOf(
      d,
      recordsOf(r, 'D'),
      windowOf({ from: '2026-01-01', to: '2026-03-31' }, now),
    );
    expect(march.issuance.months.map((m) => [m.month, m.due, m.certificates])).toEqual([
      ['2026-01', false, 0],
      ['2026-02', false, 0],
      ['2026-03', true, 1],
    ]);
    expect(march.conclusion).toBe('meets');
    expect(march.reasons).toEqual([]);
    // Still running (to is in the future): May is not yet judged.
    const running = complianceOf(
      d,
      recordsOf(r, 'D'),
      windowOf({ from: '2026-05-01', to: '2026-05-31' }, now),
    );
    expect(running.issuance.months[0]).toMatchObject({ month: '2026-05', due: false });
    expect(running.conclusion).toBe('undetermined');
  });

  it('builds the statement URL the QR code holds', () => {
    expect(statementUrl('https://hgz.example.cn/', 'stm_1', 'SIG')).toBe(
      'https://hgz.example.cn/s/stm_1?s=SIG',
    );
  });
});

// The count figure type is what the drill test walks.

describe('complianceInputSchema', () => {
  it('refuses dates that are not days, in Chinese', () => {
    const r = z.safeParse(complianceInputSchema, { subjectId: 'x', from: '2026-02-30' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['from', '开始日期格式应为 2026-11-29'],
      ['to', '结束日期格式应为 2026-11-29'],
    ]);
  });
});
