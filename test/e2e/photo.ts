/** A photo for the end-to-end tests to upload through the H5 file input. */
import { PNG } from 'pngjs';

/** A small valid PNG (green, 24×16): the server checks the bytes, not just the name. */
export function tinyPng(): Buffer {
  const png = new PNG({ width: 24, height: 16 });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = 27;
    png.data[i + 1] = 94;
    png.data[i + 2] = 32;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}
