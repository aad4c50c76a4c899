import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import {
  certificateCodeFromBytes,
  certificateDisplay,
  chinaDate,
  issueCertificateInputSchema,
  normalizeCertificateCode,
  styleForSubjectType,
  verifyUrl,
  type Certificate,
} from '../../src/domain/certificate';
import { AppError } from '../../src/domain/errors';
import { maskPhone } from '../../src/domain/identity';
import { normalizeQuantityValue } from '../../src/domain/quantity';
import { canIssue, subjectStatuses, subjectTypes, type Subject } from '../../src/domain/subject';
import { currentTemplateVersion } from '../../src/domain/template';
import { action, callerOf, cloudFunction, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId } from '../kit/ids';

/** 开具请求记录 — remembers a request id so a retry returns the same certificates. */
interface IssueRequest {
  _id: string;
  userId: string;
  requestId: string;
  payloadHash: string;
  codes: string[];
  createdAt: string;
}

/** The issuer's view of one of its certificates (the retained copy) and its QR URL. */
export type OwnCertificate = Certificate & {
  verifyUrl: string;
  display: ReturnType<typeof certificateDisplay>;
};

function ownView(ctx: Ctx, c: Certificate): OwnCertificate {
  return {
    ...c,
    verifyUrl: verifyUrl(ctx.config.publicBaseUrl, c.code),
    display: certificateDisplay(c),
  };
}

async function ownedSubjectIds(ctx: Ctx): Promise<string[]> {
  const subjects = await ctx.store
    .collection<Subject>('subjects')
    .find({ ownerId: callerOf(ctx).userId });
  return subjects.map((s) => s._id);
}

export const certificateFunction = cloudFunction('certificate', {
  /** 开具合格证 — issue one certificate; idempotent on the client's request id. */
  issue: action({
    input: issueCertificateInputSchema,
    roles: ['producer', 'buyer'],
    async run(input, ctx): Promise<OwnCertificate[]> {
      const caller = callerOf(ctx);
      const subject = await ctx.store.collection<Subject>('subjects').get(input.subjectId);
      if (!subject || subject.ownerId !== caller.userId) {
        throw new AppError('NOT_FOUND', '没有找到这个主体', { subjectId: ['请选择您登记的主体'] });
      }
      if (!canIssue(subject.status)) {
        throw new AppError(
          'FORBIDDEN',
          `主体状态为“${subjectStatuses[subject.status]}”，不能开具合格证`,
        );
      }
      const payloadHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
      const requestDocId = deterministicId('req', caller.userId, input.requestId);
      const now = ctx.now();
      const codes = await ctx.store.transaction(async (tx) => {
        const requests = tx.collection<IssueRequest>('requests');
        const earlier = await requests.get(requestDocId);
        if (earlier) {
          if (earlier.payloadHash !== payloadHash) {
            throw new AppError('CONFLICT', '这个请求编号已用于另一份合格证，请重新开具');
          }
          return earlier.codes;
        }
        const code = certificateCodeFromBytes(ctx.randomBytes(10));
        const certificate: Certificate = {
          _id: code,
          code,
          templateVersion: currentTemplateVersion,
          style: styleForSubjectType(subject.type),
          subjectId: subject._id,
          issuer: {
            subjectId: subject._id,
            name: subject.name,
            typeLabel: subjectTypes[subject.type],
            contactName: subject.contactName,
            phone: maskPhone(subject.phone),
            address: subject.address,
            divisionCode: subject.divisionCode,
          },
          productName: input.productName,
          quantity: { ...input.quantity, value: normalizeQuantityValue(input.quantity.value) },
          origin: input.origin,
          issueDate: chinaDate(now),
          issuedAt: now.toISOString(),
          basis: input.basis,
          issueUnit: input.issueUnit,
          vehiclePlate: input.issueUnit === 'vehicle' ? (input.vehiclePlate ?? null) : null,
          batchNo: input.issueUnit === 'batch' ? (input.batchNo ?? null) : null,
          count: 1,
          form: 'electronic',
          serial: null,
          traceCode: null,
          sourceCodes: [],
          testRecordIds: [],
          status: 'valid',
          revokedReason: null,
          revokedAt: null,
          issuedBy: caller.userId,
          requestId: input.requestId,
        };
        await tx.collection<Certificate>('certificates').insert(certificate);
        await requests.insert({
          _id: requestDocId,
          userId: caller.userId,
          requestId: input.requestId,
          payloadHash,
          codes: [code],
          createdAt: now.toISOString(),
        });
        await writeAudit(tx, ctx, {
          action: 'certificate.issue',
          entity: 'certificates',
          entityId: code,
          detail: { productName: certificate.productName, quantity: certificate.quantity },
        });
        return [code];
      });
      const certificates = ctx.store.collection<Certificate>('certificates');
      const issued = await Promise.all(codes.map((c) => certificates.get(c)));
      return issued.filter((c): c is Certificate => c !== null).map((c) => ownView(ctx, c));
    },
  }),

  /** 我的合格证 — the retained copies of the caller's subjects, newest first. */
  mine: action({
    input: z.object({
      subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
      limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50),
      skip: z._default(z.int().check(z.gte(0)), 0),
    }),
    roles: 'signedIn',
    async run(input, ctx): Promise<OwnCertificate[]> {
      const owned = await ownedSubjectIds(ctx);
      const wanted = input.subjectId ? owned.filter((id) => id === input.subjectId) : owned;
      if (wanted.length === 0) return [];
      const found = await ctx.store.collection<Certificate>('certificates').find(
        { subjectId: wanted },
        {
          orderBy: { field: 'issuedAt', direction: 'desc' },
          limit: input.limit,
          skip: input.skip,
        },
      );
      return found.map((c) => ownView(ctx, c));
    },
  }),

  /** One of the caller's own certificates, by code. */
  get: action({
    input: z.object({
      code: z.pipe(
        z.string().check(z.minLength(1), z.maxLength(40)),
        z.transform(normalizeCertificateCode),
      ),
    }),
    roles: 'signedIn',
    async run(input, ctx): Promise<OwnCertificate> {
      const c = await ctx.store.collection<Certificate>('certificates').get(input.code);
      if (!c || !(await ownedSubjectIds(ctx)).includes(c.subjectId)) {
        throw new AppError('NOT_FOUND', '没有找到这张合格证');
      }
      return ownView(ctx, c);
    },
  }),
});
