import * as z from 'zod/mini';
import {
  isValidCreditCode,
  isValidIdCardNumber,
  maskCreditCode,
  maskIdCardNumber,
  maskPhone,
  normalizeIdentityNumber,
  phonePattern,
} from './identity';

/** 主体类型 — the kinds of party that issue or receive certificates. */
export const subjectTypes = {
  enterprise: '企业',
  cooperative: '农民专业合作社',
  family_farm: '家庭农场',
  smallholder: '种养殖户（小农户）',
  buyer: '收购商',
} as const;
export type SubjectType = keyof typeof subjectTypes;
export const subjectTypeCodes = Object.keys(subjectTypes) as [SubjectType, ...SubjectType[]];

/** 证件类型: organisations have a 统一社会信用代码, people a 居民身份证. */
export const identityKinds = {
  credit_code: '统一社会信用代码',
  id_card: '居民身份证号码',
} as const;
export type IdentityKind = keyof typeof identityKinds;

/** Which identity a subject type must give; family farms and buyers may give either. */
export const allowedIdentityKinds: Record<SubjectType, readonly IdentityKind[]> = {
  enterprise: ['credit_code'],
  cooperative: ['credit_code'],
  family_farm: ['credit_code', 'id_card'],
  smallholder: ['id_card'],
  buyer: ['credit_code', 'id_card'],
};

/** 主体状态: registered (已登记, awaiting review) may already issue; rejected and retired may not. */
export const subjectStatuses = {
  registered: '已登记待审核',
  approved: '已审核',
  rejected: '未通过审核',
  retired: '已注销',
} as const;
export type SubjectStatus = keyof typeof subjectStatuses;
export const subjectStatusCodes = Object.keys(subjectStatuses) as [
  SubjectStatus,
  ...SubjectStatus[],
];

export function canIssue(status: SubjectStatus): boolean {
  return status === 'registered' || status === 'approved';
}

/** 生产季节 — the months (1–12) a producer is in production, sorted; empty means all year. */
export const seasonMonthsSchema = z.pipe(
  z
    .array(
      z
        .int({ error: '生产季节的月份应为 1–12 的整数' })
        .check(
          z.gte(1, { error: '生产季节的月份应为 1–12' }),
          z.lte(12, { error: '生产季节的月份应为 1–12' }),
        ),
      { error: '生产季节应为月份列表' },
    )
    .check(z.maxLength(12, { error: '生产季节最多 12 个月' })),
  z.transform((months: number[]) => [...new Set(months)].sort((a, b) => a - b)),
);

const productNameSchema = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: '产品名称不能为空' }),
    z.maxLength(30, { error: '产品名称最多 30 个字' }),
  );

/** What a producer types when registering (before the server adds ids, owner and status). */
export const subjectRegistrationSchema = z
  .object({
    type: z.enum(subjectTypeCodes, { error: '请选择主体类型' }),
    name: z
      .string({ error: '请填写主体名称' })
      .check(
        z.trim(),
        z.minLength(2, { error: '主体名称至少 2 个字' }),
        z.maxLength(50, { error: '主体名称最多 50 个字' }),
      ),
    identityKind: z.enum(['credit_code', 'id_card'], { error: '请选择证件类型' }),
    identityNumber: z.pipe(
      z.string({ error: '请填写证件号码' }),
      z.transform(normalizeIdentityNumber),
    ),
    contactName: z
      .string({ error: '请填写联系人' })
      .check(
        z.trim(),
        z.minLength(1, { error: '请填写联系人' }),
        z.maxLength(20, { error: '联系人最多 20 个字' }),
      ),
    phone: z
      .string({ error: '请填写联系电话' })
      .check(z.trim(), z.regex(phonePattern, { error: '请填写正确的手机号或带区号的固定电话' })),
    address: z
      .string({ error: '请填写地址' })
      .check(
        z.trim(),
        z.minLength(4, { error: '地址至少 4 个字' }),
        z.maxLength(100, { error: '地址最多 100 个字' }),
      ),
    divisionCode: z
      .string({ error: '请选择所在街道/乡镇' })
      .check(z.regex(/^\d{9}$/, { error: '请选择所在街道/乡镇' })),
    products: z
      .array(productNameSchema, { error: '请至少填写一种产品' })
      .check(
        z.minLength(1, { error: '请至少填写一种产品' }),
        z.maxLength(20, { error: '产品最多 20 种' }),
      ),
    aboveScale: z._default(z.boolean(), false),
    seasonMonths: z.optional(seasonMonthsSchema),
  })
  .check(
    z.superRefine((s, ctx) => {
      if (!allowedIdentityKinds[s.type].includes(s.identityKind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['identityKind'],
          message: `${subjectTypes[s.type]}应填写${allowedIdentityKinds[s.type]
            .map((k) => identityKinds[k])
            .join('或')}`,
        });
        return;
      }
      const ok =
        s.identityKind === 'credit_code'
          ? isValidCreditCode(s.identityNumber)
          : isValidIdCardNumber(s.identityNumber);
      if (!ok) {
        ctx.addIssue({
          code: 'custom',
          path: ['identityNumber'],
          message:
            s.identityKind === 'credit_code'
              ? '统一社会信用代码不正确（应为 18 位，末位校验码须正确）'
              : '身份证号码不正确（应为 18 位，出生日期和末位校验码须正确）',
        });
      }
    }),
  );
