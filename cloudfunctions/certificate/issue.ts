import { createHash } from 'node:crypto';
import type * as z from 'zod/mini';
import {
  certificateCodeFromBytes,
  chinaDate,
  codeFromScan,
  issueCertificateInputSchema,
  labelBelongs,
  normalizeCertificate,
  parseLabelCode,
  styleForSubjectType,
  type Certificate,
  type IssuerSnapshot,
} from '../../src/domain/certificate';
import { AppError } from '../../src/domain/errors';
import { maskPhone } from '../../src/domain/identity';
import { normalizeQuantityValue, type Quantity } from '../../src/domain/quantity';
import { canIssue, subjectStatuses, subjectTypes, type Subject } from '../../src/domain/subject';
import { bases, currentTemplateVersion, type Basis } from '../../src/domain/template';
import { supportedBasis, type TestRecord } from '../../src/domain/test-record';
import { callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId } from '../kit/ids';
import { ownSubject, ownView, type OwnCertificate } from './views';

type IssueInput = z.output<typeof issueCertificateInputSchema>;

/** 开具请求记录 — remembers a request id so a retry returns the same certificates. */
interface IssueRequest {
  _id: string;
  userId: string;
  requestId: string;
  payloadHash: string;
  codes: string[];
  createdAt: string;
}

/** 上次开具 — what a subject issued last, so the same product again takes a tap or two. */
export interface SubjectDefaults {
  _id: string;
  productName: string;
  quantity: Quantity;
  origin: string;
  basis: Basis[];
  issueUnit: Certificate['issueUnit'];
  packages: number;
  testRecordIds: string[];
  updatedAt: string;
}

/** The issuing party as it stands now; the certificate keeps it and displays as issued. */
export function issuerSnapshot(subject: Subject): IssuerSnapshot {
  return {
    subjectId: subject._id,
    name: subject.name,
    typeLabel: subjectTypes[subject.type],
    contactName: subject.contactName,
    phone: maskPhone(subject.phone),
    address: subject.address,
    divisionCode: subject.divisionCode,
  };
}

/** The label codes of the certificates a style-2 lot was made from, each checked to exist. */
async function checkedSources(ctx: Ctx, subject: Subject, raw: string[]): Promise<string[]> {
  if (subject.type !== 'buyer') {
    if (raw.length > 0) {
      throw new AppError('INVALID_INPUT', '只有收购商重新开具（样式二）时才填写来源合格证', {
        sourceCodes: ['生产者开具的合格证不填写来源合格证'],
      });
    }
    return [];
  }
  if (raw.length === 0) {
    throw new AppError('INVALID_INPUT', '请扫描所收购产品的合格证', {
      sourceCodes: ['收购商重新开具时，须列出所收取的合格证'],
    });
  }
  const labels = [...new Set(raw.map((r) => codeFromScan(r) ?? ''))];
  const certificates = ctx.store.collection<Certificate>('certificates');
  const fields: Record<string, string[]> = {};
  for (const [i, label] of labels.entries()) {
    const parsed = label ? parseLabelCode(label) : null;
    const found = parsed ? await certificates.get(parsed.code) : null;
    if (!parsed || !found || !labelBelongs(parsed, normalizeCertificate(found).count)) {
      fields[`sourceCodes.${i}`] = [`没有找到合格证 ${label || raw[i] || ''}`];
    } else if (found.status !== 'valid') {
      fields[`sourceCodes.${i}`] = [`合格证 ${label} 已撤销，不能作为来源`];
    }
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError('INVALID_INPUT', '来源合格证有误', fields);
  }
  return labels;
}

