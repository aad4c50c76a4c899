/**
 * `GET /files/<fileId>?t=<expiry>.<hmac>` on the embedded server: a stored file (a printed PDF)
 * for whoever holds a link the local file store signed, until it expires. A forged or expired
 * link is refused before the store is looked at, so refusals say nothing about which files exist.
 */
import type http from 'node:http';
import { isLocalFileId, type LocalFileStore } from '../kit/files/local';
import {
  pageHeaders,
  renderMessagePage,
  renderNotFoundPage,
  type RenderedPage,
} from '../verify/page';

/** The `fileId` of a `/files/…` path, or null when the path is not one. */
export function fileRouteId(rawPath: string): string | null {
  const m = /^\/files\/([^/]+)$/.exec(rawPath);
  return m ? (m[1] ?? null) : null;
}

function sendPage(req: http.IncomingMessage, res: http.ServerResponse, page: RenderedPage): void {
  res.writeHead(page.status, {
    ...pageHeaders,
    'content-length': String(Buffer.byteLength(page.html)),
  });
  res.end(req.method === 'HEAD' ? undefined : page.html);
}

/** `attachment`-safe file name: ASCII fallback and the UTF-8 original (RFC 6266 / 5987). */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function serveStoredFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  files: LocalFileStore | null | undefined,
  fileId: string,
  query: string,
): Promise<void> {
  if (!files || !isLocalFileId(fileId)) {
    sendPage(req, res, renderNotFoundPage());
    return;
  }
  const token = new URLSearchParams(query).get('t');
  if (!files.checkToken(fileId, token)) {
    sendPage(
      req,
      res,
      renderMessagePage(403, '下载链接已失效', [
        '这个文件链接不正确或已过期（链接 15 分钟内有效）。',
        '请回到合格证通重新生成打印文件。',
      ]),
    );
    return;
  }
  const file = await files.get(fileId);
  if (!file) {
    sendPage(req, res, renderNotFoundPage());
    return;
  }
  res.writeHead(200, {
    'content-type': file.contentType,
    'content-length': String(file.bytes.length),
    'content-disposition': contentDisposition(file.name),
    // The link is a bearer credential with an expiry: nothing shared may keep the file.
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : Buffer.from(file.bytes));
}
