import drawQrcode from 'weapp-qrcode';
import { createLegacyContext, moduleCountOf } from './cert-qrcode-ctx';

// The mini-program runtime's globals, typed in this module only (see types/weapp.d.ts).
declare const wx: WechatMiniprogramLite.Wx;
declare const Component: WechatMiniprogramLite.ComponentConstructor;

/** Properties of `<cert-qrcode>`: the one place they are typed. */
export interface CertQrcodeProperties {
  /** The URL to encode (the certificate's verification link). */
  text: string;
  /** Side in CSS px, quiet zone included. */
  size: number;
  foreground: string;
  background: string;
}

/** Detail of the `drawn` event. */
export interface CertQrcodeDrawnDetail {
  text: string;
  /** Side of the QR symbol in modules (21 for version 1, +4 per version). */
  modules: number;
}

/** Detail of the `error` event; the message is shown to the user as is. */
export interface CertQrcodeErrorDetail {
  message: string;
}

/** Modules of blank border on each side, as ISO/IEC 18004 asks and the H5 rendering draws. */
export const QUIET_ZONE_MODULES = 4;

/** weapp-qrcode's QRErrorCorrectLevel.M; the H5 rendering uses 'M' too, so both draw alike. */
const CORRECT_LEVEL_M = 0;

/** Where the symbol goes on a square canvas of `side` device px. */
export interface QrLayout {
  /** Side of one module in device px: whole pixels whenever they fit, so edges stay crisp. */
  tile: number;
  /** Offset of the symbol from the top-left corner, the quiet zone and any leftover pixels. */
  offset: number;
  /** Side of the symbol without its quiet zone. */
  span: number;
}

/** Lays a symbol of `modules` modules, with its quiet zone, out on a `side` px canvas. */
export function layoutQr(side: number, modules: number): QrLayout {
  const cell = side / (modules + 2 * QUIET_ZONE_MODULES);
  const tile = cell >= 1 ? Math.floor(cell) : cell;
  const span = tile * modules;
  const offset = cell >= 1 ? Math.floor((side - span) / 2) : (side - span) / 2;
  return { tile, offset, span };
}

/** The latest draw asked of each instance: an older query answering late must not paint. */
const latestDraw = new WeakMap<object, number>();
const readyInstances = new WeakSet<object>();

function pixelRatio(): number {
  return wx.getWindowInfo ? wx.getWindowInfo().pixelRatio : wx.getSystemInfoSync().pixelRatio;
}

/** The QR's side in modules for `text`, measured by letting weapp-qrcode draw into a counter. */
function measureModules(text: string): number {
  const counter = createLegacyContext();
  drawQrcode({ ctx: counter, text, width: 1, height: 1, correctLevel: CORRECT_LEVEL_M });
  return moduleCountOf(counter);
}

function failureMessage(error: unknown): string {
  if (error instanceof Error && /overflow/.test(error.message)) return '二维码内容过长，无法生成';
  console.error('cert-qrcode: drawing failed', error);
  return '二维码绘制失败';
}

Component<
  CertQrcodeProperties,
  {
    draw(): void;
    paint(canvas: WechatMiniprogramLite.CanvasNode | undefined): void;
    fail(message: string): void;
  }
>({
  properties: {
    text: { type: String, value: '' },
    size: { type: Number, value: 200 },
    foreground: { type: String, value: '#000000' },
    background: { type: String, value: '#ffffff' },
  },

  observers: {
    'text, size, foreground, background'() {
      // Before `ready` the canvas is not laid out yet; `ready` draws the first time.
      if (readyInstances.has(this)) this.draw();
    },
  },

  lifetimes: {
    ready() {
      readyInstances.add(this);
      this.draw();
    },
    detached() {
      readyInstances.delete(this);
      latestDraw.delete(this);
    },
  },

  methods: {
    /** Finds the canvas node, then paints the current properties on it. */
    draw() {
      const token = (latestDraw.get(this) ?? 0) + 1;
      latestDraw.set(this, token);
      this.createSelectorQuery()
        .select('#qr')
        .fields({ node: true, size: true })
        .exec((results) => {
          if (latestDraw.get(this) !== token) return;
          this.paint(results[0]?.node);
        });
    },

    paint(canvas) {
      const { text, size, foreground, background } = this.properties;
      const side = Math.max(1, Math.round(size * pixelRatio()));
      if (canvas) {
        // Resizing also clears whatever an earlier text left on the canvas.
        canvas.width = side;
        canvas.height = side;
      }
      if (!text) return this.fail('二维码内容为空');
      if (!canvas) return this.fail('未找到二维码画布');
      const ctx = canvas.getContext('2d');
      if (!ctx) return this.fail('无法获取二维码画布的绘图上下文');

      try {
        const layout = layoutQr(side, measureModules(text));
        ctx.fillStyle = background;
        ctx.fillRect(0, 0, side, side);
        const adapter = createLegacyContext(ctx);
        drawQrcode({
          ctx: adapter,
          text,
          width: layout.span,
          height: layout.span,
          x: layout.offset,
          y: layout.offset,
          correctLevel: CORRECT_LEVEL_M,
          foreground,
          background,
          callback: () => {
            const detail: CertQrcodeDrawnDetail = { text, modules: moduleCountOf(adapter) };
            this.triggerEvent('drawn', detail);
          },
        });
      } catch (error) {
        this.fail(failureMessage(error));
      }
    },

    fail(message) {
      const detail: CertQrcodeErrorDetail = { message };
      this.triggerEvent('error', detail);
    },
  },
});
