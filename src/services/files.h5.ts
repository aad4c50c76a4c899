import type * as Contract from './files';

const mimeTypes: Record<Contract.DocumentType, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The browser's download: a Blob behind a temporary link named after the file. */
export const saveAndOpen: typeof Contract.saveAndOpen = async ({ filename, base64, fileType }) => {
  let url: string;
  try {
    url = URL.createObjectURL(new Blob([bytesOf(base64)], { type: mimeTypes[fileType] }));
  } catch {
    throw new Error('文件内容有误，无法下载，请重试');
  }
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Later, not now: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
};

/**
 * A new tab with the PDF. The link is opened after an await, so a strict browser may block the
 * tab: the page shows the same link to tap as well.
 */
export const openPdf: typeof Contract.openPdf = async (url) => {
  const tab = window.open(url, '_blank');
  // The PDF's tab gets no handle on this app.
  if (tab) tab.opener = null;
};
