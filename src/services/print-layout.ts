import Taro from '@tarojs/taro';
import { printLayoutCodes, type PrintLayout } from '../domain/print';

const LAYOUT_KEY = 'hgz.printLayout';

/** The label size this phone printed last (most producers own one printer), else 80×60. */
export function preferredPrintLayout(): PrintLayout {
  try {
    const stored: unknown = Taro.getStorageSync(LAYOUT_KEY);
    return printLayoutCodes.find((l) => l === stored) ?? '80x60';
  } catch {
    return '80x60';
  }
}

export function rememberPrintLayout(layout: PrintLayout): void {
  try {
    Taro.setStorageSync(LAYOUT_KEY, layout);
  } catch {
    // Storage full or unavailable: 80×60 is offered next time, which is fine.
  }
}
