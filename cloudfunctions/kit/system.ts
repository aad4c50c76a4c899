/**
 * The context of work nobody calls: a timer's run (`CloudFunction.scheduled`) or a public page
 * (`FunctionPage`). There is no caller and no role check happened, so what runs with it must
 * decide for itself what it may do or show.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { AppError } from '../../src/domain/errors';
import type { ClientInfo, CloudFunction, Ctx, RuntimeConfig } from './action';
import type { FileStore } from './files/port';
import { ed25519Signer, type Signer } from './signer';
import type { Store } from './store/port';

export interface SystemDeps {
  store: Store;
  config: RuntimeConfig;
  files?: FileStore;
  now?: () => Date;
  randomBytes?: (size: number) => Uint8Array;
  client?: ClientInfo;
}

const signers = new Map<string, Signer>();

const noFiles: FileStore = {
  put: () => Promise.reject(new AppError('UNAVAILABLE', '文件存储未配置')),
  get: () => Promise.reject(new AppError('UNAVAILABLE', '文件存储未配置')),
  url: () => Promise.reject(new AppError('UNAVAILABLE', '文件存储未配置')),
};

/** A context with no caller, for scheduled work and public pages. */
export function systemCtx(deps: SystemDeps): Ctx {
  const randomBytes = deps.randomBytes ?? ((n: number) => nodeRandomBytes(n));
  let signer = signers.get(deps.config.signingKey);
  if (!signer) {
    signer = ed25519Signer(deps.config.signingKey);
    signers.set(deps.config.signingKey, signer);
  }
  return {
    caller: null,
    store: deps.store,
    now: deps.now ?? (() => new Date()),
    randomBytes,
    config: deps.config,
    signer,
    files: deps.files ?? noFiles,
    requestId: Buffer.from(randomBytes(8)).toString('hex'),
    ...(deps.client ? { client: deps.client } : {}),
  };
}

/** Runs every function's scheduled work once; a failure of one is logged, the others still run. */
export async function runScheduled(
  fns: readonly CloudFunction[],
  deps: SystemDeps,
  logError: (message: string, cause: unknown) => void = (m, c) => console.error(m, c),
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const fn of fns) {
    if (!fn.scheduled) continue;
    try {
      out[fn.name] = await fn.scheduled(systemCtx(deps));
    } catch (error) {
      logError(`[${fn.name}] scheduled run failed`, error);
      out[fn.name] = { failed: true };
    }
  }
  return out;
}
