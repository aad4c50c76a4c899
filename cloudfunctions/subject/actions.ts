import * as z from 'zod/mini';
import { AppError } from '../../src/domain/errors';
import { lianyunDivisions } from '../../src/domain/division';
import type { Role, User } from '../../src/domain/role';
import {
  identityDisplayFor,
  subjectRegistrationSchema,
  type Subject,
} from '../../src/domain/subject';
import { listScope } from '../kit/scope';
import { action, callerOf, cloudFunction, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId, identityFingerprint } from '../kit/ids';
import { subjectUpdateInputSchema } from '../../src/domain/directory';
import { claimableImport, claimedSubject, writeClaim } from './claim';
import { updateOwnSubject } from './update';

/** The owner's view of a subject: everything stored (the ID number is masked at rest). */
export type OwnSubject = Subject;

/** A subject as a street office picks it from its division's list: no contact details. */
export type DivisionSubject = Pick<Subject, '_id' | 'name' | 'type' | 'divisionCode' | 'status'>;

const divisionListInput = z.object({
  /** A street or township within the caller's area; the caller's whole area when left out. */
  divisionCode: z.optional(
    z.string().check(z.regex(/^\d{6}(\d{3})?$/, { error: '区划代码为 6 位或 9 位数字' })),
  ),
  /** Part of the subject's name. */
  q: z.optional(z.string().check(z.trim(), z.maxLength(40, { error: '最多 40 个字' }))),
  limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50),
});

async function ownSubject(ctx: Ctx, subjectId: string): Promise<Subject> {
  const subject = await ctx.store.collection<Subject>('subjects').get(subjectId);
  if (!subject || subject.ownerId !== callerOf(ctx).userId) {
    throw new AppError('NOT_FOUND', '没有找到这个主体');
  }
  return subject;
}

export const subjectFunction = cloudFunction('subject', {
  /** 主体登记 — a WeChat user registers a producer (or buyer) they operate. */
  register: action({
    input: subjectRegistrationSchema,
    roles: 'signedIn',
    async run(input, ctx): Promise<OwnSubject> {
      const caller = callerOf(ctx);
      const division = lianyunDivisions.find((d) => d.code === input.divisionCode);
      if (!division || division.kind === 'district') {
        throw new AppError('INVALID_INPUT', '所在街道/乡镇不正确', {
          divisionCode: ['请选择连云区内的街道或乡镇'],
        });
      }
      const fingerprint = identityFingerprint(
        ctx.config.identitySecret,
        input.identityKind,
        input.identityNumber,
      );
      const now = ctx.now().toISOString();
      // One registration per identity per operator: the id makes a repeat an insert conflict.
      let subject: Subject = {
        _id: deterministicId('sub', caller.userId, fingerprint),
        type: input.type,
        name: input.name,
        identityKind: input.identityKind,
        identityDisplay: identityDisplayFor(input.identityKind, input.identityNumber),
        identityFingerprint: fingerprint,
        contactName: input.contactName,
        phone: input.phone,
        address: input.address,
        divisionCode: input.divisionCode,
        products: [...new Set(input.products)],
        aboveScale: input.aboveScale,
        status: 'registered',
        ownerId: caller.userId,
        createdAt: now,
        updatedAt: now,
        ...(input.seasonMonths?.length ? { seasonMonths: input.seasonMonths } : {}),
      };
      // 认领: an office imported this identity in this division; the registration takes it over.
      const imported = await claimableImport(ctx, fingerprint, input.divisionCode);
      if (imported) subject = claimedSubject(imported, subject);
      const role: Role = input.type === 'buyer' ? 'buyer' : 'producer';
      await ctx.store.transaction(async (tx) => {
        if (imported) {
          await writeClaim(tx, ctx, imported, subject);
        } else if (await tx.collection<Subject>('subjects').get(subject._id)) {
          throw new AppError('CONFLICT', '您已登记过这个主体（证件号码相同），无需重复登记', {
            identityNumber: ['该证件号码您已登记过'],
          });
        }
        if (!imported) await tx.collection<Subject>('subjects').insert(subject);
        const users = tx.collection<User>('users');
        const user = (await users.get(caller.userId)) ?? {
          _id: caller.userId,
          nickname: input.contactName,
          roles: [],
          divisionCode: null,
          createdAt: now,
        };
        if (!user.roles.includes(role)) {
          await users.put({ ...user, roles: [...user.roles, role] });
        }
        const { identityFingerprint: _fp, ...detail } = subject;
        if (!imported) {
          await writeAudit(tx, ctx, {
            action: 'subject.register',
            entity: 'subjects',
            entityId: subject._id,
            detail,
          });
        }
      });
      return subject;
    },
  }),

  /** 我的主体 — the subjects the caller operates, oldest first. */
  mine: action({
    input: z.object({}),
    roles: 'signedIn',
    async run(_input, ctx): Promise<OwnSubject[]> {
      return ctx.store
        .collection<Subject>('subjects')
        .find(
          { ownerId: callerOf(ctx).userId },
          { orderBy: { field: 'createdAt', direction: 'asc' } },
        );
    },
  }),

  /**
   * 辖区主体 — the subjects of a division, for staff to act on (allocate paper forms, patrol,
   * sample): division-scoped staff see their own division only, an admin the whole district.
   */
  division: action({
    input: divisionListInput,
    roles: ['supervisor', 'coordinator', 'enforcement', 'admin'],
    async run(input, ctx): Promise<DivisionSubject[]> {
      const codes = listScope(ctx, input.divisionCode);
      const found = await ctx.store.collection<Subject>('subjects').find({ divisionCode: codes });
      const q = input.q?.toUpperCase();
      return (
        found
          .filter((s) => !q || s.name.toUpperCase().includes(q))
          // In pinyin order, as a printed directory would list them.
          .sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN') || (a._id < b._id ? -1 : 1))
          .slice(0, input.limit)
          .map(({ _id, name, type, divisionCode, status }) => ({
            _id,
            name,
            type,
            divisionCode,
            status,
          }))
      );
    },
  }),

  /** 修改登记信息 — the owner edits, or resubmits after 退回修改; history keeps before and after. */
  update: action({
    input: subjectUpdateInputSchema,
    roles: 'signedIn',
    run: (input, ctx): Promise<OwnSubject> => updateOwnSubject(ctx, input),
  }),

  /** One of the caller's own subjects. */
  get: action({
    input: z.object({ subjectId: z.string().check(z.minLength(1), z.maxLength(80)) }),
    roles: 'signedIn',
    async run(input, ctx): Promise<OwnSubject> {
      return ownSubject(ctx, input.subjectId);
    },
  }),
});
