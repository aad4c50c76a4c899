/**
 * The entry of a cloud function deployed on CloudBase: the platform calls `main(event, context)`,
 * with the WeChat caller's identity in the environment rather than in the event.
 */
import { randomBytes } from 'node:crypto';
import type { Envelope } from '../../src/domain/errors';
import { lookupCertificate } from '../verify/actions';
import {
  pageHeaders,
  renderMessagePage,
  renderNotFoundPage,
  renderRateLimitedPage,
  renderVerifyPage,
} from '../verify/page';
import { verifyRateLimit } from '../../src/domain/rate-limit';
import type { ClientInfo, CloudFunction, FunctionPage, RuntimeConfig } from './action';
import { runtimeConfigFromEnv } from './config';
import { openCloudbaseFileStore } from './files/cloudbase';
import type { FileStore } from './files/port';
import { invoke } from './invoke';
import { clientKey, RateLimiter } from './rate-limit';
import { ed25519Signer, type Signer } from './signer';
import { systemCtx } from './system';
import type { Store } from './store/port';
import { cloudbaseAppFromEnv, openCloudbaseStore } from './store/cloudbase';

/** What one warm container keeps between calls. */
export interface CloudbaseRuntime {
  store: Store;
  config: RuntimeConfig;
  /** 云存储, for the files actions make (printed PDFs); optional so test runtimes may omit it. */
  files?: FileStore;
  /** The openid the platform vouches for in the current call, or null (HTTP, console, timer). */
  callerId(): string | null;
}

/** An event from CloudBase's HTTP access service (HTTP 访问服务) rather than callFunction. */
interface HttpEvent {
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  requestContext?: { sourceIp?: string };
}

/** The integration response the HTTP access service turns into an HTTP response. */
export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

function connectFromEnv(): CloudbaseRuntime {
  // CloudBase is production whatever NODE_ENV says: no fallback secret, a real public URL.
  const config = runtimeConfigFromEnv(process.env, { production: true });
  const app = cloudbaseAppFromEnv();
  if (!app) throw new Error('not running on CloudBase: set TCB_ENV_ID or deploy the function');
  return {
    store: openCloudbaseStore({ app }),
    config,
    files: openCloudbaseFileStore({ app }),
    // Synchronous in @cloudbase/node-sdk 3.x: it reads the invocation's environment.
    callerId: () => app.auth().getUserInfo().openId || null,
  };
}

function isHttpEvent(event: unknown): event is HttpEvent {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  return typeof e.httpMethod === 'string' && typeof e.path === 'string';
}

function page(status: number, html: string, method: string): HttpResult {
  return {
    statusCode: status,
    headers: { ...pageHeaders },
    body: method === 'HEAD' ? '' : html,
    isBase64Encoded: false,
  };
}

/**
 * `GET /c/<code>` through the HTTP access service. The route may be configured to pass the full
 * path (`/c/<code>`) or only what follows the matched prefix (`/<code>`); both are accepted.
 */
/** The caller of an HTTP access event: the gateway's source address, else its forwarded-for. */
function clientOfEvent(event: HttpEvent): ClientInfo {
  const header = (name: string) =>
    Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1] ?? null;
  // The last hop is the one the gateway added; earlier ones are the client's to invent.
  const forwarded = header('x-forwarded-for')?.split(',').pop()?.trim() || null;
  return { ip: event.requestContext?.sourceIp || forwarded, userAgent: header('user-agent') };
}

async function answerVerifyHttp(
  event: HttpEvent,
  runtime: CloudbaseRuntime,
  limiter: RateLimiter,
  signer: Signer,
): Promise<HttpResult> {
  const method = event.httpMethod.toUpperCase();
  const client = clientOfEvent(event);
  // Per warm container only: a first line against a script walking through codes.
  const take = limiter.take(clientKey(client.ip));
  if (!take.allowed) {
    const p = renderRateLimitedPage();
    return {
      ...page(p.status, p.html, method),
      headers: { ...pageHeaders, 'retry-after': String(take.retryAfterSeconds) },
    };
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const p = renderMessagePage(405, '不支持的请求', ['核验合格证请直接打开二维码里的网址。']);
    return { ...page(p.status, p.html, method), headers: { ...pageHeaders, allow: 'GET, HEAD' } };
  }
  const m = /^(?:\/c)?\/([^/]+)\/?$/.exec(event.path);
  if (!m) {
    const p = renderNotFoundPage();
    return page(p.status, p.html, method);
  }
  let segment: string;
  try {
    segment = decodeURIComponent(m[1] ?? '');
  } catch {
    segment = '';
  }
  const result = await lookupCertificate(
    {
      store: runtime.store,
      now: () => new Date(),
      config: runtime.config,
      signer,
      client,
    },
    segment,
    { signature: event.queryStringParameters?.s ?? null },
  );
  const p = renderVerifyPage(result);
  return page(p.status, p.html, method);
}

/** A CloudBase timer trigger's event: `{ Type: 'Timer', TriggerName, Time }`. */
function isTimerEvent(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as Record<string, unknown>).Type === 'Timer'
  );
}

