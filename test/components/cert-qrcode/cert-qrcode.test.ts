/** @jest-environment jsdom */
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { load, render, sleep } from 'miniprogram-simulate';
import qrcode from 'qrcode-generator';

const ROOT = path.resolve(__dirname, '../../..');
const SOURCE = path.join(ROOT, 'src/components/cert-qrcode');
const URL_A = 'https://hgz.example.cn/v/LY2026000123?s=9f3a7c';
const URL_B = 'https://hgz.example.cn/v/LY2026000456?s=04be11';
const PIXEL_RATIO = 2;

/** One fillRect call, with the fillStyle in force when it was made. */
interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
  style: string;
}

/** A 2D context that records what is painted on it (the simulator's canvas paints nothing). */
class RecordingContext {
  readonly rects: Rect[] = [];
  private style = '';

  set fillStyle(style: string) {
    this.style = style;
  }

  get fillStyle(): string {
    return this.style;
  }

  fillRect(x: number, y: number, w: number, h: number): void {
    this.rects.push({ x, y, w, h, style: this.style });
  }
}

/** The node `fields({ node: true })` yields for `<canvas type="2d">`; resizing clears it. */
class FakeCanvas {
  ctx = new RecordingContext();
  private side = { width: 300, height: 150 };

  get width(): number {
    return this.side.width;
  }

  set width(value: number) {
    this.side.width = value;
    this.ctx = new RecordingContext();
  }

  get height(): number {
    return this.side.height;
  }

  set height(value: number) {
    this.side.height = value;
    this.ctx = new RecordingContext();
  }

  getContext(type: string): RecordingContext | null {
    return type === '2d' ? this.ctx : null;
  }

  /** The painted pixels as RGBA, for jsQR; colours are '#rrggbb'. */
  toRgba(): Uint8ClampedArray {
    const { width, height } = this.side;
    const pixels = new Uint8ClampedArray(width * height * 4);
    for (const { x, y, w, h, style } of this.ctx.rects) {
      const rgb = [1, 3, 5].map((i) => parseInt(style.slice(i, i + 2), 16));
      for (let row = Math.max(0, y); row < Math.min(height, y + h); row += 1) {
        for (let col = Math.max(0, x); col < Math.min(width, x + w); col += 1) {
          pixels.set([...rgb, 255], (row * width + col) * 4);
        }
      }
    }
    return pixels;
  }
}

interface SelectorQuery {
  exec(callback: (results: Array<Record<string, unknown> | null>) => void): void;
}

/** The slice of miniprogram-simulate's component wrapper these tests use. */
interface SimulatedComponent {
  readonly instance: { createSelectorQuery(): SelectorQuery };
  readonly dom: HTMLElement;
  attach(parent: Node): void;
  detach(): void;
  setData(data: Record<string, unknown>): void;
  addEventListener(name: string, handler: (event: { detail: unknown }) => void): void;
}

interface Mounted {
  comp: SimulatedComponent;
  canvas: FakeCanvas;
  events: Array<{ name: string; detail: Record<string, unknown> }>;
}

let componentId = '';
let bundleDir = '';
const mounted: SimulatedComponent[] = [];

