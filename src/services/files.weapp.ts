import Taro from '@tarojs/taro';
import type * as Contract from './files';

function writeBase64(filePath: string, base64: string): Promise<void> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().writeFile({
      filePath,
      data: base64,
      encoding: 'base64',
      success: () => resolve(),
      fail: (res) => reject(new Error(res.errMsg)),
    });
  });
}

/** Writes into the user data folder, then opens it with the menu to forward or print it. */
export const saveAndOpen: typeof Contract.saveAndOpen = async ({ filename, base64, fileType }) => {
  // Slashes would name folders that do not exist.
  const filePath = `${Taro.env.USER_DATA_PATH}/${filename.replace(/[\\/]/g, '-')}`;
  try {
    await writeBase64(filePath, base64);
  } catch {
    throw new Error('文件保存失败，请检查手机存储空间后重试');
  }
  try {
    await Taro.openDocument({ filePath, fileType, showMenu: true });
  } catch {
    throw new Error('文件已保存，但无法打开；请安装能打开表格的应用后重试');
  }
};

function download(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    Taro.downloadFile({
      url,
      success: (res) =>
        res.statusCode === 200
          ? resolve(res.tempFilePath)
          : reject(new Error(`HTTP ${res.statusCode}`)),
      fail: (res) => reject(new Error(res.errMsg)),
    });
  });
}

/** Downloads to a temporary file and opens it with the menu (print, forward to a chat). */
export const openPdf: typeof Contract.openPdf = async (url) => {
  let filePath: string;
  try {
    filePath = await download(url);
  } catch {
    throw new Error('PDF 下载失败，请检查网络后重试');
  }
  try {
    await Taro.openDocument({ filePath, fileType: 'pdf', showMenu: true });
  } catch {
    throw new Error('PDF 已下载，但无法打开，请重试');
  }
};
