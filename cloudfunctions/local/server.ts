/**
 * The embedded runtime's HTTP server (node:http only): the cloud functions over `POST /api/<name>`,
 * a local stand-in for WeChat sign-in, the printed QR codes' verify page and the H5 build.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, promises as fsp } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ErrorCode } from '../../src/domain/errors';
import { loginRateLimit, verifyRateLimit, type RateLimitPolicy } from '../../src/domain/rate-limit';
import { roles as roleLabels, type User } from '../../src/domain/role';
import type { ClientInfo, RuntimeConfig } from '../kit/action';
import { invoke, unavailableMessages } from '../kit/invoke';
import { clientKey, RateLimiter } from '../kit/rate-limit';
import { ed25519Signer } from '../kit/signer';
import { StoreUnavailableError, type Store } from '../kit/store/port';
import { functions } from '../registry';
import { lookupCertificate } from '../verify/actions';
import {
  pageHeaders,
  renderMessagePage,
  renderNotFoundPage,
  renderRateLimitedPage,
  renderVerifyPage,
  type RenderedPage,
} from '../verify/page';
import type { LocalFileStore } from '../kit/files/local';
import { fileRouteId, serveStoredFile } from './files-route';
import { functionPageRoute, serveFunctionPage } from './function-pages';
import { joinRouteCode, redirectToJoin, redirectWithSecret } from './join-route';
import { sessionPageLocation, signInRouteCode } from './sign-in-route';
import { demoUsers, demoUserView } from './seed';

export interface LocalServerOptions {
  store: Store;
  config: RuntimeConfig;
  /** The Taro H5 build (dist/h5); null to serve no app. */
  staticDir: string | null;
  /** Lets dev login be used from other machines (a phone on the same Wi-Fi). */
  allowRemoteDevLogin?: boolean;
  /** Turns dev login off entirely: there is no WeChat stand-in in production. */
  production?: boolean;
  now?: () => Date;
  logError?: (message: string, cause: unknown) => void;
  /** Files actions store (printed PDFs), served at `/files/<id>` to holders of a signed link. */
  files?: LocalFileStore;
  /**
   * Behind a reverse proxy on this machine: take the client address from the last
   * X-Forwarded-For entry (the one the proxy added) instead of the socket.
   */
  trustProxy?: boolean;
  /** Rate limits per client address (defaults: the policies in src/domain/rate-limit.ts). */
  rateLimits?: { verify?: RateLimitPolicy; login?: RateLimitPolicy };
}

/** A session of the local sign-in; `_id` is the SHA-256 of the bearer token, never the token. */
export interface Session {
  _id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export const maxBodyBytes = 1024 * 1024;
/**
 * Functions whose calls may carry more: supervision.uploadPhoto sends up to 2 MB in base64,
 * directory.import a roster of up to 5 MB (importLimits) in base64.
 */
export const maxBodyBytesByFunction: Readonly<Record<string, number>> = {
  supervision: 3 * 1024 * 1024,
  directory: 7 * 1024 * 1024,
  // outreach.uploadFile: an image or PDF of up to 3 MB (publicityPolicy), in base64.
  outreach: 5 * 1024 * 1024,
};
/** Past this much of an oversized body we stop reading and drop the connection. */
const maxDrainBytes = 16 * maxBodyBytes;
const sessionMs = 30 * 24 * 3600_000;

/** The HTTP status that goes with each error code of the envelope. */
export const httpStatusForError: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** True for an address of this machine: 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | null | undefined): boolean {
  if (!address) return false;
  let a = address.trim().toLowerCase();
  if (a.startsWith('::ffff:')) a = a.slice('::ffff:'.length);
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255);
}

/**
 * Whether a call's declared body type is JSON. None declared is taken as JSON (a bare client);
 * a form's types (text/plain, urlencoded, multipart) are not, so a page on another site cannot
 * post a call with a plain HTML form.
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return true;
  const type = header.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function newRequestId(): string {
  return randomBytes(8).toString('hex');
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

type BodyResult = { kind: 'ok'; text: string } | { kind: 'tooLarge'; drop: boolean } | null;

/** Reads a request body up to the limit; an oversized one is drained (not kept) so 413 arrives. */
function readBody(req: http.IncomingMessage, limit = maxBodyBytes): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxDrainBytes) {
      resolve({ kind: 'tooLarge', drop: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (r: BodyResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxDrainBytes) {
        settle({ kind: 'tooLarge', drop: true });
      } else if (size > limit) {
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () =>
      settle(
        size > limit
          ? { kind: 'tooLarge', drop: false }
          : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') },
      ),
    );
    // The client went away mid-body: nobody to answer.
    req.on('close', () => settle(null));
    req.on('error', () => settle(null));
  });
}

