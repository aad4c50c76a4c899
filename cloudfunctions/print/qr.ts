/**
 * QR codes for printed labels: the module matrix (qrcode-generator, byte mode) and the dark
 * modules merged into few rectangles, so a PDF draws a code as one short path and one fill.
 */
import qrcode from 'qrcode-generator';

export type EcLevel = 'L' | 'M' | 'Q' | 'H';

/** A QR code's modules, row by row: `dark[row * size + col]` is 1 for a dark module. */
export interface QrMatrix {
  size: number;
  dark: Uint8Array;
  ecLevel: EcLevel;
}

/** The matrix of `text` (ASCII: a verify URL) at `ecLevel`, in the smallest version that fits. */
export function qrMatrixOf(text: string, ecLevel: EcLevel): QrMatrix {
  const qr = qrcode(0, ecLevel);
  qr.addData(text, 'Byte');
  try {
    qr.make();
  } catch (error) {
    // qrcode-generator throws bare strings ('code length overflow. (…)').
    throw error instanceof Error ? error : new Error(String(error));
  }
  const size = qr.getModuleCount();
  const dark = new Uint8Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (qr.isDark(row, col)) dark[row * size + col] = 1;
    }
  }
  return { size, dark, ecLevel };
}

/** QR version (1–40) of a matrix, from its side: 17 + 4 × version modules. */
export function qrVersionOf(m: QrMatrix): number {
  return (m.size - 17) / 4;
}

/**
 * The dark modules as PDF rectangle operators in module units (`x y w h re`, one per line):
 * horizontal runs, and a run continued by an identical run in the next row grows downwards
 * instead of starting a new rectangle. A typical code needs about a third of the runs.
 */
export function qrRectOps(m: QrMatrix): string {
  const { size, dark } = m;
  const out: string[] = [];
  // Open rectangles keyed by their run (start * 256 + end): [x, y, w, h].
  let open = new Map<number, [number, number, number, number]>();
  for (let y = 0; y < size; y++) {
    const next = new Map<number, [number, number, number, number]>();
    const base = y * size;
    for (let x = 0; x < size; x++) {
      if (!dark[base + x]) continue;
      const start = x;
      while (x + 1 < size && dark[base + x + 1]) x++;
      const key = start * 256 + x;
      const rect = open.get(key);
      if (rect) {
        rect[3]++;
        open.delete(key);
        next.set(key, rect);
      } else {
        next.set(key, [start, y, x - start + 1, 1]);
      }
    }
    for (const r of open.values()) out.push(`${r[0]} ${r[1]} ${r[2]} ${r[3]} re`);
    open = next;
  }
  for (const r of open.values()) out.push(`${r[0]} ${r[1]} ${r[2]} ${r[3]} re`);
  return out.join('\n');
}
