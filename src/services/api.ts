import type {
  LabelView,
  OwnCertificate,
  SubjectDefaults,
} from '../../cloudfunctions/certificate/actions';
import type { AuditEntry } from '../../cloudfunctions/kit/audit';
import type {
  AcceptanceRateResult,
  AcceptResult,
  EntriesResult,
  MarketEntryView,
} from '../../cloudfunctions/market/actions';
import type {
  AddresseePage,
  CoverageResult,
  InboxEntry,
  ItemSummary,
  ItemView,
  PendingRow,
  SessionView,
  SignedIn,
  Subscription,
  UploadedFile,
} from '../../cloudfunctions/outreach/actions';
import type { FormRangeView, RegisteredPaperForm } from '../../cloudfunctions/paper/actions';
import type { DivisionSubject, OwnSubject } from '../../cloudfunctions/subject/actions';
import type { Me } from '../../cloudfunctions/user/actions';
import type {
  KeyListItem,
  KeyPlacement,
  PatrolView,
  PhotoLink,
  RectificationDetail,
  RectificationView,
  SampleOutcome,
  StationsResult,
  StationView,
  UploadedPhoto,
  WorkList,
} from '../../cloudfunctions/supervision/actions';
import type { SuspectsResult, VerifyResult } from '../../cloudfunctions/verify/actions';
import type { ScanPlace } from '../domain/scan';
import type { CertificateStatus, IssueCertificateInput } from '../domain/certificate';
import type { epcisDocument } from '../domain/epcis';
import type {
  AcceptInput,
  ArrivalInput,
  EntryFilters,
  MarketSample,
  NoCertificateEntry,
  RecordSampleInput,
} from '../domain/market';
import type { AllocateRangeInput, RegisterPaperFormInput, VoidRangeInput } from '../domain/paper';
import type { PublishInput, Reach, SessionInput, TemplateKey } from '../domain/outreach';
import type { PrintLabelsInput, PrintLabelsResult } from '../domain/print';
import type { SubjectRegistration } from '../domain/subject';
import type {
  PatrolInput,
  PhotoUpload,
  RectificationStatus,
  RectificationSubmit,
  Sample,
  SampleInput,
  SignOffInput,
  Station,
  StationInput,
} from '../domain/supervision';
import type { TestRecord, TestRecordInput } from '../domain/test-record';
import type {
  DirectoryEntry,
  DuplicateGroup,
  HistoryEntry,
  ImportBatch,
  ImportReport,
  MergeResult,
  PendingItem,
  StaffSubjectView,
  XlsxFile,
} from '../../cloudfunctions/directory/actions';
import type { DormantItem } from '../../cloudfunctions/directory/dormant';
import type {
  CreatedInvitation,
  InvitationView,
  Redeemed,
  StaffMember,
} from '../../cloudfunctions/user/actions';
import type { DormantDecision, ReviewInput, SubjectUpdateInput } from '../domain/directory';
import type { InvitationStatus, InviteInput, StaffRole } from '../domain/invitation';
import type { Role } from '../domain/role';
import type { SubjectStatus } from '../domain/subject';
import { call } from './transport';

