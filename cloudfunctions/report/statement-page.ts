/**
 * `GET /s/<id>?s=<signature>` — the page a compliance statement's QR code opens: server-rendered,
 * no script, like the certificate verify page. A valid signature over the id and a stored
 * statement show 真实有效 with what the statement says; otherwise 签名无效 or 未找到. The
 * signature is checked before the store is read, so a forged link learns nothing.
 */
import { createHash } from 'node:crypto';
import { chinaDateTime } from '../../src/domain/market';
import { monthLabel } from '../../src/domain/report';
import {
  complianceConclusions,
  statementIdPattern,
  type Statement,
} from '../../src/domain/compliance';
import type { Ctx, FunctionPage, PageResponse } from '../kit/action';
import { escapeHtml } from '../kit/html';
import { statementSigner } from '../kit/statement-signer';

const css = [
  '*{box-sizing:border-box}',
  'body{margin:0;font:18px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#111;background:#fff}',
  'main{max-width:640px;margin:0 auto;padding-bottom:24px}',
  '.v{padding:20px 16px;color:#fff;text-align:center}',
  '.v h1{margin:0;font-size:36px;line-height:1.25}',
  '.v p{margin:8px 0 0;font-size:18px}',
  '.ok{background:#0b6b2b}.nf{background:#4a4a4a}.sus{background:#8a1c00}',
  '.c{padding:16px}',
  'h2{font-size:22px;margin:16px 0 8px}',
  'dl{margin:0}dl div{padding:8px 0;border-bottom:1px solid #ccc}',
  'dt{font-size:16px;color:#444}dd{margin:0;font-size:19px;font-weight:600;overflow-wrap:anywhere}',
  'ul{margin:0;padding-left:1.4em}p{margin:8px 0}',
  '.b{margin:12px 0;padding:10px 12px;border:3px solid #111;font-size:20px;font-weight:700}',
  'footer{padding:0 16px;font-size:15px;color:#333}',
].join('');
const styleHash = createHash('sha256').update(css).digest('base64');

/** Headers of these pages: HTML, never cached, no script, nothing but the one style. */
export const statementPageHeaders: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': [
    "default-src 'none'",
    `style-src 'sha256-${styleHash}'`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function shell(status: number, title: string, body: string): PageResponse {
  return {
    status,
    headers: statementPageHeaders,
    html:
      '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width,initial-scale=1">' +
      '<meta name="format-detection" content="telephone=no"><meta name="robots" content="noindex">' +
      `<title>${escapeHtml(title)}</title><style>${css}</style></head><body><main>${body}</main></body></html>`,
  };
}

const field = (label: string, value: string) =>
  `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`;

/** The page of a genuine statement: 真实有效 and its content. */
export function renderStatementPage(st: Statement): PageResponse {
  const f = st.findings;
  const is = f.issuance;
  const issuance =
    is.regular === null
      ? '期间内没有应开证的月份'
      : `应开证月份 ${is.dueMonths} 个，已开证 ${is.monthsIssued} 个` +
        (is.missingMonths.length > 0
          ? `；未开证：${is.missingMonths.map(monthLabel).join('、')}`
          : '');
  const body =
    '<section class="v ok"><h1>✓ 真实有效</h1><p>这份合规证明由合格证通出具，内容如下</p></section>' +
    '<section class="c"><h2>承诺达标合格证使用情况证明</h2><dl>' +
    field('主体名称', f.subject.name) +
    field('主体类型', f.subject.typeLabel) +
    field('证件号码', f.subject.identity) +
    field('所在街道/乡镇', f.subject.divisionName) +
    field('统计期间', `${f.from} 至 ${f.to}`) +
    '</dl>' +
    `<p class="b">结论：${escapeHtml(complianceConclusions[f.conclusion])}</p>` +
    (f.reasons.length > 0
      ? `<ul>${f.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
      : '') +
    '<dl>' +
    field('合格证开具', `共 ${is.certificates} 张（标签 ${is.labels} 份）；${issuance}`) +
    field(
      '抽检',
      `${f.sampling.samples} 批次，不合格 ${f.sampling.failed.length} 批次，承诺与抽检结果不符 ${f.sampling.promisesContradicted} 批次`,
    ) +
    field(
      '虚假开具合格证',
      f.falseCertificates.length > 0 ? `${f.falseCertificates.length} 次` : '未发现',
    ) +
    field('重点监管', f.keySupervision.active ? '期末在重点监管名单中' : '期末不在重点监管名单中') +
    field('出具单位', st.issuerName) +
    field('出具时间', `${chinaDateTime(st.issuedAt)}（北京时间）`) +
    '</dl></section>' +
    `<footer><p>证明编号：${escapeHtml(st._id)}</p><p>请核对纸质证明与本页内容是否一致。</p></footer>`;
  return shell(200, '真实有效 · 合规证明核验', body);
}

export function renderStatementNotFound(): PageResponse {
  return shell(
    404,
    '未找到 · 合规证明核验',
    '<section class="v nf"><h1>未找到</h1><p>没有找到这份合规证明</p></section>' +
      '<section class="c"><p>请核对二维码是否完整，或联系出具证明的单位。</p></section>',
  );
}

export function renderStatementBadSignature(): PageResponse {
  return shell(
    200,
    '签名无效 · 合规证明核验',
    '<section class="v sus"><h1>⚠ 签名无效</h1><p>这不是合格证通出具的合规证明</p></section>' +
      '<section class="c"><p>二维码中的防伪签名与证明编号不符，证明可能被伪造或篡改。' +
      '请勿凭它办理业务，可向连云区农业农村局核实。</p></section>',
  );
}

/** The verdict page of one statement link. */
export async function statementPage(
  ctx: Pick<Ctx, 'store' | 'config'>,
  rawId: string,
  signature: string | null,
): Promise<PageResponse> {
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    return renderStatementNotFound();
  }
  if (!statementIdPattern.test(id)) return renderStatementNotFound();
  if (!signature || !statementSigner(ctx.config.signingKey).verify(id, signature)) {
    return renderStatementBadSignature();
  }
  const st = await ctx.store.collection<Statement>('statements').get(id);
  return st ? renderStatementPage(st) : renderStatementNotFound();
}

/** `/s/<id>` as the report function's page. */
export const statementRoute: FunctionPage = {
  prefix: 's',
  render: ({ rest, query }, ctx) => statementPage(ctx, rest.replace(/\/$/, ''), query.get('s')),
};
