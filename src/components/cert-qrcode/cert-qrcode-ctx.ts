import type { LegacyCanvasContext } from 'weapp-qrcode';

/** The old canvas-context API on top of a 2D context, counting the cells drawn through it. */
export interface LegacyContextAdapter extends LegacyCanvasContext {
  /** How many fillRect calls went through: weapp-qrcode fills every module once, dark or light. */
  readonly fillRectCount: number;
}

/**
 * Adapts a `<canvas type="2d">` context for weapp-qrcode, which still draws through
 * setFillStyle/fillRect/draw. Without a target it only counts, which is how the module count
 * is measured before the real drawing.
 */
export function createLegacyContext(
  target?: WechatMiniprogramLite.Canvas2DContext,
): LegacyContextAdapter {
  let fillRectCount = 0;
  return {
    get fillRectCount() {
      return fillRectCount;
    },
    setFillStyle(color) {
      if (target) target.fillStyle = color;
    },
    fillRect(x, y, width, height) {
      fillRectCount += 1;
      target?.fillRect(x, y, width, height);
    },
    // A 2D context paints at once; there is nothing to flush.
    draw(_reserve, callback) {
      callback?.();
    },
  };
}

/** The side of the QR in modules, from the cells drawn; throws if they do not form a QR grid. */
export function moduleCountOf(adapter: LegacyContextAdapter): number {
  const side = Math.round(Math.sqrt(adapter.fillRectCount));
  // Versions 1–40 are 21–177 modules wide, in steps of 4.
  if (side * side !== adapter.fillRectCount || side < 21 || side > 177 || (side - 17) % 4 !== 0) {
    throw new Error(`drew ${adapter.fillRectCount} cells, not a QR code grid`);
  }
  return side;
}