beforeAll(() => {
  // The component is TypeScript importing an npm package: bundle it as the build would, then
  // let the simulator load the .js beside copies of its .json/.wxml/.wxss.
  const dir = (bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-qrcode-')));
  execFileSync(path.join(ROOT, 'node_modules/.bin/esbuild'), [
    path.join(SOURCE, 'cert-qrcode.ts'),
    '--bundle',
    '--format=iife',
    '--platform=browser',
    '--target=es2018',
    '--log-level=warning',
    `--outfile=${path.join(dir, 'cert-qrcode.js')}`,
  ]);
  for (const ext of ['json', 'wxml', 'wxss']) {
    fs.copyFileSync(path.join(SOURCE, `cert-qrcode.${ext}`), path.join(dir, `cert-qrcode.${ext}`));
  }
  componentId = load(path.join(dir, 'cert-qrcode'), 'cert-qrcode', { compiler: 'simulate' });
});

afterAll(() => fs.rmSync(bundleDir, { recursive: true, force: true }));

beforeEach(() => {
  Object.assign(globalThis, { wx: { getSystemInfoSync: () => ({ pixelRatio: PIXEL_RATIO }) } });
});

afterEach(() => {
  mounted.splice(0).forEach((comp) => comp.detach());
});

/**
 * Renders `<cert-qrcode>` with a fake canvas node: the real SelectorQuery still has to find
 * `#qr` in the rendered template; only the `node` field, which the simulator lacks, is added.
 */
function mount(props: Record<string, unknown>, options: { node?: boolean } = {}): Mounted {
  const comp = render(componentId, props) as unknown as SimulatedComponent;
  const canvas = new FakeCanvas();
  const events: Mounted['events'] = [];
  const realQuery = comp.instance.createSelectorQuery;
  comp.instance.createSelectorQuery = () => {
    const query = realQuery();
    const exec = query.exec.bind(query);
    query.exec = (callback) =>
      exec((results) =>
        callback(results.map((r) => (r && options.node !== false ? { ...r, node: canvas } : r))),
      );
    return query;
  };
  for (const name of ['drawn', 'error']) {
    comp.addEventListener(name, (event) =>
      events.push({ name, detail: event.detail as Record<string, unknown> }),
    );
  }
  comp.attach(document.createElement('parent-wrapper'));
  mounted.push(comp);
  return { comp, canvas, events };
}

/** Lets the selector query (answered on a microtask) and the drawing run. */
const settle = () => sleep(10);

/** The reference matrix, computed independently with qrcode-generator at the same level. */
function referenceMatrix(text: string): boolean[][] {
  const utf8 = Buffer.from(text, 'utf8').toString('latin1');
  const qr = qrcode(0, 'M');
  qr.addData(utf8, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, row) =>
    Array.from({ length: n }, (_, col) => qr.isDark(row, col)),
  );
}

interface DrawnGrid {
  side: number;
  tile: number;
  offset: number;
  dark: boolean[][];
}

/**
 * Reads the recorded drawing back as a module grid: one background fill of the whole canvas,
 * then exactly one square cell per module on a regular grid, dark where the foreground was used.
 */
function readGrid(canvas: FakeCanvas, foreground = '#000000', background = '#ffffff'): DrawnGrid {
  const [backdrop, ...cells] = canvas.ctx.rects;
  const side = canvas.width;
  expect(canvas.height).toBe(side);
  expect(backdrop).toEqual({ x: 0, y: 0, w: side, h: side, style: background });
  const n = Math.round(Math.sqrt(cells.length));
  expect(cells).toHaveLength(n * n);
  const tile = cells[0]!.w;
  const offset = Math.min(...cells.map((c) => c.x));
  const dark = Array.from({ length: n }, () => Array<boolean | undefined>(n).fill(undefined));
  for (const cell of cells) {
    expect([cell.w, cell.h]).toEqual([tile, tile]);
    expect([foreground, background]).toContain(cell.style);
    const col = (cell.x - offset) / tile;
    const row = (cell.y - offset) / tile;
    expect(Number.isInteger(col) && Number.isInteger(row)).toBe(true);
    expect(dark[row]![col]).toBeUndefined();
    dark[row]![col] = cell.style === foreground;
  }
  return { side, tile, offset, dark: dark as boolean[][] };
}

function darkCount(matrix: boolean[][]): number {
  return matrix.flat().filter(Boolean).length;
}

