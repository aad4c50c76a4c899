/** 2026-12-01 (China time) of an ISO instant, as the inbox and reach pages show dates. */
export function chinaDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
}
