import { useEffect, useMemo, useRef } from 'react';
import type { CertQrcodeProps } from './index';
import { matrixSvg, qrMatrix, svgDataUrl } from './qr-svg';

type Rendered = { src: string; modules: number } | { message: string };

function renderQr(text: string, size: number): Rendered {
  if (!text) return { message: '二维码内容为空' };
  try {
    const matrix = qrMatrix(text);
    return { src: svgDataUrl(matrixSvg(matrix, { size })), modules: matrix.length };
  } catch (error) {
    if (error instanceof Error && /overflow/.test(error.message)) {
      return { message: '二维码内容过长，无法生成' };
    }
    console.error('CertQrcode: rendering failed', error);
    return { message: '二维码生成失败' };
  }
}

/** The QR code as an SVG image: scales crisply, and a long press can save or scan it. */
export default function CertQrcode({
  text,
  size = 200,
  className,
  onDrawn,
  onError,
}: CertQrcodeProps) {
  const rendered = useMemo(() => renderQr(text, size), [text, size]);
  // The callbacks are usually fresh arrows each render: report per rendering, not per callback.
  const handlers = useRef({ onDrawn, onError });
  handlers.current = { onDrawn, onError };
  useEffect(() => {
    if ('src' in rendered) handlers.current.onDrawn?.({ text, modules: rendered.modules });
    else handlers.current.onError?.({ message: rendered.message });
  }, [rendered, text]);

  if (!('src' in rendered)) return null;
  return (
    <img
      className={className}
      src={rendered.src}
      alt="合格证二维码"
      width={size}
      height={size}
      style={{ width: `${size}px`, height: `${size}px` }}
    />
  );
}
