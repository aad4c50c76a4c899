/**
 * The public poster page `/p/<itemId>`: what a printed QR code opens. Hostile text stays text,
 * images come through signed links, nothing runs, and unsent or unknown items are a 404.
 */
import type { AddressInfo } from 'node:net';
import { systemCtx } from '../../../cloudfunctions/kit/system';
import { createLocalServer } from '../../../cloudfunctions/local/server';
import type { UploadedFile } from '../../../cloudfunctions/outreach/actions';
import { posterPage } from '../../../cloudfunctions/outreach/page';
import {
  buildWorld,
  jpegBase64,
  outreachRuntime,
  pdfBase64,
  xugou,
  type OutreachRuntime,
} from './world';

let rt: OutreachRuntime;

beforeEach(async () => {
  rt = outreachRuntime();
  await buildWorld(rt);
});
afterEach(async () => {
  expect(rt.errors).toEqual([]);
  await rt.close();
});

const hostile = {
  kind: 'poster',
  title: '<script>alert("标题")</script>海报',
  body: '# <b>加粗</b>\n<img src=x onerror=alert(1)>\n- 一车一证 & 一批一证',
  videoUrl: 'https://v.example.cn/play?a=1&b="><script>x</script>',
  audience: { divisionCodes: [xugou] },
};

async function publishPoster(overrides: Record<string, unknown> = {}) {
  const image = await rt.outOk<UploadedFile>(
    'uploadFile',
    { base64: jpegBase64(), contentType: 'image/jpeg' },
    'sup-xg',
  );
  const pdf = await rt.outOk<UploadedFile>(
    'uploadFile',
    { base64: pdfBase64(), contentType: 'application/pdf' },
    'sup-xg',
  );
  const res = await rt.outOk<{ item: { itemId: string; shareUrl: string } }>(
    'publish',
    { ...hostile, imageFileIds: [image.fileId], pdfFileId: pdf.fileId, ...overrides },
    'sup-xg',
  );
  return { itemId: res.item.itemId, image, pdf };
}

const ctx = () => systemCtx({ store: rt.store, config: rt.config, files: rt.files, now: rt.now });

it('escapes every hostile text and runs nothing', async () => {
  const { itemId, image } = await publishPoster();
  const page = await posterPage(ctx(), itemId);
  expect(page.status).toBe(200);
  expect(page.html).not.toMatch(/<script|<b>|<img src=x|onerror=alert\(1\)>/);
  expect(page.html).toContain('&lt;script&gt;alert(&quot;标题&quot;)&lt;/script&gt;海报');
  expect(page.html).toContain('<h2>&lt;b&gt;加粗&lt;/b&gt;</h2>');
  expect(page.html).toContain('<li>一车一证 &amp; 一批一证</li>');
  expect(page.html).toContain(
    'href="https://v.example.cn/play?a=1&amp;b=&quot;&gt;&lt;script&gt;x&lt;/script&gt;"',
  );
  expect(page.html).toMatch(
    new RegExp(
      `<img src="https://hgz\\.example\\.cn/files/${image.fileId.replace('.', '\\.')}\\?t=`,
    ),
  );
  expect(page.html).toContain('查看 PDF 全文');
  expect(page.headers['content-security-policy']).toContain("script-src 'none'");
  expect(page.headers['content-security-policy']).toContain(
    "img-src 'self' https: https://hgz.example.cn",
  );
});

it('answers 404 for unknown, malformed and not-yet-sent items', async () => {
  const { itemId } = await publishPoster({ publishAt: '2026-12-31T09:00+08:00' });
  for (const id of [itemId, `pub_${'0'.repeat(24)}`, '..%2F..%2Fetc', '%E0%A4%A']) {
    const page = await posterPage(ctx(), id);
    expect(page.status).toBe(404);
    expect(page.html).toContain('没有找到这条内容');
  }
});

it('is served by the embedded server at /p/<id>', async () => {
  const { itemId } = await publishPoster();
  const server = createLocalServer({
    store: rt.store,
    config: rt.config,
    staticDir: null,
    files: rt.files,
    logError: (_m, cause) => rt.errors.push(cause),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const res = await fetch(`http://127.0.0.1:${port}/p/${itemId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(await res.text()).toContain('&lt;script&gt;');
    const missing = await fetch(`http://127.0.0.1:${port}/p/pub_${'1'.repeat(24)}`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('没有找到这条内容');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

it('gives staff the link to print as a QR code', async () => {
  const { itemId } = await publishPoster();
  const qr = await rt.outOk<{ url: string; live: boolean }>('posterQr', { itemId }, 'coord-xg');
  expect(qr).toEqual(
    expect.objectContaining({ url: `https://hgz.example.cn/p/${itemId}`, live: true }),
  );
  const other = await rt.out('posterQr', { itemId }, 'sup-ld');
  expect(!other.ok && other.error.code).toBe('FORBIDDEN');
});