export type SubjectRegistration = z.input<typeof subjectRegistrationSchema>;

/**
 * 生产主体 as stored. An ID-card number is personal data: only its masked form and a keyed
 * fingerprint (for finding duplicates) are kept. A credit code is public and kept whole.
 */
export const subjectSchema = z.object({
  _id: z.string(),
  type: z.enum(subjectTypeCodes),
  name: z.string(),
  identityKind: z.enum(['credit_code', 'id_card']),
  /** The credit code in full; for ID cards, the masked number. */
  identityDisplay: z.string(),
  /** HMAC of the normalised number, for duplicate detection without storing it. */
  identityFingerprint: z.string(),
  contactName: z.string(),
  phone: z.string(),
  address: z.string(),
  divisionCode: z.string(),
  products: z.array(z.string()),
  aboveScale: z.boolean(),
  status: z.enum(subjectStatusCodes),
  /** The user (openid) who registered and operates it. */
  ownerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** 生产季节: months in production; absent or empty = all year. */
  seasonMonths: z.optional(z.array(z.int())),
  /** How it entered the directory: registered by its operator (absent) or imported by an office. */
  source: z.optional(z.enum(['register', 'import'])),
  /** When the operator last submitted it for review (registering, resubmitting); absent = createdAt. */
  submittedAt: z.optional(z.string()),
  /** The last review: its decision, the note the producer sees, and when. */
  reviewDecision: z.optional(z.enum(['approve', 'request_changes', 'reject'])),
  reviewNote: z.optional(z.string()),
  reviewedAt: z.optional(z.string()),
  /** 注销: when and why; a merged subject names the subject it went into (一人多身份). */
  retiredAt: z.optional(z.string()),
  retiredReason: z.optional(z.string()),
  mergedInto: z.optional(z.string()),
});
export type Subject = z.infer<typeof subjectSchema>;

/** The identity number as anyone but its owner sees it. */
export function maskedIdentity(s: Pick<Subject, 'identityKind' | 'identityDisplay'>): string {
  return s.identityKind === 'credit_code' ? maskCreditCode(s.identityDisplay) : s.identityDisplay;
}

/** The stored display form of an identity number (ID cards masked before storage). */
export function identityDisplayFor(kind: IdentityKind, normalized: string): string {
  return kind === 'id_card' ? maskIdCardNumber(normalized) : normalized;
}

/** A subject as shown to the public (verify page): no ids of people, phone masked. */
export function publicSubjectView(s: Subject) {
  return {
    name: s.name,
    type: s.type,
    typeLabel: subjectTypes[s.type],
    identity: maskedIdentity(s),
    phone: maskPhone(s.phone),
    address: s.address,
    divisionCode: s.divisionCode,
  };
}
export type PublicSubjectView = ReturnType<typeof publicSubjectView>;
