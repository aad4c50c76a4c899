/** What the home page tells a street office about its written summary (书面总结). */
export interface SummaryNotice {
  /** The due date naming the period, for the summaries page's address. */
  period: string;
  label: string;
}

/**
 * 书面总结待报送: the period whose draft for the caller's own street awaits its narrative — only a
 * street supervisor submits, and only their street's. Null when there is nothing to do.
 */
export function summaryNotice(
  me: { roles: readonly string[]; divisionCode: string | null },
  list: {
    period: { period: string; label: string };
    rows: readonly { divisionCode: string; status: string }[];
  } | null,
): SummaryNotice | null {
  if (!list || !me.roles.includes('supervisor') || !me.divisionCode) return null;
  const draft = list.rows.some((r) => r.divisionCode === me.divisionCode && r.status === 'draft');
  return draft ? { period: list.period.period, label: list.period.label } : null;
}
