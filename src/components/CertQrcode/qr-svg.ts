import qrcode from 'qrcode-generator';

/** Modules of blank border on each side, as ISO/IEC 18004 asks (and cert-qrcode draws). */
export const QUIET_ZONE_MODULES = 4;

export interface QrSvgOptions {
  /** Rendered side in CSS px, quiet zone included. */
  size: number;
  /** Quiet zone in modules; 4 unless told. */
  margin?: number;
}

/**
 * The module matrix of `text` at error correction M, `true` for dark; the same code the native
 * cert-qrcode draws (byte mode, UTF-8, smallest version that fits). Throws an Error whose
 * message says 'overflow' if the text does not fit.
 */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(utf8Bytes(text), 'Byte');
  try {
    qr.make();
  } catch (error) {
    // qrcode-generator throws bare strings ('code length overflow. (…)').
    throw error instanceof Error ? error : new Error(String(error));
  }
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, row) =>
    Array.from({ length: n }, (_, col) => qr.isDark(row, col)),
  );
}

/**
 * An SVG of the QR code of `text`: black on white, crisp edges, one `<rect>` per horizontal run
 * of dark modules, in a viewBox one unit per module with the quiet zone around.
 */
export function qrSvg(text: string, options: QrSvgOptions): string {
  return matrixSvg(qrMatrix(text), options);
}

/** The SVG of an already computed module matrix (see qrSvg). */
export function matrixSvg(
  matrix: boolean[][],
  { size, margin = QUIET_ZONE_MODULES }: QrSvgOptions,
): string {
  const span = matrix.length + 2 * margin;
  const rects: string[] = [];
  matrix.forEach((row, y) => {
    for (let x = 0; x < row.length; x += 1) {
      if (!row[x]) continue;
      const start = x;
      while (row[x + 1]) x += 1;
      rects.push(
        `<rect x="${start + margin}" y="${y + margin}" width="${x - start + 1}" height="1"/>`,
      );
    }
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" ` +
    `viewBox="0 0 ${span} ${span}" shape-rendering="crispEdges">` +
    `<rect width="${span}" height="${span}" fill="#ffffff"/>` +
    `<g fill="#000000">${rects.join('')}</g></svg>`
  );
}

/** An SVG as a `data:` URL for `<img src>`. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * `text` as UTF-8, one char per byte: qrcode-generator's byte mode takes each char's low 8 bits.
 * encodeURIComponent does the encoding (and throws URIError on a lone surrogate).
 */
function utf8Bytes(text: string): string {
  return encodeURIComponent(text).replace(/%([0-9A-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}
