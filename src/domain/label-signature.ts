/**
 * 离线验签 — checks a label's Ed25519 signature with the district's public key alone, so a phone
 * without signal can tell a real label from a forged one. Pure JavaScript (tweetnacl: ES5, no
 * BigInt, no WebCrypto), so the same code runs in the mini-program, in H5 and in node.
 */
import nacl from 'tweetnacl';
import { codeFromScan } from './certificate';
import { signatureParamOf } from './scan';

/** Domain separation: what is signed is `hgz-label-v1:<label>`, never the bare label. */
export const labelSignaturePrefix = 'hgz-label-v1:';

/** The bytes a label's signature covers (labels are ASCII; anything else is encoded as UTF-8). */
export function labelSignatureMessage(label: string): Uint8Array {
  const text = labelSignaturePrefix + label;
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) {
      bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    } else {
      bytes.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 63),
        0x80 | ((cp >> 6) & 63),
        0x80 | (cp & 63),
      );
    }
  }
  return new Uint8Array(bytes);
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url → bytes; null for anything that is not exactly that. */
export function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let n = 0;
  for (const ch of text) {
    buffer = (buffer << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (buffer >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, so each byte string has exactly one spelling.
  if ((buffer & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

/**
 * True when `signature` (base64url, 64 bytes) is the district's Ed25519 signature of `label`
 * under `publicKey` (base64url, the raw 32 bytes). Never throws: anything malformed is false.
 */
export function verifyLabelSignature(publicKey: string, label: string, signature: string): boolean {
  const key = fromBase64url(publicKey);
  const sig = fromBase64url(signature);
  if (!key || key.length !== nacl.sign.publicKeyLength) return false;
  if (!sig || sig.length !== nacl.sign.signatureLength) return false;
  try {
    return nacl.sign.detached.verify(labelSignatureMessage(label), sig, key);
  } catch {
    return false;
  }
}

/** What a phone can tell about a scanned label on its own, before (or without) the server. */
export type OfflineCheck =
  | { label: null; state: 'no_code' }
  | { label: string; state: 'valid' | 'invalid' | 'absent' | 'no_key' };

/**
 * Checks a scanned URL's signature offline against the keys the app knows (the build's and the
 * one last fetched): valid when any of them verifies it.
 */
export function checkScannedLabel(scanned: string, publicKeys: readonly string[]): OfflineCheck {
  const label = codeFromScan(scanned);
  if (!label) return { label: null, state: 'no_code' };
  const signature = signatureParamOf(scanned);
  if (!signature) return { label, state: 'absent' };
  if (publicKeys.length === 0) return { label, state: 'no_key' };
  const valid = publicKeys.some((k) => verifyLabelSignature(k, label, signature));
  return { label, state: valid ? 'valid' : 'invalid' };
}
