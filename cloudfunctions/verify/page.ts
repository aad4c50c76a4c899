/**
 * The page a phone camera opens when it scans a certificate's QR code: `GET /c/<code>`.
 *
 * Served without the mini-program (any camera, any browser), so it is plain server-rendered HTML:
 * no script, inline CSS, a few KB, large high-contrast text for a cheap phone in a market hall.
 * The verdict comes first; below it the certificate reads exactly as it was issued.
 */
import { createHash } from 'node:crypto';
import { formatCertificateCode } from '../../src/domain/certificate';
import { formatQuantity } from '../../src/domain/quantity';
import { escapeHtml } from '../kit/html';
import type { VerifyResult } from './actions';

export interface VerifyPageOptions {
  /** Where a "打开合格证通" link points (the H5 app); no link when absent. */
  appUrl?: string | null;
}

export interface RenderedPage {
  status: number;
  html: string;
}

const css = [
  '*{box-sizing:border-box}',
  'body{margin:0;font:18px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#111;background:#fff}',
  'main{max-width:640px;margin:0 auto;padding-bottom:24px}',
  '.v{padding:20px 16px;color:#fff;text-align:center}',
  '.v h1{margin:0;font-size:40px;line-height:1.25}',
  '.v p{margin:8px 0 0;font-size:20px}',
  '.ok{background:#0b6b2b}.no{background:#b00020}.nf{background:#4a4a4a}.sus{background:#8a1c00}',
  '.v .s{display:inline-block;margin-top:12px;padding:2px 12px;border:2px solid #fff;border-radius:6px;font-size:18px}',
  '.w{margin:12px 16px 0;padding:12px;border:3px solid #b00020;background:#fff3f3;color:#7a0016}',
  '.w h2{margin:0 0 4px;font-size:24px}',
  '.c{padding:16px}',
  '.t{margin:0 0 8px;padding-bottom:8px;font-size:28px;text-align:center;letter-spacing:2px;border-bottom:3px double #111}',
  'dl{margin:0}dl div{padding:8px 0;border-bottom:1px solid #ccc}',
  'dt{font-size:16px;color:#444}',
  'dd{margin:0;font-size:20px;font-weight:600;overflow-wrap:anywhere}',
  'h2{font-size:22px}h3{margin:16px 0 4px;font-size:18px}',
  'ul{margin:0;padding-left:1.4em}p{margin:8px 0}',
  '.n{margin:0 0 12px;padding:8px 12px;border:2px solid #b00020;background:#fff3f3}',
  'footer{padding:0 16px;font-size:16px;color:#333}',
  '.k{display:inline-block;white-space:nowrap;font:600 20px/1.4 ui-monospace,Menlo,Consolas,monospace}',
  'a{color:#0645ad}',
].join('');

// The style element is the page's only inline content; pinning it by hash lets the policy forbid
// every other inline style and all script.
const styleHash = createHash('sha256').update(css).digest('base64');

/** Response headers for every page rendered here: HTML, never cached, nothing but itself. */
export const pageHeaders: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'none'",
    `style-src 'sha256-${styleHash}'`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function shell(title: string, body: string): string {
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    // The masked phone number is not a number to dial; certificates are not for search engines.
    '<meta name="format-detection" content="telephone=no"><meta name="robots" content="noindex">' +
    `<title>${escapeHtml(title)}</title><style>${css}</style></head><body><main>${body}</main></body></html>`
  );
}

/** 2026年11月29日 from 2026-11-29. */
function chineseDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : isoDate;
}

/** An instant as a reader in China reads it (UTC+8, no daylight saving). */
function chinaDateTime(iso: string): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const local = new Date(t + 8 * 3600_000).toISOString();
  return `${chineseDate(local)} ${local.slice(11, 16)}`;
}

