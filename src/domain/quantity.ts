import * as z from 'zod/mini';

/** 计量单位 — the fixed vocabulary of units a certificate may state. */
export const units = {
  kg: '公斤',
  jin: '斤',
  g: '克',
  t: '吨',
  box: '箱',
  piece: '件',
  bag: '袋',
  basket: '筐',
  bundle: '捆',
  head: '头',
  bird: '只',
  egg: '枚',
  tail: '尾',
  each: '个',
} as const;
export type Unit = keyof typeof units;
export const unitCodes = Object.keys(units) as [Unit, ...Unit[]];

/** A positive decimal with at most 3 places, as a string; never a float. */
const decimalPattern = /^(0|[1-9]\d{0,8})(\.\d{1,3})?$/;

export const quantityValueSchema = z.string({ error: '请填写数量' }).check(
  z.trim(),
  z.regex(decimalPattern, { error: '数量须为数字，最多三位小数' }),
  z.refine((v) => !/^0(\.0+)?$/.test(v), { error: '数量必须大于 0' }),
);

/** 数量 — a value and its unit kept together. */
export const quantitySchema = z.object({
  value: quantityValueSchema,
  unit: z.enum(unitCodes, { error: '请选择单位' }),
});
export type Quantity = z.infer<typeof quantitySchema>;

/** Removes trailing zeros so "12.50" and "12.5" are stored alike. */
export function normalizeQuantityValue(value: string): string {
  const v = value.trim();
  return v.includes('.') ? v.replace(/\.?0+$/, '') : v;
}

/** "12.5 公斤" */
export function formatQuantity(q: Quantity): string {
  return `${normalizeQuantityValue(q.value)} ${units[q.unit]}`;
}

/** Compares two decimal strings exactly (no floats): -1, 0 or 1. */
export function compareQuantityValues(a: string, b: string): number {
  const [ai = '0', af = ''] = normalizeQuantityValue(a).split('.');
  const [bi = '0', bf = ''] = normalizeQuantityValue(b).split('.');
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const width = Math.max(af.length, bf.length);
  const fa = af.padEnd(width, '0');
  const fb = bf.padEnd(width, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}
