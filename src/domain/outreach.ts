/**
 * 宣传与培训 — publicity that reaches every producer (the plan's point 6: posters, videos, the
 * 告知书 and the 明白纸 in every producer's hands, with proof of reach) and training that reaches
 * every supervisor, enforcement officer and extension technician at least once (point 5).
 *
 * The rules here are pure: who an item or a training session is addressed to, when sign-in is
 * open, reach figures and training coverage. The numbers are policy data. The stored documents
 * are described below with their collections, for the functions that read them (the district
 * dashboard reads `deliveries` for reach and `trainingAttendance` for coverage).
 */
import * as z from 'zod/mini';
import {
  districtCode,
  divisionName,
  isWithinDivision,
  lianyunDivisions,
  type Division,
} from './division';
import {
  productCategoriesOf,
  productCategories,
  productCategorySchema,
  type ProductCategory,
} from './product-category';
import { hasAnyRole, staffRoles, type Role } from './role';
import {
  canIssue,
  subjectTypeCodes,
  subjectTypes,
  type Subject,
  type SubjectType,
} from './subject';

// --- policy -------------------------------------------------------------------------------------

/** 宣传内容: sizes, and how far ahead an item may be scheduled. */
export const publicityPolicy = {
  titleMaxLength: 60,
  bodyMaxLength: 10_000,
  maxImages: 9,
  maxScheduleDays: 180,
  /** Images (JPEG, PNG) and PDFs uploaded for items and training materials. */
  fileMaxBytes: 3 * 1024 * 1024,
  /** How long the signed image and PDF links on a poster page and in the app last. */
  fileUrlTtlSeconds: 3600,
} as const;

/** 培训签到: opens this long before the start, closes at the end. */
export const signInPolicy = {
  opensMinutesBefore: 30,
} as const;

/** 培训场次: at most this long, this many materials, scheduled at most this far ahead. */
export const sessionPolicy = {
  maxDurationHours: 72,
  maxMaterials: 20,
  maxScheduleDays: 180,
} as const;

/**
 * 订阅消息授权: each acceptance of wx.requestSubscribeMessage allows one message of that template;
 * a tap records at most `maxPerCall` and a user holds at most `maxBalance` unused.
 */
export const consentPolicy = {
  maxPerCall: 10,
  maxBalance: 50,
} as const;

/**
 * 发送: a send that has not finished after `budgetMillis` stops and leaves the rest to the next
 * timer tick (a function call must not time out half-way); a send whose claim is older than
 * `claimStaleMinutes` is taken over (its runner died).
 */
export const sendPolicy = {
  budgetMillis: 10_000,
  claimStaleMinutes: 5,
} as const;

// --- vocabularies -------------------------------------------------------------------------------

/** 宣传内容类型. */
export const publicityKinds = {
  article: '宣传文章',
  poster: '宣传海报',
  video: '宣传视频',
  notice_letter: '告知书',
  plain_sheet: '明白纸',
} as const;
export type PublicityKind = keyof typeof publicityKinds;
export const publicityKindCodes = Object.keys(publicityKinds) as [
  PublicityKind,
  ...PublicityKind[],
];

/** The kinds a producer confirms 已阅知 unless the publisher says otherwise. */
export const kindsRequiringAck: readonly PublicityKind[] = ['notice_letter', 'plain_sheet'];

/**
 * 培训对象, and the roles each addresses. The plan's 农技推广人员 (extension technicians) have no
 * role of their own in this product: the village coordinators (村级协管员) who guide producers
 * and run rapid tests at the service points are the ones trained as such. When the bureau adds a
 * role for its extension staff, it goes into `extension.roles` here.
 */
export const trainingAudiences = {
  supervisors: { label: '监管人员', roles: ['supervisor'] },
  enforcement: { label: '执法人员', roles: ['enforcement'] },
  extension: { label: '农技推广人员（村级协管员）', roles: ['coordinator'] },
  producers: { label: '生产主体', roles: ['producer'] },
} as const satisfies Record<string, { label: string; roles: readonly Role[] }>;
export type TrainingAudience = keyof typeof trainingAudiences;
export const trainingAudienceCodes = Object.keys(trainingAudiences) as [
  TrainingAudience,
  ...TrainingAudience[],
];
/** The audiences of staff training: attending any of them makes a staff member "trained". */
export const staffTrainingAudiences: readonly TrainingAudience[] = [
  'supervisors',
  'enforcement',
  'extension',
];
/** The roles whose every holder is to be trained at least once (the plan's point 5). */
export const rolesToTrain: readonly Role[] = ['supervisor', 'enforcement', 'coordinator'];

/** 订阅消息模板: the templates the mini-program asks consent for (ids are configuration). */
export const subscribeTemplates = {
  notice: '新通知提醒',
  training: '培训通知',
  reminder: '待确认提醒',
} as const;
export type TemplateKey = keyof typeof subscribeTemplates;
export const templateKeyCodes = Object.keys(subscribeTemplates) as [TemplateKey, ...TemplateKey[]];

/** The mini-program pages a subscribe message opens (the front end provides them). */
export const outreachPages = {
  item: 'pages-outreach/item/index',
  session: 'pages-outreach/session/index',
} as const;

// --- stored documents ---------------------------------------------------------------------------

