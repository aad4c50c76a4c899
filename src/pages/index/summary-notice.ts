/** What the home page tells a street office about its written summary (书面总结). */
export interface SummaryNotice {
  /** The due date naming the period, for the summaries page's address. */
  period: string;
  label: string;
  /** Its due date passed before the latest one: an older draft left unsubmitted. */
  overdue: boolean;
  /** Further periods of the street also awaiting their narrative. */
  others: number;
  /** What the notice says. */
  text: string;
  /** Where tapping it goes: the summaries page on that period, which it always offers. */
  url: string;
}

interface Draft {
  divisionCode: string;
  period: string;
  label: string;
}

const ask = '请填写工作经验、存在问题和建议后报送';

/**
 * 书面总结待报送: the caller's own street's draft awaiting its narrative, of the latest due period
 * or an older one left unsubmitted — the oldest first, as it is the most overdue. A draft opened
 * early for a period not yet due is the office's own work in hand, not announced. Only a street
 * supervisor submits, and only their street's. Null when there is nothing to do.
 */
export function summaryNotice(
  me: { roles: readonly string[]; divisionCode: string | null },
  list: {
    period: { period: string; label: string };
    rows: readonly { divisionCode: string; status: string }[];
    openDrafts?: readonly Draft[];
  } | null,
): SummaryNotice | null {
  if (!list || !me.roles.includes('supervisor') || !me.divisionCode) return null;
  const own = me.divisionCode;
  const latest = list.period.period;
  const pending: Draft[] = (list.openDrafts ?? []).filter(
    (d) => d.divisionCode === own && d.period < latest,
  );
  if (list.rows.some((r) => r.divisionCode === own && r.status === 'draft')) {
    pending.push({ divisionCode: own, period: latest, label: list.period.label });
  }
  pending.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const first = pending[0];
  if (!first) return null;
  const overdue = first.period < latest;
  const others = pending.length - 1;
  const text =
    (overdue ? `${first.label}已过报送日期仍未报送，${ask}` : `${first.label}已生成草稿，${ask}`) +
    (others > 0 ? `（另有 ${others} 期待报送）` : '');
  const url = `/pages-report/summaries/index?period=${first.period}`;
  return { period: first.period, label: first.label, overdue, others, text, url };
}
