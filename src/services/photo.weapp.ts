import Taro from '@tarojs/taro';
import { photoPolicy, photoTooLarge } from '../domain/supervision';
import type * as Contract from './photo';
import { base64ByteLength, fitsAsIs, photoTypeOfBase64, shrinkSteps } from './photo-data';

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

function isCancel(error: unknown): boolean {
  return /cancel/i.test(String((error as { errMsg?: string } | null)?.errMsg ?? error));
}

/** One photo, shrunk (compressImage gives JPEG) until it fits or the steps run out. */
async function prepare(path: string): Promise<Contract.PreparedPhoto> {
  let base64 = await readBase64(path);
  let type = photoTypeOfBase64(base64);
  let bytes = base64ByteLength(base64);
  if (fitsAsIs(type, bytes)) {
    return { base64, contentType: type ?? 'image/jpeg', bytes, preview: path, shrunk: false };
  }
  for (const step of shrinkSteps) {
    const { tempFilePath } = await Taro.compressImage({
      src: path,
      quality: Math.round(step.quality * 100),
      compressedWidth: step.maxSide,
    } as Taro.compressImage.Option);
    base64 = await readBase64(tempFilePath);
    type = photoTypeOfBase64(base64);
    bytes = base64ByteLength(base64);
    if (fitsAsIs(type, bytes) && type) {
      return { base64, contentType: type, bytes, preview: tempFilePath, shrunk: true };
    }
  }
  throw new Error(type ? photoTooLarge : '只支持 JPEG 或 PNG 照片');
}

/** Camera or album; the compressed size WeChat offers first, then shrunk further if needed. */
export const choosePhotos: typeof Contract.choosePhotos = async ({ max }) => {
  if (max <= 0) return [];
  let paths: string[];
  try {
    const res = await Taro.chooseMedia({
      count: Math.min(max, photoPolicy.maxPerRecord),
      mediaType: ['image'],
      sourceType: ['camera', 'album'],
      sizeType: ['compressed'],
      camera: 'back',
    });
    paths = res.tempFiles.map((f) => f.tempFilePath);
  } catch (error) {
    if (isCancel(error)) return [];
    throw new Error('无法打开相机或相册，请在设置中允许使用相机后重试');
  }
  const photos: Contract.PreparedPhoto[] = [];
  for (const path of paths) {
    try {
      photos.push(await prepare(path));
    } catch (error) {
      throw new Error(error instanceof Error && error.message ? error.message : '照片读取失败');
    }
  }
  return photos;
};

export const photosFromFileInput: typeof Contract.photosFromFileInput = false;