/** Who an item is addressed to, as stored: null filters mean "no restriction". */
export interface StoredAudience {
  /** Everyone: every producer (any subject operator) and every staff member. */
  all: boolean;
  /** Streets/townships (or the district); null = the whole district. */
  divisionCodes: string[] | null;
  subjectTypes: SubjectType[] | null;
  productCategories: ProductCategory[] | null;
}

/** One block of an item's text: a heading (`# …`), a list item (`- …`) or a paragraph. */
export interface TextBlock {
  type: 'heading' | 'paragraph' | 'item';
  text: string;
}

/** A send in progress: which call holds it and since when (so overlapping ticks do not both run). */
export interface SendClaim {
  requestId: string;
  at: string;
}

/**
 * `outreachItems` — 宣传内容. `_id` is `pub_<24 hex>` (random: it is also the public poster link).
 * An item is `scheduled` until its send has delivered to every addressed user, then `sent`.
 */
export interface OutreachItem {
  _id: string;
  kind: PublicityKind;
  title: string;
  /** The text as entered (normalised line ends, trimmed); shown escaped, never as HTML. */
  body: string;
  /** `body` split into blocks, for the app and the poster page. */
  blocks: TextBlock[];
  imageFileIds: string[];
  /** https only. */
  videoUrl: string | null;
  pdfFileId: string | null;
  audience: StoredAudience;
  /** 需确认已阅知: producers confirm (staff are never asked to). */
  requiresAck: boolean;
  /** The division the publisher acts for; null for the district bureau (admin). */
  ownerDivision: string | null;
  /** When it goes out (the publish time, or the scheduled time). */
  publishAt: string;
  status: 'scheduled' | 'sent';
  sending: SendClaim | null;
  /** When the send finished; what the inbox shows as the publish time. */
  sentAt: string | null;
  /** Deliveries made by the send (late deliveries on first inbox visit are not counted here). */
  deliveredCount: number | null;
  createdBy: string;
  createdAt: string;
}

/**
 * `deliveries` — one per item (or training notice) and addressed user: the inbox. `_id` is
 * `deterministicId('dlv', itemId, userId)`, so a retried or overlapping send never delivers twice.
 * Reach figures are counted from these: delivered = documents, read = `readAt` set,
 * acknowledged = `ackAt` set (only where `requiresAck`).
 */
export interface Delivery {
  _id: string;
  /** An `outreachItems` id, or a `trainingSessions` id for a training notice. */
  itemId: string;
  itemType: 'publicity' | 'training';
  userId: string;
  /** 生产主体 (any subject operator, buyers included) or 工作人员 (staff, by their division). */
  recipient: 'producer' | 'staff';
  /** The user's division: a producer's (lowest-coded) addressed subject's, a staff member's own. */
  divisionCode: string;
  requiresAck: boolean;
  deliveredAt: string;
  readAt: string | null;
  ackAt: string | null;
  /** The last reminder (in-app, and a subscribe message when consented) and its China date. */
  remindedAt: string | null;
  remindedOn: string | null;
  /** How it arrived: the send, the user's first inbox visit after it, or a reminder. */
  via: 'send' | 'late' | 'reminder';
}

/**
 * `consents` — 订阅消息授权 left per user and template. `_id` is
 * `deterministicId('cns', userId, templateKey)`. Sending takes one; none left means no message.
 */
export interface Consent {
  _id: string;
  userId: string;
  templateKey: TemplateKey;
  remaining: number;
  /** Acceptances recorded and messages sent, over all time. */
  granted: number;
  used: number;
  updatedAt: string;
}

/** What a subscribe message says, before a template maps it onto its keywords. */
export interface MessageData {
  title: string;
  /** 2026-12-01 09:00 (China time). */
  time: string;
  note: string;
  /** The mini-program page it opens, with its query. */
  page: string;
}

/**
 * `pushes` — one subscribe message that a consent paid for. `_id` is
 * `deterministicId('push', purpose, itemId, userId)` (plus the China date for reminders), written
 * in the transaction that takes the consent: one consent, one message.
 */
export interface Push {
  _id: string;
  userId: string;
  templateKey: TemplateKey;
  purpose: 'delivery' | 'reminder' | 'training';
  itemId: string;
  itemType: 'publicity' | 'training';
  data: MessageData;
  /** pending until the messenger answers; a crash in between leaves it pending (never resent). */
  status: 'pending' | 'sent' | 'failed';
  createdAt: string;
  sentAt: string | null;
  error: string | null;
}

/** 培训资料: an uploaded file or an https link. */
export interface Material {
  title: string;
  fileId: string | null;
  url: string | null;
}

/**
 * `trainingSessions` — 培训场次. `_id` is `trn_<24 hex>`. `scheduled` until published (its
 * notices sent to the audience's not-yet-trained users), then `published`.
 */
export interface TrainingSession {
  _id: string;
  title: string;
  audience: TrainingAudience;
  /** For producers' sessions: the product category it is for; null = all. */
  productCategory: ProductCategory | null;
  /** null = the whole district. */
  divisionCodes: string[] | null;
  /** The organiser's division; null for the district bureau. */
  ownerDivision: string | null;
  startsAt: string;
  endsAt: string;
  place: string | null;
  onlineUrl: string | null;
  materials: Material[];
  publishAt: string;
  status: 'scheduled' | 'published';
  sending: SendClaim | null;
  publishedAt: string | null;
  /** Notices sent when it was published. */
  notifiedCount: number | null;
  /** The secret half of the sign-in code (`<_id>.<token>`); shown only by signInCode. */
  signInToken: string;
  createdBy: string;
  createdAt: string;
}

