import { lianyunDivisions } from '../../../src/domain/division';
import {
  dashboardOf,
  drillFigures,
  drillItems,
  windowOf,
  type DrillFigure,
  type DrillRef,
} from '../../../src/domain/report';
import { drillRow } from '../../../src/pages-report/drill/rows';
import { world } from '../../domain/report-fixtures';

const now = new Date('2026-05-06T01:00:00.000Z');
const w = windowOf({ from: '2026-01-01', to: '2026-04-30' }, now);
const streets = lianyunDivisions.filter((d) => d.kind !== 'district');
const records = world();
const d = dashboardOf(records, { divisionCode: null, rows: streets }, w, now.toISOString());

const rowsOf = (ref: DrillRef) =>
  drillItems(records, ref.figure, ref.params, w).map((item) => drillRow(ref.figure, item));

describe('drill rows', () => {
  it('shows every kind of record with a title and distinct keys', () => {
    const refs: DrillRef[] = [
      d.directory.total.drill,
      d.coverage.aboveScale.drill,
      d.certificates.records.drill,
      d.market.drill,
      d.supervision.patrols.drill,
      d.supervision.samples.drill,
      d.keySupervision.placedInPeriod.drill,
      d.rectifications.opened.drill,
      ...(d.training.available ? [d.training.staff.drill, d.training.producers.drill] : []),
      ...(d.publicity.available ? [d.publicity.producers.drill] : []),
    ];
    const seen = new Set<DrillFigure>();
    for (const ref of refs) {
      const rows = rowsOf(ref);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.title).not.toBe('');
        expect(row.lines.every((l) => !l.includes('undefined'))).toBe(true);
      }
      expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
      seen.add(ref.figure);
    }
    expect([...seen].sort()).toEqual(Object.keys(drillFigures).sort());
  });

  it('lists as many certificates as the figure counts, the revoked one marked', () => {
    const rows = rowsOf(d.certificates.records.drill);
    expect(rows).toHaveLength(d.certificates.records.count);
    const revoked = rowsOf(d.certificates.revoked.drill);
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.badges).toEqual([{ text: '已撤销', tone: 'bad' }]);
    expect(rows[0]!.lines[0]).toMatch(/开具日期 2026-0\d-\d\d$/);
  });

  it('marks above-scale producers that did not issue', () => {
    const rows = rowsOf(d.coverage.notIssuing.drill);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.badges).toEqual([{ text: '未开证', tone: 'bad' }]);
    expect(rows[0]!.lines[1]).toBe('期内未开具合格证');
  });

  it('marks failed samples and contradicted promises', () => {
    const rows = rowsOf(d.supervision.promisesContradicted.drill);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.badges.map((b) => b.text)).toEqual(['不合格', '承诺与抽检结果不符']);
  });
});
