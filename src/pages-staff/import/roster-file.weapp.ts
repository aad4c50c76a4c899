import Taro from '@tarojs/taro';
import { importLimits } from '@/domain/directory';
import { sizeLabel } from '../directory/model';
import type * as Contract from './roster-file';

export const rosterFromFileInput: typeof Contract.rosterFromFileInput = false;

function readBase64(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath,
      encoding: 'base64',
      success: (res) => resolve(String(res.data)),
      fail: (res) => reject(new Error(res.errMsg)),
    });
  });
}

export const chooseRoster: typeof Contract.chooseRoster = async () => {
  let chosen: Taro.chooseMessageFile.ChooseFile | undefined;
  try {
    const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx'] });
    chosen = res.tempFiles[0];
  } catch (error) {
    if (/cancel/i.test(String((error as { errMsg?: string } | null)?.errMsg ?? error))) return null;
    throw new Error('无法打开聊天文件，请重试');
  }
  if (!chosen) return null;
  if (!/\.xlsx$/i.test(chosen.name)) {
    throw new Error('请选择 .xlsx 格式的 Excel 文件（旧的 .xls 请先在 Excel 中另存为 .xlsx）');
  }
  if (chosen.size > importLimits.maxBytes) {
    throw new Error(
      `文件有 ${sizeLabel(chosen.size)}，不能超过 ${sizeLabel(importLimits.maxBytes)}`,
    );
  }
  try {
    return { name: chosen.name, bytes: chosen.size, base64: await readBase64(chosen.path) };
  } catch {
    throw new Error('文件读取失败，请重新选择');
  }
};
