import { ed25519Signer, generateSigningKey, signedMessage } from '../../cloudfunctions/kit/signer';
import { labelCode, verifyUrl } from '../../src/domain/certificate';
import {
  checkScannedLabel,
  fromBase64url,
  labelSignatureMessage,
  labelSignaturePrefix,
  verifyLabelSignature,
} from '../../src/domain/label-signature';
import { testSigningKey } from '../helpers/runtime';

const signer = ed25519Signer(testSigningKey);
const other = ed25519Signer(generateSigningKey());
const code = 'ABCDEFGHJKMNPQRS';
const label = labelCode(code, 2, 100);

/** The same base64url text with one character changed (still valid base64url). */
function flip(text: string, at = 10): string {
  const ch = text[at] === 'A' ? 'B' : 'A';
  return text.slice(0, at) + ch + text.slice(at + 1);
}

describe('verifyLabelSignature (pure JS) against the node signer', () => {
  it('signs the same message: the prefix and the label', () => {
    expect(Buffer.from(labelSignatureMessage(label))).toEqual(signedMessage(label));
    expect(signedMessage('').toString()).toBe(labelSignaturePrefix);
  });

  it('accepts what the server signed, for a lone code and a package label', () => {
    for (const l of [code, label, labelCode(code, 9_999, 10_000)]) {
      expect(verifyLabelSignature(signer.publicKey, l, signer.sign(l))).toBe(true);
    }
  });

  it('refuses a tampered label', () => {
    const sig = signer.sign(label);
    expect(verifyLabelSignature(signer.publicKey, labelCode(code, 3, 100), sig)).toBe(false);
    expect(verifyLabelSignature(signer.publicKey, code, sig)).toBe(false);
    expect(verifyLabelSignature(signer.publicKey, label.toLowerCase(), sig)).toBe(false);
  });

  it('refuses a tampered signature', () => {
    const sig = signer.sign(label);
    for (const at of [0, 10, 42, 85]) {
      expect(verifyLabelSignature(signer.publicKey, label, flip(sig, at))).toBe(false);
    }
  });

  it('refuses another key', () => {
    expect(verifyLabelSignature(other.publicKey, label, signer.sign(label))).toBe(false);
    expect(verifyLabelSignature(signer.publicKey, label, other.sign(label))).toBe(false);
    expect(verifyLabelSignature(flip(signer.publicKey), label, signer.sign(label))).toBe(false);
  });

  it('answers false, never throws, for malformed signatures and keys', () => {
    const sig = signer.sign(label);
    const standardBase64 = Buffer.from(sig, 'base64url').toString('base64');
    for (const junk of ['', 'AAAA', '=', `${sig}==`, standardBase64, `${sig}A`, 'x'.repeat(86)]) {
      expect(verifyLabelSignature(signer.publicKey, label, junk)).toBe(false);
    }
    for (const junk of ['', 'AAAA', `${signer.publicKey}AA`, '0'.repeat(43)]) {
      expect(verifyLabelSignature(junk, label, sig)).toBe(false);
    }
  });
});

describe('fromBase64url', () => {
  it('decodes what node encodes, and only that', () => {
    for (const n of [0, 1, 2, 3, 31, 32, 64]) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 255));
      expect(Buffer.from(fromBase64url(bytes.toString('base64url'))!)).toEqual(bytes);
    }
    expect(fromBase64url('A')).toBeNull();
    expect(fromBase64url('AB==')).toBeNull();
    expect(fromBase64url('a+b/')).toBeNull();
    // Non-zero leftover bits: a second spelling of the same byte.
    expect(fromBase64url('AB')).toBeNull();
    expect(Buffer.from(fromBase64url('AA')!)).toEqual(Buffer.from([0]));
  });
});

describe('checkScannedLabel', () => {
  const url = verifyUrl('https://hgz.example.cn', label, signer.sign(label));

  it('tells valid, invalid and absent from the scanned URL alone', () => {
    expect(checkScannedLabel(url, [signer.publicKey])).toEqual({ label, state: 'valid' });
    expect(checkScannedLabel(url, [other.publicKey, signer.publicKey])).toEqual({
      label,
      state: 'valid',
    });
    expect(checkScannedLabel(url, [other.publicKey])).toEqual({ label, state: 'invalid' });
    const forged = verifyUrl('https://hgz.example.cn', label, signer.sign(code));
    expect(checkScannedLabel(forged, [signer.publicKey]).state).toBe('invalid');
    expect(checkScannedLabel(`${url.split('?')[0]}?s=junk`, [signer.publicKey]).state).toBe(
      'invalid',
    );
    expect(checkScannedLabel(label, [signer.publicKey])).toEqual({ label, state: 'absent' });
    expect(checkScannedLabel(url, [])).toEqual({ label, state: 'no_key' });
    expect(checkScannedLabel('hello', [signer.publicKey])).toEqual({
      label: null,
      state: 'no_code',
    });
  });
});