export { ApiError, asApiError } from './api-error';
export type {
  AcceptanceRateResult,
  AcceptResult,
  AuditEntry,
  DivisionSubject,
  EntriesResult,
  FormRangeView,
  LabelView,
  MarketEntryView,
  MarketSample,
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

export type {
  KeyListItem,
  PatrolView,
  PhotoLink,
  RectificationDetail,
  RectificationView,
  Sample,
  SampleOutcome,
  StationsResult,
  StationView,
  UploadedPhoto,
  WorkList,
};

export type {
  CreatedInvitation,
  DirectoryEntry,
  DormantItem,
  HistoryEntry,
  ImportBatch,
  ImportReport,
  InvitationView,
  MergeResult,
  PendingItem,
  Redeemed,
  StaffMember,
  StaffSubjectView,
  XlsxFile,
};

/** 疑似重复 — subjects that may be one party, as the directory lists them. */
export type DuplicateGroupView = DuplicateGroup<StaffSubjectView>;

/** Filters of the directory list and its export (an area inside the caller's). */
export interface DirectoryFilters {
  divisionCode?: string;
  status?: SubjectStatus;
}

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

/** Filters of a market's entry list and its export (dates are YYYY-MM-DD, China time). */
export type MarketEntryFilters = Partial<Omit<EntryFilters, 'marketSubjectId'>> & {
  marketSubjectId: string;
};

export type {
  AddresseePage,
  CoverageResult,
  InboxEntry,
  ItemSummary,
  ItemView,
  PendingRow,
  SessionView,
  SignedIn,
  Subscription,
  UploadedFile,
};

/** 培训详情: staff also get the enrolment and attendance counts. */
export type SessionDetail = SessionView & {
  counts: { enrolled: number; attended: number } | null;
};

/** 签到二维码 of a session: its code, the address the QR code carries, and the window. */
export interface SignInCode {
  sessionId: string;
  title: string;
  code: string;
  url: string;
  opensAt: string;
  closesAt: string;
}

/** One row of a session's 参训名单. */
export interface AttendeeRow {
  userId: string;
  nickname: string;
  divisionCode: string;
  divisionName: string;
  recipient: 'producer' | 'staff' | 'other';
  enrolledAt: string | null;
  attendedAt: string | null;
  method: 'scan' | 'manual' | null;
  reason: string | null;
}

/** 收件箱: newest first, with the whole inbox's unread and to-acknowledge counts. */
export interface Inbox {
  entries: InboxEntry[];
  total: number;
  unread: number;
  toAcknowledge: number;
}

/** 触达 of one item, in the caller's scope. */
export type ItemReach = Reach & { itemId: string; title: string; unclaimedSubjects: number };

/** The cloud functions' actions, typed from their declarations. */
export const api = {
  subject: {
    register: (input: SubjectRegistration) => call<OwnSubject>('subject', 'register', input),
    mine: () => call<OwnSubject[]>('subject', 'mine', {}),
    /** Staff: the subjects of their division (admin: of any division), by part of the name. */
    division: (input: { divisionCode?: string; q?: string; limit?: number } = {}) =>
      call<DivisionSubject[]>('subject', 'division', input),
    /** One of the caller's own subjects. */
    get: (subjectId: string) => call<OwnSubject>('subject', 'get', { subjectId }),
    /** 修改登记信息 (or resubmit after 退回修改); the ID number only when it changes. */
    update: (input: SubjectUpdateInput) => call<OwnSubject>('subject', 'update', input),
  },
  directory: {
    /** 名录, by name: part of the name, contact or phone in `q` (limit ≤ 500). */
    list: (input: DirectoryFilters & { q?: string; limit?: number; skip?: number } = {}) =>
      call<{ total: number; items: StaffSubjectView[] }>('directory', 'list', input),
    get: (subjectId: string) => call<DirectoryEntry>('directory', 'get', { subjectId }),
    /** 待审核, oldest first, with the days each has waited. */
    pending: (input: { divisionCode?: string; limit?: number } = {}) =>
      call<{ total: number; items: PendingItem[] }>('directory', 'pending', input),
    /** A reason is required unless approving; the producer sees it. */
    review: (input: ReviewInput) => call<StaffSubjectView>('directory', 'review', input),
    importTemplate: () => call<XlsxFile>('directory', 'importTemplate', {}),
    /** Checks (dryRun) or imports a roster whole; 'in_progress': call again with the same input. */
    import: (input: { base64: string; importId?: string; dryRun?: boolean; fileName?: string }) =>
      call<ImportReport>('directory', 'import', input),
    importStatus: (importId: string) =>
      call<ImportBatch>('directory', 'importStatus', { importId }),
    export: (filters: DirectoryFilters = {}) => call<XlsxFile>('directory', 'export', filters),
    /** 一人多身份 */
    duplicates: (input: { divisionCode?: string; limit?: number } = {}) =>
      call<{ total: number; groups: DuplicateGroupView[] }>('directory', 'duplicates', input),
    /** 'moving': call again with the same input until 'done'. */
    merge: (input: { keepId: string; mergeIds: string[]; reason: string }) =>
      call<MergeResult>('directory', 'merge', input),
    /** 在册不运行, longest idle first. */
    dormant: (input: { divisionCode?: string; limit?: number } = {}) =>
      call<{ afterDays: number; total: number; items: DormantItem[] }>(
        'directory',
        'dormant',
        input,
      ),
    confirmDormant: (input: { subjectId: string; decision: DormantDecision; reason: string }) =>
      call<{ subject: StaffSubjectView; decision: DormantDecision; keptUntil: string | null }>(
        'directory',
        'confirmDormant',
        input,
      ),
    /** 变更记录, oldest first. */
    history: (subjectId: string) => call<HistoryEntry[]>('directory', 'history', { subjectId }),
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
    /** 生成邀请: the code exists only in this answer. */
    invite: (input: InviteInput) => call<CreatedInvitation>('user', 'invite', input),
    /** 领取邀请: a typed code or the scanned `/join/<code>` address. */
    redeem: (input: { code: string; nickname?: string }) => call<Redeemed>('user', 'redeem', input),
    revokeRole: (input: { userId: string; role: Role; reason: string }) =>
      call<StaffMember>('user', 'revokeRole', input),
    /** 工作人员名单 in the caller's scope. */
    staff: (input: { divisionCode?: string; role?: StaffRole } = {}) =>
      call<StaffMember[]>('user', 'staff', input),
    /** The caller's invitations (an admin: everyone's), newest first. */
    invitations: (input: { status?: InvitationStatus; limit?: number } = {}) =>
      call<InvitationView[]>('user', 'invitations', input),
    cancelInvitation: (id: string) => call<InvitationView>('user', 'cancelInvitation', { id }),
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
  market: {
    /**
     * 凭证入市: a scanned label URL or a typed code. Refused with CONFLICT (revoked, forged,
     * already accepted here) or NOT_FOUND, the message also under `fields.scanned`.
     */
    accept: (input: AcceptInput) => call<AcceptResult>('market', 'accept', input),
    /** 无证入市: recorded, and pending its sample (无证抽检). */
    arrivalWithoutCertificate: (input: ArrivalInput) =>
      call<MarketEntryView<NoCertificateEntry>>('market', 'arrivalWithoutCertificate', input),
    /** 无证抽检, once per arrival: pass lets the goods in, fail turns them away (不合格退场). */
    recordSample: (input: RecordSampleInput) =>
      call<{ entry: MarketEntryView<NoCertificateEntry>; sample: MarketSample }>(
        'market',
        'recordSample',
        input,
      ),
    /** Newest first; `total` counts every match before paging (limit ≤ 200). */
    entries: (input: MarketEntryFilters & { limit?: number; skip?: number }) =>
      call<EntriesResult>('market', 'entries', input),
    export: (filters: MarketEntryFilters) =>
      call<ExportedFile & { truncated: boolean }>('market', 'export', filters),
    /** 准入率 over a period (both ends included), computed from the entries. */
    acceptanceRate: (input: { marketSubjectId: string; from?: string; to?: string }) =>
      call<AcceptanceRateResult>('market', 'acceptanceRate', input),
  },
  supervision: {
    /** 上传照片: one JPEG or PNG of at most 2 MB, in base64; its file id goes on a record. */
    uploadPhoto: (input: PhotoUpload) => call<UploadedPhoto>('supervision', 'uploadPhoto', input),
    /** Signed links (15 minutes) to photos of records the caller may see. */
    photoUrls: (fileIds: string[]) => call<PhotoLink[]>('supervision', 'photoUrls', { fileIds }),
    /** 巡查: each scanned label is verified on the way; idempotent on requestId. */
    recordPatrol: (input: PatrolInput) => call<PatrolView>('supervision', 'recordPatrol', input),
    patrols: (input: { subjectId?: string; from?: string; to?: string; limit?: number } = {}) =>
      call<PatrolView[]>('supervision', 'patrols', input),
    /** 抽检: a failure opens a case, and a contradicted promise puts the subject on the key list. */
    recordSample: (input: SampleInput) => call<SampleOutcome>('supervision', 'recordSample', input),
    samples: (
      input: {
        subjectId?: string;
        result?: 'pass' | 'fail';
        from?: string;
        to?: string;
        limit?: number;
      } = {},
    ) => call<Sample[]>('supervision', 'samples', input),
    /** 提交整改: by the subject's producer (or staff on their behalf), until signed off. */
    submitRectification: (input: RectificationSubmit) =>
      call<RectificationView>('supervision', 'submitRectification', input),
    /** 核查: close (销号) or send back (退回, with a reason) a submitted case. */
    signOff: (input: SignOffInput) => call<RectificationView>('supervision', 'signOff', input),
    /** Staff: their division's cases; producers: their own subjects'. Overdue first. */
    rectifications: (
      input: { status?: RectificationStatus; overdue?: boolean; subjectId?: string } = {},
    ) => call<RectificationView[]>('supervision', 'rectifications', input),
    rectification: (caseId: string) =>
      call<RectificationDetail>('supervision', 'rectification', { caseId }),
    keyList: (input: { status?: 'active' | 'lifted' } = {}) =>
      call<KeyListItem[]>('supervision', 'keyList', input),
    /** 虚假开具合格证 found on a patrol: onto the key list, with a case. */
    placeOnKeySupervision: (input: { subjectId: string; patrolId: string; note: string }) =>
      call<KeyPlacement>('supervision', 'placeOnKeySupervision', input),
    /** 工作清单 of the caller's division, derived now (supervisors and admins). */
    workList: () => call<WorkList>('supervision', 'workList', {}),
    saveStation: (input: StationInput) => call<Station>('supervision', 'saveStation', input),
    stations: () => call<StationsResult>('supervision', 'stations', {}),
  },
  outreach: {
    /** 发布宣传内容 (supervisors: their own street; admins: any). */
    publish: (input: PublishInput) =>
      call<{ item: ItemSummary; delivered: number; messaged: number }>(
        'outreach',
        'publish',
        input,
      ),
    inbox: () => call<Inbox>('outreach', 'inbox', {}),
    /** Opens an item or training notice addressed to the caller and marks it read. */
    read: (itemId: string) =>
      call<{ entry: InboxEntry; item: ItemView | null; session: SessionView | null }>(
        'outreach',
        'read',
        { itemId },
      ),
    /** 已阅知 (once; again changes nothing). */
    acknowledge: (itemId: string) => call<InboxEntry>('outreach', 'acknowledge', { itemId }),
    reach: (itemId: string) => call<ItemReach>('outreach', 'reach', { itemId }),
    /** 宣传二维码: the item's public poster address, for printing on boards in markets and bases. */
    posterQr: (itemId: string) =>
      call<{ itemId: string; title: string; kindLabel: string; url: string; live: boolean }>(
        'outreach',
        'posterQr',
        { itemId },
      ),
    unacknowledged: (itemId: string) =>
      call<{ total: number; rows: PendingRow[] }>('outreach', 'unacknowledged', { itemId }),
    /** 提醒确认: once a day per person, however often asked. */
    remind: (itemId: string) =>
      call<{ reminded: number; messaged: number; alreadyToday: number; done: boolean }>(
        'outreach',
        'remind',
        { itemId },
      ),
    /** 上传素材: one JPEG, PNG or PDF of at most 3 MB; its file id goes on an item or session. */
    uploadFile: (input: {
      base64: string;
      contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
    }) => call<UploadedFile>('outreach', 'uploadFile', input),
    /** 我的订阅: each template's WeChat id and the messages the caller may still receive. */
    subscriptions: () => call<Subscription[]>('outreach', 'subscriptions', {}),
    /** Records `count` accepted subscriptions of a template (wx.requestSubscribeMessage). */
    consent: (templateKey: TemplateKey, count = 1) =>
      call<{ templateKey: TemplateKey; remaining: number }>('outreach', 'consent', {
        templateKey,
        count,
      }),
    /** 创建培训 (supervisors: their own street; admins: any); published now unless `publishAt`. */
    createSession: (input: SessionInput) =>
      call<{ session: SessionView; notified: number; messaged: number }>(
        'outreach',
        'createSession',
        input,
      ),
    /** Staff: their division's sessions; others: those addressed to them. */
    sessions: (input: { upcoming?: boolean; limit?: number } = {}) =>
      call<SessionView[]>('outreach', 'sessions', input),
    session: (sessionId: string) => call<SessionDetail>('outreach', 'session', { sessionId }),
    enroll: (sessionId: string) => call<SessionView>('outreach', 'enroll', { sessionId }),
    /** The organiser's 签到二维码. */
    signInCode: (sessionId: string) => call<SignInCode>('outreach', 'signInCode', { sessionId }),
    /** 扫码签到: with `sessionId`, a code of another session is refused. */
    signIn: (input: { code: string; sessionId?: string }) =>
      call<SignedIn>('outreach', 'signIn', input),
    /** 手工登记出席, with a reason (audited). */
    markAttendance: (input: { sessionId: string; userId: string; reason: string }) =>
      call<SignedIn>('outreach', 'markAttendance', input),
    attendees: (sessionId: string) =>
      call<{ sessionId: string; enrolled: number; attended: number; rows: AttendeeRow[] }>(
        'outreach',
        'attendees',
        { sessionId },
      ),
    /** 培训对象名单 for the organiser: whom the session addresses, searched, a page at a time. */
    sessionAddressees: (input: {
      sessionId: string;
      query?: string;
      offset?: number;
      limit?: number;
    }) => call<AddresseePage>('outreach', 'sessionAddressees', input),
    /** 培训覆盖 of the caller's scope, or of one division in it. */
    coverage: (input: { divisionCode?: string } = {}) =>
      call<CoverageResult>('outreach', 'coverage', input),
    coverageExport: (input: { divisionCode?: string } = {}) =>
      call<ExportedFile>('outreach', 'coverageExport', input),
  },
};
