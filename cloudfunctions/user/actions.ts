import * as z from 'zod/mini';
import { roles as roleLabels, type Role } from '../../src/domain/role';
import { action, callerOf, cloudFunction } from '../kit/action';

export interface Me {
  userId: string;
  nickname: string;
  roles: Role[];
  roleLabels: string[];
  divisionCode: string | null;
  /** False for a WeChat identity that has not registered anything yet. */
  known: boolean;
}

export const userFunction = cloudFunction('user', {
  /** 我的身份 — who the caller is and what roles they hold. */
  me: action({
    input: z.object({}),
    roles: 'signedIn',
    async run(_input, ctx): Promise<Me> {
      const caller = callerOf(ctx);
      const roles = [...caller.roles];
      return {
        userId: caller.userId,
        nickname: caller.user?.nickname ?? '',
        roles,
        roleLabels: roles.map((r) => roleLabels[r]),
        divisionCode: caller.user?.divisionCode ?? null,
        known: caller.user !== null,
      };
    },
  }),
});
