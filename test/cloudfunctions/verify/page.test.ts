import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { cloudbaseMain, type HttpResult } from '../../../cloudfunctions/kit/cloudbase-main';
import { escapeHtml } from '../../../cloudfunctions/kit/html';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { lookupCertificate, verifyFunction } from '../../../cloudfunctions/verify/actions';
import {
  pageHeaders,
  renderNotFoundPage,
  renderRateLimitedPage,
  renderVerifyPage,
} from '../../../cloudfunctions/verify/page';
import { ed25519Signer } from '../../../cloudfunctions/kit/signer';
import type { Scan } from '../../../src/domain/scan';
import { labelCode, verifyUrl } from '../../../src/domain/certificate';
import type { Subject } from '../../../src/domain/subject';
import {
  issueInput,
  smallholder,
  testRuntime,
  type TestRuntime,
  passedTests,
  testSigningKey,
} from '../../helpers/runtime';
import { lookupCtx } from '../../helpers/verify';

let rt: TestRuntime;
let subject: Subject;
let cert: OwnCertificate;

async function issue(overrides: Record<string, unknown> = {}): Promise<OwnCertificate> {
  const [c] = await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subject._id, overrides),
    'wx-1',
  );
  if (!c) throw new Error('nothing issued');
  return c;
}

// 2026-11-29 02:00 UTC is 10:00 in China.
const checkedAt = new Date('2026-11-29T02:00:00.000Z');
const lookup = (code: string) =>
  lookupCertificate(
    lookupCtx(rt.store, () => checkedAt),
    code,
  );

beforeEach(async () => {
  rt = testRuntime();
  subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  cert = await issue();
});
afterEach(() => rt.close());

/** The visible text of a page, roughly: tags dropped, entities left as they are. */
const textOf = (html: string) => html.replace(/<style>.*?<\/style>/s, '').replace(/<[^>]+>/g, ' ');

