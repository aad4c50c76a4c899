/**
 * The public poster page a printed QR code opens: `GET /p/<itemId>`. Like the verify page it is
 * plain server-rendered HTML for any phone camera: no script, inline CSS pinned by hash, every
 * text escaped; images and the PDF through signed links, the video as a link. Items not sent yet
 * (scheduled) and unknown ids get the same 404, so a page says nothing of what is not public.
 */
import { createHash } from 'node:crypto';
import {
  chinaDateTimeText,
  outreachItemIdPattern,
  publicityKinds,
  type OutreachItem,
  type TextBlock,
} from '../../src/domain/outreach';
import type { Ctx, FunctionPage, PageResponse } from '../kit/action';
import { escapeHtml } from '../kit/html';
import { fileLinks } from './files';

const css = [
  '*{box-sizing:border-box}',
  'body{margin:0;font:18px/1.7 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#111;background:#fff}',
  'main{max-width:680px;margin:0 auto;padding:0 16px 32px}',
  'header{padding:20px 0 12px;border-bottom:3px solid #0b6b2b}',
  '.k{display:inline-block;padding:2px 10px;border-radius:4px;background:#0b6b2b;color:#fff;font-size:15px}',
  'h1{margin:10px 0 4px;font-size:28px;line-height:1.35}',
  '.d{margin:0;color:#444;font-size:15px}',
  'h2{margin:20px 0 6px;font-size:22px}',
  'p{margin:10px 0;overflow-wrap:anywhere}',
  'ul{margin:8px 0;padding-left:1.4em}li{margin:4px 0;overflow-wrap:anywhere}',
  'img{display:block;max-width:100%;height:auto;margin:12px 0;border:1px solid #ddd}',
  '.l{display:block;margin:12px 0;padding:12px;border:2px solid #0645ad;border-radius:6px;text-align:center;font-size:20px}',
  '.n{margin:16px 0;padding:10px 12px;border:2px solid #8a5a00;background:#fff8e6}',
  'footer{margin-top:24px;padding-top:12px;border-top:1px solid #ccc;font-size:15px;color:#333}',
  'a{color:#0645ad}',
].join('');

const styleHash = createHash('sha256').update(css).digest('base64');

/** Headers of the poster pages: like the verify page's, with images from the file store allowed. */
export function posterHeaders(publicBaseUrl: string): Record<string, string> {
  let origin = '';
  try {
    origin = new URL(publicBaseUrl).origin;
  } catch {
    origin = '';
  }
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': [
      "default-src 'none'",
      `img-src 'self' https: ${origin}`.trim(),
      `style-src 'sha256-${styleHash}'`,
      "script-src 'none'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

function shell(title: string, body: string): string {
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="format-detection" content="telephone=no">' +
    `<title>${escapeHtml(title)}</title><style>${css}</style></head>` +
    `<body><main>${body}</main></body></html>`
  );
}

function blocksHtml(blocks: readonly TextBlock[]): string {
  let html = '';
  let list: string[] = [];
  const flush = () => {
    if (list.length) html += `<ul>${list.join('')}</ul>`;
    list = [];
  };
  for (const b of blocks) {
    if (b.type === 'item') {
      list.push(`<li>${escapeHtml(b.text)}</li>`);
      continue;
    }
    flush();
    html +=
      b.type === 'heading' ? `<h2>${escapeHtml(b.text)}</h2>` : `<p>${escapeHtml(b.text)}</p>`;
  }
  flush();
  return html;
}

/** The page of a sent item. */
export async function renderPoster(ctx: Ctx, item: OutreachItem): Promise<string> {
  const images = await fileLinks(ctx, item.imageFileIds);
  const [pdf] = item.pdfFileId ? await fileLinks(ctx, [item.pdfFileId]) : [];
  const kind = publicityKinds[item.kind];
  const body =
    `<header><span class="k">${escapeHtml(kind)}</span>` +
    `<h1>${escapeHtml(item.title)}</h1>` +
    `<p class="d">发布于 ${escapeHtml(chinaDateTimeText(item.sentAt ?? item.publishAt))}</p></header>` +
    blocksHtml(item.blocks) +
    images
      .map(
        (img, i) =>
          `<img src="${escapeHtml(img.url)}" alt="${escapeHtml(`${item.title} 图 ${i + 1}`)}">`,
      )
      .join('') +
    (item.videoUrl
      ? `<a class="l" href="${escapeHtml(item.videoUrl)}" rel="noopener noreferrer">观看视频</a>`
      : '') +
    (pdf
      ? `<a class="l" href="${escapeHtml(pdf.url)}" rel="noopener noreferrer">查看 PDF 全文</a>`
      : '') +
    (item.requiresAck
      ? '<p class="n">生产主体请在微信“合格证通”小程序的消息中阅读本文，并点“已阅知”确认。</p>'
      : '') +
    '<footer>连云区农业农村局 · 合格证通（承诺达标合格证）</footer>';
  return shell(`${item.title} — ${kind}`, body);
}

export function renderPosterNotFound(): string {
  return shell(
    '没有找到这条内容',
    '<header><h1>没有找到这条内容</h1></header>' +
      '<p>这条宣传内容不存在，或者还没有发布。</p>' +
      '<p>请检查二维码是否完整、清晰，或向发布的街道办事处、区农业农村局咨询。</p>',
  );
}

/** `/p/<itemId>`: the page of a sent item, else a 404 page. */
export async function posterPage(ctx: Ctx, rawId: string): Promise<PageResponse> {
  const headers = posterHeaders(ctx.config.publicBaseUrl);
  let id: string;
  try {
    id = decodeURIComponent(rawId).replace(/\/+$/, '');
  } catch {
    id = '';
  }
  const item = outreachItemIdPattern.test(id)
    ? await ctx.store.collection<OutreachItem>('outreachItems').get(id)
    : null;
  if (!item || item.status !== 'sent') {
    return { status: 404, html: renderPosterNotFound(), headers };
  }
  return { status: 200, html: await renderPoster(ctx, item), headers };
}

/** The function's public page: `/p/<itemId>`. */
export const posterFunctionPage: FunctionPage = {
  prefix: 'p',
  render: ({ rest }, ctx) => posterPage(ctx, rest),
};
