import * as z from 'zod/mini';
import { quantitySchema } from './quantity';
import { basisCodes, currentTemplateVersion, templateFor, type CertificateStyle } from './template';
import { bases } from './template';

/** 开具方式 — the unit a certificate covers. */
export const issueUnits = {
  package: '按包装（一箱一证）',
  vehicle: '按车（一车一证）',
  batch: '按批（一批一证）',
} as const;
export type IssueUnit = keyof typeof issueUnits;
export const issueUnitCodes = Object.keys(issueUnits) as [IssueUnit, ...IssueUnit[]];

export const certificateStatuses = { valid: '有效', revoked: '已撤销' } as const;
export type CertificateStatus = keyof typeof certificateStatuses;

/** The issuing party as it stood when the certificate was issued (it displays as issued). */
export const issuerSnapshotSchema = z.object({
  subjectId: z.string(),
  name: z.string(),
  typeLabel: z.string(),
  contactName: z.string(),
  /** Masked: the certificate is public. */
  phone: z.string(),
  address: z.string(),
  divisionCode: z.string(),
});
export type IssuerSnapshot = z.infer<typeof issuerSnapshotSchema>;

const certificateCodePattern = /^[0-9A-HJKMNP-TV-Z]{16}$/;

/** The most labels (packages) one per-package certificate may cover. */
export const maxLabelsPerCertificate = 10_000;

/** 承诺达标合格证 as stored: the retained copy; the buyer's copy is its label and QR code. */
export const certificateSchema = z.object({
  _id: z.string(),
  /** Unguessable: 80 random bits, Crockford base32. */
  code: z.string().check(z.regex(certificateCodePattern)),
  templateVersion: z.string(),
  style: z.union([z.literal(1), z.literal(2)]),
  subjectId: z.string(),
  issuer: issuerSnapshotSchema,
  productName: z.string(),
  quantity: quantitySchema,
  /** 产地 */
  origin: z.string(),
  /** 开具日期, in China time. */
  issueDate: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  issuedAt: z.string(),
  basis: z.array(z.enum(basisCodes)).check(z.minLength(1)),
  issueUnit: z.enum(issueUnitCodes),
  vehiclePlate: z.nullable(z.string()),
  batchNo: z.nullable(z.string()),
  /** Labels (packages) this record covers: N for 一箱一证, 1 for a vehicle or a batch. */
  count: z.int().check(z.gte(1), z.lte(maxLabelsPerCertificate)),
  /** 电子 or 纸质: a hand-filled form registered afterwards carries its printed serial. */
  form: z.enum(['electronic', 'paper']),
  serial: z.nullable(z.string()),
  /** 二合一: the traceability code (e.g. the provincial platform's) this label also serves as. */
  traceCode: z.nullable(z.string()),
  /** Style 2: the label codes of the certificates the mixed or repacked lot was made from. */
  sourceCodes: z.array(z.string()),
  /** Test records a 自行检测/委托检测 basis rests on. */
  testRecordIds: z.array(z.string()),
  status: z.enum(['valid', 'revoked']),
  revokedReason: z.nullable(z.string()),
  revokedAt: z.nullable(z.string()),
  issuedBy: z.string(),
  requestId: z.string(),
});
export type Certificate = z.infer<typeof certificateSchema>;

/** Fields added after the first release, with the values older records mean by their absence. */
const laterFieldDefaults = {
  count: 1,
  form: 'electronic',
  serial: null,
  traceCode: null,
  sourceCodes: [],
  testRecordIds: [],
  revokedAt: null,
} as const;

/** A stored certificate with every field present, whenever it was written. */
export function normalizeCertificate(
  doc: Partial<Certificate> & Pick<Certificate, 'code'>,
): Certificate {
  return { ...laterFieldDefaults, ...doc } as Certificate;
}

const vehiclePlatePattern =
  /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$/;

