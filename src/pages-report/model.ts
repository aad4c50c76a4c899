/**
 * What the report pages share and can test without a screen: how a figure's records are named
 * in a URL, the periods offered, the times shown, and which summaries await an office's words.
 */
import type { DrillFigure, DrillParams, DrillRef } from '../domain/report';

const figures: readonly DrillFigure[] = [
  'subjects',
  'aboveScale',
  'certificates',
  'marketEntries',
  'patrols',
  'samples',
  'keySupervision',
  'rectifications',
  'training',
  'publicity',
];

/** The drill page's address for a figure's records. */
export function drillUrl(ref: DrillRef): string {
  return `/pages-report/drill/index?figure=${ref.figure}&p=${encodeURIComponent(
    JSON.stringify(ref.params),
  )}`;
}

/** The figure a drill page was opened for, or null when its address is not one drillUrl made. */
export function drillRefOf(query: Record<string, string | undefined>): DrillRef | null {
  const figure = figures.find((f) => f === query.figure);
  if (!figure) return null;
  if (!query.p) return { figure, params: {} };
  try {
    // Some routers hand the parameter over still encoded, some decoded.
    const raw = query.p.startsWith('%7B') ? decodeURIComponent(query.p) : query.p;
    const params: unknown = JSON.parse(raw);
    if (!params || typeof params !== 'object' || Array.isArray(params)) return null;
    return { figure, params: params as DrillParams };
  } catch {
    return null;
  }
}

const chinaMs = 8 * 3_600_000;

/** An instant as people in 连云区 read it: 2026-11-30 09:46. */
export function chinaTime(iso: string): string {
  const d = new Date(Date.parse(iso) + chinaMs).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}

/** 计算于 2026-11-30 09:46 */
export function computedText(iso: string): string {
  return `计算于 ${chinaTime(iso)}`;
}

export type PeriodKey = 'year' | 'last12' | 'lastYear';

export interface PeriodChoice {
  key: PeriodKey;
  label: string;
  from: string;
  to: string;
}

/** The periods the dashboard offers on a China date: this year so far, 12 months, last year. */
export function periodChoices(today: string): PeriodChoice[] {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  // The first day of the month eleven months back: twelve calendar months including this one.
  const back = y * 12 + (m - 1) - 11;
  const from12 = `${Math.floor(back / 12)}-${String((back % 12) + 1).padStart(2, '0')}-01`;
  return [
    { key: 'year', label: '今年以来', from: `${y}-01-01`, to: today },
    { key: 'last12', label: '近 12 个月', from: from12, to: today },
    { key: 'lastYear', label: `${y - 1} 年`, from: `${y - 1}-01-01`, to: `${y - 1}-12-31` },
  ];
}

/** A period as a line: 2026-01-01 至 2026-11-30. */
export function periodText(p: { from: string; to: string }): string {
  return `${p.from} 至 ${p.to}`;
}

/** The summary periods offered (their due dates): the latest due on `today` and those before. */
export function recentSummaryPeriods(
  today: string,
  count: number,
  dates: { latest: (d: string) => string; previous: (d: string) => string },
): string[] {
  const out = [dates.latest(today)];
  while (out.length < count) out.push(dates.previous(out[out.length - 1]!));
  return out;
}

/**
 * The summary periods the summaries page offers (their due dates) and the one selected: the
 * upcoming period, then the `count` latest due on `today`, newest first. A period asked for in
 * the address (`?period=`, e.g. the home notice's older draft) is always offered and selected
 * when it is a due date not after the upcoming one; otherwise the latest due is selected.
 */
export function summaryChoices(
  today: string,
  asked: string | undefined,
  count: number,
  dates: {
    latest: (d: string) => string;
    previous: (d: string) => string;
    next: (d: string) => string;
    isDueDate: (d: string) => boolean;
  },
): { periods: string[]; selected: string } {
  const recent = recentSummaryPeriods(today, count, dates);
  const upcoming = dates.next(today);
  const periods = [upcoming, ...recent];
  if (!asked || !dates.isDueDate(asked) || asked > upcoming) {
    return { periods, selected: recent[0]! };
  }
  if (!periods.includes(asked)) periods.push(asked);
  return { periods, selected: asked };
}

/**
 * A list read a page at a time, as far as loaded, for load generation `seq`: a reload starts a
 * new generation, and a page answered for an older one is dropped.
 */
export interface PagedRows<T> {
  seq: number;
  items: T[];
}

/**
 * The list with the page asked at `skip` for generation `seq` put in its place. Unchanged when
 * the answer is stale (an older generation) or would leave a gap; a page answered twice (a double
 * tap) lands once, because it replaces what is at its position instead of being appended.
 */
export function withPage<T>(
  list: PagedRows<T>,
  seq: number,
  skip: number,
  page: readonly T[],
): PagedRows<T> {
  if (seq < list.seq) return list;
  const items = seq === list.seq ? list.items : [];
  if (skip > items.length) return list;
  return { seq, items: [...items.slice(0, skip), ...page] };
}

/**
 * The requests that read a list again as far as it was shown (at least one page), each at most
 * `maxLimit` rows: coming back from a record keeps the rows the user had scrolled through.
 */
export function reloadRequests(
  shown: number,
  pageSize: number,
  maxLimit: number,
): { skip: number; limit: number }[] {
  const want = Math.max(pageSize, shown);
  const out: { skip: number; limit: number }[] = [];
  for (let skip = 0; skip < want; skip += maxLimit) {
    out.push({ skip, limit: Math.min(maxLimit, want - skip) });
  }
  return out;
}
