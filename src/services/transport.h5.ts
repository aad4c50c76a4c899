import Taro from '@tarojs/taro';
import { ApiError, unwrap } from './api-error';
import type * as Contract from './transport';

const TOKEN_KEY = 'hgz.token';
const TIMEOUT_MS = 20_000;

function readToken(): string {
  const stored: unknown = Taro.getStorageSync(TOKEN_KEY);
  if (typeof stored === 'string' && stored) return stored;
  // A token put in localStorage directly (not through Taro's {data} wrapper), e.g. by a test.
  try {
    const raw = window.localStorage.getItem(TOKEN_KEY);
    return raw && !raw.startsWith('{') ? raw : '';
  } catch {
    return '';
  }
}

/** fetch with a timeout; any failure to get a response is a NETWORK ApiError. */
async function send(path: string, init: RequestInit): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(path, { ...init, signal: controller.signal });
  } catch {
    throw ApiError.network();
  } finally {
    clearTimeout(timer);
  }
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export const call: typeof Contract.call = async (fn, action, input) => {
  const token = readToken();
  const answer = await send(`/api/${encodeURIComponent(fn)}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ action, input: input ?? {} }),
  });
  try {
    return unwrap(answer);
  } catch (err) {
    // A token the server no longer knows (its data was reset): drop it so login is offered.
    if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') signOut();
    throw err;
  }
};

export const hasIdentity: typeof Contract.hasIdentity = () => readToken() !== '';

export const usesDevLogin: typeof Contract.usesDevLogin = true;

export const devUsers: typeof Contract.devUsers = async () => {
  const answer = await send('/auth/dev-users', { method: 'GET' });
  if (!Array.isArray(answer)) throw new ApiError('UNAVAILABLE', '演示账号列表暂时无法获取');
  return answer as Contract.DevUser[];
};

export const devLogin: typeof Contract.devLogin = async (who) => {
  const answer = await send('/auth/dev-login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(who),
  });
  const token = (answer as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || !token) {
    throw new ApiError('UNAVAILABLE', '登录失败，请稍后再试');
  }
  Taro.setStorageSync(TOKEN_KEY, token);
};

export function signOut(): void {
  Taro.removeStorageSync(TOKEN_KEY);
}
