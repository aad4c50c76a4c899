import type { User } from '../../src/domain/role';
import type { AuditEntry } from './audit';
import { newId } from './ids';
import type { Store } from './store/port';

/** What a bootstrap grant needs from the call it happens in. */
export interface BootstrapCall {
  now: Date;
  randomBytes(size: number): Uint8Array;
  requestId: string;
}

/**
 * The district's first admin comes from configuration (ADMIN_OPENIDS): a listed openid that lacks
 * 'admin' gets it on its next call, in one transaction with its audit entry (`via: 'bootstrap'`).
 * Answers the user as it now stands; a no-op (one read) when the role is already there.
 */
export async function grantBootstrapAdmin(
  store: Store,
  userId: string,
  call: BootstrapCall,
): Promise<User> {
  return store.transaction(async (tx) => {
    const users = tx.collection<User>('users');
    const before = await users.get(userId);
    if (before?.roles.includes('admin')) return before;
    const at = call.now.toISOString();
    const after: User = {
      ...(before ?? { _id: userId, nickname: '', roles: [], divisionCode: null, createdAt: at }),
      roles: [...(before?.roles ?? []), 'admin'],
    };
    await users.put(after);
    await tx.collection<AuditEntry>('audit').insert({
      _id: newId(call, 'aud'),
      at,
      actorId: userId,
      action: 'user.grantRole',
      entity: 'users',
      entityId: userId,
      detail: {
        via: 'bootstrap',
        role: 'admin',
        before: before ? { roles: before.roles, divisionCode: before.divisionCode } : null,
        after: { roles: after.roles, divisionCode: after.divisionCode },
      },
      requestId: call.requestId,
    });
    return after;
  });
}
