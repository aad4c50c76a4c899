import { importLimits } from '@/domain/directory';
import { base64FromBytes, sizeLabel } from '../directory/model';
import type * as Contract from './roster-file';

export const rosterFromFileInput: typeof Contract.rosterFromFileInput = true;

export const chooseRoster: typeof Contract.chooseRoster = async (file) => {
  if (!file) return null;
  if (!/\.xlsx$/i.test(file.name)) {
    throw new Error('请选择 .xlsx 格式的 Excel 文件（旧的 .xls 请先在 Excel 中另存为 .xlsx）');
  }
  if (file.size > importLimits.maxBytes) {
    throw new Error(`文件有 ${sizeLabel(file.size)}，不能超过 ${sizeLabel(importLimits.maxBytes)}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    throw new Error('文件读取失败，请重新选择');
  }
  return { name: file.name, bytes: file.size, base64: base64FromBytes(bytes) };
};
