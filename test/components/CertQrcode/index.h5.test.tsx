/** @jest-environment jsdom */
import { act, type ReactNode } from 'react';
import CertQrcode from '@/components/CertQrcode/index.h5';
import { qrSvg, svgDataUrl } from '@/components/CertQrcode/qr-svg';

/** The project has no @types/react-dom: the two calls used here, typed. */
interface Root {
  render(node: ReactNode): void;
  unmount(): void;
}
const { createRoot } = require('react-dom/client') as { createRoot(container: Element): Root };

const URL_A = 'https://hgz.example.cn/v/LY2026000123?s=9f3a7c';

Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
});

function image(): HTMLImageElement | null {
  return container.querySelector('img');
}

describe('<CertQrcode> (H5)', () => {
  describe('text', () => {
    it('renders the QR code of the text as an SVG image', () => {
      act(() => root.render(<CertQrcode text={URL_A} />));
      expect(image()?.getAttribute('src')).toBe(svgDataUrl(qrSvg(URL_A, { size: 200 })));
      expect(image()?.alt).toBe('合格证二维码');
    });

    it('renders nothing when empty', () => {
      act(() => root.render(<CertQrcode text="" />));
      expect(container.innerHTML).toBe('');
    });
  });

  describe('size', () => {
    it('sizes the image in px, 200 unless told', () => {
      act(() => root.render(<CertQrcode text={URL_A} />));
      expect(image()?.style.width).toBe('200px');
      act(() => root.render(<CertQrcode text={URL_A} size={120} />));
      expect([image()?.style.width, image()?.style.height]).toEqual(['120px', '120px']);
      expect(image()?.getAttribute('src')).toBe(svgDataUrl(qrSvg(URL_A, { size: 120 })));
    });
  });

  describe('className', () => {
    it('passes through to the image', () => {
      act(() => root.render(<CertQrcode text={URL_A} className="cert-card__qr" />));
      expect(image()?.className).toBe('cert-card__qr');
    });
  });

  describe('onDrawn', () => {
    it('reports the text and module count once per rendering', () => {
      const onDrawn = jest.fn();
      act(() => root.render(<CertQrcode text={URL_A} onDrawn={onDrawn} />));
      act(() => root.render(<CertQrcode text={URL_A} onDrawn={(d) => onDrawn(d)} />));
      expect(onDrawn).toHaveBeenCalledTimes(1);
      expect(onDrawn).toHaveBeenCalledWith({ text: URL_A, modules: 33 });
    });
  });

  describe('onError', () => {
    it('reports an empty text in Chinese', () => {
      const onError = jest.fn();
      act(() => root.render(<CertQrcode text="" onError={onError} />));
      expect(onError).toHaveBeenCalledWith({ message: '二维码内容为空' });
    });

    it('reports a text too long for a QR code', () => {
      const onError = jest.fn();
      act(() => root.render(<CertQrcode text={'x'.repeat(2400)} onError={onError} />));
      expect(onError).toHaveBeenCalledWith({ message: '二维码内容过长，无法生成' });
      expect(image()).toBeNull();
    });
  });
});
