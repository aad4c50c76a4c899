import type { ReactElement } from 'react';
import type { CertQrcodeDrawnDetail, CertQrcodeErrorDetail } from '../cert-qrcode/cert-qrcode';

export type { CertQrcodeDrawnDetail, CertQrcodeErrorDetail };

/** Props of CertQrcode, the same on weapp (native canvas) and H5 (SVG image). */
export interface CertQrcodeProps {
  /** The URL to encode. */
  text: string;
  /** Side in CSS px, quiet zone included; 200 unless told. */
  size?: number;
  className?: string;
  /** After the code is on screen, with its side in modules. */
  onDrawn?: (detail: CertQrcodeDrawnDetail) => void;
  /** When no code can be shown (empty or too long text…), with a message for the user. */
  onError?: (detail: CertQrcodeErrorDetail) => void;
}

/** The QR code of a certificate's verification URL (合格证二维码). */
declare function CertQrcode(props: CertQrcodeProps): ReactElement | null;
export default CertQrcode;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      /** The native component; list it in the page config's usingComponents. */
      'cert-qrcode': {
        text: string;
        size?: number;
        foreground?: string;
        background?: string;
        className?: string;
        onDrawn?: (event: { detail: CertQrcodeDrawnDetail }) => void;
        onError?: (event: { detail: CertQrcodeErrorDetail }) => void;
      };
    }
  }
}
