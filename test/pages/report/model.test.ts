import {
  isSummaryDueDate,
  latestDueDate,
  nextDueDate,
  previousDueDate,
} from '../../../src/domain/report';
import {
  chinaTime,
  computedText,
  drillRefOf,
  drillUrl,
  periodChoices,
  recentSummaryPeriods,
  summaryChoices,
  reloadRequests,
  withPage,
} from '../../../src/pages-report/model';
import { partText, starsText } from '../../../src/pages-report/assessment/parts';

describe('drill links', () => {
  const ref = {
    figure: 'certificates' as const,
    params: { divisionCode: '320703001', from: '2026-01-01', to: '2026-11-30', month: '2026-03' },
  };

  it('round-trip through the address, encoded or already decoded by the router', () => {
    const url = drillUrl(ref);
    expect(url.startsWith('/pages-report/drill/index?figure=certificates&p=')).toBe(true);
    const p = new URL(`http://x${url}`).searchParams.get('p')!;
    expect(drillRefOf({ figure: 'certificates', p })).toEqual(ref);
    expect(drillRefOf({ figure: 'certificates', p: encodeURIComponent(p) })).toEqual(ref);
  });

  it('refuse an unknown figure or broken parameters', () => {
    expect(drillRefOf({ figure: 'secrets', p: '{}' })).toBeNull();
    expect(drillRefOf({ figure: 'patrols', p: '{broken' })).toBeNull();
    expect(drillRefOf({ figure: 'patrols', p: '[1]' })).toBeNull();
    expect(drillRefOf({ figure: 'patrols' })).toEqual({ figure: 'patrols', params: {} });
  });
});

describe('times and periods', () => {
  it('shows instants in China time', () => {
    expect(chinaTime('2026-11-29T17:30:00.000Z')).toBe('2026-11-30 01:30');
    expect(computedText('2026-11-30T01:46:00.000Z')).toBe('计算于 2026-11-30 09:46');
  });

  it('offers this year so far, twelve calendar months and last year', () => {
    expect(periodChoices('2026-11-30')).toEqual([
      { key: 'year', label: '今年以来', from: '2026-01-01', to: '2026-11-30' },
      { key: 'last12', label: '近 12 个月', from: '2025-12-01', to: '2026-11-30' },
      { key: 'lastYear', label: '2025 年', from: '2025-01-01', to: '2025-12-31' },
    ]);
    expect(periodChoices('2026-01-15')[1]).toMatchObject({ from: '2025-02-01' });
  });

  it('lists the latest summary due dates, newest first', () => {
    const dates = { latest: latestDueDate, previous: previousDueDate };
    expect(recentSummaryPeriods('2026-11-30', 4, dates)).toEqual([
      '2026-08-06',
      '2026-05-06',
      '2025-12-06',
      '2025-08-06',
    ]);
    expect(recentSummaryPeriods('2026-12-06', 1, dates)).toEqual(['2026-12-06']);
  });

  describe('summaryChoices', () => {
    const dates = {
      latest: latestDueDate,
      previous: previousDueDate,
      next: nextDueDate,
      isDueDate: isSummaryDueDate,
    };
    const offered = ['2026-12-06', '2026-08-06', '2026-05-06', '2025-12-06', '2025-08-06'];

    it('offers the upcoming period and the four latest, the latest due selected', () => {
      expect(summaryChoices('2026-11-30', undefined, 4, dates)).toEqual({
        periods: offered,
        selected: '2026-08-06',
      });
    });

    it('selects a period asked for among those offered, the upcoming one too', () => {
      expect(summaryChoices('2026-11-30', '2025-12-06', 4, dates)).toEqual({
        periods: offered,
        selected: '2025-12-06',
      });
      expect(summaryChoices('2026-11-30', '2026-12-06', 4, dates).selected).toBe('2026-12-06');
    });

    it('adds an older period asked for (the home notice of a draft left unsubmitted)', () => {
      expect(summaryChoices('2026-11-30', '2025-05-06', 4, dates)).toEqual({
        periods: [...offered, '2025-05-06'],
        selected: '2025-05-06',
      });
    });

    it('ignores a period that is not a due date, not a date, or beyond the upcoming one', () => {
      for (const asked of ['2026-08-07', '2026-02-30', 'x', '', '2027-05-06', '12-06']) {
        expect(summaryChoices('2026-11-30', asked, 4, dates)).toEqual({
          periods: offered,
          selected: '2026-08-06',
        });
      }
    });
  });
});

describe('assessment wording', () => {
  it('reads a part with its points, or says it was not scored', () => {
    expect(partText('coverage', { value: 0.86, weight: 30, earned: 25.8 })).toBe(
      '规模以上主体开证率 86.0%（得 25.8/30 分）',
    );
    expect(partText('training', { value: null, weight: 10, earned: null })).toBe(
      '生产主体培训覆盖：不计分',
    );
  });

  it('draws stars', () => {
    expect(starsText(3)).toBe('★★★☆☆');
    expect(starsText(7)).toBe('★★★★★');
  });
});

describe('the drill list, a page at a time', () => {
  const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

  it('puts a page after those loaded, and a page answered twice (a double tap) once', () => {
    const first = withPage({ seq: 1, items: [] }, 1, 0, rows(0, 50));
    const second = withPage(first, 1, 50, rows(50, 50));
    expect(second.items).toEqual(rows(0, 100));
    expect(withPage(second, 1, 50, rows(50, 50)).items).toEqual(rows(0, 100));
  });

  it('drops a page answered for an earlier load, and one that would leave a gap', () => {
    const reloaded = { seq: 2, items: rows(0, 100) };
    expect(withPage(reloaded, 1, 100, rows(100, 50))).toBe(reloaded);
    expect(withPage(reloaded, 2, 150, rows(150, 50))).toBe(reloaded);
  });

  it('starts afresh with the first page of a newer load', () => {
    expect(withPage({ seq: 1, items: rows(0, 100) }, 2, 0, rows(0, 50))).toEqual({
      seq: 2,
      items: rows(0, 50),
    });
  });

  it('reads again as many rows as were shown, in requests the server accepts', () => {
    expect(reloadRequests(0, 50, 200)).toEqual([{ skip: 0, limit: 50 }]);
    expect(reloadRequests(20, 50, 200)).toEqual([{ skip: 0, limit: 50 }]);
    expect(reloadRequests(150, 50, 200)).toEqual([{ skip: 0, limit: 150 }]);
    expect(reloadRequests(450, 50, 200)).toEqual([
      { skip: 0, limit: 200 },
      { skip: 200, limit: 200 },
      { skip: 400, limit: 50 },
    ]);
  });
});
