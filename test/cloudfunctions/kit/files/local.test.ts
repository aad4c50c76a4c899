import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fileUrlKeyFrom,
  isLocalFileId,
  openLocalFileStore,
} from '../../../../cloudfunctions/kit/files/local';
import { fileStoreContract } from './contract';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function open(now = () => new Date('2026-11-29T02:00:00Z')) {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-files-'));
  dirs.push(dir);
  return {
    dir,
    files: openLocalFileStore({
      dir: join(dir, 'files'),
      baseUrl: 'http://127.0.0.1:8080/',
      urlKey: fileUrlKeyFrom('test-identity-secret'),
      now,
    }),
  };
}

fileStoreContract('local disk', () => open().files);

describe('local file store', () => {
  it('keeps files owner-only under DATA_DIR/files, with unguessable ids', async () => {
    const { dir, files } = open();
    const { fileId } = await files.put('print/A/x.pdf', new Uint8Array([1, 2]), 'application/pdf');
    expect(isLocalFileId(fileId)).toBe(true);
    expect(fileId).toMatch(/^[0-9a-f]{32}\.pdf$/);
    expect(readdirSync(join(dir, 'files')).sort()).toEqual([fileId, `${fileId}.json`]);
    expect(statSync(join(dir, 'files', fileId)).mode & 0o077).toBe(0);
  });

  it('signs URLs with an expiry: /files/<id>?t=<expiry>.<hmac>', async () => {
    let now = new Date('2026-11-29T02:00:00Z');
    const { files } = open(() => now);
    const { fileId } = await files.put('print/A/x.pdf', new Uint8Array([1]), 'application/pdf');
    const url = new URL(await files.url(fileId, 60));
    expect(url.origin + url.pathname).toBe(`http://127.0.0.1:8080/files/${fileId}`);
    const token = url.searchParams.get('t') ?? '';
    expect(token).toMatch(
      new RegExp(`^${Date.parse('2026-11-29T02:01:00Z') / 1000}\\.[\\w-]{32}$`),
    );
    expect(files.checkToken(fileId, token)).toBe(true);
    now = new Date('2026-11-29T02:01:00Z');
    expect(files.checkToken(fileId, token)).toBe(false);
  });

  it('refuses link lifetimes that make no sense', async () => {
    const { files } = open();
    const { fileId } = await files.put('print/A/x.pdf', new Uint8Array([1]), 'application/pdf');
    for (const ttl of [0, -1, 1.5, 8 * 24 * 3600]) {
      await expect(files.url(fileId, ttl)).rejects.toThrow(RangeError);
    }
  });

  it('derives the same URL key from the same secret (links survive a restart) and another from another', () => {
    expect(Buffer.from(fileUrlKeyFrom('s1'))).toEqual(Buffer.from(fileUrlKeyFrom('s1')));
    expect(Buffer.from(fileUrlKeyFrom('s1'))).not.toEqual(Buffer.from(fileUrlKeyFrom('s2')));
  });
});
