import * as z from 'zod/mini';
import { AppError } from '../../src/domain/errors';
import { lianyunDivisions } from '../../src/domain/division';
import type { Role, User } from '../../src/domain/role';
import {
  identityDisplayFor,
  subjectRegistrationSchema,
  type Subject,
} from '../../src/domain/subject';
import { action, callerOf, cloudFunction, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId, identityFingerprint } from '../kit/ids';

/** The owner's view of a subject: everything stored (the ID number is masked at rest). */
export type OwnSubject = Subject;

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
      const subject: Subject = {
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
      };
      const role: Role = input.type === 'buyer' ? 'buyer' : 'producer';
      await ctx.store.transaction(async (tx) => {
        if (await tx.collection<Subject>('subjects').get(subject._id)) {
          throw new AppError('CONFLICT', '您已登记过这个主体（证件号码相同），无需重复登记', {
            identityNumber: ['该证件号码您已登记过'],
          });
        }
        await tx.collection<Subject>('subjects').insert(subject);
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
        await writeAudit(tx, ctx, {
          action: 'subject.register',
          entity: 'subjects',
          entityId: subject._id,
          detail,
        });
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

  /** One of the caller's own subjects. */
  get: action({
    input: z.object({ subjectId: z.string().check(z.minLength(1), z.maxLength(80)) }),
    roles: 'signedIn',
    async run(input, ctx): Promise<OwnSubject> {
      return ownSubject(ctx, input.subjectId);
    },
  }),
});
