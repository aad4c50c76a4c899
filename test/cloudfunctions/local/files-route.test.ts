import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type http from 'node:http';
import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import {
  fileUrlKeyFrom,
  openLocalFileStore,
  type LocalFileStore,
} from '../../../cloudfunctions/kit/files/local';
import { invoke } from '../../../cloudfunctions/kit/invoke';
import { createLocalServer, type Session } from '../../../cloudfunctions/local/server';
import { printFunction } from '../../../cloudfunctions/print/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { PrintLabelsResult } from '../../../src/domain/print';
import type { Subject } from '../../../src/domain/subject';
import { issueInput, smallholder, testRuntime, type TestRuntime } from '../../helpers/runtime';

let rt: TestRuntime;
let dir: string;
let files: LocalFileStore;
let server: http.Server;
let base: string;
let now: Date;
let printed: PrintLabelsResult;
let code: string;

beforeAll(async () => {
  rt = testRuntime();
  now = new Date('2026-11-29T02:00:00Z');
  dir = mkdtempSync(join(tmpdir(), 'hgz-files-'));
  files = openLocalFileStore({
    dir,
    baseUrl: 'http://127.0.0.1:8080',
    urlKey: fileUrlKeyFrom(rt.config.identitySecret),
    now: () => now,
  });
  server = createLocalServer({
    store: rt.store,
    config: rt.config,
    staticDir: null,
    files,
    now: () => now,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  const [c] = await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subject._id),
    'wx-1',
  );
  code = c?.code ?? '';
  const res = await invoke(
    printFunction,
    { action: 'labels', input: { code: c?.code, layout: '80x60' } },
    { store: rt.store, callerId: 'wx-1', config: rt.config, files, now: () => now },
  );
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  printed = res.data as PrintLabelsResult;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The printed link, on this test's server. */
const local = (url: string) => {
  const u = new URL(url);
  return `${base}${u.pathname}${u.search}`;
};

describe('POST /api/print', () => {
  it('prints through the HTTP API and answers a link this server serves', async () => {
    const token = 'print-test-token-0123456789';
    await rt.store.collection<Session>('sessions').insert({
      _id: createHash('sha256').update(token).digest('hex'),
      userId: 'wx-1',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3600_000).toISOString(),
    });
    const res = await fetch(`${base}/api/print`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'labels', input: { code: printed.fileId, layout: 'x' } }),
    });
    expect(res.status).toBe(400);
    const ok = await fetch(`${base}/api/print`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'labels', input: { code, layout: '100x70' } }),
    });
    const body = (await ok.json()) as { ok: boolean; data: PrintLabelsResult };
    expect(body).toMatchObject({ ok: true, data: { pages: 1 } });
    const pdf = await fetch(local(body.data.url));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });
});

describe('GET /files/<id>', () => {
  it('serves the PDF inline to the holder of the signed link', async () => {
    const res = await fetch(local(printed.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(
      /^inline; filename="80x60-1-1-[0-9a-f]+\.pdf"; filename\*=UTF-8''80x60-1-1-[0-9a-f]+\.pdf$/,
    );
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(printed.bytes);
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('answers HEAD with the headers alone', async () => {
    const res = await fetch(local(printed.url), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(printed.bytes));
  });

  it('refuses a link without its token, with a forged one, or after it expired (403)', async () => {
    const u = new URL(local(printed.url));
    const token = u.searchParams.get('t') ?? '';
    const [expiry, mac] = token.split('.');
    for (const t of [null, '', `${expiry}.${'x'.repeat(32)}`, `${Number(expiry) + 60}.${mac}`]) {
      const target = new URL(u);
      if (t === null) target.searchParams.delete('t');
      else target.searchParams.set('t', t);
      const res = await fetch(target);
      expect([t, res.status]).toEqual([t, 403]);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('下载链接已失效');
    }
    now = new Date(now.getTime() + 16 * 60_000);
    try {
      expect((await fetch(u)).status).toBe(403);
    } finally {
      now = new Date(now.getTime() - 16 * 60_000);
    }
  });

  it('answers 404 for a validly signed link to a file that is not there, and for odd paths', async () => {
    const missing = await files.url('0123456789abcdef0123456789abcdef.pdf', 60);
    expect((await fetch(local(missing))).status).toBe(404);
    for (const path of ['/files/..%2Fsecrets.json', '/files/', '/files/a/b']) {
      expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 404]);
    }
  });
});
