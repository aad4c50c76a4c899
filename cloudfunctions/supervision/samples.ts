/**
 * 抽检 — a rapid or lab test of a subject's goods, linked to the certificates they carried.
 *
 * Recording one is the single place the key-supervision list changes by itself, and all of it
 * lands in one transaction with the sample: a failure opens a rectification case, and, when a
 * linked certificate promised compliance (承诺与抽检结果不符), puts the subject on the list; a
 * pass that is the awaited follow-up takes it off.
 */
import * as z from 'zod/mini';
import {
  chinaDate,
  codeFromScan,
  labelBelongs,
  labelCode,
  normalizeCertificate,
  parseLabelCode,
  type Certificate,
} from '../../src/domain/certificate';
import { AppError, type FieldErrors } from '../../src/domain/errors';
import { signatureParamOf } from '../../src/domain/scan';
import type { Subject } from '../../src/domain/subject';
import {
  promiseStoodOn,
  sampleInputSchema,
  sampleResult,
  type KeySupervision,
  type Rectification,
  type Sample,
  type SampleItem,
} from '../../src/domain/supervision';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId, newId } from '../kit/ids';
import { divisionScope } from '../kit/scope';
import { paperCertificateCode } from '../paper/lookup';
import { fieldStaff, scopeWhere, subjectInScope } from './access';
import { joinActiveEpisode, liftIfFollowUpPassed, placeOnKeyList } from './key-supervision';
import { dateRangeFields, withinDates } from './patrols';
import { openCase, rectificationView, type RectificationView } from './rectifications';

/** What recording a sample did. */
export interface SampleOutcome {
  sample: Sample;
  /** 承诺与抽检结果不符: failed, and a linked certificate promised compliance. */
  promiseContradicted: boolean;
  /** The case the failure opened. */
  rectification: RectificationView | null;
  /** The subject's key-supervision record after this sample (null: never on the list). */
  keySupervision: KeySupervision | null;
  /** True when this passing sample took the subject off the list. */
  lifted: boolean;
}

interface LinkedCertificate {
  label: string;
  certificate: Certificate;
}

/**
 * The certificates the sampled goods carried, each from a scanned URL, a label code or a paper
 * serial. Each must exist, be the sampled subject's, predate the sample, and — when the scan
 * carries a signature — be signed by the district (a forged label is nobody's promise).
 */
async function linkedCertificates(
  ctx: Ctx,
  texts: readonly string[],
  subject: Subject,
  sampledOn: string,
): Promise<LinkedCertificate[]> {
  const certificates = ctx.store.collection<Certificate>('certificates');
  const fields: FieldErrors = {};
  const linked: LinkedCertificate[] = [];
  for (const [i, text] of texts.entries()) {
    const label = (await paperCertificateCode(ctx.store, text)) ?? codeFromScan(text);
    const parsed = label ? parseLabelCode(label) : null;
    const stored = parsed ? await certificates.get(parsed.code) : null;
    const cert = stored ? normalizeCertificate(stored) : null;
    const field = `certificateCodes.${i}`;
    if (
      !label ||
      !parsed ||
      !cert ||
      !labelBelongs(parsed, cert.count) ||
      labelCode(cert.code, parsed.index ?? 0, cert.count) !== label
    ) {
      fields[field] = ['没有找到这张合格证'];
      continue;
    }
    const signature = signatureParamOf(text);
    if (signature !== null && !ctx.signer.verify(label, signature)) {
      fields[field] = ['标签签名无效，疑似伪造，不能作为该主体的合格证'];
    } else if (cert.subjectId !== subject._id) {
      fields[field] = ['这张合格证不是被抽检主体开具的'];
    } else if (cert.issueDate > sampledOn) {
      fields[field] = ['这张合格证开具于抽样之后'];
    } else if (!linked.some((l) => l.label === label)) {
      linked.push({ label, certificate: cert });
    }
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError('INVALID_INPUT', '关联的合格证有误，请检查', fields);
  }
  return linked;
}

/** 问题说明 of a failed sample: its failed items with value and limit. */
function failureNote(items: readonly SampleItem[]): string {
  const failed = items
    .filter((i) => i.result === 'fail')
    .map((i) => {
      const detail = [i.value, i.limit ? `标准 ${i.limit}` : undefined].filter(Boolean).join('，');
      return detail ? `${i.item}（${detail}）` : i.item;
    });
  return `抽检不合格项目：${failed.join('；')}`;
}

async function outcomeOf(ctx: Ctx, sample: Sample): Promise<SampleOutcome> {
  const c = sample.caseId
    ? await ctx.store.collection<Rectification>('rectifications').get(sample.caseId)
    : null;
  return {
    sample,
    promiseContradicted: sample.promiseContradicted,
    rectification: c ? rectificationView(c, ctx.now()) : null,
    keySupervision: await ctx.store
      .collection<KeySupervision>('keySupervision')
      .get(sample.subjectId),
    lifted: sample.liftedKeySupervision,
  };
}

