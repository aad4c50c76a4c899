/**
 * Choosing photos for a patrol or a rectification and making them fit the upload (JPEG or PNG,
 * at most 2 MB). photo.weapp.ts asks the camera or album (chooseMedia) and reads the file as
 * base64; photo.h5.ts takes the files the page's <input type=file> chose. Taro picks one by
 * file suffix.
 */
import type { PhotoContentType } from '../domain/supervision';

/** A photo ready for `supervision.uploadPhoto`. */
export interface PreparedPhoto {
  base64: string;
  contentType: PhotoContentType;
  bytes: number;
  /** What an <Image> shows at once: a temporary file path or a data URL. */
  preview: string;
  /** True when it was shrunk (or re-encoded as JPEG) to fit. */
  shrunk: boolean;
}

export interface PhotoSource {
  /** How many more photos may be taken. */
  max: number;
  /** H5: the files the <input type=file> chose; the mini-program ignores it. */
  files?: ArrayLike<File>;
}

/**
 * The photos the user chose, each shrunk to fit when it is too large: [] when they cancelled.
 * Rejects with a Chinese message when a photo cannot be read or made to fit.
 */
export function choosePhotos(source: PhotoSource): Promise<PreparedPhoto[]>;

/** Whether photos come from an <input type=file> on the page (H5) rather than a button. */
export const photosFromFileInput: boolean;