describe('renderVerifyPage', () => {
  it('shows 有效 in green first, then the certificate as issued', async () => {
    const page = renderVerifyPage(await lookup(cert.code));
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(page.html).toMatch(/<section class="v ok"><h1>✓ 有效<\/h1>/);
    expect(text.indexOf('有效')).toBeLessThan(text.indexOf('承诺达标合格证'));
    for (const shown of [
      '承诺达标合格证',
      '青菜',
      '25.5 公斤',
      '连云区墟沟街道东山村',
      '2026年11月29日',
      '王建国',
      '种养殖户（小农户）',
      '138****5678',
      '连云区墟沟街道东山村三组',
      '墟沟街道',
      '我承诺对生产销售的食用农产品',
      '质量安全控制符合要求',
      '按包装（一箱一证）',
      cert.code.match(/.{4}/g)!.join('-'),
      '核验时间：2026年11月29日 10:00（北京时间）',
    ]) {
      expect(text).toContain(shown);
    }
    expect(text).not.toContain('13812345678');
  });

  it('is a phone page without script', async () => {
    const { html } = renderVerifyPage(await lookup(cert.code));
    expect(html.startsWith('<!doctype html><html lang="zh-CN">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).not.toMatch(/<script|javascript:|\son\w+=/i);
    expect(html).not.toMatch(/<link|<img|src=/i);
  });

  it('shows the vehicle plate or the batch number when the certificate has one', async () => {
    const byVehicle = await issue({ issueUnit: 'vehicle', vehiclePlate: '苏G12345' });
    const byBatch = await issue({ issueUnit: 'batch', batchNo: 'B-2026-07' });
    const vehicleText = textOf(renderVerifyPage(await lookup(byVehicle.code)).html);
    expect(vehicleText).toContain('车牌号');
    expect(vehicleText).toContain('苏G12345');
    expect(vehicleText).not.toContain('批次号');
    const batchText = textOf(renderVerifyPage(await lookup(byBatch.code)).html);
    expect(batchText).toContain('B-2026-07');
    expect(batchText).not.toContain('车牌号');
  });

  it('shows 已撤销 in red with the reason, and still the certificate as issued', async () => {
    await rt.store
      .collection('certificates')
      .update(cert.code, { status: 'revoked', revokedReason: '数量填错，已重新开具' });
    const page = renderVerifyPage(await lookup(cert.code));
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<section class="v no"><h1>✕ 已撤销<\/h1>/);
    const text = textOf(page.html);
    expect(text).toContain('撤销原因：数量填错，已重新开具');
    expect(text).toContain('不能再作为合格证使用');
    expect(text).toContain('青菜');
    expect(page.html).not.toContain('class="v ok"');
  });

  it('answers 404 with advice for an unknown code, and names the code looked up', async () => {
    const page = renderVerifyPage(await lookup('ZZZZZZZZZZZZZZZZ'));
    expect(page.status).toBe(404);
    expect(page.html).toContain('class="v nf"');
    const text = textOf(page.html);
    expect(text).toContain('未找到这张合格证');
    expect(text).toContain('请核对标签上的编号，或联系开具人');
    expect(text).toContain('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect(text).not.toContain('承诺达标合格证');
  });

  it('says when the scanned text holds no code at all', async () => {
    const page = renderVerifyPage(await lookup('hello'));
    expect(page.status).toBe(404);
    expect(textOf(page.html)).toContain('扫到的内容不是合格证编号');
  });

  it('escapes everything a person typed', async () => {
    const evil = '<script>alert(1)</script>';
    const c = await issue({ productName: evil, origin: `"><img src=x onerror=alert(1)>` });
    await rt.store.collection('certificates').update(c.code, {
      status: 'revoked',
      revokedReason: `</p><script>alert('r')</script>`,
      issuer: { ...c.issuer, name: '<b>王</b>', address: "A & B 'quoted'" },
    });
    const { html } = renderVerifyPage(await lookup(c.code));
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/p&gt;&lt;script&gt;alert(&#39;r&#39;)&lt;/script&gt;');
    expect(html).toContain('A &amp; B &#39;quoted&#39;');
  });

  it('escapes the app link it is given', async () => {
    const { html } = renderVerifyPage(await lookup(cert.code), { appUrl: '/"><script>' });
    expect(html).toContain('<a href="/&quot;&gt;&lt;script&gt;">打开合格证通</a>');
  });

  it('stays under 8 KB even with every field at its longest', async () => {
    const long = await issue({
      productName: '长'.repeat(30),
      origin: '产'.repeat(60),
      issueUnit: 'batch',
      batchNo: 'B'.repeat(40),
      basis: ['quality_control', 'self_test', 'commissioned_test'],
      testRecordIds: await passedTests(rt, subject._id, 'wx-1'),
    });
    await rt.store.collection('certificates').update(long.code, {
      status: 'revoked',
      revokedReason: '因'.repeat(200),
      issuer: { ...long.issuer, name: '名'.repeat(50), address: '址'.repeat(100) },
    });
    for (const code of [cert.code, long.code, 'ZZZZZZZZZZZZZZZZ']) {
      const { html } = renderVerifyPage(await lookup(code));
      expect(Buffer.byteLength(html)).toBeLessThan(8 * 1024);
    }
  });
});

describe('labels, signatures and copies on the page', () => {
  const signer = ed25519Signer(testSigningKey);
  const signed = (label: string) => verifyUrl('https://hgz.example.cn', label, signer.sign(label));

  it('shows 签名有效 and the package index (第 3 / 100 件)', async () => {
    const batch = await issue({ packages: 100 });
    const page = renderVerifyPage(await lookup(signed(labelCode(batch.code, 2, 100))));
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('第 3 / 100 件');
    expect(text).toContain('防伪签名：签名有效');
    expect(text).not.toContain('疑似复制');
  });

  it('shows 无签名 for a typed code, and no package index for a lone label', async () => {
    const text = textOf(renderVerifyPage(await lookup(cert.code)).html);
    expect(text).toContain('防伪签名：无签名');
    expect(text).not.toMatch(/第 \d+ \/ \d+ 件/);
  });

  it('shows a forged label as 可疑 — 签名无效，疑似伪造 — with the record only for comparison', async () => {
    const forged = verifyUrl('https://hgz.example.cn', cert.code, signer.sign('ZZZZZZZZZZZZZZZZ'));
    const page = renderVerifyPage(await lookup(forged));
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<section class="v sus"><h1>⚠ 可疑<\/h1><p>签名无效，疑似伪造<\/p>/);
    const text = textOf(page.html);
    expect(text).toContain('防伪签名：签名无效');
    expect(text).toContain('这张标签本身不可信');
    expect(page.html).not.toContain('class="v ok"');
  });

  it('warns 疑似复制 once a label has been scanned by too many people', async () => {
    let result = await lookup(signed(cert.code));
    for (let i = 0; i < 21; i++) {
      result = await lookupCertificate(
        lookupCtx(rt.store, () => checkedAt, {
          client: { ip: `198.51.100.${i}`, userAgent: 'phone' },
        }),
        signed(cert.code),
      );
    }
    const page = renderVerifyPage(result);
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="copy-warning"');
    const text = textOf(page.html);
    expect(text).toContain('疑似复制');
    expect(text.indexOf('疑似复制')).toBeLessThan(text.indexOf('承诺达标合格证'));
    expect(Buffer.byteLength(page.html)).toBeLessThan(8 * 1024);
  });

  it('has one 429 page, the same bytes whatever was asked for', () => {
    const page = renderRateLimitedPage();
    expect(page.status).toBe(429);
    expect(textOf(page.html)).toContain('查询太频繁');
    expect(renderRateLimitedPage()).toEqual(page);
  });
});

describe('pageHeaders', () => {
  it('allow no script and pin the one inline style by its hash', () => {
    const csp = pageHeaders['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(pageHeaders['x-content-type-options']).toBe('nosniff');
    expect(pageHeaders['content-type']).toBe('text/html; charset=utf-8');
  });
});

describe('renderNotFoundPage', () => {
  it('is a Chinese 404 page', () => {
    const page = renderNotFoundPage();
    expect(page.status).toBe(404);
    expect(page.html).toContain('页面不存在');
    expect(page.html).toContain('lang="zh-CN"');
  });
});

describe('escapeHtml', () => {
  it('escapes the characters that end text or attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(12)).toBe('12');
  });
});

describe('the verify function on CloudBase', () => {
  const onCloudbase = (callerId: string | null = null) =>
    cloudbaseMain(verifyFunction, () => ({
      store: rt.store,
      config: rt.config,
      callerId: () => callerId,
    }));
  const httpGet = (path: string, httpMethod = 'GET') =>
    onCloudbase()({
      httpMethod,
      path,
      headers: {},
      queryStringParameters: {},
      body: '',
      isBase64Encoded: false,
    }) as Promise<HttpResult>;

  it('serves the page at the printed URL through HTTP access, with or without the /c prefix', async () => {
    for (const path of [`/c/${cert.code}`, `/${cert.code}`, `/c/${cert.code.toLowerCase()}`]) {
      const res = await httpGet(path);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('✓ 有效');
    }
  });

  it('answers 404 pages for unknown codes and paths, and 405 for other methods', async () => {
    const unknown = await httpGet('/c/ZZZZZZZZZZZZZZZZ');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('未找到这张合格证');
    const other = await httpGet('/c/a/b/c');
    expect(other.statusCode).toBe(404);
    expect(other.body).toContain('页面不存在');
    expect((await httpGet('/c/%E0%A4%A', 'GET')).statusCode).toBe(404);
    const post = await httpGet(`/c/${cert.code}`, 'POST');
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('checks the signature in the query string and logs the scan with the source address', async () => {
    const signer = ed25519Signer(testSigningKey);
    const main = onCloudbase();
    const get = (s: string | undefined, sourceIp = '198.51.100.7') =>
      main({
        httpMethod: 'GET',
        path: `/c/${cert.code}`,
        headers: { 'user-agent': 'phone', 'x-forwarded-for': '10.0.0.1, 198.51.100.99' },
        queryStringParameters: s === undefined ? {} : { s },
        requestContext: { sourceIp },
      }) as Promise<HttpResult>;
    expect((await get(signer.sign(cert.code))).body).toContain('防伪签名：签名有效');
    expect((await get(undefined)).body).toContain('防伪签名：无签名');
    const forged = await get(signer.sign('ZZZZZZZZZZZZZZZZ'));
    expect(forged.statusCode).toBe(200);
    expect(forged.body).toContain('签名无效，疑似伪造');
    const scans = await rt.store.collection<Scan>('scans').find();
    expect(scans.map((s) => s.signature).sort()).toEqual(['absent', 'invalid', 'valid']);
    expect(JSON.stringify(scans)).not.toContain('198.51.100');
  });

  it('rate-limits each client on a warm container, with one 429 page for hits and misses', async () => {
    const main = onCloudbase();
    const get = (path: string, sourceIp: string) =>
      main({ httpMethod: 'GET', path, requestContext: { sourceIp } }) as Promise<HttpResult>;
    for (let i = 0; i < 30; i++) await get('/c/ZZZZZZZZZZZZZZZZ', '203.0.113.5');
    const hit = await get(`/c/${cert.code}`, '203.0.113.5');
    const miss = await get('/c/ZZZZZZZZZZZZZZZZ', '203.0.113.5');
    expect(hit.statusCode).toBe(429);
    expect(hit).toEqual(miss);
    expect(hit.headers['retry-after']).toMatch(/^\d+$/);
    // Another client is not affected; the refused hit left no scan.
    expect((await get(`/c/${cert.code}`, '203.0.113.6')).statusCode).toBe(200);
    expect(await rt.store.collection('scans').count()).toBe(1);
  });

  it('still answers callFunction events with the envelope', async () => {
    const res = await onCloudbase()({ action: 'lookup', input: { code: cert.code } });
    expect(res).toMatchObject({ ok: true, data: { verdict: 'valid', code: cert.code } });
  });

  it('gives the other functions the caller the platform vouches for', async () => {
    const main = cloudbaseMain(subjectFunction, () => ({
      store: rt.store,
      config: rt.config,
      callerId: () => 'wx-1',
    }));
    const res = await main({ action: 'mine', input: {}, userInfo: { openId: 'forged' } });
    expect(res).toMatchObject({ ok: true, data: [{ _id: subject._id }] });
  });

  it('answers UNAVAILABLE rather than throwing when it cannot connect', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const main = cloudbaseMain(verifyFunction, () => {
      throw new Error('no env');
    });
    await expect(main({ action: 'lookup', input: { code: cert.code } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    const page = (await main({ httpMethod: 'GET', path: `/c/${cert.code}` })) as HttpResult;
    expect(page.statusCode).toBe(503);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});
