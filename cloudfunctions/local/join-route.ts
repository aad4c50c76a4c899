/**
 * `GET /join/<code>` on the embedded server: the address an invitation's QR code carries
 * (`invitationUrl`). Scanned with a phone camera it opens a browser, which is sent on to the H5
 * app's join page with the code; WeChat's own scan opens the mini-program's join page instead
 * (the "扫普通链接二维码打开小程序" rule for `<PUBLIC_BASE_URL>/join/`).
 */
import type http from 'node:http';
import { pageHeaders, renderNotFoundPage } from '../verify/page';

/** The app's join page for a code (the H5 build routes by hash). */
export function joinPageLocation(code: string): string {
  return `/#/pages-staff/join/index?code=${encodeURIComponent(code)}`;
}

/**
 * The code segment of a `/join/…` path, or null when the path is not one. Anything that cannot
 * be a code as typed (Crockford symbols, I/L/O/U and dashes included) is '' — not found.
 */
export function joinRouteCode(rawPath: string): string | null {
  const m = /^\/join\/([^/]+)\/?$/.exec(rawPath);
  if (!m) return null;
  let code: string;
  try {
    code = decodeURIComponent(m[1] ?? '');
  } catch {
    return '';
  }
  return /^[0-9A-Za-z-]{1,64}$/.test(code) ? code : '';
}

/** 302 to the join page; the code is a secret, so no referrer and no caching. */
export function redirectToJoin(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  code: string,
): void {
  redirectWithSecret(req, res, code ? joinPageLocation(code) : null);
}

/**
 * 302 to an app page whose address carries a secret (no referrer, no caching); not found when
 * there is nowhere to go (the link held no code).
 */
export function redirectWithSecret(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  location: string | null,
): void {
  if (!location) {
    const page = renderNotFoundPage();
    res.writeHead(page.status, {
      ...pageHeaders,
      'content-length': String(Buffer.byteLength(page.html)),
    });
    res.end(req.method === 'HEAD' ? undefined : page.html);
    return;
  }
  res.writeHead(302, {
    location,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-length': '0',
  });
  res.end();
}
