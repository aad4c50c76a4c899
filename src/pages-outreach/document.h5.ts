import type * as Contract from './document';
import { checkedDocument } from './document-check';

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('文件读取失败，请重新选择'));
    reader.readAsDataURL(file);
  });
}

export const chooseDocument: typeof Contract.chooseDocument = async (files) => {
  const file = files?.[0];
  if (!file) return null;
  return checkedDocument(file.name, await readBase64(file));
};

export const documentsFromFileInput: typeof Contract.documentsFromFileInput = true;