/**
 * `trainingAttendance` — one per session and user: enrolment and attendance. `_id` is
 * `deterministicId('att', sessionId, userId)`. A user is trained when they have attended
 * (`attendedAt` set) a session of the right audience; coverage is derived from these.
 */
export interface Attendance {
  _id: string;
  sessionId: string;
  userId: string;
  /** The session's audience, copied so coverage needs no join. */
  sessionAudience: TrainingAudience;
  /** As in `Delivery.divisionCode`, at the time of enrolment or attendance. */
  divisionCode: string;
  recipient: 'producer' | 'staff' | 'other';
  enrolledAt: string | null;
  attendedAt: string | null;
  /** 扫码签到, or 手工登记 by the organiser (with a reason, audited). */
  method: 'scan' | 'manual' | null;
  markedBy: string | null;
  reason: string | null;
  updatedAt: string;
}

// --- input schemas ------------------------------------------------------------------------------

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .check(
      z.trim(),
      z.minLength(min, { error: min > 1 ? `${label}至少 ${min} 个字` : `请填写${label}` }),
      z.maxLength(max, { error: `${label}最多 ${max} 个字` }),
    );

/** True for an absolute https URL without credentials in it. */
export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password;
  } catch {
    return false;
  }
}

const httpsUrlField = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .check(
      z.trim(),
      z.maxLength(500, { error: `${label}太长` }),
      z.refine(isHttpsUrl, { error: `${label}须为 https:// 开头的网址` }),
    );

const instantPattern =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** True for an ISO 8601 instant with its offset that names a real moment. */
export function isInstant(value: string): boolean {
  if (!instantPattern.test(value)) return false;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return false;
  // Date.parse rolls 02-30 over into March; the local date part must survive the round trip.
  const offset = /(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(value);
  const minutes = offset?.[1]
    ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]))
    : 0;
  return new Date(t + minutes * 60_000).toISOString().slice(0, 10) === value.slice(0, 10);
}

/** A moment typed with its offset (`2026-12-01T09:00+08:00`), stored as UTC ISO. */
const instantField = (label: string) =>
  z.pipe(
    z.string({ error: `请填写${label}` }).check(
      z.regex(instantPattern, { error: `${label}格式应为 2026-12-01T09:00+08:00` }),
      z.refine((s) => !instantPattern.test(s) || isInstant(s), {
        error: `${label}不是有效的时间`,
      }),
    ),
    z.transform((s: string) => new Date(s).toISOString()),
  );

/** A file id as the file store returns it (local hex id or a CloudBase `cloud://…` id). */
export const outreachFileIdSchema = z
  .string({ error: '文件编号不正确' })
  .check(
    z.minLength(1, { error: '文件编号不正确' }),
    z.maxLength(300, { error: '文件编号不正确' }),
  );

const knownDivision = (code: string) => lianyunDivisions.some((d) => d.code === code);

const divisionCodesField = z.pipe(
  z
    .array(
      z
        .string({ error: '请选择街道/乡镇' })
        .check(z.refine(knownDivision, { error: '没有这个街道/乡镇' })),
      { error: '请选择街道/乡镇' },
    )
    .check(z.maxLength(30, { error: '最多选择 30 个街道/乡镇' })),
  z.transform((codes: string[]) => [...new Set(codes)]),
);

/** 发送对象 as the publisher picks it: everyone, or narrowed by division, type and category. */
export const audienceInputSchema = z
  .object(
    {
      all: z.optional(z.boolean({ error: '“全部”应为是或否' })),
      divisionCodes: z.optional(divisionCodesField),
      subjectTypes: z.optional(
        z.pipe(
          z.array(z.enum(subjectTypeCodes, { error: '主体类型不正确' }), {
            error: '请选择主体类型',
          }),
          z.transform((t: SubjectType[]) => [...new Set(t)]),
        ),
      ),
      productCategories: z.optional(
        z.pipe(
          z.array(productCategorySchema, { error: '请选择产品品类' }),
          z.transform((c: ProductCategory[]) => [...new Set(c)]),
        ),
      ),
    },
    { error: '请选择发送对象' },
  )
  .check(
    z.superRefine((a, ctx) => {
      const narrowed =
        Boolean(a.divisionCodes?.length) ||
        Boolean(a.subjectTypes?.length) ||
        Boolean(a.productCategories?.length);
      if (a.all === true && narrowed) {
        ctx.addIssue({
          code: 'custom',
          path: ['all'],
          message: '选择“全部”时不能再限定街道、主体类型或品类',
        });
      }
    }),
  );
export type AudienceInput = z.output<typeof audienceInputSchema>;