/** What a producer sends to issue a certificate under the current template. */
export const issueCertificateInputSchema = z
  .object({
    /** The client's id for this request: a retry with the same id returns the same result. */
    requestId: z
      .string({ error: '缺少请求编号' })
      .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, { error: '请求编号格式不正确' })),
    subjectId: z
      .string({ error: '请选择开具主体' })
      .check(z.minLength(1, { error: '请选择开具主体' })),
    productName: z
      .string({ error: '请填写产品名称' })
      .check(
        z.trim(),
        z.minLength(1, { error: '请填写产品名称' }),
        z.maxLength(30, { error: '产品名称最多 30 个字' }),
      ),
    quantity: quantitySchema,
    origin: z
      .string({ error: '请填写产地' })
      .check(
        z.trim(),
        z.minLength(2, { error: '请填写产地' }),
        z.maxLength(60, { error: '产地最多 60 个字' }),
      ),
    basis: z
      .array(z.enum(basisCodes, { error: '承诺依据不正确' }), { error: '请选择承诺依据' })
      .check(z.minLength(1, { error: '请至少选择一项承诺依据' })),
    issueUnit: z._default(z.enum(issueUnitCodes, { error: '请选择开具方式' }), 'package'),
    vehiclePlate: z.optional(z.string().check(z.trim(), z.toUpperCase())),
    batchNo: z.optional(
      z.string().check(z.trim(), z.maxLength(40, { error: '批次号最多 40 个字符' })),
    ),
    /** 一箱一证: how many packages (labels) this one request covers, all or none. */
    packages: z._default(
      z.int({ error: '包装件数须为整数' }).check(
        z.gte(1, { error: '包装件数至少为 1' }),
        z.lte(maxLabelsPerCertificate, {
          error: `一次最多开具 ${maxLabelsPerCertificate} 件`,
        }),
      ),
      1,
    ),
    /** 二合一: a traceability code the label also serves as. */
    traceCode: z.optional(
      z.string().check(
        z.trim(),
        z.regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{5,79}$/, {
          error: '追溯码应为 6–80 位字母、数字或 -._:/',
        }),
      ),
    ),
    /** Style 2: the certificates (label codes or scanned URLs) the lot was made from. */
    sourceCodes: z._default(
      z
        .array(z.string().check(z.trim(), z.maxLength(300)), { error: '来源合格证格式不正确' })
        .check(z.maxLength(200, { error: '来源合格证最多 200 张' })),
      [],
    ),
    /** The test records a 自行检测/委托检测 basis rests on. */
    testRecordIds: z._default(
      z
        .array(z.string().check(z.minLength(1), z.maxLength(80)))
        .check(z.maxLength(20, { error: '检测记录最多关联 20 条' })),
      [],
    ),
  })
  .check(
    z.superRefine((c, ctx) => {
      const allowed = templateFor(currentTemplateVersion).bases;
      c.basis.forEach((b, i) => {
        if (!allowed.includes(b)) {
          ctx.addIssue({
            code: 'custom',
            path: ['basis', i],
            message: `现行合格证不再使用“${bases[b]}”作为承诺依据`,
          });
        }
      });
      if (new Set(c.basis).size !== c.basis.length) {
        ctx.addIssue({ code: 'custom', path: ['basis'], message: '承诺依据不能重复' });
      }
      if (c.issueUnit === 'vehicle' && !vehiclePlatePattern.test(c.vehiclePlate ?? '')) {
        ctx.addIssue({ code: 'custom', path: ['vehiclePlate'], message: '请填写正确的车牌号' });
      }
      if (c.issueUnit === 'batch' && !c.batchNo) {
        ctx.addIssue({ code: 'custom', path: ['batchNo'], message: '请填写批次号' });
      }
      if (c.issueUnit !== 'package' && c.packages !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['packages'],
          message: '一车一证、一批一证只开一张，随整车或整批货物同行',
        });
      }
      const needsTests = c.basis.some((b) => b === 'self_test' || b === 'commissioned_test');
      if (needsTests && c.testRecordIds.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['testRecordIds'],
          message: '选择“自行检测合格”或“委托检测合格”时，请关联检测记录',
        });
      }
    }),
  );
