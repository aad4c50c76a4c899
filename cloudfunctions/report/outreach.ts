/**
 * Telling a street office that its summary draft is ready.
 *
 * The outreach inbox (`deliveries`) holds publicity items and training notices only: an entry of
 * another kind would show as an empty item there. Until the inbox takes notices from other
 * functions, the notice is an audit entry naming the recipients (the supervisors of the street),
 * written in the draft's own transaction so a retried tick never tells twice.
 */
import type { Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import type { TransactionScope } from '../kit/store/port';

/** How a street office was told of a new draft. */
export type NotifyChannel = 'inbox' | 'audit';

/**
 * Tells a street office's supervisors that its summary draft is ready, in the transaction that
 * creates the draft (so a retried tick, or a second early opening, never tells twice). Without an outreach inbox the notice is
 * an audit entry naming the recipients.
 */
export async function notifySummaryDraft(
  tx: TransactionScope,
  ctx: Ctx,
  notice: {
    summaryId: string;
    divisionCode: string;
    period: string;
    label: string;
    to: string[];
    /** Who opened the draft before its due date (提前填写); absent for the tick's drafts. */
    openedBy?: string;
  },
): Promise<NotifyChannel> {
  await writeAudit(tx, ctx, {
    action: 'report.summary.notify',
    entity: 'summaries',
    entityId: notice.summaryId,
    detail: {
      channel: 'audit',
      recipients: notice.to,
      divisionCode: notice.divisionCode,
      period: notice.period,
      ...(notice.openedBy ? { openedBy: notice.openedBy } : {}),
      message: `${notice.label}草稿已生成，请补充工作经验、存在问题和建议后报送区农业农村局`,
    },
  });
  return 'audit';
}
