import * as z from 'zod/mini';
import { isWithinDivision, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import {
  checkStaffGrant,
  grantReach,
  invitationCodeBytes,
  invitationCodeFromBytes,
  invitationStatus,
  invitationStatusCodes,
  invitationUrl,
  inviteInputSchema,
  isStaffRole,
  mayRevokeStaffRole,
  normalizeInvitationCode,
  staffRoleCodes,
  staffRoleSchema,
  type Granter,
  type Invitation,
  type StaffRole,
} from '../../src/domain/invitation';
import {
  divisionScopedRoles,
  hasAnyRole,
  roles as roleLabels,
  roleSchema,
  type Role,
  type User,
} from '../../src/domain/role';
import { action, callerOf, cloudFunction, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { joinFunctionPage } from './join-page';
import { limitCodeEntry } from '../kit/rate-limit';
import type { Store } from '../kit/store/port';
import {
  divisionNameOf,
  invitationId,
  invitationViewOf,
  meOf,
  staffMemberOf,
  type InvitationView,
  type Me,
  type StaffMember,
} from './views';

export type { InvitationView, Me, StaffMember } from './views';

/** What `user.invite` answers: the code exists only here, once. */
export interface CreatedInvitation {
  id: string;
  /** 邀请码, e.g. `7K3M-Q9XD-2HRV-WN5B`: to read out or type in. */
  code: string;
  /** `<publicBaseUrl>/join/<code>`, for the QR code. */
  url: string;
  expiresAt: string;
  role: StaffRole;
  roleLabel: string;
  divisionCode: string | null;
  divisionName: string | null;
}

/** What `user.redeem` answers: the role just granted and the caller as they now are. */
export interface Redeemed {
  role: StaffRole;
  roleLabel: string;
  divisionCode: string | null;
  divisionName: string | null;
  me: Me;
}

const divisionCodeInput = z
  .string()
  .check(z.regex(/^\d{6}(\d{3})?$/, { error: '区划代码为 6 位或 9 位数字' }));

function granterOf(ctx: Ctx): Granter {
  const caller = callerOf(ctx);
  return { roles: caller.roles, divisionCode: caller.user?.divisionCode ?? null };
}

function isStaff(user: User): boolean {
  return hasAnyRole(user.roles, staffRoleCodes);
}

function holdsScopedRole(roles: readonly Role[]): boolean {
  return hasAnyRole(roles, divisionScopedRoles);
}

/** Nicknames of the given users, looked up once each. */
async function namesOf(store: Store, ids: Iterable<string>): Promise<Map<string, string>> {
  const users = store.collection<User>('users');
  const names = new Map<string, string>();
  for (const id of new Set(ids)) names.set(id, (await users.get(id))?.nickname ?? '');
  return names;
}

/** The division codes at or under `code`, for a `find` on divisionCode. */
function codesWithin(code: string): string[] {
  return lianyunDivisions
    .filter((d) => isWithinDivision(lianyunDivisions, d.code, code))
    .map((d) => d.code);
}

/** The staff list within a division: the senior role first. */
const staffRank: readonly Role[] = ['admin', 'supervisor', 'enforcement', 'coordinator'];
const roleOrder = (r: Role) => staffRank.indexOf(r);
const divisionOrder = (code: string | null) =>
  code === null ? -1 : lianyunDivisions.findIndex((d) => d.code === code);

const userActions = cloudFunction('user', {
  /** 我的身份 — who the caller is, what roles they hold and where they serve. */
  me: action({
    input: z.object({}),
    roles: 'signedIn',
    async run(_input, ctx): Promise<Me> {
      const caller = callerOf(ctx);
      return meOf(caller.userId, caller.user);
    },
  }),

  /**
   * 生成邀请 — a one-time code (and its QR address) that grants a staff role. Who may invite whom
   * is `staffGrantRules` (src/domain/invitation.ts). Only a hash of the code is stored.
   */
  invite: action({
    input: inviteInputSchema,
    roles: ['admin', 'supervisor'],
    async run(input, ctx): Promise<CreatedInvitation> {
      const check = checkStaffGrant(
        granterOf(ctx),
        input.role,
        input.divisionCode,
        lianyunDivisions,
      );
      if (!check.ok) {
        throw new AppError(
          check.code,
          check.message,
          check.field ? { [check.field]: [check.message] } : undefined,
        );
      }
      const code = invitationCodeFromBytes(ctx.randomBytes(invitationCodeBytes));
      const now = ctx.now();
      const invitation: Invitation = {
        _id: invitationId(normalizeInvitationCode(code) ?? code),
        role: input.role,
        divisionCode: check.divisionCode,
        note: input.note,
        createdBy: callerOf(ctx).userId,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + input.ttlHours * 3600_000).toISOString(),
        usedBy: null,
        usedAt: null,
        revokedBy: null,
        revokedAt: null,
      };
      await ctx.store.transaction(async (tx) => {
        await tx.collection<Invitation>('invitations').insert(invitation);
        await writeAudit(tx, ctx, {
          action: 'user.invite',
          entity: 'invitations',
          entityId: invitation._id,
          detail: {
            role: invitation.role,
            divisionCode: invitation.divisionCode,
            note: invitation.note,
            expiresAt: invitation.expiresAt,
          },
        });
      });
      return {
        id: invitation._id,
        code,
        url: invitationUrl(ctx.config.publicBaseUrl, code),
        expiresAt: invitation.expiresAt,
        role: invitation.role,
        roleLabel: roleLabels[invitation.role],
        divisionCode: invitation.divisionCode,
        divisionName: divisionNameOf(invitation.divisionCode),
      };
    },
  }),

  /**
   * 领取邀请 — a WeChat user takes the role an invitation grants, once: the invitation is marked
   * used in the same transaction that grants the role. One person serves one division.
   */
  redeem: action({
    input: z.object({
      /** The code as typed (any case, dashes optional) or the scanned `/join/<code>` address. */
      code: z.string({ error: '请输入邀请码' }).check(z.maxLength(300, { error: '邀请码不正确' })),
      /** The name colleagues will see in the staff list; kept as it is when left out. */
      nickname: z.optional(
        z
          .string()
          .check(
            z.trim(),
            z.minLength(1, { error: '请填写姓名' }),
            z.maxLength(20, { error: '姓名最多 20 个字' }),
          ),
      ),
    }),
    roles: 'signedIn',
    async run(input, ctx): Promise<Redeemed> {
      const caller = callerOf(ctx);
      // Before the lookup: once limited, a right code and a wrong one get the same answer.
      limitCodeEntry(ctx, 'redeem');
      // Whatever was typed is hashed and looked up, so a malformed code answers as a miss does.
      const id = invitationId(normalizeInvitationCode(input.code) ?? input.code);
      const now = ctx.now();
      return ctx.store.transaction(async (tx) => {
        const invitations = tx.collection<Invitation>('invitations');
        const invitation = await invitations.get(id);
        if (!invitation) throw new AppError('NOT_FOUND', '邀请码不正确，请核对后重新输入');
        const status = invitationStatus(invitation, now);
        if (status === 'used') throw new AppError('CONFLICT', '这个邀请码已被使用');
        if (status === 'expired') {
          throw new AppError('CONFLICT', '这个邀请码已过期，请联系邀请人重新生成');
        }
        if (status === 'revoked') throw new AppError('CONFLICT', '这个邀请码已被邀请人撤销');

        const users = tx.collection<User>('users');
        const before = await users.get(caller.userId);
        const user: User = before ?? {
          _id: caller.userId,
          nickname: '',
          roles: [],
          divisionCode: null,
          createdAt: now.toISOString(),
        };
        const label = roleLabels[invitation.role];
        if (
          invitation.divisionCode !== null &&
          holdsScopedRole(user.roles) &&
          user.divisionCode !== null &&
          user.divisionCode !== invitation.divisionCode
        ) {
          const held = user.roles.filter((r) => divisionScopedRoles.includes(r));
          throw new AppError(
            'CONFLICT',
            `您已是${divisionNameOf(user.divisionCode)}的${held.map((r) => roleLabels[r]).join('、')}，` +
              `不能再担任${divisionNameOf(invitation.divisionCode)}的${label}：一人只服务一个街道/乡镇。` +
              '如需调动，请先请管理员撤销原角色。',
          );
        }
        if (user.roles.includes(invitation.role)) {
          throw new AppError('CONFLICT', `您已经是${label}，无需再次领取`);
        }
        const after: User = {
          ...user,
          nickname: input.nickname ?? user.nickname,
          roles: [...user.roles, invitation.role],
          divisionCode: invitation.divisionCode ?? user.divisionCode,
        };
        await users.put(after);
        await invitations.update(id, { usedBy: caller.userId, usedAt: now.toISOString() });
        await writeAudit(tx, ctx, {
          action: 'user.grantRole',
          entity: 'users',
          entityId: caller.userId,
          detail: {
            via: 'invitation',
            role: invitation.role,
            divisionCode: invitation.divisionCode,
            invitationId: id,
            invitedBy: invitation.createdBy,
            redeemedBy: caller.userId,
            before: before ? { roles: before.roles, divisionCode: before.divisionCode } : null,
            after: { roles: after.roles, divisionCode: after.divisionCode },
          },
        });
        return {
          role: invitation.role,
          roleLabel: label,
          divisionCode: invitation.divisionCode,
          divisionName: divisionNameOf(invitation.divisionCode),
          me: meOf(caller.userId, after),
        };
      });
    },
  }),

  /**
   * 撤销角色 — takes a staff role away, with a reason (audited before/after). An admin may revoke
   * any staff role; a supervisor only their own division's coordinators. The district's last
   * admin cannot be removed.
   */
  revokeRole: action({
    input: z.object({
      userId: z.string().check(z.minLength(1), z.maxLength(128)),
      role: roleSchema,
      reason: z
        .string({ error: '请写明撤销原因' })
        .check(
          z.trim(),
          z.minLength(2, { error: '请写明撤销原因' }),
          z.maxLength(200, { error: '原因最多 200 个字' }),
        ),
    }),
    roles: ['admin', 'supervisor'],
    async run(input, ctx): Promise<StaffMember> {
      const { role } = input;
      if (!isStaffRole(role)) {
        throw new AppError('INVALID_INPUT', '生产主体和收购商的身份来自主体登记，不能在这里撤销', {
          role: ['只能撤销工作人员角色'],
        });
      }
      const granter = granterOf(ctx);
      if (role === 'admin' && ctx.config.bootstrapAdmins?.includes(input.userId)) {
        throw new AppError(
          'CONFLICT',
          '这个账号由部署配置（ADMIN_OPENIDS）指定为管理员，请先从配置中移除再撤销',
        );
      }
      // Admins are few; who they are is read before the transaction and re-checked inside it.
      const otherAdmins =
        role === 'admin'
          ? (await ctx.store.collection<User>('users').find())
              .filter((u) => u._id !== input.userId && u.roles.includes('admin'))
              .map((u) => u._id)
          : [];
      return ctx.store.transaction(async (tx) => {
        const users = tx.collection<User>('users');
        const before = await users.get(input.userId);
        if (!before) throw new AppError('NOT_FOUND', '没有这个用户');
        if (!mayRevokeStaffRole(granter, role, before.divisionCode, lianyunDivisions)) {
          throw new AppError(
            'FORBIDDEN',
            grantReach(granter, role)
              ? '这位工作人员不在您的辖区内'
              : `您无权撤销${roleLabels[role]}`,
          );
        }
        if (!before.roles.includes(role)) {
          throw new AppError('CONFLICT', `该用户已不是${roleLabels[role]}`);
        }
        if (role === 'admin') {
          let remaining = 0;
          for (const id of otherAdmins) {
            if ((await users.get(id))?.roles.includes('admin')) remaining++;
          }
          if (remaining === 0) {
            throw new AppError(
              'CONFLICT',
              '这是全区最后一位管理员，撤销后将无人能管理账号；请先邀请另一位管理员',
            );
          }
        }
        const roles = before.roles.filter((r) => r !== role);
        const after: User = {
          ...before,
          roles,
          // The division belongs to the division-scoped roles; it goes with the last of them.
          divisionCode: holdsScopedRole(roles) ? before.divisionCode : null,
        };
        await users.put(after);
        await writeAudit(tx, ctx, {
          action: 'user.revokeRole',
          entity: 'users',
          entityId: before._id,
          detail: {
            role,
            reason: input.reason,
            before: { roles: before.roles, divisionCode: before.divisionCode },
            after: { roles: after.roles, divisionCode: after.divisionCode },
          },
        });
        return staffMemberOf(after);
      });
    },
  }),

  /** 工作人员名单 — staff in the caller's scope: an admin sees all, a supervisor their division. */
  staff: action({
    input: z.object({
      divisionCode: z.optional(divisionCodeInput),
      role: z.optional(staffRoleSchema),
    }),
    roles: ['admin', 'supervisor'],
    async run(input, ctx): Promise<StaffMember[]> {
      const caller = callerOf(ctx);
      const scope = caller.roles.includes('admin') ? null : (caller.user?.divisionCode ?? null);
      if (scope === null && !caller.roles.includes('admin')) {
        throw new AppError('FORBIDDEN', '您的账号还没有设置辖区，请联系管理员');
      }
      const asked = input.divisionCode;
      if (asked !== undefined && !lianyunDivisions.some((d) => d.code === asked)) {
        throw new AppError('INVALID_INPUT', '街道/乡镇不正确', {
          divisionCode: ['没有这个街道/乡镇'],
        });
      }
      if (
        asked !== undefined &&
        scope !== null &&
        !isWithinDivision(lianyunDivisions, asked, scope)
      ) {
        throw new AppError('FORBIDDEN', '这不在您负责的街道/乡镇');
      }
      const within = asked ?? scope;
      const users = ctx.store.collection<User>('users');
      const found =
        within === null
          ? await users.find()
          : await users.find({ divisionCode: codesWithin(within) });
      return found
        .filter(isStaff)
        .filter((u) => !input.role || u.roles.includes(input.role))
        .sort(
          (a, b) =>
            divisionOrder(a.divisionCode) - divisionOrder(b.divisionCode) ||
            Math.min(...a.roles.map(roleOrder).filter((i) => i >= 0)) -
              Math.min(...b.roles.map(roleOrder).filter((i) => i >= 0)) ||
            a.nickname.localeCompare(b.nickname, 'zh-Hans-CN') ||
            (a._id < b._id ? -1 : 1),
        )
        .map(staffMemberOf);
    },
  }),

  /** 我发出的邀请 — invitations the caller created (all of them for an admin), newest first. */
  invitations: action({
    input: z.object({
      status: z.optional(z.enum(invitationStatusCodes, { error: '状态不正确' })),
      limit: z._default(z.int().check(z.gte(1), z.lte(500)), 100),
    }),
    roles: ['admin', 'supervisor'],
    async run(input, ctx): Promise<InvitationView[]> {
      const caller = callerOf(ctx);
      const now = ctx.now();
      const all = await ctx.store
        .collection<Invitation>('invitations')
        .find(caller.roles.includes('admin') ? {} : { createdBy: caller.userId }, {
          orderBy: { field: 'createdAt', direction: 'desc' },
        });
      const chosen = all
        .filter((i) => !input.status || invitationStatus(i, now) === input.status)
        .slice(0, input.limit);
      const names = await namesOf(
        ctx.store,
        chosen.flatMap((i) => (i.usedBy ? [i.createdBy, i.usedBy] : [i.createdBy])),
      );
      return chosen.map((i) => invitationViewOf(i, now, names));
    },
  }),

  /** 撤销邀请 — withdraws an invitation not yet used (its creator, or an admin). */
  cancelInvitation: action({
    input: z.object({
      id: z.string().check(z.regex(/^[0-9a-f]{64}$/, { error: '邀请编号不正确' })),
    }),
    roles: ['admin', 'supervisor'],
    async run(input, ctx): Promise<InvitationView> {
      const caller = callerOf(ctx);
      const now = ctx.now();
      const invitation = await ctx.store.transaction(async (tx) => {
        const invitations = tx.collection<Invitation>('invitations');
        const found = await invitations.get(input.id);
        if (!found || (!caller.roles.includes('admin') && found.createdBy !== caller.userId)) {
          throw new AppError('NOT_FOUND', '没有这条邀请');
        }
        const status = invitationStatus(found, now);
        if (status === 'used') {
          throw new AppError(
            'CONFLICT',
            '这条邀请已被使用，不能撤销；如需收回权限，请撤销该用户的角色',
          );
        }
        if (status === 'revoked') return found;
        const revoked: Invitation = {
          ...found,
          revokedBy: caller.userId,
          revokedAt: now.toISOString(),
        };
        await invitations.put(revoked);
        await writeAudit(tx, ctx, {
          action: 'user.cancelInvitation',
          entity: 'invitations',
          entityId: found._id,
          detail: { role: found.role, divisionCode: found.divisionCode, status },
        });
        return revoked;
      });
      const names = await namesOf(
        ctx.store,
        invitation.usedBy ? [invitation.createdBy, invitation.usedBy] : [invitation.createdBy],
      );
      return invitationViewOf(invitation, now, names);
    },
  }),
});

export const userFunction = {
  ...userActions,
  /** `/join/<code>` on CloudBase: an invitation opened outside WeChat (says to scan with WeChat). */
  pages: [joinFunctionPage],
};