export type IssueCertificateInput = z.input<typeof issueCertificateInputSchema>;

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A certificate code from 10 random bytes: 16 Crockford base32 characters. */
export function certificateCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 10) throw new Error('a certificate code needs 10 random bytes');
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < 10; i++) {
    buffer = (buffer << 8) | (bytes[i] ?? 0);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += crockford.charAt((buffer >> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

export function isCertificateCode(code: string): boolean {
  return certificateCodePattern.test(code);
}

/** Accepts what a person might type or a scanner might give (lower case, dashes, O for 0). */
export function normalizeCertificateCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** "ABCD-EFGH-JKMN-PQRS" for reading aloud or typing. */
export function formatCertificateCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

const labelIndexWidth = 3; // 32^3 = 32,768 > maxLabelsPerCertificate

/**
 * The code printed on label `index` (0-based) of a certificate covering `count` packages.
 * One label: the certificate's own code. Several: the code and the index in 3 Crockford
 * characters, so every package has its own code, all derived from the one stored record.
 */
export function labelCode(code: string, index: number, count: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`label ${index} outside 0..${count - 1}`);
  }
  if (count === 1) return code;
  let suffix = '';
  for (let i = 0, n = index; i < labelIndexWidth; i++, n = Math.floor(n / 32)) {
    suffix = crockford.charAt(n % 32) + suffix;
  }
  return code + suffix;
}

/** Splits a label code into the certificate code and the label index (null for a lone label). */
export function parseLabelCode(label: string): { code: string; index: number | null } | null {
  const code = label.slice(0, 16);
  if (!isCertificateCode(code)) return null;
  if (label.length === 16) return { code, index: null };
  if (label.length !== 16 + labelIndexWidth) return null;
  let index = 0;
  for (const ch of label.slice(16)) {
    const v = crockford.indexOf(ch);
    if (v < 0) return null;
    index = index * 32 + v;
  }
  return { code, index };
}

/** True when a label code names an existing label of a certificate covering `count` packages. */
export function labelBelongs(label: { index: number | null }, count: number): boolean {
  return label.index === null ? count === 1 : label.index < count;
}

/** The URL a label's QR code holds; `signature` lets a phone check it offline. */
export function verifyUrl(baseUrl: string, label: string, signature?: string): string {
  const base = `${baseUrl.replace(/\/+$/, '')}/c/${label}`;
  return signature ? `${base}?s=${signature}` : base;
}

/**
 * Extracts the label code from a scanned URL or a typed code; null when there is none.
 * Works for a certificate's own code (16 characters) and a package label's (19).
 */
export function codeFromScan(scanned: string): string | null {
  const text = scanned.trim();
  const m = /\/c\/([0-9A-Za-z-]{16,23})(?:[/?#]|$)/.exec(text);
  const candidate = normalizeCertificateCode(m ? (m[1] ?? '') : text);
  return parseLabelCode(candidate) ? candidate : null;
}

/** The signature a scanned URL carries (`?s=`), if any. */
export function signatureFromScan(scanned: string): string | null {
  const m = /[?&]s=([A-Za-z0-9_-]{20,200})(?:&|#|$)/.exec(scanned.trim());
  return m ? (m[1] ?? null) : null;
}

/** The calendar date in China (UTC+8, no daylight saving) of an instant. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Which style a subject type issues: buyers re-issue after mixing or repacking (style 2). */
export function styleForSubjectType(type: string): CertificateStyle {
  return type === 'buyer' ? 2 : 1;
}

/** Everything the certificate shows, in order, exactly as its template version words it. */
export function certificateDisplay(c: Certificate) {
  const template = templateFor(c.templateVersion);
  return {
    title: template.title,
    promise: template.promises[c.style] ?? '',
    basisLabels: c.basis.map((b) => bases[b]),
    issueUnitLabel: issueUnits[c.issueUnit],
    statusLabel: certificateStatuses[c.status],
  };
}

/** A certificate as anyone who scans it sees it: no internal ids of people or requests. */
export function publicCertificateView(c: Certificate) {
  const { issuedBy: _issuedBy, requestId: _requestId, ...rest } = c;
  return { ...rest, display: certificateDisplay(c) };
}
export type PublicCertificateView = ReturnType<typeof publicCertificateView>;

/**
 * 核验结论 — what a scan tells: real and in force, revoked, unknown, or suspicious (a label whose
 * signature is wrong: a forgery, whether or not its code exists). `verdictOf` judges the record
 * alone; the label's signature is the verify function's to judge.
 */
export const verdicts = {
  valid: '有效',
  revoked: '已撤销',
  not_found: '未找到',
  suspicious: '可疑',
} as const;
export type Verdict = keyof typeof verdicts;

export function verdictOf(c: Certificate | null): Verdict {
  if (!c) return 'not_found';
  return c.status === 'revoked' ? 'revoked' : 'valid';
}