describe('<cert-qrcode>', () => {
  describe('text', () => {
    it('draws the QR matrix of the text, module for module, at error correction M', async () => {
      const { canvas } = mount({ text: URL_A });
      await settle();
      const grid = readGrid(canvas);
      const reference = referenceMatrix(URL_A);
      expect(darkCount(grid.dark)).toBe(darkCount(reference));
      expect(grid.dark).toEqual(reference);
    });

    it('keeps a quiet zone of at least 4 modules on every side', async () => {
      const { canvas } = mount({ text: URL_A });
      await settle();
      const { side, tile, offset, dark } = readGrid(canvas);
      expect(offset).toBeGreaterThanOrEqual(4 * tile);
      expect(side - offset - dark.length * tile).toBeGreaterThanOrEqual(4 * tile);
    });

    it('scans back to the text (jsQR on the painted pixels)', async () => {
      const { canvas } = mount({ text: URL_A });
      await settle();
      expect(jsQR(canvas.toRgba(), canvas.width, canvas.height)?.data).toBe(URL_A);
    });

    it('encodes Chinese text as UTF-8', async () => {
      const text = '连云区承诺达标合格证 LY2026000123';
      const { canvas } = mount({ text });
      await settle();
      expect(readGrid(canvas).dark).toEqual(referenceMatrix(text));
      expect(jsQR(canvas.toRgba(), canvas.width, canvas.height)?.data).toBe(text);
    });

    it('redraws when the text changes, and fires drawn with the new text', async () => {
      const { comp, canvas, events } = mount({ text: URL_A });
      await settle();
      const first = canvas.ctx.rects;
      comp.setData({ text: URL_B });
      await settle();
      expect(canvas.ctx.rects).not.toEqual(first);
      expect(readGrid(canvas).dark).toEqual(referenceMatrix(URL_B));
      expect(events.map((e) => [e.name, e.detail.text])).toEqual([
        ['drawn', URL_A],
        ['drawn', URL_B],
      ]);
    });

    it('fires error and draws nothing when empty', async () => {
      const { canvas, events } = mount({ text: '' });
      await settle();
      expect(canvas.ctx.rects).toEqual([]);
      expect(events).toEqual([{ name: 'error', detail: { message: '二维码内容为空' } }]);
    });

    it('clears the previous code when the text becomes empty', async () => {
      const { comp, canvas, events } = mount({ text: URL_A });
      await settle();
      comp.setData({ text: '' });
      await settle();
      expect(canvas.ctx.rects).toEqual([]);
      expect(events.map((e) => e.name)).toEqual(['drawn', 'error']);
    });

    it('fires error when the text does not fit in a QR code', async () => {
      const { canvas, events } = mount({ text: `${URL_A}#${'x'.repeat(2400)}` });
      await settle();
      expect(canvas.ctx.rects).toEqual([]);
      expect(events).toEqual([{ name: 'error', detail: { message: '二维码内容过长，无法生成' } }]);
    });
  });

  describe('size', () => {
    it('defaults to 200 CSS px, drawn at the device pixel ratio', async () => {
      const { comp, canvas } = mount({ text: URL_A });
      await settle();
      expect(canvas.width).toBe(200 * PIXEL_RATIO);
      expect(comp.dom.innerHTML).toContain('width: 200px; height: 200px;');
    });

    it('prefers wx.getWindowInfo for the pixel ratio where it exists', async () => {
      Object.assign(globalThis, {
        wx: {
          getWindowInfo: () => ({ pixelRatio: 3 }),
          getSystemInfoSync: () => ({ pixelRatio: 1 }),
        },
      });
      const { canvas } = mount({ text: URL_A, size: 100 });
      await settle();
      expect(canvas.width).toBe(300);
    });

    it('rescales when it changes: bigger cells, same modules', async () => {
      const { comp, canvas, events } = mount({ text: URL_A, size: 120 });
      await settle();
      const small = readGrid(canvas);
      comp.setData({ size: 300 });
      await settle();
      const large = readGrid(canvas);
      expect(large.side).toBe(300 * PIXEL_RATIO);
      expect(large.tile).toBeGreaterThan(small.tile);
      expect(large.dark).toEqual(small.dark);
      expect(comp.dom.innerHTML).toContain('width: 300px; height: 300px;');
      expect(events.map((e) => e.name)).toEqual(['drawn', 'drawn']);
    });
  });

  describe('foreground and background', () => {
    it('paints dark modules in the foreground and the rest in the background', async () => {
      const { canvas } = mount({ text: URL_A, foreground: '#1a5e20', background: '#fffbe6' });
      await settle();
      expect(readGrid(canvas, '#1a5e20', '#fffbe6').dark).toEqual(referenceMatrix(URL_A));
    });
  });

  describe('drawn event', () => {
    it('reports the text and its module count', async () => {
      const { events } = mount({ text: URL_A });
      await settle();
      expect(events).toEqual([
        { name: 'drawn', detail: { text: URL_A, modules: referenceMatrix(URL_A).length } },
      ]);
    });

    it('fires once for the latest text when changes come faster than the canvas query', async () => {
      const { comp, canvas, events } = mount({ text: URL_A });
      comp.setData({ text: URL_B });
      await settle();
      expect(events).toEqual([
        { name: 'drawn', detail: { text: URL_B, modules: referenceMatrix(URL_B).length } },
      ]);
      expect(readGrid(canvas).dark).toEqual(referenceMatrix(URL_B));
    });
  });

  describe('error event', () => {
    it('fires when the canvas node cannot be found', async () => {
      const { events } = mount({ text: URL_A }, { node: false });
      await settle();
      expect(events).toEqual([{ name: 'error', detail: { message: '未找到二维码画布' } }]);
    });
  });
});
