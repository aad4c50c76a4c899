import { maxLabelsPerPdf } from '@/domain/print';

/** What the 打印范围 inputs ask for: the labels to print, or the messages under the inputs. */
export type PrintRange =
  | { ok: true; from?: number; to?: number }
  | { ok: false; errors: { from?: string[]; to?: string[] } };

function labelNumber(text: string, count: number): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < 1) return '请填写 1 或更大的整数';
  if (n > count) return `这张合格证共 ${count} 件，最大填 ${count}`;
  return n;
}

/**
 * The range typed in (1-based, inclusive); blank means from the first or to the last. Checked
 * here with the server's limits so an elderly user sees the problem before waiting for a PDF.
 */
export function printRange(fromText: string, toText: string, count: number): PrintRange {
  const from = labelNumber(fromText, count);
  const to = labelNumber(toText, count);
  const errors: { from?: string[]; to?: string[] } = {};
  if (typeof from === 'string') errors.from = [from];
  if (typeof to === 'string') errors.to = [to];
  if (errors.from || errors.to) return { ok: false, errors };
  const first = (from as number | undefined) ?? 1;
  const last = (to as number | undefined) ?? Math.min(count, first + maxLabelsPerPdf - 1);
  if (last < first) return { ok: false, errors: { to: ['结束件号不能小于起始件号'] } };
  if (last - first + 1 > maxLabelsPerPdf) {
    return {
      ok: false,
      errors: {
        to: [`一次最多打印 ${maxLabelsPerPdf} 张，请填 ${first + maxLabelsPerPdf - 1} 或更小`],
      },
    };
  }
  return {
    ok: true,
    ...(from !== undefined ? { from: first } : {}),
    ...(to !== undefined ? { to: last } : {}),
  };
}

/** The next batch after a PDF that stopped short of the last label, or null when all are done. */
export function nextBatch(printedTo: number, count: number): { from: number; to: number } | null {
  if (printedTo >= count) return null;
  return { from: printedTo + 1, to: Math.min(count, printedTo + maxLabelsPerPdf) };
}
