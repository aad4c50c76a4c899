/**
 * Choosing a document for a training session's materials (a PDF, or a JPEG/PNG picture of one)
 * and reading it for `outreach.uploadFile`. document.weapp.ts picks from a WeChat chat
 * (chooseMessageFile: phones keep documents there); document.h5.ts reads the file the page's
 * <input type=file> chose. Taro picks one by file suffix.
 */
import type { UploadType } from './model';

export interface PickedDocument {
  /** The file's name without its extension, as the material's default title. */
  title: string;
  base64: string;
  contentType: UploadType;
  bytes: number;
}

/**
 * The document the user chose, or null when they cancelled. Rejects with a Chinese message when
 * it is not a PDF, JPEG or PNG, or is larger than the upload allows.
 */
export function chooseDocument(files?: ArrayLike<File>): Promise<PickedDocument | null>;

/** Whether documents come from an <input type=file> on the page (H5) rather than a button. */
export const documentsFromFileInput: boolean;
