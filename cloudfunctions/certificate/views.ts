import {
  certificateDisplay,
  labelCode,
  normalizeCertificate,
  verifyUrl,
  type Certificate,
} from '../../src/domain/certificate';
import { AppError } from '../../src/domain/errors';
import {
  defaultRetentionPolicy,
  isRetained,
  retentionPolicy,
  retentionUntil,
} from '../../src/domain/retention';
import type { Subject } from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';

/** One package's label: its code and the signed URL its QR code holds. */
export interface LabelView {
  /** 1-based, as printed (第 3 / 100 件). */
  index: number;
  label: string;
  verifyUrl: string;
}

/** The issuer's view of one of its certificates (the retained copy). */
export type OwnCertificate = Certificate & {
  /** The first label's signed URL (the only one for a vehicle or batch certificate). */
  verifyUrl: string;
  /** The first labels (all of them up to the preview size); `certificate.labels` pages the rest. */
  labels: LabelView[];
  display: ReturnType<typeof certificateDisplay>;
  /** 留存至 — until when the retained copy must be kept. */
  retentionUntil: string;
  /** True while inside the retention period: it can be revoked but not deleted. */
  retained: boolean;
};

export function policyOf(ctx: Ctx) {
  return ctx.config.retentionDays
    ? retentionPolicy(ctx.config.retentionDays)
    : defaultRetentionPolicy;
}

/** Labels `from`..`from+limit-1` (0-based) of a certificate, each with its signed URL. */
export function labelViews(ctx: Ctx, c: Certificate, from: number, limit: number): LabelView[] {
  const out: LabelView[] = [];
  for (let i = from; i < Math.min(c.count, from + limit); i++) {
    const label = labelCode(c.code, i, c.count);
    out.push({
      index: i + 1,
      label,
      verifyUrl: verifyUrl(ctx.config.publicBaseUrl, label, ctx.signer.sign(label)),
    });
  }
  return out;
}

export function ownView(ctx: Ctx, stored: Certificate, labelPreview = 20): OwnCertificate {
  const c = normalizeCertificate(stored);
  const labels = labelViews(ctx, c, 0, labelPreview);
  const policy = policyOf(ctx);
  return {
    ...c,
    verifyUrl: labels[0]?.verifyUrl ?? '',
    labels,
    display: certificateDisplay(c),
    retentionUntil: retentionUntil(c.issuedAt, policy),
    retained: isRetained(c.issuedAt, ctx.now(), policy),
  };
}

/** The subjects the caller operates. */
export async function ownedSubjects(ctx: Ctx): Promise<Subject[]> {
  return ctx.store.collection<Subject>('subjects').find({ ownerId: callerOf(ctx).userId });
}

/** One of the caller's own subjects, or NOT_FOUND at `field`. */
export async function ownSubject(
  ctx: Ctx,
  subjectId: string,
  field = 'subjectId',
): Promise<Subject> {
  const subject = await ctx.store.collection<Subject>('subjects').get(subjectId);
  if (!subject || subject.ownerId !== callerOf(ctx).userId) {
    throw new AppError('NOT_FOUND', '没有找到这个主体', { [field]: ['请选择您登记的主体'] });
  }
  return subject;
}

/** One of the caller's own certificates by its record code, or NOT_FOUND. */
export async function ownCertificate(ctx: Ctx, code: string): Promise<Certificate> {
  const found = await ctx.store.collection<Certificate>('certificates').get(code);
  if (found) {
    const subject = await ctx.store.collection<Subject>('subjects').get(found.subjectId);
    if (subject && subject.ownerId === callerOf(ctx).userId) return normalizeCertificate(found);
  }
  throw new AppError('NOT_FOUND', '没有找到这张合格证');
}
