import jsQR from 'jsqr';
import qrcode from 'qrcode-generator';
import { qrMatrix, qrSvg, svgDataUrl } from '@/components/CertQrcode/qr-svg';

const URL_A = 'https://hgz.example.cn/v/LY2026000123?s=9f3a7c';
const PX_PER_MODULE = 4;

/** The reference matrix, computed independently with qrcode-generator at error correction M. */
function referenceMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(Buffer.from(text, 'utf8').toString('latin1'), 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, row) =>
    Array.from({ length: n }, (_, col) => qr.isDark(row, col)),
  );
}

interface ParsedSvg {
  width: number;
  height: number;
  /** Side of the viewBox in modules, quiet zone included. */
  span: number;
  /** Every module of the viewBox, quiet zone included, `true` where a dark rect covers it. */
  modules: boolean[][];
}

/** Reads the SVG back: its size, its white backdrop, and the modules its dark rects cover. */
function parseSvg(svg: string): ParsedSvg {
  const head = /^<svg [^>]*width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"[^>]*>/.exec(svg);
  expect(head).not.toBeNull();
  const [width, height, span, spanY] = head!.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  expect(spanY).toBe(span);
  expect(svg).toContain('shape-rendering="crispEdges"');
  expect(svg).toContain(`<rect width="${span}" height="${span}" fill="#ffffff"/>`);
  const group = /<g fill="#000000">(.*)<\/g><\/svg>$/.exec(svg);
  expect(group).not.toBeNull();
  const modules = Array.from({ length: span }, () => Array<boolean>(span).fill(false));
  const rect = /<rect x="(\d+)" y="(\d+)" width="(\d+)" height="1"\/>/g;
  let covered = 0;
  for (const match of group![1]!.matchAll(rect)) {
    const [x, y, w] = match.slice(1).map(Number) as [number, number, number];
    covered += match[0].length;
    for (let col = x; col < x + w; col += 1) {
      expect(modules[y]![col]).toBe(false);
      modules[y]![col] = true;
    }
  }
  expect(covered).toBe(group![1]!.length);
  return { width, height, span, modules };
}

/** Rasterises modules to RGBA, black on white, PX_PER_MODULE px each, for jsQR. */
function rasterise(modules: boolean[][]): { data: Uint8ClampedArray; side: number } {
  const side = modules.length * PX_PER_MODULE;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let py = y * PX_PER_MODULE; py < (y + 1) * PX_PER_MODULE; py += 1) {
        for (let px = x * PX_PER_MODULE; px < (x + 1) * PX_PER_MODULE; px += 1) {
          data.set([0, 0, 0, 255], (py * side + px) * 4);
        }
      }
    }),
  );
  return { data, side };
}

function inner(modules: boolean[][], margin: number): boolean[][] {
  return modules
    .slice(margin, modules.length - margin)
    .map((row) => row.slice(margin, row.length - margin));
}

describe('qrSvg', () => {
  describe('text', () => {
    it('draws exactly the QR matrix of the text at error correction M', () => {
      const { modules } = parseSvg(qrSvg(URL_A, { size: 200 }));
      expect(inner(modules, 4)).toEqual(referenceMatrix(URL_A));
    });

    it('scans back to the text (jsQR on a 4 px/module rasterisation)', () => {
      const { data, side } = rasterise(parseSvg(qrSvg(URL_A, { size: 200 })).modules);
      expect(jsQR(data, side, side)?.data).toBe(URL_A);
    });

    it('encodes Chinese text as UTF-8', () => {
      const text = '连云区承诺达标合格证 LY2026000123';
      const { modules } = parseSvg(qrSvg(text, { size: 200 }));
      expect(inner(modules, 4)).toEqual(referenceMatrix(text));
      const { data, side } = rasterise(modules);
      expect(jsQR(data, side, side)?.data).toBe(text);
    });

    it('throws when the text does not fit in a QR code', () => {
      expect(() => qrSvg('x'.repeat(2400), { size: 200 })).toThrow(/overflow/);
    });
  });

  describe('size', () => {
    it('sets the rendered width and height in px, the viewBox staying in modules', () => {
      const svg = parseSvg(qrSvg(URL_A, { size: 320 }));
      expect([svg.width, svg.height]).toEqual([320, 320]);
      expect(svg.span).toBe(referenceMatrix(URL_A).length + 8);
    });
  });

  describe('margin', () => {
    it('leaves a 4-module quiet zone by default', () => {
      const { modules, span } = parseSvg(qrSvg(URL_A, { size: 200 }));
      const border = modules.flatMap((row, y) =>
        row.filter((_, x) => y < 4 || y >= span - 4 || x < 4 || x >= span - 4),
      );
      expect(border.length).toBe(span * span - (span - 8) ** 2);
      expect(border.some(Boolean)).toBe(false);
    });

    it('takes another quiet zone when told', () => {
      const { modules, span } = parseSvg(qrSvg(URL_A, { size: 200, margin: 2 }));
      expect(span).toBe(referenceMatrix(URL_A).length + 4);
      expect(inner(modules, 2)).toEqual(referenceMatrix(URL_A));
    });
  });
});

describe('qrMatrix', () => {
  it('is the reference matrix', () => {
    expect(qrMatrix(URL_A)).toEqual(referenceMatrix(URL_A));
  });
});

describe('svgDataUrl', () => {
  it('is an image/svg+xml data URL that decodes back to the SVG', () => {
    const svg = qrSvg(URL_A, { size: 200 });
    const url = svgDataUrl(svg);
    const prefix = 'data:image/svg+xml;charset=utf-8,';
    expect(url.startsWith(prefix)).toBe(true);
    expect(decodeURIComponent(url.slice(prefix.length))).toBe(svg);
  });
});
