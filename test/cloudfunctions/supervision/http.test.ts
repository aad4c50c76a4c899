/**
 * A full-size photo through the embedded runtime: up to 2 MB of image (2.7 MB of base64) is
 * accepted by /api/supervision, though other functions keep their 1 MB limit, and the photo
 * comes back from the signed /files link.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeConfig } from '../../../cloudfunctions/kit/action';
import { fileUrlKeyFrom, openLocalFileStore } from '../../../cloudfunctions/kit/files/local';
import { openSqliteStore } from '../../../cloudfunctions/kit/store/sqlite';
import { createLocalServer, type Session } from '../../../cloudfunctions/local/server';
import type { PhotoLink, UploadedPhoto } from '../../../cloudfunctions/supervision/actions';
import type { Envelope } from '../../../src/domain/errors';
import type { User } from '../../../src/domain/role';
import { photoPolicy } from '../../../src/domain/supervision';
import { testSigningKey } from '../../helpers/runtime';
import { jpegBytes } from './world';

const config: RuntimeConfig = {
  publicBaseUrl: 'https://hgz.example.cn',
  identitySecret: 'test-identity-secret',
  signingKey: testSigningKey,
};

it('uploads a 2 MB photo over HTTP and serves it back by its signed link', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-photo-http-'));
  const store = openSqliteStore({ file: join(dir, 'test.db') });
  const files = openLocalFileStore({
    dir: join(dir, 'files'),
    baseUrl: 'http://placeholder',
    urlKey: fileUrlKeyFrom(config.identitySecret),
  });
  const server = createLocalServer({ store, config, staticDir: null, files });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await store.collection<User>('users').insert({
      _id: 'sup-xg',
      nickname: '墟沟监管员',
      roles: ['supervisor'],
      divisionCode: '320703001',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const token = 'supervisor-session-token-0123456789';
    await store.collection<Session>('sessions').insert({
      _id: createHash('sha256').update(token).digest('hex'),
      userId: 'sup-xg',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const post = async <T>(fn: string, body: unknown) => {
      const res = await fetch(`${base}/api/${fn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Envelope<T> };
    };

    const photo = jpegBytes(photoPolicy.maxBytes);
    const up = await post<UploadedPhoto>('supervision', {
      action: 'uploadPhoto',
      input: { base64: photo.toString('base64'), contentType: 'image/jpeg' },
    });
    expect(up).toMatchObject({ status: 200, json: { ok: true, data: { bytes: photo.length } } });
    if (!up.json.ok) return;

    const links = await post<PhotoLink[]>('supervision', {
      action: 'photoUrls',
      input: { fileIds: [up.json.data.fileId] },
    });
    if (!links.json.ok) throw new Error(JSON.stringify(links.json));
    const link = new URL(links.json.data[0]!.url);
    const got = await fetch(`${base}${link.pathname}${link.search}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await got.arrayBuffer()).equals(photo)).toBe(true);

    // Other functions keep the 1 MB limit.
    const big = await post('subject', { action: 'mine', input: { pad: 'x'.repeat(1_100_000) } });
    expect(big.status).toBe(413);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
