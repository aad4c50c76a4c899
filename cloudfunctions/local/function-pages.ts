/**
 * Pages the cloud functions serve themselves (`CloudFunction.pages`) on the embedded server, e.g.
 * `GET /s/<id>?s=…`, the report function's verification page of a compliance statement.
 */
import type http from 'node:http';
import type { ClientInfo, CloudFunction, FunctionPage, RuntimeConfig } from '../kit/action';
import type { FileStore } from '../kit/files/port';
import type { Store } from '../kit/store/port';
import { systemCtx } from '../kit/system';
import { pageHeaders, renderMessagePage } from '../verify/page';

export interface FunctionPageRoute {
  name: string;
  page: FunctionPage;
  /** The path after `/<prefix>/`, still URL-encoded. */
  rest: string;
}

/** The function page a path names (`/<prefix>/<rest>`), or null. */
export function functionPageRoute(
  functions: Readonly<Record<string, CloudFunction>>,
  rawPath: string,
): FunctionPageRoute | null {
  const m = /^\/([^/]+)\/([^/]+)\/?$/.exec(rawPath);
  if (!m) return null;
  for (const fn of Object.values(functions)) {
    const page = fn.pages?.find((p) => p.prefix === m[1]);
    if (page) return { name: fn.name, page, rest: m[2] ?? '' };
  }
  return null;
}

export async function serveFunctionPage(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  route: FunctionPageRoute,
  query: string,
  deps: {
    store: Store;
    config: RuntimeConfig;
    now: () => Date;
    files?: FileStore;
    client: ClientInfo;
    logError: (message: string, cause: unknown) => void;
  },
): Promise<void> {
  let out: { status: number; html: string; headers: Readonly<Record<string, string>> };
  try {
    out = await route.page.render(
      { rest: route.rest, query: new URLSearchParams(query) },
      systemCtx(deps),
    );
  } catch (error) {
    deps.logError(`[${route.name}] page failed`, error);
    const p = renderMessagePage(503, '暂时无法核验', ['服务暂时不可用，请稍后再试。']);
    out = { ...p, headers: pageHeaders };
  }
  res.writeHead(out.status, {
    ...out.headers,
    'content-length': String(Buffer.byteLength(out.html)),
  });
  res.end(req.method === 'HEAD' ? undefined : out.html);
}
