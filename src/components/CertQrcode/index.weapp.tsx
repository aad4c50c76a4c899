import type { CertQrcodeProps } from './index';

/**
 * The native `<cert-qrcode>` (src/components/cert-qrcode), drawn on a 2D canvas. The page that
 * renders this must list it in its config: `usingComponents: { 'cert-qrcode': '…/cert-qrcode' }`.
 */
export default function CertQrcode({
  text,
  size = 200,
  className,
  onDrawn,
  onError,
}: CertQrcodeProps) {
  return (
    <cert-qrcode
      text={text}
      size={size}
      className={className}
      onDrawn={(event) => onDrawn?.(event.detail)}
      onError={(event) => onError?.(event.detail)}
    />
  );
}
