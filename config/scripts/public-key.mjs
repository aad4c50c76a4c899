/**
 * Prints the district's Ed25519 public key (raw 32 bytes, base64url) — the value of
 * SIGNING_PUBLIC_KEY for `taro build`, so the mini-program can check label signatures offline.
 *
 * The key comes from SIGNING_KEY (production) or else from DATA_DIR/secrets.json (the embedded
 * runtime's own key, ./data by default). Only the public half is printed.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

function signingKey() {
  const fromEnv = process.env.SIGNING_KEY?.trim();
  if (fromEnv) return fromEnv;
  const file = path.resolve(process.env.DATA_DIR?.trim() || 'data', 'secrets.json');
  try {
    const key = JSON.parse(readFileSync(file, 'utf8')).signingKey;
    if (typeof key === 'string' && key) return key;
  } catch {
    // Reported below.
  }
  console.error(`没有找到签名私钥：请设置 SIGNING_KEY，或先运行一次 npm start 生成 ${file}`);
  process.exit(1);
}

const privateKey = createPrivateKey({
  key: Buffer.from(signingKey(), 'base64url'),
  format: 'der',
  type: 'pkcs8',
});
const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
console.log(raw.toString('base64url'));
