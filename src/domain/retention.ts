/**
 * 留存期限 — how long the retained copy must be kept. Policy data: the district plan asks for one
 * year; the national rule (MARA Order 2025 No. 4) sets a floor of six months.
 */
export interface RetentionPolicy {
  /** Days a retained copy is kept after issue. */
  days: number;
}

/** Six months, the national minimum, counted generously as 183 days. */
export const nationalMinimumRetentionDays = 183;

/** The district plan's one year. */
export const defaultRetentionPolicy: RetentionPolicy = { days: 365 };

/** A policy as configured, refused when it falls below the national minimum. */
export function retentionPolicy(days: number = defaultRetentionPolicy.days): RetentionPolicy {
  if (!Number.isInteger(days) || days < nationalMinimumRetentionDays) {
    throw new RangeError(
      `留存期限不能少于国家规定的六个月（${nationalMinimumRetentionDays} 天），配置为 ${days}`,
    );
  }
  return { days };
}

/** The instant until which a certificate issued at `issuedAt` must be kept. */
export function retentionUntil(issuedAt: string, policy: RetentionPolicy): string {
  return new Date(Date.parse(issuedAt) + policy.days * 86_400_000).toISOString();
}

/** Whether a certificate is still inside its retention period at `now` (then it cannot be deleted). */
export function isRetained(issuedAt: string, now: Date, policy: RetentionPolicy): boolean {
  return now.getTime() < Date.parse(retentionUntil(issuedAt, policy));
}
