import { userFunction, type CreatedInvitation } from '../../../cloudfunctions/user/actions';
import type { User } from '../../../src/domain/role';
import { authorizationMatrix, liandao, xugou, type World } from '../../helpers/matrix';

let targets = 0;

/** A fresh staff member to revoke, so one persona's call does not spoil the next one's. */
async function staffTarget(world: World, role: User['roles'][number], divisionCode: string | null) {
  const _id = `mx-target-${++targets}`;
  await world.rt.store.collection<User>('users').insert({
    _id,
    nickname: `target ${targets}`,
    roles: [role],
    divisionCode,
    createdAt: '2026-11-01T00:00:00.000Z',
  });
  return _id;
}

authorizationMatrix('user function: roles × actions', [
  { fn: userFunction, action: 'me', input: () => ({}), allowed: ['signedIn'], expectOk: true },
  {
    title: 'invite a coordinator of 墟沟',
    fn: userFunction,
    action: 'invite',
    input: () => ({ role: 'coordinator', divisionCode: xugou }),
    allowed: ['admin', 'supervisorXugou'],
    expectOk: true,
  },
  {
    title: 'invite a coordinator of 连岛',
    fn: userFunction,
    action: 'invite',
    input: () => ({ role: 'coordinator', divisionCode: liandao }),
    allowed: ['admin', 'supervisorLiandao'],
    expectOk: true,
  },
  {
    title: 'invite a supervisor',
    fn: userFunction,
    action: 'invite',
    input: () => ({ role: 'supervisor', divisionCode: xugou }),
    allowed: ['admin'],
    expectOk: true,
  },
  {
    title: 'invite an enforcement officer',
    fn: userFunction,
    action: 'invite',
    input: () => ({ role: 'enforcement', divisionCode: xugou }),
    allowed: ['admin'],
    expectOk: true,
  },
  {
    title: 'invite an admin',
    fn: userFunction,
    action: 'invite',
    input: () => ({ role: 'admin' }),
    allowed: ['admin'],
    expectOk: true,
  },
  {
    title: 'redeem an invitation',
    fn: userFunction,
    action: 'redeem',
    input: async ({ world }) => {
      const inv = await world.ok<CreatedInvitation>('admin', userFunction, 'invite', {
        role: 'enforcement',
        divisionCode: xugou,
      });
      return { code: inv.code };
    },
    // Anyone signed in; 连岛's staff are refused by the one-division rule, not by role.
    allowed: ['signedIn'],
    fresh: true,
  },
  {
    title: 'revoke a coordinator of 墟沟',
    fn: userFunction,
    action: 'revokeRole',
    input: async ({ world }) => ({
      userId: await staffTarget(world, 'coordinator', xugou),
      role: 'coordinator',
      reason: '调离岗位',
    }),
    allowed: ['admin', 'supervisorXugou'],
    expectOk: true,
  },
  {
    title: 'revoke a supervisor of 墟沟',
    fn: userFunction,
    action: 'revokeRole',
    input: async ({ world }) => ({
      userId: await staffTarget(world, 'supervisor', xugou),
      role: 'supervisor',
      reason: '调离岗位',
    }),
    allowed: ['admin'],
    expectOk: true,
  },
  {
    title: 'list all staff',
    fn: userFunction,
    action: 'staff',
    input: () => ({}),
    allowed: ['admin', 'supervisor'],
    expectOk: true,
  },
  {
    title: 'list 墟沟 staff',
    fn: userFunction,
    action: 'staff',
    input: () => ({ divisionCode: xugou }),
    allowed: ['admin', 'supervisorXugou'],
    expectOk: true,
  },
  {
    fn: userFunction,
    action: 'invitations',
    input: () => ({}),
    allowed: ['admin', 'supervisor'],
    expectOk: true,
  },
  {
    title: "cancel 墟沟 supervisor's invitation",
    fn: userFunction,
    action: 'cancelInvitation',
    input: async ({ world }) => {
      const inv = await world.ok<CreatedInvitation>('supervisorXugou', userFunction, 'invite', {
        role: 'coordinator',
      });
      return { id: inv.id };
    },
    allowed: ['admin', 'supervisorXugou'],
    // Someone else's invitation is not there for 连岛's supervisor.
    refused: { supervisorLiandao: 'NOT_FOUND' },
    expectOk: true,
  },
]);
