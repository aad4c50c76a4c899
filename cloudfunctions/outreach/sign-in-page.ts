/**
 * `GET /t/<code>` on CloudBase: the address a session's sign-in QR code carries (`signInUrl`).
 * WeChat's own scan never comes here — the "扫普通链接二维码打开小程序" rule opens the
 * mini-program's session page — but a phone camera opens a browser, and CloudBase hosts no H5
 * app to sign in with. So the browser gets a plain page (no script, nothing of the session) that
 * says how to sign in: scan the same code with WeChat. The embedded server instead redirects
 * `/t/<code>` to its H5 app (`cloudfunctions/local/sign-in-route.ts`).
 */
import { parseSignInCode } from '../../src/domain/outreach';
import type { FunctionPage, PageResponse } from '../kit/action';
import { pageHeaders, renderMessagePage } from '../verify/page';

/** The page for a scanned `/t/…` segment (still URL-encoded). */
export function signInLinkPage(rest: string): PageResponse {
  let code = '';
  try {
    code = decodeURIComponent(rest);
  } catch {
    code = '';
  }
  const parsed = parseSignInCode(code);
  const page =
    parsed && code === `${parsed.sessionId}.${parsed.token}`
      ? renderMessagePage(200, '请用微信扫码签到', [
          '这是培训签到二维码。',
          '请打开微信，点右上角“＋”，选“扫一扫”，再扫一次这个二维码，在小程序里登录后完成签到。',
          '用手机相机或浏览器打开无法签到。',
        ])
      : renderMessagePage(404, '签到码无效', [
          '没有找到这个签到码，请检查二维码是否完整，或请培训组织人员重新出示签到二维码。',
        ]);
  // The code lets its holder sign in: the verify pages' headers keep it from caches and referrers.
  return { status: page.status, html: page.html, headers: pageHeaders };
}

/** The function's sign-in link page: `/t/<code>`. */
export const signInFunctionPage: FunctionPage = {
  prefix: 't',
  render: ({ rest }) => Promise.resolve(signInLinkPage(rest)),
};
