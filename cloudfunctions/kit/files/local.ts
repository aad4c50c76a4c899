/**
 * The local-disk adapter of the file port (the embedded runtime): files under DATA_DIR/files, and
 * download URLs `/files/<fileId>?t=<expiry>.<hmac>` that the embedded server checks, so a link can
 * be neither guessed nor used after it expires.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { StoreUnavailableError } from '../store/port';
import { checkFileKey, fileNameOf, type FileStore, type StoredFile } from './port';

export interface LocalFileStoreOptions {
  /** Where the files live (DATA_DIR/files); created on first write. */
  dir: string;
  /** What download URLs start with: the embedded server's public base, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** HMAC key of download URLs; see fileUrlKeyFrom. */
  urlKey: Uint8Array;
  now?: () => Date;
}

/** What the embedded server asks of the local store besides the port. */
export interface LocalFileStore extends FileStore {
  /** True when `token` (the `t` query parameter) is one this store issued for `fileId`, unexpired. */
  checkToken(fileId: string, token: string | null | undefined): boolean;
}

interface FileMeta {
  key: string;
  contentType: string;
  size: number;
  createdAt: string;
}

/** Local file ids: 128 random bits in hex and the key's extension, e.g. `3f9c….pdf`. */
const fileIdPattern = /^[0-9a-f]{32}(\.[a-z0-9]{1,8})?$/;

export function isLocalFileId(id: string): boolean {
  return fileIdPattern.test(id);
}

/**
 * The URL-signing key, derived from the runtime's identity secret so it survives restarts (links
 * stay valid until they expire) without another secret to keep; HKDF keeps the two uses apart.
 */
export function fileUrlKeyFrom(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'hgz-files', 'hgz-file-url-v1', 32));
}

const maxTtlSeconds = 7 * 24 * 3600;

export function openLocalFileStore(options: LocalFileStoreOptions): LocalFileStore {
  const dir = path.resolve(options.dir);
  const base = options.baseUrl.replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const mac = (fileId: string, expiry: number) =>
    createHmac('sha256', options.urlKey)
      .update(`hgz-file-v1:${fileId}:${expiry}`)
      .digest()
      .subarray(0, 24);

  const fail = (what: string, cause: unknown): never => {
    throw new StoreUnavailableError(`local file store: ${what} failed`, { cause });
  };

  return {
    async put(key, bytes, contentType) {
      checkFileKey(key);
      const ext = /\.([A-Za-z0-9]{1,8})$/.exec(key)?.[1]?.toLowerCase();
      const fileId = randomBytes(16).toString('hex') + (ext ? `.${ext}` : '');
      const meta: FileMeta = {
        key,
        contentType,
        size: bytes.length,
        createdAt: now().toISOString(),
      };
      try {
        await fsp.mkdir(dir, { recursive: true });
        // Bytes first, metadata last: a file without its metadata does not exist for get().
        await writeAtomically(path.join(dir, fileId), bytes);
        await writeAtomically(path.join(dir, `${fileId}.json`), JSON.stringify(meta));
      } catch (error) {
        fail(`writing ${key}`, error);
      }
      return { fileId };
    },

    async get(fileId): Promise<StoredFile | null> {
      if (!isLocalFileId(fileId)) return null;
      let meta: FileMeta;
      let bytes: Buffer;
      try {
        meta = JSON.parse(await fsp.readFile(path.join(dir, `${fileId}.json`), 'utf8')) as FileMeta;
        bytes = await fsp.readFile(path.join(dir, fileId));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        return fail(`reading ${fileId}`, error);
      }
      return { bytes, contentType: meta.contentType, name: fileNameOf(meta.key) };
    },

    async url(fileId, ttlSeconds) {
      if (!isLocalFileId(fileId)) throw new Error(`not a local file id: ${fileId}`);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maxTtlSeconds) {
        throw new RangeError(`ttlSeconds must be 1..${maxTtlSeconds}`);
      }
      const expiry = Math.floor(now().getTime() / 1000) + ttlSeconds;
      const token = `${expiry}.${mac(fileId, expiry).toString('base64url')}`;
      return `${base}/files/${fileId}?t=${token}`;
    },

    checkToken(fileId, token) {
      const m = /^(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(token ?? '');
      if (!m || !isLocalFileId(fileId)) return false;
      const expiry = Number(m[1]);
      const given = Buffer.from(m[2] ?? '', 'base64url');
      const expected = mac(fileId, expiry);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      return expiry * 1000 > now().getTime();
    },
  };
}

async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await fsp.writeFile(tmp, data, { mode: 0o600 });
  await fsp.rename(tmp, file);
}
