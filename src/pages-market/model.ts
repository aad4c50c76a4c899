/**
 * What the market pages work out without Taro or the network: which subject is the market, the
 * badge of an entry, pending tasks first, what a refusal is called, and the inputs of the arrival
 * and sample forms. Tested in test/pages/market.
 */
import type { FieldErrors } from '@/domain/errors';
import {
  arrivalInputSchema,
  recordSampleInputSchema,
  type ArrivalInput,
  type MarketEntry,
  type RecordSampleInput,
} from '@/domain/market';
import type { Unit } from '@/domain/quantity';
import { fieldErrorsFromIssues } from '@/ui/field-errors';

/** The subjects that may record arrivals: those registered as 收购商/市场开办者. */
export function marketsOf<T extends { type: string }>(subjects: readonly T[]): T[] {
  return subjects.filter((s) => s.type === 'buyer');
}

/** The market asked for, else the one chosen last, else the first. */
export function pickMarket<T extends { _id: string }>(
  markets: readonly T[],
  ...preferred: (string | undefined)[]
): T | undefined {
  for (const id of preferred) {
    const found = id ? markets.find((m) => m._id === id) : undefined;
    if (found) return found;
  }
  return markets[0];
}

/** How an entry's badge looks: the tone picks its colour. */
export type BadgeTone = 'accepted' | 'pending' | 'passed' | 'failed';

/** The short status of an entry as its badge says it. */
export function entryBadge(e: MarketEntry): { tone: BadgeTone; text: string } {
  if (e.kind === 'accepted') return { tone: 'accepted', text: '凭证入市' };
  switch (e.samplingStatus) {
    case 'pending':
      return { tone: 'pending', text: '待抽检' };
    case 'passed':
      return { tone: 'passed', text: '抽检合格' };
    case 'failed':
      return { tone: 'failed', text: '不合格退场' };
  }
}

/** Whether an entry is a sampling task still to do. */
export function isPending(e: MarketEntry): boolean {
  return e.kind === 'no_certificate' && e.samplingStatus === 'pending';
}

/**
 * The list as the market reads it: the sampling tasks still to do on top (goods are waiting at
 * the gate), then the page of entries without them, each part in the order given (newest first).
 */
export function pendingFirst<E extends MarketEntry>(
  pending: readonly E[],
  page: readonly E[],
): E[] {
  // Where both lists have an entry, the page's copy is the one to believe (sampled since?).
  const onPage = new Map(page.map((e) => [e._id, e]));
  const todo = pending.map((e) => onPage.get(e._id) ?? e).filter(isPending);
  const ids = new Set(todo.map((e) => e._id));
  const rest = page.filter((e) => !ids.has(e._id));
  return [...todo, ...rest.filter(isPending), ...rest.filter((e) => !isPending(e))];
}

/** Why a scanned label was not accepted, as the big red heading says it. */
export type RefusalKind = 'revoked' | 'forged' | 'duplicate' | 'not_found' | 'other';

/**
 * The heading of a refusal. The server's message says why in full; the heading names the case in
 * a few characters for someone glancing at the phone. Refusals about the label carry the message
 * under `fields.scanned`; anything else (no such market, not active, offline) is 'other'.
 */
export function refusalOf(error: {
  code: string;
  message: string;
  fields?: Record<string, readonly string[]>;
}): { kind: RefusalKind; title: string } {
  const aboutLabel = (error.fields?.scanned?.length ?? 0) > 0;
  if (aboutLabel && error.code === 'NOT_FOUND') {
    return { kind: 'not_found', title: '未找到这张合格证' };
  }
  if (aboutLabel && error.code === 'CONFLICT') {
    if (error.message.includes('撤销')) return { kind: 'revoked', title: '合格证已撤销' };
    if (error.message.includes('伪造')) return { kind: 'forged', title: '疑似伪造' };
    if (/登记入市|登记过/.test(error.message)) return { kind: 'duplicate', title: '已收取过' };
  }
  return { kind: 'other', title: '未能收证' };
}

/** "第 3 / 12 件" for one label of a per-package certificate; null for a single label. */
export function labelLine(label: { index: number; count: number } | null): string | null {
  return label && label.count > 1 ? `第 ${label.index} / ${label.count} 件` : null;
}

/** The units goods arrive in at a market, most used first (the chips of the arrival form). */
export const arrivalUnits: readonly Unit[] = ['jin', 'kg', 'box', 'basket', 'bag', 'piece', 't'];

