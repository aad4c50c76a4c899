import type * as z from 'zod/mini';
import type { Role, User } from '../../src/domain/role';
import type { FileStore } from './files/port';
import type { Messenger } from './messenger/port';
import type { Signer } from './signer';
import type { Store } from './store/port';

/**
 * Who may call an action: anyone, any signed-in WeChat user, holders of one of the roles, or only
 * the runtime itself ('system': a timer trigger or the embedded scheduler, never a person).
 */
export type Access = 'public' | 'signedIn' | 'system' | readonly Role[];

/** The signed-in caller; `user` is null for a WeChat identity we have not seen before. */
export interface Caller {
  userId: string;
  user: User | null;
  roles: readonly Role[];
}

export interface RuntimeConfig {
  /** Base of the URLs printed in QR codes: `<publicBaseUrl>/c/<code>`. */
  publicBaseUrl: string;
  /** Key for fingerprints of personal identity numbers (HMAC); from the environment. */
  identitySecret: string;
  /** The district's Ed25519 private key (PKCS#8 DER, base64url) that signs label codes. */
  signingKey: string;
  /** 留存期限 in days (policy data; never below the national six months). Default: one year. */
  retentionDays?: number;
  /**
   * 二合一: the traceability platform's lookup address with `{code}` where the trace code goes,
   * e.g. `https://trace.example.gov.cn/q?code={code}`; without it the code is shown as text.
   */
  traceUrlTemplate?: string;
  /** 在册不运行: days without a certificate before a subject counts as dormant (default 180). */
  dormantAfterDays?: number;
  /** Openids made district admin on their next call (ADMIN_OPENIDS): the first admin. */
  bootstrapAdmins?: readonly string[];
}

/** What an action's `run` receives besides its input. */
export interface Ctx {
  caller: Caller | null;
  store: Store;
  now(): Date;
  randomBytes(size: number): Uint8Array;
  config: RuntimeConfig;
  /** Signs label codes with `config.signingKey`. */
  signer: Signer;
  /** Where files (PDFs, photos) go; answers UNAVAILABLE when the runtime supplies none. */
  files: FileStore;
  /** WeChat subscribe messages; absent where the runtime supplies none (outreach uses an outbox). */
  messenger?: Messenger;
  requestId: string;
  /** Where the call came from, when the runtime knows (HTTP): for scan logs and rate limits. */
  client?: ClientInfo;
}

/** The client of an HTTP call; never stored as such (scan logs keep only a keyed hash). */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** The signed-in caller of an action whose access is not 'public'. */
export function callerOf(ctx: Ctx): Caller {
  if (!ctx.caller) throw new Error('callerOf used in a public action');
  return ctx.caller;
}

export interface Action<S extends z.core.$ZodType = z.core.$ZodType, O = unknown> {
  input: S;
  roles: Access;
  run(input: z.output<S>, ctx: Ctx): Promise<O>;
}

/** Declares an action; the identity function keeps `run`'s input typed from the schema. */
export function action<S extends z.core.$ZodType, O>(a: Action<S, O>): Action<S, O> {
  return a;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActionTable = Record<string, Action<any, any>>;

/** One cloud function: a bounded context and its table of actions. */
export interface CloudFunction<T extends ActionTable = ActionTable> {
  name: string;
  actions: T;
  /**
   * Work the platform's timer runs with no caller (a CloudBase timer trigger; the embedded
   * runtime's scheduler), given a context whose `caller` is null.
   */
  scheduled?: (ctx: Ctx) => Promise<unknown>;
  /** Server-rendered pages, each under `/<prefix>/…` (HTTP access service; the embedded server). */
  pages?: readonly FunctionPage[];
}

/** A GET page a function serves, e.g. `/s/<id>` for a statement's verification. */
export interface FunctionPage {
  /** The first path segment it answers, without slashes: `s` for `/s/<id>`. */
  prefix: string;
  /** `rest` is the path after `/<prefix>/`, still URL-encoded; `ctx.caller` is null. */
  render(request: { rest: string; query: URLSearchParams }, ctx: Ctx): Promise<PageResponse>;
}

/** A rendered page: status, HTML and its headers (content type and security policy). */
export interface PageResponse {
  status: number;
  html: string;
  headers: Readonly<Record<string, string>>;
}

export function cloudFunction<T extends ActionTable>(name: string, actions: T): CloudFunction<T> {
  return { name, actions };
}