/** 发布宣传内容. */
export const publishInputSchema = z
  .object({
    kind: z.enum(publicityKindCodes, { error: '请选择内容类型' }),
    title: text('标题', 2, publicityPolicy.titleMaxLength),
    body: z._default(
      z.pipe(
        z.string({ error: '正文应为文字' }).check(
          z.maxLength(publicityPolicy.bodyMaxLength, {
            error: `正文最多 ${publicityPolicy.bodyMaxLength} 个字`,
          }),
        ),
        z.transform(normalizeBody),
      ),
      '',
    ),
    imageFileIds: z._default(
      z.array(outreachFileIdSchema, { error: '图片格式不正确' }).check(
        z.maxLength(publicityPolicy.maxImages, {
          error: `图片最多 ${publicityPolicy.maxImages} 张`,
        }),
      ),
      [],
    ),
    videoUrl: z.optional(httpsUrlField('视频链接')),
    pdfFileId: z.optional(outreachFileIdSchema),
    audience: audienceInputSchema,
    publishAt: z.optional(instantField('发布时间')),
    requiresAck: z.optional(z.boolean({ error: '“需确认已阅知”应为是或否' })),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (!p.body && p.imageFileIds.length === 0 && !p.pdfFileId && !p.videoUrl) {
        ctx.addIssue({ code: 'custom', path: ['body'], message: '请填写正文，或上传图片、PDF' });
      }
      if (p.kind === 'video' && !p.videoUrl) {
        ctx.addIssue({ code: 'custom', path: ['videoUrl'], message: '宣传视频请填写视频链接' });
      }
      if (p.kind === 'poster' && p.imageFileIds.length === 0 && !p.pdfFileId) {
        ctx.addIssue({
          code: 'custom',
          path: ['imageFileIds'],
          message: '宣传海报请上传海报图片或 PDF',
        });
      }
      if (new Set(p.imageFileIds).size !== p.imageFileIds.length) {
        ctx.addIssue({ code: 'custom', path: ['imageFileIds'], message: '图片不能重复' });
      }
    }),
  );
export type PublishInput = z.input<typeof publishInputSchema>;

const materialSchema = z
  .object({
    title: text('资料名称', 1, 60),
    fileId: z.optional(outreachFileIdSchema),
    url: z.optional(httpsUrlField('资料链接')),
  })
  .check(
    z.superRefine((m, ctx) => {
      if (Boolean(m.fileId) === Boolean(m.url)) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: '每份资料请上传文件或填写链接（二选一）',
        });
      }
    }),
  );

/** 创建培训场次. */
export const sessionInputSchema = z
  .object({
    title: text('培训主题', 2, 60),
    audience: z.enum(trainingAudienceCodes, { error: '请选择培训对象' }),
    productCategory: z.optional(productCategorySchema),
    divisionCodes: z.optional(divisionCodesField),
    startsAt: instantField('开始时间'),
    endsAt: instantField('结束时间'),
    place: z.optional(text('培训地点', 2, 100)),
    onlineUrl: z.optional(httpsUrlField('线上培训链接')),
    materials: z._default(
      z.array(materialSchema, { error: '培训资料格式不正确' }).check(
        z.maxLength(sessionPolicy.maxMaterials, {
          error: `培训资料最多 ${sessionPolicy.maxMaterials} 份`,
        }),
      ),
      [],
    ),
    publishAt: z.optional(instantField('发布时间')),
  })
  .check(
    z.superRefine((s, ctx) => {
      const start = Date.parse(s.startsAt);
      const end = Date.parse(s.endsAt);
      if (end <= start) {
        ctx.addIssue({ code: 'custom', path: ['endsAt'], message: '结束时间应晚于开始时间' });
      } else if (end - start > sessionPolicy.maxDurationHours * 3600_000) {
        ctx.addIssue({
          code: 'custom',
          path: ['endsAt'],
          message: `一场培训最长 ${sessionPolicy.maxDurationHours} 小时`,
        });
      }
      if (!s.place && !s.onlineUrl) {
        ctx.addIssue({ code: 'custom', path: ['place'], message: '请填写培训地点或线上培训链接' });
      }
      if (s.productCategory && s.audience !== 'producers') {
        ctx.addIssue({
          code: 'custom',
          path: ['productCategory'],
          message: '只有面向生产主体的培训可以选择产品品类',
        });
      }
      if (s.publishAt && Date.parse(s.publishAt) > start) {
        ctx.addIssue({
          code: 'custom',
          path: ['publishAt'],
          message: '发布时间不能晚于培训开始时间',
        });
      }
    }),
  );
export type SessionInput = z.input<typeof sessionInputSchema>;

/** 记录订阅授权: the template the user accepted, and how many acceptances. */
export const consentInputSchema = z.object({
  templateKey: z.enum(templateKeyCodes, { error: '没有这个消息模板' }),
  count: z._default(
    z
      .int({ error: '次数应为整数' })
      .check(
        z.gte(1, { error: '次数至少为 1' }),
        z.lte(consentPolicy.maxPerCall, { error: `一次最多记录 ${consentPolicy.maxPerCall} 次` }),
      ),
    1,
  ),
});

// --- text ---------------------------------------------------------------------------------------

/** Body text as stored: LF line ends, no control characters, no trailing spaces, ≤ 1 blank line. */
export function normalizeBody(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+$/u, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The blocks of a body: `# ` headings, `- `/`• ` list items, every other line a paragraph. */
export function textBlocks(body: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const heading = /^#{1,3}\s*(.+)$/.exec(line);
    const item = /^(?:[-*•·]\s+)(.+)$/.exec(line);
    if (heading?.[1]) blocks.push({ type: 'heading', text: heading[1].trim() });
    else if (item?.[1]) blocks.push({ type: 'item', text: item[1].trim() });
    else blocks.push({ type: 'paragraph', text: line });
  }
  return blocks;
}