/** Creates (does not start) the embedded runtime's server. */
export function createLocalServer(options: LocalServerOptions): http.Server {
  const { store, config } = options;
  const now = options.now ?? (() => new Date());
  const logError = options.logError ?? ((m: string, c: unknown) => console.error(m, c));
  const staticRoot = options.staticDir ? path.resolve(options.staticDir) : null;
  const sessions = store.collection<Session>('sessions');
  const users = store.collection<User>('users');
  const signer = ed25519Signer(config.signingKey);
  // Verification (page and function share one bucket per client) and sign-in are limited.
  const verifyLimiter = new RateLimiter(options.rateLimits?.verify ?? verifyRateLimit, now);
  const loginLimiter = new RateLimiter(options.rateLimits?.login ?? loginRateLimit, now);

  function clientOf(req: http.IncomingMessage): ClientInfo {
    let ip = req.socket.remoteAddress ?? null;
    if (options.trustProxy) {
      const hop = String(req.headers['x-forwarded-for'] ?? '')
        .split(',')
        .pop()
        ?.trim();
      if (hop) ip = hop;
    }
    const ua = req.headers['user-agent'];
    return { ip, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null };
  }

  /**
   * Takes a token from the client's bucket; when there is none, answers 429 itself (before
   * reading the body or the store, so it costs and says the same whatever was asked).
   */
  function limited(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    limiter: RateLimiter,
    as: 'page' | 'json',
  ): boolean {
    const take = limiter.take(clientKey(clientOf(req).ip));
    if (take.allowed) return false;
    req.resume();
    const headers = { 'retry-after': String(take.retryAfterSeconds) };
    if (as === 'page') sendPage(req, res, renderRateLimitedPage(), headers);
    else sendError(req, res, 'RATE_LIMITED', '查询太频繁，请稍等一分钟再试', 429, headers);
    return true;
  }

  const hasAppBuild = () => staticRoot !== null && existsSync(path.join(staticRoot, 'index.html'));

  function sendJson(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  }

  function sendError(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    code: ErrorCode,
    message: string,
    status = httpStatusForError[code],
    headers: Record<string, string> = {},
  ): void {
    sendJson(
      req,
      res,
      status,
      { ok: false, error: { code, message, requestId: newRequestId() } },
      headers,
    );
  }

  function sendPage(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    page: RenderedPage,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(page.status, {
      ...pageHeaders,
      'content-length': String(Buffer.byteLength(page.html)),
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : page.html);
  }

  /** Reads and parses a JSON body, answering the error itself when it cannot. */
  async function jsonBody(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    limit = maxBodyBytes,
  ): Promise<{ value: unknown } | null> {
    const body = await readBody(req, limit);
    if (body === null) return null;
    if (body.kind === 'tooLarge') {
      sendError(
        req,
        res,
        'INVALID_INPUT',
        `请求内容太大（不能超过 ${limit / 1024 / 1024} MB）`,
        413,
        {
          ...(body.drop ? { connection: 'close' } : {}),
        },
      );
      if (body.drop) res.on('finish', () => req.socket.destroy());
      return null;
    }
    if (body.text.trim() === '') {
      sendError(req, res, 'INVALID_INPUT', '请求内容为空，应为 JSON');
      return null;
    }
    try {
      return { value: JSON.parse(body.text) as unknown };
    } catch {
      sendError(req, res, 'INVALID_INPUT', '请求内容不是有效的 JSON');
      return null;
    }
  }

  async function callerIdOf(req: http.IncomingMessage): Promise<string | null> {
    const m = /^Bearer\s+([A-Za-z0-9_-]{16,256})\s*$/i.exec(req.headers.authorization ?? '');
    if (!m?.[1]) return null;
    const session = await sessions.get(sha256Hex(m[1]));
    if (!session) return null;
    if (!(Date.parse(session.expiresAt) > now().getTime())) {
      await sessions.remove(session._id);
      return null;
    }
    return session.userId;
  }

  async function handleApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    name: string,
  ): Promise<void> {
    if (req.method !== 'POST') {
      sendError(req, res, 'INVALID_INPUT', '请用 POST 调用', 405, { allow: 'POST' });
      return;
    }
    const fn = Object.prototype.hasOwnProperty.call(functions, name) ? functions[name] : undefined;
    if (!fn) {
      req.resume();
      sendError(req, res, 'NOT_FOUND', `没有这个云函数：${name}`);
      return;
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      req.resume();
      sendError(
        req,
        res,
        'INVALID_INPUT',
        '请求内容应为 JSON（Content-Type: application/json）',
        415,
      );
      return;
    }
    const body = await jsonBody(req, res, maxBodyBytesByFunction[name] ?? maxBodyBytes);
    if (!body) return;
    const callerId = await callerIdOf(req);
    const envelope = await invoke(fn, body.value, {
      store,
      callerId,
      config,
      now,
      logError,
      client: clientOf(req),
      files: options.files,
    });
    sendJson(req, res, envelope.ok ? 200 : httpStatusForError[envelope.error.code], envelope);
  }

  async function handleDevAuth(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: string,
  ): Promise<void> {
    if (options.production) {
      req.resume();
      sendError(req, res, 'NOT_FOUND', '没有这个接口');
      return;
    }
    if (!options.allowRemoteDevLogin && !isLoopback(req.socket.remoteAddress)) {
      req.resume();
      sendError(
        req,
        res,
        'FORBIDDEN',
        '演示登录只能在运行合格证通的这台电脑上使用（如需在手机上试用，请以 DEV_LOGIN_REMOTE=1 启动）',
      );
      return;
    }
    if (route === 'dev-users' && (req.method === 'GET' || req.method === 'HEAD')) {
      const list = [];
      for (const demo of demoUsers) {
        const user = await users.get(demo.userId);
        if (!user) continue;
        list.push({
          ...demoUserView(demo),
          nickname: user.nickname,
          roles: user.roles,
          roleLabels: user.roles.map((r) => roleLabels[r]),
        });
      }
      sendJson(req, res, 200, list);
      return;
    }
    if (route === 'dev-login' && req.method === 'POST') {
      const body = await jsonBody(req, res);
      if (!body) return;
      const input = (typeof body.value === 'object' && body.value !== null ? body.value : {}) as {
        userId?: unknown;
        newUser?: unknown;
      };
      let userId: string;
      if (input.newUser === true) {
        // Like a WeChat user opening the app for the first time: an identity with no record yet.
        userId = `dev-${randomBytes(8).toString('hex')}`;
      } else if (
        typeof input.userId === 'string' &&
        demoUsers.some((u) => u.userId === input.userId) &&
        (await users.get(input.userId))
      ) {
        userId = input.userId;
      } else {
        sendError(req, res, 'INVALID_INPUT', '请选择一个演示用户，或以新用户身份登录');
        return;
      }
      const token = randomBytes(32).toString('base64url');
      const created = now();
      const expiresAt = new Date(created.getTime() + sessionMs).toISOString();
      await sessions.insert({
        _id: sha256Hex(token),
        userId,
        createdAt: created.toISOString(),
        expiresAt,
      });
      sendJson(req, res, 200, { token, userId, expiresAt });
      return;
    }
    req.resume();
    if (route === 'dev-users' || route === 'dev-login') {
      const allow = route === 'dev-users' ? 'GET, HEAD' : 'POST';
      sendError(req, res, 'INVALID_INPUT', '请求方法不正确', 405, { allow });
      return;
    }
    sendError(req, res, 'NOT_FOUND', '没有这个接口');
  }

  async function handleVerifyPage(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rawSegment: string,
    query: string,
  ): Promise<void> {
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      segment = '';
    }
    try {
      const result = await lookupCertificate(
        { store, now, config, signer, client: clientOf(req) },
        segment,
        { signature: new URLSearchParams(query).get('s') },
      );
      sendPage(req, res, renderVerifyPage(result, { appUrl: hasAppBuild() ? '/' : null }));
    } catch (error) {
      logError('verify page failed', error);
      sendPage(
        req,
        res,
        renderMessagePage(error instanceof StoreUnavailableError ? 503 : 500, '暂时无法核验', [
          '服务暂时不可用，请稍后再扫一次。',
        ]),
      );
    }
  }

  async function serveStatic(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rawPath: string,
  ): Promise<void> {
    if ((rawPath === '/' || rawPath === '/index.html') && !hasAppBuild()) {
      sendPage(
        req,
        res,
        renderMessagePage(503, '还没有构建网页版', [
          '合格证通的网页版（H5）还没有构建，所以这里暂时没有内容；扫码核验（/c/编号）和接口照常可用。',
          '请在项目目录运行 npm run build:h5，然后刷新本页。',
        ]),
      );
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      sendPage(req, res, renderNotFoundPage());
      return;
    }
    const segments = decoded.split(/[/\\]+/).filter(Boolean);
    // No way out of the build directory, and nothing hidden (no dotfiles) from it.
    if (
      !staticRoot ||
      decoded.includes('\0') ||
      segments.some((s) => s === '..' || s.startsWith('.'))
    ) {
      sendPage(req, res, renderNotFoundPage());
      return;
    }
    const target = path.resolve(staticRoot, ...(segments.length ? segments : ['index.html']));
    if (!target.startsWith(staticRoot + path.sep)) {
      sendPage(req, res, renderNotFoundPage());
      return;
    }
    const stat = await fsp.stat(target).catch(() => null);
    if (!stat?.isFile()) {
      sendPage(req, res, renderNotFoundPage());
      return;
    }
    const ext = path.extname(target).toLowerCase();
    const immutable = /\.[0-9a-f]{8,}\.[a-z0-9]+$/i.test(target);
    const headers: Record<string, string> = {
      'content-type': contentTypes[ext] ?? 'application/octet-stream',
      'content-length': String(stat.size),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    };
    if (ext === '.html') {
      // The Taro page carries an inline script of its own, so it gets no CSP; it may not be
      // framed and leaks no URLs to other sites.
      headers['x-frame-options'] = 'DENY';
      headers['referrer-policy'] = 'same-origin';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(target);
    stream.on('error', (error) => {
      logError(`reading ${target} failed`, error);
      res.destroy();
    });
    stream.pipe(res);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const cut = rawUrl.search(/[?#]/);
    const rawPath = cut >= 0 ? rawUrl.slice(0, cut) : rawUrl;
    const method = req.method ?? 'GET';
    const isRead = method === 'GET' || method === 'HEAD';

    if (!rawPath.startsWith('/')) {
      req.resume();
      sendPage(req, res, renderMessagePage(400, '请求不正确', ['请检查网址。']));
      return;
    }
    const api = /^\/api\/([^/]*)\/?$/.exec(rawPath);
    if (api) {
      if (api[1] === 'verify' && limited(req, res, verifyLimiter, 'json')) return;
      return handleApi(req, res, api[1] ?? '');
    }
    if (rawPath.startsWith('/api/')) {
      req.resume();
      sendError(req, res, 'NOT_FOUND', '没有这个接口');
      return;
    }
    const auth = /^\/auth\/([^/]*)$/.exec(rawPath);
    if (auth) {
      if (auth[1] === 'dev-login' && limited(req, res, loginLimiter, 'json')) return;
      return handleDevAuth(req, res, auth[1] ?? '');
    }

    if (!isRead) {
      req.resume();
      sendPage(req, res, renderMessagePage(405, '不支持的请求', ['请直接在浏览器中打开网址。']), {
        allow: 'GET, HEAD',
      });
      return;
    }
    if (rawPath === '/healthz') {
      sendJson(req, res, 200, { ok: true });
      return;
    }
    const verify = /^\/c\/([^/]+)\/?$/.exec(rawPath);
    if (verify) {
      if (limited(req, res, verifyLimiter, 'page')) return;
      const query = cut >= 0 && rawUrl[cut] === '?' ? rawUrl.slice(cut + 1).split('#')[0] : '';
      return handleVerifyPage(req, res, verify[1] ?? '', query ?? '');
    }
    const joinCode = joinRouteCode(rawPath);
    if (joinCode !== null) return redirectToJoin(req, res, joinCode);
    const signInCode = signInRouteCode(rawPath);
    if (signInCode !== null) {
      return redirectWithSecret(req, res, signInCode ? sessionPageLocation(signInCode) : null);
    }
    const pageRoute = functionPageRoute(functions, rawPath);
    if (pageRoute) {
      if (limited(req, res, verifyLimiter, 'page')) return;
      const query = cut >= 0 && rawUrl[cut] === '?' ? rawUrl.slice(cut + 1).split('#')[0] : '';
      return serveFunctionPage(req, res, pageRoute, query ?? '', {
        store,
        config,
        now,
        files: options.files,
        client: clientOf(req),
        logError,
      });
    }
    const fileId = fileRouteId(rawPath);
    if (fileId !== null) {
      const query = cut >= 0 && rawUrl[cut] === '?' ? rawUrl.slice(cut + 1).split('#')[0] : '';
      return serveStoredFile(req, res, options.files, fileId, query ?? '');
    }
    return serveStatic(req, res, rawPath);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const unavailable = error instanceof StoreUnavailableError;
      logError(unavailable ? 'storage unavailable' : 'request failed', error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (unavailable) {
        sendError(req, res, 'UNAVAILABLE', unavailableMessages[error.reason ?? 'other']);
      } else {
        sendError(req, res, 'INTERNAL', '系统出错了，请稍后再试');
      }
    });
  });
  // Malformed HTTP never reaches the handler; answer it plainly instead of hanging up silently.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
