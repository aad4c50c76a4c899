import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * 合规证明签名 — signs compliance statements with the district's Ed25519 key (the one that signs
 * labels), under its own domain-separation label: a statement's signature can never pass for a
 * label's, nor a label's for a statement's (signer.ts keeps `hgz-label-v1:` for labels).
 */
export interface StatementSigner {
  /** The base64url signature of a statement id (86 characters). */
  sign(id: string): string;
  verify(id: string, signature: string): boolean;
}

/** What is signed for statement `id`. */
export function statementMessage(id: string): Buffer {
  return Buffer.from(`hgz-statement-v1:${id}`, 'utf8');
}

const signers = new Map<string, StatementSigner>();

/** The statement signer of a SIGNING_KEY (PKCS#8 DER, base64url), made once per key. */
export function statementSigner(signingKey: string): StatementSigner {
  const known = signers.get(signingKey);
  if (known) return known;
  const privateKey: KeyObject = createPrivateKey({
    key: Buffer.from(signingKey, 'base64url'),
    format: 'der',
    type: 'pkcs8',
  });
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('SIGNING_KEY must be an Ed25519 key');
  }
  const publicKey = createPublicKey(privateKey);
  const signer: StatementSigner = {
    sign: (id) => sign(null, statementMessage(id), privateKey).toString('base64url'),
    verify(id, signature) {
      if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
      return verify(null, statementMessage(id), publicKey, Buffer.from(signature, 'base64url'));
    },
  };
  signers.set(signingKey, signer);
  return signer;
}
