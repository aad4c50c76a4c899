/**
 * Handing a file the server made (an export, a PDF) to the user. files.h5.ts downloads it in
 * the browser; files.weapp.ts writes it to the mini-program's user data folder and opens it, from
 * where it can be forwarded or printed. Taro picks one by file suffix.
 */

/** The kinds of document `openDocument` shows in the mini-program. */
export type DocumentType = 'xlsx' | 'pdf' | 'docx';

export interface FileToOpen {
  /** The file's name, shown to the user and kept when shared. */
  filename: string;
  /** Its content, base64-encoded. */
  base64: string;
  fileType: DocumentType;
}

/** Saves the file and shows or downloads it; rejects with a Chinese message on failure. */
export function saveAndOpen(file: FileToOpen): Promise<void>;

/**
 * Opens a PDF the server made, from its short-lived link: the browser shows it in a new tab; the
 * mini-program downloads it and opens it with the menu to print or forward it. Rejects with a
 * Chinese message on failure.
 */
export function openPdf(url: string): Promise<void>;
