import type { IssueCertificateInput, IssueUnit } from '@/domain/certificate';
import type { Unit } from '@/domain/quantity';
import { currentTemplateVersion, templateFor, type Basis } from '@/domain/template';
import { supportedBasis, type TestRecord } from '@/domain/test-record';
import type { OwnCertificate, OwnSubject, SubjectDefaults } from '@/services/api';
import { nextBatchNo } from '@/ui/summary';

/** The issue form as typed: text stays text until it is sent. */
export interface IssueForm {
  productName: string;
  quantityValue: string;
  unit: Unit;
  origin: string;
  issueUnit: IssueUnit;
  vehiclePlate: string;
  batchNo: string;
  basis: Basis[];
  /** 一箱一证: how many packages, as typed. */
  packages: string;
  traceCode: string;
  testRecordIds: string[];
  /** Style 2: label codes of the certificates the lot was made from. */
  sourceCodes: string[];
}

/** What the page loads for a subject before the form shows. */
export interface Prefill {
  subjectId: string;
  defaults: SubjectDefaults | null;
  tests: TestRecord[];
  /** The newest certificate, for the plate or batch number defaults leave out. */
  last: OwnCertificate | null;
}

const selectable = templateFor(currentTemplateVersion).bases;

/** The form filled from what the subject issued last, or from its registration the first time. */
export function initialForm(subject: OwnSubject, prefill: Prefill, today: string): IssueForm {
  const d = prefill.defaults;
  const last = prefill.last;
  const basis = (d?.basis ?? []).filter((b) => selectable.includes(b));
  return {
    productName:
      d?.productName ?? (subject.products.length === 1 ? (subject.products[0] ?? '') : ''),
    quantityValue: d?.quantity.value ?? '',
    unit: d?.quantity.unit ?? 'kg',
    origin: d?.origin ?? subject.address,
    issueUnit: d?.issueUnit ?? 'package',
    vehiclePlate: last?.issueUnit === 'vehicle' ? (last.vehiclePlate ?? '') : '',
    batchNo: d?.issueUnit === 'batch' ? nextBatchNo(last?.batchNo, today) : '',
    basis: basis.length > 0 ? basis : ['quality_control'],
    packages: String(d?.issueUnit === 'package' ? d.packages : 1),
    traceCode: '',
    testRecordIds: (d?.testRecordIds ?? []).filter((id) =>
      prefill.tests.some((t) => t._id === id && supportedBasis(t) !== null),
    ),
    sourceCodes: [],
  };
}

/** The test bases chosen: each needs a passed test record of its party. */
export function testBases(basis: readonly Basis[]): Basis[] {
  return basis.filter((b) => b === 'self_test' || b === 'commissioned_test');
}

/** The passed records that can back `basis` (自行检测合格 ← self, 委托检测合格 ← commissioned). */
export function recordsFor(basis: Basis, tests: readonly TestRecord[]): TestRecord[] {
  return tests.filter((t) => supportedBasis(t) === basis);
}

/** The chosen records that back a chosen basis, in the order chosen (what is sent). */
export function linkedTestIds(form: IssueForm, tests: readonly TestRecord[]): string[] {
  const wanted = new Set(testBases(form.basis));
  return form.testRecordIds.filter((id) => {
    const t = tests.find((r) => r._id === id);
    const b = t ? supportedBasis(t) : null;
    return b !== null && wanted.has(b);
  });
}

/** "12" → 12; anything but digits → NaN, which the schema refuses with its own message. */
export function packageCount(text: string): number {
  return /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

export function toInput(
  form: IssueForm,
  extra: { requestId: string; subjectId: string; style: 1 | 2; tests: readonly TestRecord[] },
): IssueCertificateInput {
  const trace = form.traceCode.trim();
  return {
    requestId: extra.requestId,
    subjectId: extra.subjectId,
    productName: form.productName,
    quantity: { value: form.quantityValue, unit: form.unit },
    origin: form.origin,
    basis: form.basis,
    issueUnit: form.issueUnit,
    ...(form.issueUnit === 'vehicle' ? { vehiclePlate: form.vehiclePlate } : {}),
    ...(form.issueUnit === 'batch' ? { batchNo: form.batchNo } : {}),
    packages: form.issueUnit === 'package' ? packageCount(form.packages) : 1,
    ...(trace ? { traceCode: trace } : {}),
    testRecordIds: linkedTestIds(form, extra.tests),
    ...(extra.style === 2 ? { sourceCodes: form.sourceCodes } : {}),
  };
}