/**
 * `GET /<prefix>/<rest>` of a function's own pages (`fn.pages`), e.g. `/s/<id>` of the report
 * function. The page is picked by the path's first segment; a route that passes only what follows
 * the prefix (`/<rest>`) reaches the function's first page (so a function with several pages needs
 * its routes to pass the full path, `enablePathTransmission`).
 */
function pageFor(
  pages: readonly FunctionPage[],
  path: string,
): { page: FunctionPage; rest: string } | null {
  const full = /^\/([^/]+)\/([^/]+)\/?$/.exec(path);
  const named = full ? pages.find((p) => p.prefix === full[1]) : undefined;
  if (full && named) return { page: named, rest: full[2] ?? '' };
  const short = /^\/([^/]+)\/?$/.exec(path);
  const first = pages[0];
  return short && first ? { page: first, rest: short[1] ?? '' } : null;
}

async function answerFunctionPage(
  name: string,
  pages: readonly FunctionPage[],
  event: HttpEvent,
  runtime: CloudbaseRuntime,
  limiter: RateLimiter,
): Promise<HttpResult> {
  const method = event.httpMethod.toUpperCase();
  const client = clientOfEvent(event);
  const take = limiter.take(clientKey(client.ip));
  if (!take.allowed) {
    const p = renderRateLimitedPage();
    return {
      ...page(p.status, p.html, method),
      headers: { ...pageHeaders, 'retry-after': String(take.retryAfterSeconds) },
    };
  }
  const route = pageFor(pages, event.path);
  if (method !== 'GET' && method !== 'HEAD') {
    const p = renderMessagePage(405, '不支持的请求', ['请直接打开二维码里的网址。']);
    return { ...page(p.status, p.html, method), headers: { ...pageHeaders, allow: 'GET, HEAD' } };
  }
  if (!route) {
    const p = renderNotFoundPage();
    return page(p.status, p.html, method);
  }
  try {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) {
      if (v !== undefined) query.set(k, v);
    }
    const out = await route.page.render(
      { rest: route.rest, query },
      systemCtx({ store: runtime.store, config: runtime.config, files: runtime.files, client }),
    );
    return {
      statusCode: out.status,
      headers: { ...out.headers },
      body: method === 'HEAD' ? '' : out.html,
      isBase64Encoded: false,
    };
  } catch (error) {
    console.error(`[${name}] page failed`, error);
    const p = renderMessagePage(503, '暂时无法核验', ['服务暂时不可用，请稍后再试。']);
    return page(p.status, p.html, method);
  }
}

function unavailable(): Envelope<never> {
  return {
    ok: false,
    error: {
      code: 'UNAVAILABLE',
      message: '服务暂时不可用，请稍后再试',
      requestId: randomBytes(8).toString('hex'),
    },
  };
}

/**
 * Wraps a cloud function for CloudBase: connects once per container (lazily, so a bad
 * configuration shows in the function's log on the first call rather than killing the load), then
 * answers each call with the envelope. The verify function also serves its HTTP page.
 */
export function cloudbaseMain(
  fn: CloudFunction,
  connect: () => CloudbaseRuntime = connectFromEnv,
): (event: unknown, context?: unknown) => Promise<Envelope<unknown> | HttpResult> {
  let runtime: CloudbaseRuntime | null = null;
  const limiter = new RateLimiter(verifyRateLimit);
  let signer: Signer | null = null;
  return async function main(event: unknown): Promise<Envelope<unknown> | HttpResult> {
    const pages = fn.pages ?? [];
    const http = (fn.name === 'verify' || pages.length > 0) && isHttpEvent(event);
    try {
      runtime ??= connect();
    } catch (error) {
      console.error(`[${fn.name}] cannot start on CloudBase`, error);
      if (http) {
        const p = renderMessagePage(503, '暂时无法核验', ['服务暂时不可用，请稍后再扫一次。']);
        return page(p.status, p.html, 'GET');
      }
      return unavailable();
    }
    if (pages.length > 0 && isHttpEvent(event)) {
      return answerFunctionPage(fn.name, pages, event, runtime, limiter);
    }
    if (isTimerEvent(event) && fn.scheduled) {
      const ctx = systemCtx({ store: runtime.store, config: runtime.config, files: runtime.files });
      try {
        return { ok: true, data: await fn.scheduled(ctx) };
      } catch (error) {
        console.error(`[${fn.name}] scheduled run failed (${ctx.requestId})`, error);
        return unavailable();
      }
    }
    if (http) {
      try {
        signer ??= ed25519Signer(runtime.config.signingKey);
        return await answerVerifyHttp(event as HttpEvent, runtime, limiter, signer);
      } catch (error) {
        console.error(`[${fn.name}] verify page failed`, error);
        const p = renderMessagePage(503, '暂时无法核验', ['服务暂时不可用，请稍后再扫一次。']);
        return page(p.status, p.html, 'GET');
      }
    }
    return invoke(fn, event, {
      store: runtime.store,
      callerId: runtime.callerId(),
      config: runtime.config,
      files: runtime.files,
    });
  };
}
