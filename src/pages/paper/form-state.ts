import { formatPaperSerial, type RegisterPaperFormInput } from '@/domain/paper';
import type { Unit } from '@/domain/quantity';
import { currentTemplateVersion, templateFor, type Basis } from '@/domain/template';
import type { FormRangeView, OwnSubject, SubjectDefaults } from '@/services/api';

/** 编号系列 — the prefix and year printed on a run of forms (`XG2026-`). */
export interface Series {
  prefix: string;
  year: number;
}

/** `XG2026-` — what every serial of the series starts with. */
export function seriesLabel(s: Series): string {
  return `${s.prefix}${s.year}-`;
}

/**
 * The series of a subject's ranges, those with unused forms first (newest allocation first, as
 * the server lists them). Most producers have one, so they type only the number.
 */
export function seriesOf(ranges: readonly FormRangeView[]): Series[] {
  const ordered = [...ranges.filter((r) => r.free > 0), ...ranges.filter((r) => r.free <= 0)];
  const out: Series[] = [];
  for (const r of ordered) {
    if (!out.some((s) => s.prefix === r.prefix && s.year === r.year)) {
      out.push({ prefix: r.prefix, year: r.year });
    }
  }
  return out;
}

/** The paper form as typed: text stays text until it is sent. */
export interface PaperForm {
  /** The number printed on the form, without its series (`7` for XG2026-000007). */
  number: string;
  productName: string;
  quantityValue: string;
  unit: Unit;
  origin: string;
  /** The date written on the form, YYYY-MM-DD. */
  issueDate: string;
  basis: Basis[];
}

const selectable = templateFor(currentTemplateVersion).bases;

/** The form filled from what the subject issued last, or from its registration. */
export function initialPaperForm(
  subject: Pick<OwnSubject, 'address' | 'products'>,
  defaults: SubjectDefaults | null,
  today: string,
): PaperForm {
  const basis = (defaults?.basis ?? []).filter((b) => selectable.includes(b));
  return {
    number: '',
    productName:
      defaults?.productName ?? (subject.products.length === 1 ? (subject.products[0] ?? '') : ''),
    quantityValue: defaults?.quantity.value ?? '',
    unit: defaults?.quantity.unit ?? 'kg',
    origin: defaults?.origin ?? subject.address,
    issueDate: today,
    basis: basis.length > 0 ? basis : ['quality_control'],
  };
}

/**
 * The serial the number stands for. A whole serial typed or pasted (`XG2026-000007`) is taken as
 * it is; digits alone are a number of the chosen series. Null when neither.
 */
export function serialFor(typed: string, series: Series | undefined): string | null {
  const t = typed.trim();
  if (/[A-Za-z]/.test(t)) return t;
  if (!/^\d{1,6}$/.test(t) || Number(t) < 1 || !series) return null;
  return formatPaperSerial({ prefix: series.prefix, year: series.year, number: Number(t) });
}

/** What `paper.register` takes; the serial as `serialFor` made it (or as typed when it could not). */
export function toRegisterInput(
  form: PaperForm,
  subjectId: string,
  series: Series | undefined,
): RegisterPaperFormInput {
  return {
    subjectId,
    serial: serialFor(form.number, series) ?? form.number.trim(),
    productName: form.productName.trim(),
    quantity: { value: form.quantityValue.trim(), unit: form.unit },
    origin: form.origin.trim(),
    issueDate: form.issueDate.trim(),
    basis: form.basis,
    issueUnit: 'package',
  };
}

/** The next form's number after a registered one (forms are usually filled in order). */
export function nextNumber(number: string): string {
  const t = number.trim();
  return /^\d{1,6}$/.test(t) ? String(Number(t) + 1) : '';
}
