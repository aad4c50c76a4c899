import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * 防伪签名 — signs label codes with the district's Ed25519 key so a phone holding only the public
 * key can tell a real label from a forged one, even without signal.
 */
export interface Signer {
  /** The base64url signature of a label code (86 characters). */
  sign(label: string): string;
  verify(label: string, signature: string): boolean;
  /** The raw 32-byte public key, base64url: what the mini-program carries. */
  publicKey: string;
}

/** Domain separation: a signature over a label can never be mistaken for one over anything else. */
export function signedMessage(label: string): Buffer {
  return Buffer.from(`hgz-label-v1:${label}`, 'utf8');
}

/** A new Ed25519 private key as PKCS#8 DER, base64url (what SIGNING_KEY holds). */
export function generateSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
}

export function ed25519Signer(signingKey: string): Signer {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({
      key: Buffer.from(signingKey, 'base64url'),
      format: 'der',
      type: 'pkcs8',
    });
  } catch (cause) {
    throw new Error('SIGNING_KEY is not an Ed25519 PKCS#8 key in base64url', { cause });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('SIGNING_KEY must be an Ed25519 key');
  }
  const publicKey = createPublicKey(privateKey);
  // The raw key is the last 32 bytes of the SPKI DER encoding of an Ed25519 public key.
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    sign: (label) => sign(null, signedMessage(label), privateKey).toString('base64url'),
    verify(label, signature) {
      if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
      return verify(null, signedMessage(label), publicKey, Buffer.from(signature, 'base64url'));
    },
    publicKey: raw.toString('base64url'),
  };
}