/** 无证到货 as typed: text stays text until it is sent. */
export interface ArrivalForm {
  productName: string;
  quantityValue: string;
  unit: Unit;
  supplierName: string;
  supplierPhone: string;
  stall: string;
  buyerName: string;
}

export const emptyArrivalForm: ArrivalForm = {
  productName: '',
  quantityValue: '',
  unit: 'jin',
  supplierName: '',
  supplierPhone: '',
  stall: '',
  buyerName: '',
};

export type Checked<T> = { ok: true; input: T } | { ok: false; fields: FieldErrors };

/** The arrival to send, blanks left out; or the field errors the server would answer. */
export function arrivalInputOf(marketSubjectId: string, f: ArrivalForm): Checked<ArrivalInput> {
  const name = f.supplierName.trim();
  const phone = f.supplierPhone.trim();
  const input: ArrivalInput = {
    marketSubjectId,
    productName: f.productName.trim(),
    quantity: { value: f.quantityValue.trim(), unit: f.unit },
    ...(name || phone
      ? { supplier: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } }
      : {}),
    ...(f.stall.trim() ? { stall: f.stall.trim() } : {}),
    ...(f.buyerName.trim() ? { buyerName: f.buyerName.trim() } : {}),
  };
  const parsed = arrivalInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, input };
  const fields = fieldErrorsFromIssues(parsed.error.issues);
  // The schema's word for a blank quantity is about its format; a blank wants filling in.
  if (!input.quantity.value) fields['quantity.value'] = ['请填写数量'];
  return { ok: false, fields };
}

/** What markets test goods without a certificate for, most common first. */
export const commonTestItems: readonly string[] = [
  '有机磷和氨基甲酸酯类农药残留',
  '克百威',
  '氧乐果',
  '瘦肉精（克伦特罗、莱克多巴胺、沙丁胺醇）',
  '孔雀石绿',
  '氯霉素',
  '甲醛',
];

/** One test item as the form holds it: no result until the tester picks one. */
export interface SampleItemDraft {
  item: string;
  result: 'pass' | 'fail' | '';
}

export interface SampleForm {
  kind: 'rapid' | 'lab';
  items: SampleItemDraft[];
  method: string;
  lab: string;
}

export const initialSampleForm: SampleForm = {
  kind: 'rapid',
  items: [{ item: commonTestItems[0] ?? '', result: '' }],
  method: '',
  lab: '',
};

/**
 * The sample to send, or the errors. Every item needs a result chosen on purpose: a default of
 * 合格 would let goods in that nobody looked at.
 */
export function sampleInputOf(entryId: string, f: SampleForm): Checked<RecordSampleInput> {
  const fields: FieldErrors = {};
  f.items.forEach((it, i) => {
    if (!it.result) fields[`items.${i}.result`] = ['请选择“合格”或“不合格”'];
  });
  const input: RecordSampleInput = {
    entryId,
    kind: f.kind,
    items: f.items.map((it) => ({ item: it.item.trim(), result: it.result || 'pass' })),
    ...(f.method.trim() ? { method: f.method.trim() } : {}),
    ...(f.kind === 'lab' && f.lab.trim() ? { lab: f.lab.trim() } : {}),
  };
  const parsed = recordSampleInputSchema.safeParse(input);
  const all = parsed.success
    ? fields
    : { ...fieldErrorsFromIssues(parsed.error.issues), ...fields };
  return Object.keys(all).length === 0 ? { ok: true, input } : { ok: false, fields: all };
}

/** Adds an item, or takes it out when it is already there (the preset chips toggle). */
export function toggleItem(items: readonly SampleItemDraft[], item: string): SampleItemDraft[] {
  const name = item.trim();
  if (!name) return [...items];
  return items.some((it) => it.item === name)
    ? items.filter((it) => it.item !== name)
    : [...items, { item: name, result: '' }];
}

/** The outcome screen of a sample. */
export function sampleVerdict(result: 'pass' | 'fail'): { title: string; detail: string } {
  return result === 'pass'
    ? { title: '合格，准予入市', detail: '抽检合格，货品可以进场销售。抽检记录已保存。' }
    : {
        title: '不合格，退场',
        detail:
          '抽检不合格，货品不得进场销售，请通知供货人带离市场。抽检记录已保存，监管人员可以查看。',
      };
}

/** "14:05", the China wall-clock time of an instant (the figures say when they were computed). */
export function chinaClock(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Date(t + 8 * 3600_000).toISOString().slice(11, 16);
}
