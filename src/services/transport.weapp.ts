import Taro from '@tarojs/taro';
import { ApiError, unwrap } from './api-error';
import type * as Contract from './transport';

const TOKEN_KEY = 'hgz.token';
const TIMEOUT_MS = 20_000;

/** With a CloudBase environment the WeChat identity comes with every call; else HTTP. */
const useCloud = CLOUD_ENV !== '';
let cloudReady = false;

async function callCloud(fn: string, action: string, input: unknown): Promise<unknown> {
  if (!cloudReady) {
    Taro.cloud.init({ env: CLOUD_ENV });
    cloudReady = true;
  }
  try {
    const res = await Taro.cloud.callFunction({ name: fn, data: { action, input } });
    return res.result;
  } catch {
    throw ApiError.network();
  }
}

async function request(path: string, method: 'GET' | 'POST', data?: unknown, token?: string) {
  try {
    const res = await Taro.request({
      url: `${API_BASE.replace(/\/+$/, '')}${path}`,
      method,
      data: data as Record<string, unknown> | undefined,
      header: {
        'content-type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      timeout: TIMEOUT_MS,
    });
    return res.data as unknown;
  } catch {
    throw ApiError.network();
  }
}

export const devLogin: typeof Contract.devLogin = async (who) => {
  const answer = await request('/auth/dev-login', 'POST', who);
  const token = (answer as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || !token) {
    throw new ApiError('UNAVAILABLE', '登录失败，请稍后再试');
  }
  Taro.setStorageSync(TOKEN_KEY, token);
};

/** Over HTTP (DevTools against a local runtime) the first call signs in as a new user. */
async function httpToken(): Promise<string> {
  const stored: unknown = Taro.getStorageSync(TOKEN_KEY);
  if (typeof stored === 'string' && stored) return stored;
  await devLogin({ newUser: true });
  return String(Taro.getStorageSync(TOKEN_KEY));
}

export const call: typeof Contract.call = async (fn, action, input) => {
  const body = { action, input: input ?? {} };
  if (useCloud) return unwrap(await callCloud(fn, action, body.input));
  const answer = await request(`/api/${encodeURIComponent(fn)}`, 'POST', body, await httpToken());
  try {
    return unwrap(answer);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') signOut();
    throw err;
  }
};

/** In the mini-program the WeChat identity is always there. */
export const hasIdentity: typeof Contract.hasIdentity = () => true;

export const usesDevLogin: typeof Contract.usesDevLogin = false;

export const devUsers: typeof Contract.devUsers = async () => {
  if (useCloud) return [];
  const answer = await request('/auth/dev-users', 'GET');
  return Array.isArray(answer) ? (answer as Contract.DevUser[]) : [];
};

export function signOut(): void {
  Taro.removeStorageSync(TOKEN_KEY);
}