function field(label: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`;
}

/** 追溯码 (二合一), linked to the traceability platform when its address is configured. */
function traceLine(result: VerifyResult): string {
  const code = result.certificate?.traceCode;
  if (!code) return '';
  const value = result.traceUrl
    ? `<a href="${escapeHtml(result.traceUrl)}" rel="noopener">${escapeHtml(code)}</a>`
    : escapeHtml(code);
  return `<div><dt>追溯码</dt><dd>${value}</dd></div>`;
}

/** The tests the promise rests on: item, method, who tested, result, date. */
function testsBlock(result: VerifyResult): string {
  if (result.tests.length === 0) return '';
  const rows = result.tests
    .map(
      (t) =>
        `<li>${escapeHtml(t.testedOn)} ${escapeHtml(t.party)}（${escapeHtml(t.kind)}）：` +
        `${escapeHtml(t.item)}，${escapeHtml(t.method)}` +
        (t.lab ? `，${escapeHtml(t.lab)}` : '') +
        ` — <b>${escapeHtml(t.result)}</b></li>`,
    )
    .join('');
  return `<h3>检测记录</h3><ul>${rows}</ul>`;
}

/** Style 2: the certificates the mixed lot was made from, each a link to its own page. */
function sourcesBlock(result: VerifyResult): string {
  const sources = result.certificate?.sourceCodes ?? [];
  if (sources.length === 0) return '';
  const items = sources
    .map(
      (s) =>
        `<li><a class="k" href="/c/${encodeURIComponent(s)}">${escapeHtml(formatCertificateCode(s))}</a></li>`,
    )
    .join('');
  return `<h3>来源合格证（${sources.length} 张）</h3><ul>${items}</ul>`;
}

/** 签名有效 / 签名无效 / 无签名, and 第 3 / 100 件 for a package label. */
function labelLine(result: VerifyResult): string {
  const index =
    result.label && result.label.count > 1
      ? `<p>第 ${result.label.index} / ${result.label.count} 件</p>`
      : '';
  return `${index}<p class="s">防伪签名：${escapeHtml(result.signatureLabel)}</p>`;
}

function verdictBlock(result: VerifyResult): string {
  const label = escapeHtml(result.verdictLabel);
  if (result.verdict === 'valid') {
    return (
      `<section class="v ok"><h1>✓ ${label}</h1><p>这张合格证真实有效</p>` +
      `${labelLine(result)}</section>`
    );
  }
  if (result.verdict === 'revoked') {
    const reason = result.certificate?.revokedReason;
    return (
      `<section class="v no"><h1>✕ ${label}</h1><p>开具人已撤销这张合格证，它不再有效</p>` +
      (reason ? `<p>撤销原因：${escapeHtml(reason)}</p>` : '') +
      `${labelLine(result)}</section>`
    );
  }
  if (result.verdict === 'suspicious') {
    return (
      `<section class="v sus"><h1>⚠ ${label}</h1><p>签名无效，疑似伪造</p>` +
      `${labelLine(result)}</section>` +
      '<section class="c"><p>这张标签上的防伪签名与编号不符，不是区里签发的标签。' +
      '请勿凭它认定产品来源，可向当地农业农村部门反映。</p></section>'
    );
  }
  return (
    `<section class="v nf"><h1>${label}</h1><p>未找到这张合格证</p></section>` +
    '<section class="c"><p>请核对标签上的编号，或联系开具人。</p>' +
    (result.code
      ? `<p>查询的编号：<span class="k">${escapeHtml(formatCertificateCode(result.code))}</span></p>`
      : '<p>扫到的内容不是合格证编号。</p>') +
    '</section>'
  );
}

/** 疑似复制: this label has been scanned by far more people or places than one package meets. */
function copyWarning(result: VerifyResult): string {
  if (!result.copySuspected) return '';
  return (
    '<section class="w" id="copy-warning"><h2>⚠ 疑似复制</h2>' +
    '<p>这个标签近期被许多不同的人、在多个地方扫过，远超一件真实商品的情况，可能是复制的标签。' +
    '请核对产品与下面的内容是否一致，有疑问可向当地农业农村部门反映。</p></section>'
  );
}

function certificateBlock(result: VerifyResult): string {
  const c = result.certificate;
  if (!c) return '';
  const d = c.display;
  const issuer = c.issuer;
  return (
    '<section class="c">' +
    (result.verdict === 'revoked'
      ? '<p class="n">以下是开具时的内容，仅供核对，不能再作为合格证使用。</p>'
      : result.verdict === 'suspicious'
        ? '<p class="n">以下是这个编号登记的内容，仅供与手中的产品核对；这张标签本身不可信。</p>'
        : '') +
    `<h2 class="t">${escapeHtml(d.title)}</h2><dl>` +
    field('产品名称', c.productName) +
    field('数量', formatQuantity(c.quantity)) +
    field('产地', c.origin) +
    field('开具日期', chineseDate(c.issueDate)) +
    field('开具方式', d.issueUnitLabel) +
    field('车牌号', c.vehiclePlate) +
    field('批次号', c.batchNo) +
    (c.form === 'paper' ? field('形式', '纸质合格证') + field('纸质合格证编号', c.serial) : '') +
    traceLine(result) +
    `</dl><h3>承诺</h3><p>${escapeHtml(d.promise)}</p>` +
    `<h3>承诺依据</h3><ul>${d.basisLabels.map((b) => `<li>${escapeHtml(b)}</li>`).join('')}</ul>` +
    testsBlock(result) +
    sourcesBlock(result) +
    '<h3>开具主体</h3><dl>' +
    field('名称', issuer.name) +
    field('主体类型', issuer.typeLabel) +
    field('联系人', issuer.contactName) +
    field('联系电话', issuer.phone) +
    field('地址', issuer.address) +
    field('所在街道/乡镇', result.divisionName) +
    '</dl></section>'
  );
}

/** The verify page for one lookup; 404 when the certificate is unknown. */
export function renderVerifyPage(
  result: VerifyResult,
  options: VerifyPageOptions = {},
): RenderedPage {
  const checkedAt = chinaDateTime(result.checkedAt);
  const footer =
    '<footer>' +
    (result.certificate
      ? `<p>合格证编号：<span class="k">${escapeHtml(formatCertificateCode(result.certificate.code))}</span></p>`
      : '') +
    (checkedAt ? `<p>核验时间：${escapeHtml(checkedAt)}（北京时间）</p>` : '') +
    (options.appUrl ? `<p><a href="${escapeHtml(options.appUrl)}">打开合格证通</a></p>` : '') +
    '</footer>';
  const title = `${result.verdictLabel} · 合格证核验`;
  return {
    status: result.verdict === 'not_found' ? 404 : 200,
    html: shell(
      title,
      verdictBlock(result) + copyWarning(result) + certificateBlock(result) + footer,
    ),
  };
}

/** A short page with a heading and a few sentences (errors, missing build). */
export function renderMessagePage(
  status: number,
  heading: string,
  paragraphs: readonly string[],
): RenderedPage {
  const body =
    `<section class="v nf"><h1>${escapeHtml(heading)}</h1></section><section class="c">` +
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
    '</section>';
  return { status, html: shell(heading, body) };
}

/**
 * 429: too many lookups from this client. The same bytes whatever was asked for, so a refused
 * request tells nothing about which codes exist.
 */
export function renderRateLimitedPage(): RenderedPage {
  return renderMessagePage(429, '查询太频繁', [
    '您查询得太快了，请稍等一分钟再扫码。',
    '正常扫码核验不会遇到这个提示；如果一直出现，请换个网络再试。',
  ]);
}

/** The page for any address that is not a certificate or a file. */
export function renderNotFoundPage(): RenderedPage {
  return renderMessagePage(404, '页面不存在', [
    '没有找到您要访问的页面，请检查网址是否完整。',
    '核验合格证，请用手机扫描标签上的二维码。',
  ]);
}
