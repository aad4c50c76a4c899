import type * as z from 'zod/mini';
import {
  changedFields,
  identityKindIssue,
  isActiveStatus,
  reviewedFields,
  subjectChange,
  type subjectUpdateInputSchema,
} from '../../src/domain/directory';
import { lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import {
  identityDisplayFor,
  subjectRegistrationSchema,
  subjectStatuses,
  type Subject,
} from '../../src/domain/subject';
import { callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { identityFingerprint } from '../kit/ids';
import { fieldErrorsOf } from '../kit/invoke';

type UpdateInput = z.output<typeof subjectUpdateInputSchema>;

const duplicateMessage = '您已登记过这个主体（证件号码相同），无需重复登记';

/**
 * 修改登记信息 — the owner edits a subject or resubmits it after 退回修改. A new ID number goes
 * through the registration schema as the whole registration would now read; without one, the
 * identity stays and its kind must still suit the type. A registered subject is resubmitted for
 * review by any edit; an approved one only when who or where it is changes.
 */
export async function updateOwnSubject(ctx: Ctx, input: UpdateInput): Promise<Subject> {
  const caller = callerOf(ctx);
  const subjects = ctx.store.collection<Subject>('subjects');
  const current = await subjects.get(input.subjectId);
  if (!current || current.ownerId !== caller.userId) {
    throw new AppError('NOT_FOUND', '没有找到这个主体');
  }
  if (!isActiveStatus(current.status)) {
    throw new AppError(
      'FORBIDDEN',
      `主体状态为“${subjectStatuses[current.status]}”，不能再修改登记信息`,
    );
  }
  const { subjectId: _id, identityNumber, seasonMonths, ...given } = input;
  // A field given as undefined means unchanged, as one left out does; spread over the stored
  // subject it would erase the field (JSON cannot send one, a direct call can).
  const fields = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as typeof given;
  const type = fields.type ?? current.type;
  const kind = fields.identityKind ?? current.identityKind;
  let identity = {
    identityKind: current.identityKind,
    identityDisplay: current.identityDisplay,
    identityFingerprint: current.identityFingerprint,
  };
  if (identityNumber !== undefined) {
    const parsed = subjectRegistrationSchema.safeParse({
      type,
      name: fields.name ?? current.name,
      identityKind: kind,
      identityNumber,
      contactName: fields.contactName ?? current.contactName,
      phone: fields.phone ?? current.phone,
      address: fields.address ?? current.address,
      divisionCode: fields.divisionCode ?? current.divisionCode,
      products: fields.products ?? current.products,
      aboveScale: fields.aboveScale ?? current.aboveScale,
    });
    if (!parsed.success) {
      throw new AppError(
        'INVALID_INPUT',
        '填写的内容有误，请检查标红的项目',
        fieldErrorsOf(parsed.error),
      );
    }
    identity = {
      identityKind: kind,
      identityDisplay: identityDisplayFor(kind, parsed.data.identityNumber),
      identityFingerprint: identityFingerprint(
        ctx.config.identitySecret,
        kind,
        parsed.data.identityNumber,
      ),
    };
  } else {
    if (kind !== current.identityKind) {
      throw new AppError('INVALID_INPUT', '更换证件类型时请填写新的证件号码', {
        identityNumber: ['更换证件类型时请填写新的证件号码'],
      });
    }
    const issue = identityKindIssue(type, kind);
    if (issue) throw new AppError('INVALID_INPUT', issue, { identityKind: [issue] });
  }
  if (fields.divisionCode !== undefined) {
    const division = lianyunDivisions.find((d) => d.code === fields.divisionCode);
    if (!division || division.kind === 'district') {
      throw new AppError('INVALID_INPUT', '所在街道/乡镇不正确', {
        divisionCode: ['请选择连云区内的街道或乡镇'],
      });
    }
  }
  if (identity.identityFingerprint !== current.identityFingerprint) {
    const same = await subjects.find({ identityFingerprint: identity.identityFingerprint });
    if (same.some((s) => s.ownerId === caller.userId && s._id !== current._id)) {
      throw new AppError('CONFLICT', duplicateMessage, {
        identityNumber: ['该证件号码您已登记过'],
      });
    }
  }

  const now = ctx.now().toISOString();
  const edited: Subject = {
    ...current,
    ...fields,
    ...identity,
    ...(fields.products ? { products: [...new Set(fields.products)] } : {}),
  };
  if (seasonMonths !== undefined) {
    if (seasonMonths.length > 0) edited.seasonMonths = seasonMonths;
    else delete edited.seasonMonths;
  }
  const changed = changedFields(current, edited);
  if (changed.length === 0) return current;
  const resubmitted =
    current.status === 'registered' ||
    changed.some(
      (f) => f === 'identityNumber' || (reviewedFields as readonly string[]).includes(f),
    );
  const next: Subject = {
    ...edited,
    status: resubmitted ? 'registered' : current.status,
    ...(resubmitted ? { submittedAt: now } : {}),
    updatedAt: now,
  };
  await ctx.store.transaction(async (tx) => {
    const fresh = await tx.collection<Subject>('subjects').get(current._id);
    if (!fresh || fresh.updatedAt !== current.updatedAt) {
      throw new AppError('CONFLICT', '主体信息刚被修改过，请刷新后再改');
    }
    await tx.collection<Subject>('subjects').put(next);
    await writeAudit(tx, ctx, {
      action: 'subject.update',
      entity: 'subjects',
      entityId: next._id,
      detail: subjectChange(current, next, { resubmitted }),
    });
  });
  return next;
}
