/**
 * `GET /join/<code>` on CloudBase: the address a staff invitation's QR code carries
 * (`invitationUrl`). WeChat's own scan never comes here — the "扫普通链接二维码打开小程序" rule
 * opens the mini-program's join page — but a phone camera (or a link opened in a browser) does,
 * and CloudBase hosts no H5 app to take the invitation with. So the browser gets a plain page (no
 * script) saying to scan the code with WeChat. The page never looks the code up: a real code and
 * a made-up one of the same shape get the same bytes, so walking through codes here learns
 * nothing (neither whether a code exists nor the role it grants). The embedded server instead
 * redirects `/join/<code>` to its H5 app (`cloudfunctions/local/join-route.ts`).
 */
import { normalizeInvitationCode } from '../../src/domain/invitation';
import type { FunctionPage, PageResponse } from '../kit/action';
import { pageHeaders, renderMessagePage } from '../verify/page';

/** The page for a scanned `/join/…` segment (still URL-encoded). */
export function joinLinkPage(rest: string): PageResponse {
  let code = '';
  try {
    code = decodeURIComponent(rest);
  } catch {
    code = '';
  }
  // As typed or printed (any case, dashes), like the embedded route; nothing else.
  const wellFormed = /^[0-9A-Za-z-]{1,64}$/.test(code) && normalizeInvitationCode(code) !== null;
  const page = wellFormed
    ? renderMessagePage(200, '请用微信扫码领取邀请', [
        '这是合格证通工作人员的邀请二维码。',
        '请打开微信，点右上角“＋”，选“扫一扫”，扫描邀请人出示的这个二维码，在小程序里登录后领取邀请。',
        '用手机相机、浏览器或在聊天中点开链接都无法领取。二维码已无法出示的，请联系邀请人重新生成邀请。',
      ])
    : renderMessagePage(404, '邀请链接无效', [
        '这个链接不完整或有误，请核对后用微信重新扫描邀请二维码，或请邀请人重新生成邀请。',
      ]);
  // The code grants a role: the verify pages' headers keep it from caches and referrers.
  return { status: page.status, html: page.html, headers: pageHeaders };
}

/** The function's invitation link page: `/join/<code>`. */
export const joinFunctionPage: FunctionPage = {
  prefix: 'join',
  render: ({ rest }) => Promise.resolve(joinLinkPage(rest)),
};
