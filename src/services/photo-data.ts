/**
 * What photo handling works out without Taro or the platform: the type a photo's bytes show,
 * its size from its base64, the smaller size to redraw it at, and a data URL taken apart.
 * Shared by photo.weapp.ts and photo.h5.ts; tested in test/pages/photo.
 */
import { detectPhotoType, photoPolicy, type PhotoContentType } from '../domain/supervision';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The first bytes of a base64 text (enough for magic numbers; weapp has no atob). */
export function leadingBytes(base64: string, count = 12): Uint8Array {
  const chars = base64.slice(0, Math.ceil(count / 3) * 4).replace(/=+$/, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of chars) {
    const v = alphabet.indexOf(ch);
    if (v < 0) break;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return new Uint8Array(out.slice(0, count));
}

/** JPEG or PNG as the bytes show it, or null (HEIC, WebP, not an image). */
export function photoTypeOfBase64(base64: string): PhotoContentType | null {
  return detectPhotoType(leadingBytes(base64));
}

/** The number of bytes a base64 text carries. */
export function base64ByteLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

/** Whether a photo of this type and size may be uploaded as it is. */
export function fitsAsIs(type: PhotoContentType | null, bytes: number): boolean {
  return type !== null && bytes <= photoPolicy.maxBytes;
}

/** The size to redraw a picture at so its longer side is at most `maxSide` (never enlarged). */
export function fitWithin(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  const longer = Math.max(width, height);
  if (longer <= maxSide || longer <= 0) return { width, height };
  const scale = maxSide / longer;
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/**
 * The attempts to shrink a photo, in order, until it fits: the longer side in pixels and the
 * JPEG quality (0–1). A phone photo of 4000 px at 0.8 is usually well under 2 MB at 1600 px.
 */
export const shrinkSteps: readonly { maxSide: number; quality: number }[] = [
  { maxSide: 1600, quality: 0.8 },
  { maxSide: 1280, quality: 0.7 },
  { maxSide: 1024, quality: 0.6 },
];

/** The base64 and declared type of a data URL, or null when it is not a base64 data URL. */
export function splitDataUrl(dataUrl: string): { mime: string; base64: string } | null {
  const m = /^data:([^;,]*)(?:;[^,]*)?;base64,([\s\S]*)$/.exec(dataUrl);
  return m ? { mime: m[1] ?? '', base64: m[2] ?? '' } : null;
}

/** What the picker says about size: the limit, and that larger photos are shrunk. */
export const photoSizeNote = `每张照片不超过 ${photoPolicy.maxBytes / 1024 / 1024} MB，较大的照片会自动压缩；最多 ${photoPolicy.maxPerRecord} 张`;
