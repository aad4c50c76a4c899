/**
 * The contract both transports keep: transport.h5.ts (fetch to the embedded runtime) and
 * transport.weapp.ts (CloudBase, or HTTP to a local runtime). Taro picks one by file suffix.
 */

/** A demo identity of the local runtime (stands in for a WeChat user). */
export interface DevUser {
  userId: string;
  nickname: string;
  roles: string[];
  roleLabels: string[];
  description: string;
}

/** Calls `action` of cloud function `fn`; resolves with its data or rejects with an ApiError. */
export function call<T>(fn: string, action: string, input?: unknown): Promise<T>;

/** False when this build must show the login page first (H5 without a token). */
export function hasIdentity(): boolean;

/** Whether the demo login page applies to this build (the H5 app on the local runtime). */
export const usesDevLogin: boolean;

/** The demo users the local runtime offers. */
export function devUsers(): Promise<DevUser[]>;

/** Signs in as a demo user, or as a brand-new simulated WeChat user, and keeps the token. */
export function devLogin(who: { userId: string } | { newUser: true }): Promise<void>;

/** Forgets the token (switch user). */
export function signOut(): void;
