import type {
  LabelView,
  OwnCertificate,
  SubjectDefaults,
} from '../../cloudfunctions/certificate/actions';
import type { AuditEntry } from '../../cloudfunctions/kit/audit';
import type { FormRangeView, RegisteredPaperForm } from '../../cloudfunctions/paper/actions';
import type { DivisionSubject, OwnSubject } from '../../cloudfunctions/subject/actions';
import type { Me } from '../../cloudfunctions/user/actions';
import type { SuspectsResult, VerifyResult } from '../../cloudfunctions/verify/actions';
import type { ScanPlace } from '../domain/scan';
import type { CertificateStatus, IssueCertificateInput } from '../domain/certificate';
import type { epcisDocument } from '../domain/epcis';
import type { AllocateRangeInput, RegisterPaperFormInput, VoidRangeInput } from '../domain/paper';
import type { PrintLabelsInput, PrintLabelsResult } from '../domain/print';
import type { SubjectRegistration } from '../domain/subject';
import type { TestRecord, TestRecordInput } from '../domain/test-record';
import { call } from './transport';

export { ApiError, asApiError } from './api-error';
export type {
  AuditEntry,
  DivisionSubject,
  FormRangeView,
  LabelView,
  Me,
  OwnCertificate,
  OwnSubject,
  PrintLabelsResult,
  RegisteredPaperForm,
  SubjectDefaults,
  SuspectsResult,
  TestRecord,
  VerifyResult,
};

/** One certificate as its issuer sees it, with the test records its basis rests on. */
export type OwnCertificateDetail = OwnCertificate & { tests: TestRecord[] };

/** Filters of the retained-copy list and its export (dates are YYYY-MM-DD, China time). */
export interface CertificateFilters {
  subjectId?: string;
  /** Product name, code, batch number, plate or trace code. */
  q?: string;
  status?: CertificateStatus;
  from?: string;
  to?: string;
}

/** An .xlsx workbook as the server sends it. */
export interface ExportedFile {
  filename: string;
  rows: number;
  base64: string;
}

/** The cloud functions' actions, typed from their declarations. */
export const api = {
  subject: {
    register: (input: SubjectRegistration) => call<OwnSubject>('subject', 'register', input),
    mine: () => call<OwnSubject[]>('subject', 'mine', {}),
    /** Staff: the subjects of their division (admin: of any division), by part of the name. */
    division: (input: { divisionCode?: string; q?: string; limit?: number } = {}) =>
      call<DivisionSubject[]>('subject', 'division', input),
  },
  certificate: {
    /** Idempotent on input.requestId: a retry returns the certificate issued the first time. */
    issue: (input: IssueCertificateInput) => call<OwnCertificate[]>('certificate', 'issue', input),
    /** 上次开具: what the subject issued last, or null before its first certificate. */
    defaults: (subjectId: string) =>
      call<SubjectDefaults | null>('certificate', 'defaults', { subjectId }),
    mine: (input: CertificateFilters & { limit?: number; skip?: number } = {}) =>
      call<OwnCertificate[]>('certificate', 'mine', input),
    get: (code: string) => call<OwnCertificateDetail>('certificate', 'get', { code }),
    /** A page of a per-package certificate's labels (limit ≤ 500). */
    labels: (code: string, offset: number, limit: number) =>
      call<{ count: number; labels: LabelView[] }>('certificate', 'labels', {
        code,
        offset,
        limit,
      }),
    revoke: (code: string, reason: string) =>
      call<OwnCertificate>('certificate', 'revoke', { code, reason }),
    /** Refused (FORBIDDEN) inside the retention period. */
    remove: (code: string) => call<{ removed: string }>('certificate', 'remove', { code }),
    /** 操作记录, oldest first. */
    history: (code: string) => call<AuditEntry[]>('certificate', 'history', { code }),
    export: (filters: CertificateFilters = {}) =>
      call<ExportedFile>('certificate', 'export', filters),
    addTestRecord: (input: TestRecordInput) =>
      call<TestRecord>('certificate', 'addTestRecord', input),
    /** Newest first. */
    testRecords: (subjectId: string) =>
      call<TestRecord[]>('certificate', 'testRecords', { subjectId }),
    /** The chain as GS1 EPCIS 2.0 JSON-LD. */
    epcis: (code: string) =>
      call<ReturnType<typeof epcisDocument>>('certificate', 'epcis', { code }),
  },
  verify: {
    /** `code` may be a typed code or a whole scanned URL (its `?s=` signature is checked). */
    lookup: (code: string, place?: ScanPlace) =>
      call<VerifyResult>('verify', 'lookup', place ? { code, place } : { code }),
    publicKey: () =>
      call<{ algorithm: 'Ed25519'; publicKey: string; messagePrefix: string }>(
        'verify',
        'publicKey',
        {},
      ),
    /** Staff: labels flagged 疑似复制 or scanned with forged signatures. */
    suspects: (limit?: number) =>
      call<SuspectsResult>('verify', 'suspects', limit ? { limit } : {}),
  },
  user: {
    me: () => call<Me>('user', 'me', {}),
  },
  print: {
    /** 打印标签: a PDF in the file store and a link valid for `expiresIn` seconds. */
    labels: (input: PrintLabelsInput) => call<PrintLabelsResult>('print', 'labels', input),
  },
  paper: {
    /** Staff: hand a subject a range of pre-printed forms; an overlap is CONFLICT at `from`. */
    allocate: (input: AllocateRangeInput) => call<FormRangeView>('paper', 'allocate', input),
    /** One hand-filled form as a certificate; a reused serial is CONFLICT at `serial`. */
    register: (input: RegisterPaperFormInput) =>
      call<RegisteredPaperForm>('paper', 'register', input),
    /** Staff: void a range, or the part `from`–`to` of it. */
    void: (input: VoidRangeInput) =>
      call<{ range: FormRangeView; voided: number; skipped: number; alreadyVoided: number }>(
        'paper',
        'void',
        input,
      ),
    /** A subject's ranges; without one, the caller's own (producer) or their division's (staff). */
    ranges: (input: { subjectId?: string; limit?: number; skip?: number } = {}) =>
      call<FormRangeView[]>('paper', 'ranges', input),
  },
};
