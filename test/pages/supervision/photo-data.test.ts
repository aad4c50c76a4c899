import { photoPolicy } from '../../../src/domain/supervision';
import {
  base64ByteLength,
  fitWithin,
  fitsAsIs,
  leadingBytes,
  photoTypeOfBase64,
  splitDataUrl,
} from '../../../src/services/photo-data';

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
const jpeg = [0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46];

describe('leadingBytes and photoTypeOfBase64', () => {
  it('reads the first bytes of base64 without atob', () => {
    const bytes = [...Array(40).keys()].map((i) => (i * 37) % 256);
    expect([...leadingBytes(b64(bytes), 12)]).toEqual(bytes.slice(0, 12));
    expect([...leadingBytes(b64([1, 2]), 12)]).toEqual([1, 2]);
  });
  it('knows JPEG and PNG by their magic numbers, nothing else', () => {
    expect(photoTypeOfBase64(b64(png))).toBe('image/png');
    expect(photoTypeOfBase64(b64(jpeg))).toBe('image/jpeg');
    expect(
      photoTypeOfBase64(b64([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50])),
    ).toBeNull();
    expect(photoTypeOfBase64('')).toBeNull();
  });
});

describe('base64ByteLength and fitsAsIs', () => {
  it('counts the bytes, padding included', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100]) {
      expect(base64ByteLength(Buffer.alloc(n).toString('base64'))).toBe(n);
    }
  });
  it('takes JPEG or PNG up to the limit as they are', () => {
    expect(fitsAsIs('image/png', photoPolicy.maxBytes)).toBe(true);
    expect(fitsAsIs('image/jpeg', photoPolicy.maxBytes + 1)).toBe(false);
    expect(fitsAsIs(null, 10)).toBe(false);
  });
});

describe('fitWithin', () => {
  it('shrinks the longer side to the limit, never enlarges', () => {
    expect(fitWithin(4000, 3000, 1600)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3000, 4000, 1600)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(800, 600, 1600)).toEqual({ width: 800, height: 600 });
    expect(fitWithin(10000, 1, 1000)).toEqual({ width: 1000, height: 1 });
  });
});

describe('splitDataUrl', () => {
  it('takes a data URL apart', () => {
    expect(splitDataUrl('data:image/png;base64,iVBO')).toEqual({
      mime: 'image/png',
      base64: 'iVBO',
    });
    expect(splitDataUrl('data:image/jpeg;name=a.jpg;base64,/9j/')).toEqual({
      mime: 'image/jpeg',
      base64: '/9j/',
    });
    expect(splitDataUrl('data:,hello')).toBeNull();
    expect(splitDataUrl('https://x/y.png')).toBeNull();
  });
});