/** Checks that the chosen test bases rest on passed tests of this subject. */
async function checkedTests(ctx: Ctx, subject: Subject, input: IssueInput): Promise<string[]> {
  const ids = [...new Set(input.testRecordIds)];
  const records = ctx.store.collection<TestRecord>('testRecords');
  const supported = new Set<Basis>();
  for (const [i, id] of ids.entries()) {
    const t = await records.get(id);
    if (!t || t.subjectId !== subject._id) {
      throw new AppError('INVALID_INPUT', '检测记录不存在', {
        [`testRecordIds.${i}`]: ['没有找到这条检测记录'],
      });
    }
    const basis = supportedBasis(t);
    if (!basis) {
      throw new AppError('INVALID_INPUT', '检测结果不合格的记录不能作为承诺依据', {
        [`testRecordIds.${i}`]: [`${t.testedOn} ${t.item}：检测不合格`],
      });
    }
    supported.add(basis);
  }
  for (const b of input.basis) {
    if ((b === 'self_test' || b === 'commissioned_test') && !supported.has(b)) {
      throw new AppError('INVALID_INPUT', `“${bases[b]}”需要关联相应的合格检测记录`, {
        testRecordIds: [`请关联一条${b === 'self_test' ? '自行' : '委托'}检测合格的记录`],
      });
    }
  }
  return ids;
}

/**
 * 开具合格证. One record covers all N packages (their label codes are derived from it), so
 * issuing 10,000 labels is one atomic insert on SQLite and on CloudBase alike; the request
 * record beside it, written in the same transaction, makes a retry return the same certificate.
 */
export async function issueCertificate(ctx: Ctx, input: IssueInput): Promise<OwnCertificate[]> {
  const caller = callerOf(ctx);
  const subject = await ownSubject(ctx, input.subjectId);
  if (!canIssue(subject.status)) {
    throw new AppError(
      'FORBIDDEN',
      `主体状态为“${subjectStatuses[subject.status]}”，不能开具合格证`,
    );
  }
  const payloadHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const requestDocId = deterministicId('req', caller.userId, input.requestId);
  const earlier = await ctx.store.collection<IssueRequest>('requests').get(requestDocId);
  // A retry skips the checks below: they passed the first time and the answer must not change.
  const sourceCodes = earlier ? [] : await checkedSources(ctx, subject, input.sourceCodes);
  const testRecordIds = earlier ? [] : await checkedTests(ctx, subject, input);
  const now = ctx.now();
  const codes = await ctx.store.transaction(async (tx) => {
    const requests = tx.collection<IssueRequest>('requests');
    const done = await requests.get(requestDocId);
    if (done) {
      if (done.payloadHash !== payloadHash) {
        throw new AppError('CONFLICT', '这个请求编号已用于另一份合格证，请重新开具');
      }
      return done.codes;
    }
    const code = certificateCodeFromBytes(ctx.randomBytes(10));
    const quantity = { ...input.quantity, value: normalizeQuantityValue(input.quantity.value) };
    const certificate: Certificate = {
      _id: code,
      code,
      templateVersion: currentTemplateVersion,
      style: styleForSubjectType(subject.type),
      subjectId: subject._id,
      issuer: issuerSnapshot(subject),
      productName: input.productName,
      quantity,
      origin: input.origin,
      issueDate: chinaDate(now),
      issuedAt: now.toISOString(),
      basis: input.basis,
      issueUnit: input.issueUnit,
      vehiclePlate: input.issueUnit === 'vehicle' ? (input.vehiclePlate ?? null) : null,
      batchNo: input.issueUnit === 'batch' ? (input.batchNo ?? null) : null,
      count: input.packages,
      form: 'electronic',
      serial: null,
      traceCode: input.traceCode ?? null,
      sourceCodes,
      testRecordIds,
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
    await tx.collection<SubjectDefaults>('subjectDefaults').put({
      _id: subject._id,
      productName: input.productName,
      quantity,
      origin: input.origin,
      basis: input.basis,
      issueUnit: input.issueUnit,
      packages: input.packages,
      testRecordIds,
      updatedAt: now.toISOString(),
    });
    await writeAudit(tx, ctx, {
      action: 'certificate.issue',
      entity: 'certificates',
      entityId: code,
      detail: {
        productName: certificate.productName,
        quantity: certificate.quantity,
        count: certificate.count,
        issueUnit: certificate.issueUnit,
      },
    });
    return [code];
  });
  const certificates = ctx.store.collection<Certificate>('certificates');
  const issued = await Promise.all(codes.map((c) => certificates.get(c)));
  return issued.filter((c): c is Certificate => c !== null).map((c) => ownView(ctx, c));
}
