/**
 * Choosing the roster (.xlsx) to import. roster-file.weapp.ts picks it from a WeChat chat
 * (chooseMessageFile: rosters arrive as chat attachments) and reads it as base64;
 * roster-file.h5.ts reads the file the page's <input type=file> chose. Taro picks one by suffix.
 */

/** A roster ready for `directory.import`. */
export interface RosterFile {
  name: string;
  bytes: number;
  base64: string;
}

/**
 * The chosen roster, or null when the user cancelled. H5 passes the input's file; the
 * mini-program ignores it and opens the chat file picker. Rejects with a Chinese message when
 * the file is not an .xlsx, too large, or cannot be read.
 */
export function chooseRoster(file?: File): Promise<RosterFile | null>;

/** Whether the roster comes from an <input type=file> on the page (H5) rather than a button. */
export const rosterFromFileInput: boolean;
