/**
 * The storage port: what cloud-function actions may ask of a database.
 *
 * A document store in the shape CloudBase offers (collections of JSON documents keyed by `_id`),
 * kept small enough that SQLite can honour it exactly. Two adapters implement it: SQLite (the
 * embedded default) and CloudBase (production); `test/cloudfunctions/kit/store/contract.ts` holds
 * the behaviour both must show.
 */

/** The collections the product knows. A new one needs a migration in the SQLite adapter. */
export const collectionNames = [
  'users',
  'sessions',
  'subjects',
  'certificates',
  'requests',
  'counters',
  'audit',
  /** Last-used issue settings per subject (product, unit, origin, basis). */
  'subjectDefaults',
  /** 检测记录 — own or commissioned test results a promise may rest on. */
  'testRecords',
  /** 扫码记录 — every verification scan of a label. */
  'scans',
  /** 纸质合格证号段 — serial ranges of pre-printed forms allocated to a producer. */
  'formRanges',
  /** One document per registered paper serial: its uniqueness is the `_id`. */
  'paperSerials',
  /** Metadata of stored files (PDFs, photos); the bytes live in the file store. */
  'files',
  /** 邀请 — one-time invitations that grant a staff role for a division. */
  'invitations',
  /** 入市查验 — a market's record of goods arriving, with or without a certificate. */
  'marketEntries',
  /** 抽检 — rapid or lab samples, linked to the certificates they tested. */
  'samples',
  /** 巡查 — patrol visits to producers. */
  'patrols',
  /** 重点监管 — one document per subject placed under key supervision (`_id` = subject id). */
  'keySupervision',
  /** 整改 — rectification cases opened after a failed sample. */
  'rectifications',
  /** 监管站 / 村级服务点 — township supervision stations and village service points. */
  'stations',
  /** 名录导入批次 — one document per roster import: its progress, so a retry resumes it. */
  'importBatches',
  /** 主体合并 — one document per merge (一人多身份): what moved, so a retry resumes it. */
  'subjectMerges',
  /** 在册不运行核实 — a supervisor's latest confirmation per subject (`_id` = subject id). */
  'dormancyChecks',
  /** 书面总结 — one per street and summary period (`_id` from both): draft, then submitted. */
  'summaries',
  /** 合规证明 — issued compliance statements; the QR code on each print points at one. */
  'statements',
  /** 宣传内容 — articles, posters, videos, 告知书 and 明白纸, scheduled or sent (outreach). */
  'outreachItems',
  /** 送达记录 — one per item (or training notice) and addressed user: the inbox, read, 已阅知. */
  'deliveries',
  /** 订阅消息授权 — unused WeChat subscribe-message consents per user and template. */
  'consents',
  /** 订阅消息 — each subscribe message a consent paid for, and how its send went. */
  'pushes',
  /** 本地发件箱 — what the embedded runtime's messenger "sent" instead of WeChat. */
  'outbox',
  /** 培训场次 — training sessions, with their audience, time, place and materials. */
  'trainingSessions',
  /** 培训签到 — enrolment and attendance, one per session and user. */
  'trainingAttendance',
] as const;
export type CollectionName = (typeof collectionNames)[number];

export interface Doc {
  _id: string;
}

/** A field value that can be matched for equality in `find`/`count`. */
export type Scalar = string | number | boolean | null;

/** Equality on top-level fields; an array value matches documents whose field is one of them. */
export type Where = Record<string, Scalar | readonly Scalar[]>;

export interface FindOptions {
  orderBy?: { field: string; direction: 'asc' | 'desc' };
  limit?: number;
  skip?: number;
}

/** Operations that are single-document and so allowed inside a transaction on both adapters. */
export interface DocOps<T extends Doc> {
  get(id: string): Promise<T | null>;
  /** Inserts a new document; throws StoreConflictError when `_id` exists. */
  insert(doc: T): Promise<void>;
  /** Inserts or replaces the whole document. */
  put(doc: T): Promise<void>;
  /** Merges top-level fields into an existing document; false when it does not exist. */
  update(id: string, patch: Partial<Omit<T, '_id'>>): Promise<boolean>;
  /** Removes a document; false when it did not exist. */
  remove(id: string): Promise<boolean>;
}

export interface Collection<T extends Doc> extends DocOps<T> {
  find(where?: Where, options?: FindOptions): Promise<T[]>;
  count(where?: Where): Promise<number>;
}

export interface TransactionScope {
  collection<T extends Doc>(name: CollectionName): DocOps<T>;
}

export interface Store {
  collection<T extends Doc>(name: CollectionName): Collection<T>;
  /**
   * Runs `fn` atomically: every write in it lands, or none does (the error is rethrown).
   * Only single-document operations are available inside, as on CloudBase.
   */
  transaction<R>(fn: (tx: TransactionScope) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** Thrown by `insert` when the `_id` is taken. */
export class StoreConflictError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`document ${collection}/${id} already exists`);
    this.name = 'StoreConflictError';
  }
}

/**
 * Why a database refused service, when the adapter can tell: the disk (or the database's page
 * limit) is full, the file cannot be written, or another writer held the lock past the timeout.
 */
export type UnavailableReason = 'full' | 'readonly' | 'busy';

/** Thrown when the database cannot be reached or refuses service (offline, full, read-only). */
export class StoreUnavailableError extends Error {
  readonly reason: UnavailableReason | undefined;

  constructor(message: string, options?: { cause?: unknown; reason?: UnavailableReason }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
    this.reason = options?.reason;
  }
}
