/**
 * The file-storage port: where actions keep bytes that are not documents (printed PDFs, patrol
 * photos). Two adapters keep one contract: the local disk under DATA_DIR/files (the embedded
 * runtime) and CloudBase cloud storage (production). Metadata an action needs to query belongs in
 * the store's 'files' collection; this port only holds the bytes.
 */

/** A stored file as read back. */
export interface StoredFile {
  bytes: Uint8Array;
  contentType: string;
  /** The last segment of the key it was stored under, for a download's file name. */
  name: string;
}

export interface FileStore {
  /**
   * Stores `bytes` under a key such as `print/ABCD…/80x60.pdf`; the key's extension matters on
   * CloudBase, which derives the content type from it. Returns the id to read it back by.
   */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<{ fileId: string }>;
  /** The file, or null when there is none with that id. */
  get(fileId: string): Promise<StoredFile | null>;
  /** A URL anyone holding it can download the file from until `ttlSeconds` have passed. */
  url(fileId: string, ttlSeconds: number): Promise<string>;
}

/** Keys are paths of plain segments: no way up, nothing hidden, nothing a URL must escape. */
export function checkFileKey(key: string): string {
  const segments = key.split('/');
  if (
    key.length > 200 ||
    segments.some((s) => !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(s) || s.includes('..'))
  ) {
    throw new Error(`file key ${JSON.stringify(key)} must be /-separated [A-Za-z0-9._-] segments`);
  }
  return key;
}

/** The file name part of a key. */
export function fileNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** How long a download link lasts unless an action says otherwise: long enough to open it. */
export const defaultFileUrlTtlSeconds = 15 * 60;
