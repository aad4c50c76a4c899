/**
 * `GET /t/<code>` on the embedded server: the address a training session's sign-in QR code
 * carries (`signInUrl`). Scanned with a phone camera it opens a browser, which is sent on to the
 * H5 app's session page with the code, where the attendee signs in (after logging in); WeChat's
 * own scan opens the mini-program's session page instead (the "扫普通链接二维码打开小程序" rule
 * for `<PUBLIC_BASE_URL>/t/`).
 */
import { parseSignInCode } from '../../src/domain/outreach';

/** The app's session page for a sign-in code (the H5 build routes by hash). */
export function sessionPageLocation(code: string): string {
  return `/#/pages-outreach/session/index?code=${encodeURIComponent(code)}`;
}

/**
 * The code of a `/t/…` path, or null when the path is not one; '' (not found) for anything that
 * is not a sign-in code.
 */
export function signInRouteCode(rawPath: string): string | null {
  const m = /^\/t\/([^/]+)\/?$/.exec(rawPath);
  if (!m) return null;
  let code: string;
  try {
    code = decodeURIComponent(m[1] ?? '');
  } catch {
    return '';
  }
  const parsed = parseSignInCode(code);
  return parsed && code === `${parsed.sessionId}.${parsed.token}` ? code : '';
}