async function recordSample(
  ctx: Ctx,
  input: z.output<typeof sampleInputSchema>,
): Promise<SampleOutcome> {
  const subject = await subjectInScope(ctx, input.subjectId);
  const now = ctx.now();
  if (input.sampledOn > chinaDate(now)) {
    throw new AppError('INVALID_INPUT', '抽样日期不能晚于今天', {
      sampledOn: ['抽样日期不能晚于今天'],
    });
  }
  const userId = callerOf(ctx).userId;
  const id = input.requestId ? deterministicId('smp', userId, input.requestId) : newId(ctx, 'smp');
  if (input.requestId) {
    const earlier = await ctx.store.collection<Sample>('samples').get(id);
    if (earlier) return outcomeOf(ctx, earlier);
  }
  const linked = await linkedCertificates(ctx, input.certificateCodes, subject, input.sampledOn);
  const result = sampleResult(input.items);
  const promisedCodes = linked
    .filter((l) => promiseStoodOn(l.certificate, input.sampledOn))
    .map((l) => l.label);
  const promiseContradicted = result === 'fail' && promisedCodes.length > 0;
  const sample: Sample = {
    _id: id,
    source: 'supervision',
    subjectId: subject._id,
    subjectName: subject.name,
    certificateCodes: linked.map((l) => l.label),
    promisedCodes,
    kind: input.kind,
    productName: input.productName ?? null,
    items: input.items,
    lab: input.lab ?? null,
    sampledOn: input.sampledOn,
    result,
    promiseContradicted,
    // One case per failed sample: a retried call cannot open a second.
    caseId: result === 'fail' ? deterministicId('rec', id) : null,
    liftedKeySupervision: false,
    divisionCode: subject.divisionCode,
    at: now.toISOString(),
    by: userId,
  };

  return ctx.store.transaction(async (tx): Promise<SampleOutcome> => {
    await tx.collection<Sample>('samples').insert(sample);
    await writeAudit(tx, ctx, {
      action: 'supervision.sample',
      entity: 'samples',
      entityId: sample._id,
      detail: {
        subjectId: sample.subjectId,
        kind: sample.kind,
        result: sample.result,
        certificateCodes: sample.certificateCodes,
        promiseContradicted,
      },
    });
    if (sample.caseId) {
      const rectification = await openCase(tx, ctx, {
        id: sample.caseId,
        subject,
        reason: promiseContradicted ? 'promise_contradicted' : 'failed_sample',
        sampleId: sample._id,
        patrolId: null,
        note: failureNote(sample.items),
      });
      const keySupervision = promiseContradicted
        ? await placeOnKeyList(tx, ctx, {
            subject,
            reason: 'promise_contradicted',
            sampleId: sample._id,
            patrolId: null,
            caseId: sample.caseId,
          })
        : await joinActiveEpisode(tx, ctx, subject._id, sample.caseId);
      return {
        sample,
        promiseContradicted,
        rectification: rectificationView(rectification, now),
        keySupervision,
        lifted: false,
      };
    }
    const { record, lifted } = await liftIfFollowUpPassed(tx, ctx, sample);
    if (lifted) {
      await tx.collection<Sample>('samples').update(sample._id, { liftedKeySupervision: true });
    }
    return {
      sample: { ...sample, liftedKeySupervision: lifted },
      promiseContradicted: false,
      rectification: null,
      keySupervision: record,
      lifted,
    };
  });
}

export const sampleActions = {
  /**
   * 抽检记录 — a rapid or lab test of a subject in the caller's division, linked to the
   * certificates of the sampled goods (each must exist and be the subject's).
   */
  recordSample: action({
    input: sampleInputSchema,
    roles: fieldStaff,
    run: (input, ctx): Promise<SampleOutcome> => recordSample(ctx, input),
  }),

  /** 抽检记录列表 — supervision samples of the caller's division (or one subject), newest first. */
  samples: action({
    input: z.object({
      subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
      result: z.optional(z.enum(['pass', 'fail'], { error: '检测结果不正确' })),
      ...dateRangeFields,
      limit: z._default(z.int().check(z.gte(1), z.lte(500)), 100),
    }),
    roles: fieldStaff,
    async run(input, ctx): Promise<Sample[]> {
      const where = input.subjectId
        ? { subjectId: (await subjectInScope(ctx, input.subjectId))._id }
        : scopeWhere(divisionScope(ctx));
      const found = await ctx.store
        .collection<Sample>('samples')
        .find({ ...where, source: 'supervision' });
      return found
        .filter(
          (s) => (!input.result || s.result === input.result) && withinDates(s.sampledOn, input),
        )
        .sort((a, b) => b.sampledOn.localeCompare(a.sampledOn) || b.at.localeCompare(a.at))
        .slice(0, input.limit);
    },
  }),
};
