import { formatQuantity, type Quantity } from '../domain/quantity';

/** What a certificate (or the last one) covers, in one short line: "青菜 5 斤 ×12 件". */
export function issueSummary(c: {
  productName: string;
  quantity: Quantity;
  issueUnit: string;
  packages?: number;
  count?: number;
  vehiclePlate?: string | null;
  batchNo?: string | null;
}): string {
  const head = `${c.productName} ${formatQuantity(c.quantity)}`;
  const n = c.packages ?? c.count ?? 1;
  if (c.issueUnit === 'package') return n > 1 ? `${head} ×${n} 件` : head;
  if (c.issueUnit === 'vehicle') return c.vehiclePlate ? `${head}（整车 ${c.vehiclePlate}）` : head;
  return c.batchNo ? `${head}（批次 ${c.batchNo}）` : head;
}

/** "2026-11-29 08:05" in China time (UTC+8), for when something happened. */
export function chinaDateTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * The batch number after `last`: its trailing number counted up with the same width
 * (HG-001 → HG-002; a dated 20261128-02 becomes today's -01), so a new batch never reuses the
 * old number by accident.
 */
export function nextBatchNo(last: string | null | undefined, today: string): string {
  const day = today.replace(/-/g, '');
  const dated = last ? /^(\d{8})-\d+$/.exec(last) : null;
  // A dated batch number (20261128-02) starts again at 01 on a new day.
  if (dated && dated[1] !== day) return `${day}-01`;
  const m = last ? /^(.*?)(\d+)$/.exec(last) : null;
  if (!m) return `${day}-01`;
  const [, prefix = '', digits = '0'] = m;
  const next = String(Number(digits) + 1).padStart(digits.length, '0');
  return `${prefix}${next}`;
}
