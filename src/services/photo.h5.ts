import { photoPolicy, photoTooLarge } from '../domain/supervision';
import type * as Contract from './photo';
import {
  base64ByteLength,
  fitWithin,
  fitsAsIs,
  photoTypeOfBase64,
  shrinkSteps,
  splitDataUrl,
} from './photo-data';

function readDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error('照片读取失败，请重新选择'));
    reader.readAsDataURL(file);
  });
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () =>
      reject(new Error('这个文件不是浏览器能打开的照片，请换一张 JPEG 或 PNG 照片'));
    img.src = src;
  });
}

/** Redrawn as JPEG, smaller each step, until it fits. */
async function shrink(dataUrl: string): Promise<Contract.PreparedPhoto> {
  const img = await loadImage(dataUrl);
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) throw new Error('照片压缩失败，请换一张较小的照片');
  for (const step of shrinkSteps) {
    const size = fitWithin(img.naturalWidth, img.naturalHeight, step.maxSide);
    canvas.width = size.width;
    canvas.height = size.height;
    // JPEG has no transparency: a white ground rather than black.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size.width, size.height);
    context.drawImage(img, 0, 0, size.width, size.height);
    const out = canvas.toDataURL('image/jpeg', step.quality);
    const parts = splitDataUrl(out);
    if (!parts) continue;
    const bytes = base64ByteLength(parts.base64);
    if (photoTypeOfBase64(parts.base64) === 'image/jpeg' && bytes <= photoPolicy.maxBytes) {
      return { base64: parts.base64, contentType: 'image/jpeg', bytes, preview: out, shrunk: true };
    }
  }
  throw new Error(photoTooLarge);
}

async function prepare(file: File): Promise<Contract.PreparedPhoto> {
  const dataUrl = await readDataUrl(file);
  const parts = splitDataUrl(dataUrl);
  if (!parts) throw new Error('照片读取失败，请重新选择');
  const type = photoTypeOfBase64(parts.base64);
  const bytes = base64ByteLength(parts.base64);
  if (fitsAsIs(type, bytes) && type) {
    return { base64: parts.base64, contentType: type, bytes, preview: dataUrl, shrunk: false };
  }
  // Too large, or HEIC/WebP the server does not take: redrawn as JPEG.
  return shrink(dataUrl);
}

export const choosePhotos: typeof Contract.choosePhotos = async ({ max, files }) => {
  const chosen = Array.from(files ?? []).slice(0, Math.max(0, max));
  const photos: Contract.PreparedPhoto[] = [];
  for (const file of chosen) photos.push(await prepare(file));
  return photos;
};

export const photosFromFileInput: typeof Contract.photosFromFileInput = true;