/** The first `max` characters of the text, on one line, for inbox lists. */
export function summaryOf(body: string, max = 80): string {
  const flat = body
    .replace(/^#{1,3}\s*/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** An instant as a reader in China reads it: `2026-12-01 09:00` (UTC+8, no daylight saving). */
export function chinaDateTimeText(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const local = new Date(t + 8 * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** The public poster page of an item: `<publicBaseUrl>/p/<itemId>`. */
export function posterUrl(publicBaseUrl: string, itemId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/p/${encodeURIComponent(itemId)}`;
}

export const outreachItemIdPattern = /^pub_[0-9a-f]{24}$/;
export const sessionIdPattern = /^trn_[0-9a-f]{24}$/;

// --- audience -----------------------------------------------------------------------------------

/** The subject fields audience selection reads. */
export type AudienceSubject = Pick<
  Subject,
  '_id' | 'ownerId' | 'type' | 'divisionCode' | 'products' | 'status' | 'name'
>;
/** The user fields audience selection reads (staff). */
export interface AudienceUser {
  _id: string;
  roles: readonly Role[];
  divisionCode: string | null;
  nickname?: string;
}

/** Everyone who could be addressed: the directory's subjects and the staff users. */
export interface AudienceWorld {
  subjects: readonly AudienceSubject[];
  users: readonly AudienceUser[];
  /** The division table (default 连云区's). */
  divisions?: readonly Division[];
}

/** One addressed user, with the division their reach figures count under. */
export interface AddressedUser {
  userId: string;
  recipient: 'producer' | 'staff';
  divisionCode: string;
  /** For producers: the subjects through which they are addressed. */
  subjectIds: string[];
}

/** Where a staff member counts: their division, or the district for district-wide staff. */
export function staffDivisionOf(user: Pick<AudienceUser, 'divisionCode'>): string {
  return user.divisionCode ?? districtCode;
}

/** True when the audience reaches `divisionCode`. */
export function audienceCoversDivision(
  audience: Pick<StoredAudience, 'all' | 'divisionCodes'>,
  divisionCode: string,
  divisions: readonly Division[] = lianyunDivisions,
): boolean {
  if (audience.all || audience.divisionCodes === null) return true;
  return audience.divisionCodes.some((c) => isWithinDivision(divisions, divisionCode, c));
}

export type AudienceCheck =
  | { ok: true; audience: StoredAudience }
  | { ok: false; code: 'FORBIDDEN'; field: string; message: string };

/**
 * The audience as stored, for a publisher whose scope is `scope` (null = district-wide): an admin
 * may address anyone; a street's supervisor only their own street, which is also the default.
 */
export function audienceFor(
  input: AudienceInput,
  scope: string | null,
  divisions: readonly Division[] = lianyunDivisions,
): AudienceCheck {
  const divisionCodes = input.divisionCodes?.length ? input.divisionCodes : null;
  const subjectTypesOf = input.subjectTypes?.length ? input.subjectTypes : null;
  const categories = input.productCategories?.length ? input.productCategories : null;
  if (scope !== null) {
    if (input.all) {
      return {
        ok: false,
        code: 'FORBIDDEN',
        field: 'audience.all',
        message: '只有区农业农村局可以向全区发布，请选择本辖区',
      };
    }
    const outside = (divisionCodes ?? []).findIndex((c) => !isWithinDivision(divisions, c, scope));
    if (outside >= 0) {
      return {
        ok: false,
        code: 'FORBIDDEN',
        field: `audience.divisionCodes.${outside}`,
        message: '只能向本辖区发布',
      };
    }
  }
  const narrowed = divisionCodes !== null || subjectTypesOf !== null || categories !== null;
  return {
    ok: true,
    audience: {
      all: scope === null && (input.all === true || !narrowed),
      divisionCodes: divisionCodes ?? (scope === null ? null : [scope]),
      subjectTypes: subjectTypesOf,
      productCategories: categories,
    },
  };
}

/** True when the subject is in the audience's divisions, types and categories. */
export function subjectMatches(
  audience: StoredAudience,
  subject: AudienceSubject,
  divisions: readonly Division[] = lianyunDivisions,
): boolean {
  if (!canIssue(subject.status)) return false;
  if (!audienceCoversDivision(audience, subject.divisionCode, divisions)) return false;
  if (audience.subjectTypes && !audience.subjectTypes.includes(subject.type)) return false;
  if (audience.productCategories) {
    const wanted = audience.productCategories;
    if (!productCategoriesOf(subject.products).some((c) => wanted.includes(c))) return false;
  }
  return true;
}

function addProducer(out: Map<string, AddressedUser>, s: AudienceSubject): void {
  const seen = out.get(s.ownerId);
  if (seen && seen.recipient === 'producer') {
    seen.subjectIds.push(s._id);
    if (s.divisionCode < seen.divisionCode) seen.divisionCode = s.divisionCode;
    return;
  }
  out.set(s.ownerId, {
    userId: s.ownerId,
    recipient: 'producer',
    divisionCode: s.divisionCode,
    subjectIds: [s._id],
  });
}

function sorted(out: Map<string, AddressedUser>): AddressedUser[] {
  return [...out.values()]
    .map((a) => ({ ...a, subjectIds: [...a.subjectIds].sort() }))
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/**
 * 发送对象 of a publicity item: the operators of every active subject (registered or approved,
 * with an operator) that matches; and, for items that are not narrowed by type or category and
 * ask no confirmation, the staff whose division the audience covers. A user who is both is
 * addressed as a producer. Unclaimed subjects (imported, no operator) cannot be addressed.
 */
export function selectAudience(
  target: Pick<OutreachItem, 'audience' | 'requiresAck'>,
  world: AudienceWorld,
): AddressedUser[] {
  const divisions = world.divisions ?? lianyunDivisions;
  const { audience } = target;
  const out = new Map<string, AddressedUser>();
  for (const s of world.subjects) {
    if (s.ownerId && subjectMatches(audience, s, divisions)) addProducer(out, s);
  }
  const staffToo = !target.requiresAck && !audience.subjectTypes && !audience.productCategories;
  if (staffToo) {
    for (const u of world.users) {
      if (out.has(u._id) || !hasAnyRole(u.roles, staffRoles)) continue;
      const code = staffDivisionOf(u);
      if (!audienceCoversDivision(audience, code, divisions)) continue;
      out.set(u._id, { userId: u._id, recipient: 'staff', divisionCode: code, subjectIds: [] });
    }
  }
  return sorted(out);
}

/** Matching subjects nobody operates yet: reach them on paper (they have no inbox). */
export function unclaimedSubjects(
  audience: StoredAudience,
  subjects: readonly AudienceSubject[],
  divisions: readonly Division[] = lianyunDivisions,
): AudienceSubject[] {
  return subjects.filter((s) => !s.ownerId && subjectMatches(audience, s, divisions));
}

/**
 * 培训对象 of a session: for producers' sessions the operators of matching active subjects (its
 * divisions and product category); for staff sessions the users holding the audience's roles
 * whose division lies in the session's divisions.
 */
export function selectSessionAudience(
  session: Pick<TrainingSession, 'audience' | 'productCategory' | 'divisionCodes'>,
  world: AudienceWorld,
): AddressedUser[] {
  const divisions = world.divisions ?? lianyunDivisions;
  const audience: StoredAudience = {
    all: session.divisionCodes === null,
    divisionCodes: session.divisionCodes,
    subjectTypes: null,
    productCategories: session.productCategory ? [session.productCategory] : null,
  };
  const out = new Map<string, AddressedUser>();
  if (session.audience === 'producers') {
    for (const s of world.subjects) {
      if (s.ownerId && subjectMatches(audience, s, divisions)) addProducer(out, s);
    }
    return sorted(out);
  }
  const roles = trainingAudiences[session.audience].roles;
  for (const u of world.users) {
    if (!hasAnyRole(u.roles, roles)) continue;
    const code = staffDivisionOf(u);
    if (!audienceCoversDivision(audience, code, divisions)) continue;
    out.set(u._id, { userId: u._id, recipient: 'staff', divisionCode: code, subjectIds: [] });
  }
  return sorted(out);
}

/** The audience in words: `全区`, or `墟沟街道、连岛街道 · 小农户 · 蔬菜（含食用菌）`. */
export function audienceText(
  audience: StoredAudience,
  divisions: readonly Division[] = lianyunDivisions,
): string {
  if (audience.all) return '全区';
  const parts = [
    audience.divisionCodes
      ? audience.divisionCodes.map((c) => divisionName(divisions, c) ?? c).join('、')
      : '全区',
  ];
  if (audience.subjectTypes)
    parts.push(audience.subjectTypes.map((t) => subjectTypes[t]).join('、'));
  if (audience.productCategories) {
    parts.push(audience.productCategories.map((c) => productCategories[c]).join('、'));
  }
  return parts.join(' · ');
}

// --- training -----------------------------------------------------------------------------------

/** 签到时间: from `opensMinutesBefore` the start until the end. */
export function signInWindow(session: Pick<TrainingSession, 'startsAt' | 'endsAt'>): {
  opensAt: string;
  closesAt: string;
} {
  const opens = Date.parse(session.startsAt) - signInPolicy.opensMinutesBefore * 60_000;
  return { opensAt: new Date(opens).toISOString(), closesAt: session.endsAt };
}

/** Why sign-in is refused at `now` (too early, too late), or null when it is open. */
export function signInRefusal(
  session: Pick<TrainingSession, 'startsAt' | 'endsAt'>,
  now: Date,
): string | null {
  const { opensAt, closesAt } = signInWindow(session);
  if (now.getTime() < Date.parse(opensAt)) {
    return (
      `签到还没有开始：本场培训 ${chinaDateTimeText(session.startsAt)} 开始，` +
      `开始前 ${signInPolicy.opensMinutesBefore} 分钟起可以签到`
    );
  }
  if (now.getTime() > Date.parse(closesAt)) {
    return `本场培训已于 ${chinaDateTimeText(session.endsAt)} 结束，签到已关闭`;
  }
  return null;
}

/** 签到码: `<sessionId>.<token>`; the token is random per session, so the code binds it. */
export function signInCodeOf(sessionId: string, token: string): string {
  return `${sessionId}.${token}`;
}

/** The sign-in address a session's QR code carries: `<publicBaseUrl>/t/<code>`. */
export function signInUrl(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/t/${code}`;
}

/** The session and token of a scanned code or sign-in address; null when it is neither. */
export function parseSignInCode(scanned: string): { sessionId: string; token: string } | null {
  const raw = scanned.trim();
  const m = /(?:^|\/t\/)(trn_[0-9a-f]{24})\.([A-Za-z0-9_-]{22})(?:[?#].*)?$/.exec(raw);
  if (!m?.[1] || !m[2]) return null;
  return { sessionId: m[1], token: m[2] };
}

/** Whether the attendance records show `userId` trained for `audience`. */
export function isTrainedFor(
  audience: TrainingAudience,
  userId: string,
  attendance: readonly Pick<Attendance, 'userId' | 'sessionAudience' | 'attendedAt'>[],
): boolean {
  const counts = audience === 'producers' ? ['producers'] : staffTrainingAudiences;
  return attendance.some(
    (a) => a.userId === userId && a.attendedAt !== null && counts.includes(a.sessionAudience),
  );
}

// --- reach --------------------------------------------------------------------------------------

/** 触达: addressed (now, or delivered before), delivered to the inbox, read, acknowledged. */
export interface Figures {
  addressed: number;
  delivered: number;
  read: number;
  acknowledged: number;
}

export interface DivisionFigures extends Figures {
  divisionCode: string;
  divisionName: string;
}

export interface Reach extends Figures {
  requiresAck: boolean;
  byDivision: DivisionFigures[];
  byRecipient: { producer: Figures; staff: Figures };
}

const zero = (): Figures => ({ addressed: 0, delivered: 0, read: 0, acknowledged: 0 });

/**
 * Reach figures within the divisions `inScope` accepts. Addressed = the audience as it is now
 * joined with everyone delivered before (a producer who retired since still counts once); a
 * delivery's own division wins over the audience's.
 */
export function reachOf(
  target: Pick<OutreachItem, 'requiresAck'>,
  addressed: readonly AddressedUser[],
  deliveries: readonly Pick<
    Delivery,
    'userId' | 'recipient' | 'divisionCode' | 'readAt' | 'ackAt' | 'requiresAck'
  >[],
  inScope: (divisionCode: string) => boolean,
  divisions: readonly Division[] = lianyunDivisions,
): Reach {
  type Row = {
    divisionCode: string;
    recipient: 'producer' | 'staff';
    d?: (typeof deliveries)[number];
  };
  const rows = new Map<string, Row>();
  for (const a of addressed) {
    rows.set(a.userId, { divisionCode: a.divisionCode, recipient: a.recipient });
  }
  for (const d of deliveries) {
    rows.set(d.userId, { divisionCode: d.divisionCode, recipient: d.recipient, d });
  }
  const total = zero();
  const byRecipient = { producer: zero(), staff: zero() };
  const byDivision = new Map<string, Figures>();
  for (const row of rows.values()) {
    if (!inScope(row.divisionCode)) continue;
    let div = byDivision.get(row.divisionCode);
    if (!div) byDivision.set(row.divisionCode, (div = zero()));
    for (const f of [total, byRecipient[row.recipient], div]) {
      f.addressed += 1;
      if (row.d) f.delivered += 1;
      if (row.d?.readAt) f.read += 1;
      if (row.d?.requiresAck && row.d.ackAt) f.acknowledged += 1;
    }
  }
  const order = (code: string) => {
    const i = divisions.findIndex((d) => d.code === code);
    return i < 0 ? divisions.length : i;
  };
  return {
    ...total,
    requiresAck: target.requiresAck,
    byRecipient,
    byDivision: [...byDivision.entries()]
      .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
      .map(([code, f]) => ({
        divisionCode: code,
        divisionName: divisionName(divisions, code) ?? code,
        ...f,
      })),
  };
}

// --- coverage -----------------------------------------------------------------------------------

export interface StaffCoverageRow {
  userId: string;
  nickname: string;
  roles: Role[];
  divisionCode: string;
  divisionName: string;
  trained: boolean;
  /** Staff sessions attended. */
  sessions: number;
  lastTrainedAt: string | null;
}

export interface SubjectCoverageRow {
  subjectId: string;
  name: string;
  type: SubjectType;
  categories: ProductCategory[];
  divisionCode: string;
  divisionName: string;
  /** False for an imported subject nobody operates yet (it cannot be trained in-app). */
  claimed: boolean;
  trained: boolean;
  lastTrainedAt: string | null;
}

export interface CoverageCount {
  total: number;
  trained: number;
}

export interface Coverage {
  staff: CoverageCount & {
    byAudience: (CoverageCount & { audience: TrainingAudience; label: string })[];
    rows: StaffCoverageRow[];
  };
  producers: CoverageCount & {
    byDivision: (CoverageCount & { divisionCode: string; divisionName: string })[];
    bySubjectType: (CoverageCount & { type: SubjectType; label: string })[];
    /** A subject with products of several categories counts under each. */
    byCategory: (CoverageCount & { category: ProductCategory; label: string })[];
    rows: SubjectCoverageRow[];
  };
}

/**
 * 培训覆盖: every supervisor, enforcement officer and coordinator (extension) in scope, trained or
 * not; and every active subject in scope, trained when its operator attended a producers'
 * session. Staff sort by division, then role, then name; subjects by division, then name.
 */
export function coverageOf(input: {
  users: readonly AudienceUser[];
  subjects: readonly AudienceSubject[];
  attendance: readonly Pick<Attendance, 'userId' | 'sessionAudience' | 'attendedAt'>[];
  inScope: (divisionCode: string) => boolean;
  divisions?: readonly Division[];
}): Coverage {
  const divisions = input.divisions ?? lianyunDivisions;
  const order = (code: string) => {
    const i = divisions.findIndex((d) => d.code === code);
    return i < 0 ? divisions.length : i;
  };
  const nameOf = (code: string) => divisionName(divisions, code) ?? code;
  const staffAttended = new Map<string, { n: number; last: string }>();
  const producerAttended = new Map<string, string>();
  for (const a of input.attendance) {
    if (!a.attendedAt) continue;
    if (staffTrainingAudiences.includes(a.sessionAudience)) {
      const seen = staffAttended.get(a.userId);
      staffAttended.set(a.userId, {
        n: (seen?.n ?? 0) + 1,
        last: seen && seen.last > a.attendedAt ? seen.last : a.attendedAt,
      });
    } else {
      const last = producerAttended.get(a.userId);
      if (!last || a.attendedAt > last) producerAttended.set(a.userId, a.attendedAt);
    }
  }

  const rank = (roles: readonly Role[]) =>
    Math.min(...roles.map((r) => rolesToTrain.indexOf(r)).filter((i) => i >= 0));
  const staffRows: StaffCoverageRow[] = input.users
    .filter((u) => hasAnyRole(u.roles, rolesToTrain) && input.inScope(staffDivisionOf(u)))
    .map((u) => {
      const seen = staffAttended.get(u._id);
      const code = staffDivisionOf(u);
      return {
        userId: u._id,
        nickname: u.nickname ?? '',
        roles: [...u.roles],
        divisionCode: code,
        divisionName: nameOf(code),
        trained: Boolean(seen),
        sessions: seen?.n ?? 0,
        lastTrainedAt: seen?.last ?? null,
      };
    })
    .sort(
      (a, b) =>
        order(a.divisionCode) - order(b.divisionCode) ||
        rank(a.roles) - rank(b.roles) ||
        a.nickname.localeCompare(b.nickname, 'zh-CN') ||
        a.userId.localeCompare(b.userId),
    );
  const byAudience = staffTrainingAudiences.map((audience) => {
    const roles = trainingAudiences[audience].roles;
    const rows = staffRows.filter((r) => hasAnyRole(r.roles, roles));
    return {
      audience,
      label: trainingAudiences[audience].label,
      total: rows.length,
      trained: rows.filter((r) => r.trained).length,
    };
  });

  const subjectRows: SubjectCoverageRow[] = input.subjects
    .filter((s) => canIssue(s.status) && input.inScope(s.divisionCode))
    .map((s) => {
      const last = s.ownerId ? (producerAttended.get(s.ownerId) ?? null) : null;
      return {
        subjectId: s._id,
        name: s.name,
        type: s.type,
        categories: productCategoriesOf(s.products),
        divisionCode: s.divisionCode,
        divisionName: nameOf(s.divisionCode),
        claimed: Boolean(s.ownerId),
        trained: last !== null,
        lastTrainedAt: last,
      };
    })
    .sort(
      (a, b) =>
        order(a.divisionCode) - order(b.divisionCode) ||
        a.name.localeCompare(b.name, 'zh-CN') ||
        a.subjectId.localeCompare(b.subjectId),
    );
  const count = (rows: readonly SubjectCoverageRow[]): CoverageCount => ({
    total: rows.length,
    trained: rows.filter((r) => r.trained).length,
  });
  const divisionCodes = [...new Set(subjectRows.map((r) => r.divisionCode))];
  return {
    staff: {
      total: staffRows.length,
      trained: staffRows.filter((r) => r.trained).length,
      byAudience,
      rows: staffRows,
    },
    producers: {
      ...count(subjectRows),
      byDivision: divisionCodes.map((code) => ({
        divisionCode: code,
        divisionName: nameOf(code),
        ...count(subjectRows.filter((r) => r.divisionCode === code)),
      })),
      bySubjectType: subjectTypeCodes
        .map((type) => ({
          type,
          label: subjectTypes[type],
          ...count(subjectRows.filter((r) => r.type === type)),
        }))
        .filter((r) => r.total > 0),
      byCategory: (Object.keys(productCategories) as ProductCategory[])
        .map((category) => ({
          category,
          label: productCategories[category],
          ...count(subjectRows.filter((r) => r.categories.includes(category))),
        }))
        .filter((r) => r.total > 0),
      rows: subjectRows,
    },
  };
}

// --- messages -----------------------------------------------------------------------------------

/** The template each purpose of a subscribe message uses. */
export const templateForPurpose: Readonly<Record<Push['purpose'], TemplateKey>> = {
  delivery: 'notice',
  reminder: 'reminder',
  training: 'training',
};

/** What the subscribe message for a new item says. */
export function itemMessage(
  item: Pick<OutreachItem, '_id' | 'kind' | 'title' | 'requiresAck'>,
  at: Date,
): MessageData {
  return {
    title: item.title,
    time: chinaDateTimeText(at.toISOString()),
    note: `${publicityKinds[item.kind]}${item.requiresAck ? '，请阅读并确认已阅知' : '，请查看'}`,
    page: `${outreachPages.item}?id=${item._id}`,
  };
}

/** What the reminder for an unconfirmed item says. */
export function reminderMessage(
  item: Pick<OutreachItem, '_id' | 'kind' | 'title'>,
  at: Date,
): MessageData {
  return {
    title: item.title,
    time: chinaDateTimeText(at.toISOString()),
    note: `您还没有确认已阅知这份${publicityKinds[item.kind]}，请尽快阅读确认`,
    page: `${outreachPages.item}?id=${item._id}`,
  };
}

/** What the notice of a training session says. */
export function sessionMessage(
  session: Pick<TrainingSession, '_id' | 'title' | 'startsAt' | 'place' | 'onlineUrl'>,
): MessageData {
  return {
    title: session.title,
    time: chinaDateTimeText(session.startsAt),
    note: session.place ? `地点：${session.place}` : '线上培训，请在合格证通中查看链接',
    page: `${outreachPages.session}?id=${session._id}`,
  };
}
