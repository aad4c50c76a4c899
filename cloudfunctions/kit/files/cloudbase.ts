/**
 * The CloudBase adapter of the file port: 云存储 through @cloudbase/node-sdk 3.x.
 *
 * What the SDK does that this file absorbs (checked against 3.18): `uploadFile({ cloudPath,
 * fileContent })` takes a Buffer and answers `{ fileID }` (`cloud://<env>.<bucket>/<cloudPath>`);
 * the content type is derived from the path's extension, so keys carry one. `getTempFileURL`
 * answers `{ fileList: [{ fileID, tempFileURL, code }] }` with `code: 'SUCCESS'` per file and takes
 * `maxAge` in seconds (a private file's link expires then). `downloadFile({ fileID })` answers
 * `{ fileContent: Buffer }`. Failures are thrown as `{ code, message }`; STORAGE_FILE_NONEXIST
 * means there is no such file.
 */
import { randomBytes } from 'node:crypto';
import type { CloudBase } from '@cloudbase/node-sdk';
import { StoreUnavailableError } from '../store/port';
import { checkFileKey, fileNameOf, type FileStore, type StoredFile } from './port';

/** The part of the SDK this adapter uses (a test passes a fake). */
export type CloudbaseStorage = Pick<CloudBase, 'uploadFile' | 'downloadFile' | 'getTempFileURL'>;

export interface CloudbaseFileStoreOptions {
  app: CloudbaseStorage;
  /** How long one SDK call may take before it counts as unavailable; 20 s unless set. */
  timeoutMs?: number;
}

const contentTypes: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  json: 'application/json',
};

function contentTypeOf(name: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return contentTypes[ext] ?? 'application/octet-stream';
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : '';
}

async function withTimeout<R>(what: string, timeoutMs: number, run: () => Promise<R>): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(`CloudBase ${what}: no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(run), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function openCloudbaseFileStore(options: CloudbaseFileStoreOptions): FileStore {
  const { app } = options;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const sdk = async <R>(what: string, run: () => Promise<R>): Promise<R> => {
    try {
      return await withTimeout(what, timeoutMs, run);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(`CloudBase ${what} failed (${codeOf(error)})`, {
        cause: error,
      });
    }
  };

  return {
    async put(key, bytes, _contentType) {
      checkFileKey(key);
      // COS replaces an object uploaded to the same path; a random folder before the file name
      // gives each put its own file, as on local disk, and keeps the name for downloads.
      const slash = key.lastIndexOf('/') + 1;
      const cloudPath = `${key.slice(0, slash)}${randomBytes(12).toString('hex')}/${key.slice(slash)}`;
      const fileContent = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const res = await sdk(`upload ${key}`, () => app.uploadFile({ cloudPath, fileContent }));
      if (!res.fileID) throw new StoreUnavailableError(`CloudBase upload ${key}: no fileID`);
      return { fileId: res.fileID };
    },

    async get(fileId): Promise<StoredFile | null> {
      if (!fileId.startsWith('cloud://')) return null;
      let content: string | Buffer | undefined;
      try {
        content = (await sdk(`download ${fileId}`, () => app.downloadFile({ fileID: fileId })))
          .fileContent;
      } catch (error) {
        if (/NONEXIST|NOT_EXIST/i.test(codeOf((error as { cause?: unknown }).cause))) return null;
        throw error;
      }
      if (content === undefined) return null;
      const name = fileNameOf(fileId);
      return {
        bytes: typeof content === 'string' ? Buffer.from(content, 'binary') : content,
        contentType: contentTypeOf(name),
        name,
      };
    },

    async url(fileId, ttlSeconds) {
      const res = await sdk(`temp URL of ${fileId}`, () =>
        app.getTempFileURL({ fileList: [{ fileID: fileId, maxAge: ttlSeconds }] }),
      );
      const item = res.fileList?.[0];
      if (!item || item.code !== 'SUCCESS' || !item.tempFileURL) {
        throw new StoreUnavailableError(
          `CloudBase temp URL of ${fileId}: ${item?.code ?? 'no answer'}`,
        );
      }
      return item.tempFileURL;
    },
  };
}
