import * as z from 'zod/mini';
import { AppError, type Envelope, type FieldErrors } from '../../src/domain/errors';
import { hasAnyRole, type User } from '../../src/domain/role';
import { useChineseMessages } from '../../src/domain/locale';
import type { Caller, ClientInfo, CloudFunction, Ctx, RuntimeConfig } from './action';
import type { FileStore } from './files/port';
import { grantBootstrapAdmin, type BootstrapCall } from './bootstrap';
import { ed25519Signer, type Signer } from './signer';
import {
  StoreConflictError,
  StoreUnavailableError,
  type Store,
  type UnavailableReason,
} from './store/port';

useChineseMessages();

/** What the runtime (CloudBase or the embedded server) supplies for one call. */
export interface InvokeDeps {
  store: Store;
  /** The caller's identity as the platform vouches for it (openid), or null when anonymous. */
  callerId: string | null;
  config: RuntimeConfig;
  /** The file store; without one, an action that needs it answers UNAVAILABLE. */
  files?: FileStore;
  now?: () => Date;
  randomBytes?: (size: number) => Uint8Array;
  requestId?: string;
  /** The HTTP client (address, browser) when the runtime knows it. */
  client?: ClientInfo;
  /** Where unexpected errors are reported (defaults to console.error). */
  logError?: (message: string, cause: unknown) => void;
  /** Openids that are made admin on their next call (else `config.bootstrapAdmins`). */
  bootstrapAdmins?: readonly string[];
  /** The runtime itself calls (a timer), not a person: the only caller 'system' actions admit. */
  system?: boolean;
}

const eventSchema = z.object({
  action: z.string().check(z.minLength(1), z.maxLength(64)),
  input: z.optional(z.unknown()),
});

/** Field path → messages, from zod issues ('' for the input as a whole). */
export function fieldErrorsOf(error: z.core.$ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

function defaultRandomBytes(size: number): Uint8Array {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof import('node:crypto')).randomBytes(size);
}

function newRequestId(randomBytes: (n: number) => Uint8Array): string {
  return Buffer.from(randomBytes(8)).toString('hex');
}

/** Stands in when the runtime has no file store: any use is a clear UNAVAILABLE. */
const noFileStore: FileStore = {
  put: () => Promise.reject(new AppError('UNAVAILABLE', '文件存储未配置，暂时无法生成文件')),
  get: () => Promise.reject(new AppError('UNAVAILABLE', '文件存储未配置，暂时无法读取文件')),
  url: () => Promise.reject(new AppError('UNAVAILABLE', '文件存储未配置，暂时无法生成下载链接')),
};

const signers = new Map<string, Signer>();

/** One signer per key, made once: parsing a key per call would be waste. */
function signerFor(config: RuntimeConfig): Signer {
  let signer = signers.get(config.signingKey);
  if (!signer) {
    signer = ed25519Signer(config.signingKey);
    signers.set(config.signingKey, signer);
  }
  return signer;
}

async function resolveCaller(
  store: Store,
  callerId: string | null,
  bootstrap?: { admins: readonly string[]; call: BootstrapCall },
): Promise<Caller | null> {
  if (!callerId) return null;
  let user = await store.collection<User>('users').get(callerId);
  if (bootstrap?.admins.includes(callerId) && !user?.roles.includes('admin')) {
    user = await grantBootstrapAdmin(store, callerId, bootstrap.call);
  }
  return { userId: callerId, user, roles: user?.roles ?? [] };
}

function checkAccess(
  access: CloudFunction['actions'][string]['roles'],
  caller: Caller | null,
  system: boolean,
) {
  if (access === 'system') {
    if (system) return;
    throw new AppError(caller ? 'FORBIDDEN' : 'UNAUTHENTICATED');
  }
  if (access === 'public') return;
  if (!caller) throw new AppError('UNAUTHENTICATED');
  if (access === 'signedIn') return;
  if (!hasAnyRole(caller.roles, access)) throw new AppError('FORBIDDEN');
}

/**
 * Runs one call of a cloud function and always answers with the envelope: the one place where
 * errors become codes. Order: event shape, caller's access, input, then the action.
 */
export async function invoke(
  fn: CloudFunction,
  event: unknown,
  deps: InvokeDeps,
): Promise<Envelope<unknown>> {
  const randomBytes = deps.randomBytes ?? defaultRandomBytes;
  const requestId = deps.requestId ?? newRequestId(randomBytes);
  try {
    const parsedEvent = eventSchema.safeParse(event);
    if (!parsedEvent.success) {
      throw new AppError('INVALID_INPUT', '请求格式不正确', fieldErrorsOf(parsedEvent.error));
    }
    const { action: name, input } = parsedEvent.data;
    const action = Object.prototype.hasOwnProperty.call(fn.actions, name)
      ? fn.actions[name]
      : undefined;
    if (!action) {
      throw new AppError('INVALID_INPUT', `没有这个操作：${fn.name}.${name}`, {
        action: ['未知的操作'],
      });
    }
    const bootstrapAdmins = deps.bootstrapAdmins ?? deps.config.bootstrapAdmins ?? [];
    const caller = await resolveCaller(deps.store, deps.callerId, {
      admins: bootstrapAdmins,
      call: { now: (deps.now ?? (() => new Date()))(), randomBytes, requestId },
    });
    checkAccess(action.roles, caller, deps.system === true);
    const parsedInput = z.safeParse(action.input, input ?? {});
    if (!parsedInput.success) {
      throw new AppError(
        'INVALID_INPUT',
        '填写的内容有误，请检查标红的项目',
        fieldErrorsOf(parsedInput.error),
      );
    }
    const ctx: Ctx = {
      caller,
      store: deps.store,
      now: deps.now ?? (() => new Date()),
      randomBytes,
      config: deps.config,
      signer: signerFor(deps.config),
      files: deps.files ?? noFileStore,
      requestId,
      ...(deps.client ? { client: deps.client } : {}),
    };
    const data = await action.run(parsedInput.data, ctx);
    return { ok: true, data };
  } catch (err) {
    return { ok: false, error: toErrorBody(err, requestId, deps.logError) };
  }
}

/** What the user is told when the database refused: nothing of the call was saved, in each case. */
export const unavailableMessages: Readonly<Record<UnavailableReason | 'other', string>> = {
  full: '存储空间已满，本次操作未保存。请联系管理员清理空间后再试（扫码核验不受影响）',
  readonly: '数据库当前只读，本次操作未保存。请联系管理员（扫码核验不受影响）',
  busy: '数据库繁忙，本次操作未保存，请稍后再试',
  other: '数据服务暂时不可用，本次操作未保存，请稍后再试',
};

function toErrorBody(
  err: unknown,
  requestId: string,
  logError: InvokeDeps['logError'] = (m, c) => console.error(m, c),
) {
  if (err instanceof AppError) {
    return {
      code: err.code,
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
      requestId,
    };
  }
  if (err instanceof StoreConflictError) {
    return { code: 'CONFLICT' as const, message: '记录已存在，请勿重复提交', requestId };
  }
  if (err instanceof StoreUnavailableError) {
    logError(`[${requestId}] storage unavailable`, err);
    return {
      code: 'UNAVAILABLE' as const,
      message: unavailableMessages[err.reason ?? 'other'],
      requestId,
    };
  }
  logError(`[${requestId}] unexpected error`, err);
  return {
    code: 'INTERNAL' as const,
    message: `系统出错了，请稍后再试（请求编号 ${requestId}）`,
    requestId,
  };
}
