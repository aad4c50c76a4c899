import Taro from '@tarojs/taro';
import { publicityPolicy } from '@/domain/outreach';
import type * as Contract from './document';
import { checkedDocument } from './document-check';

function readBase64(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath,
      encoding: 'base64',
      success: (res) => resolve(String(res.data)),
      fail: () => reject(new Error('文件读取失败，请重新选择')),
    });
  });
}

/** From a chat: where documents on a phone usually are in WeChat. */
export const chooseDocument: typeof Contract.chooseDocument = async () => {
  let file: { name: string; path: string; size: number };
  try {
    const res = await Taro.chooseMessageFile({
      count: 1,
      type: 'file',
      extension: ['pdf', 'jpg', 'jpeg', 'png'],
    });
    const first = res.tempFiles[0];
    if (!first) return null;
    file = first;
  } catch (error) {
    if (/cancel/i.test(String((error as { errMsg?: string } | null)?.errMsg ?? error))) return null;
    throw new Error('无法选择文件，请重试');
  }
  // Before reading it whole: a large video from a chat would not fit in memory as base64.
  if (file.size > publicityPolicy.fileMaxBytes) {
    throw new Error(`文件不能超过 ${publicityPolicy.fileMaxBytes / 1024 / 1024} MB`);
  }
  return checkedDocument(file.name, await readBase64(file.path));
};

export const documentsFromFileInput: typeof Contract.documentsFromFileInput = false;
