/**
 * The district's public key for offline label checks: the one built in (SIGNING_PUBLIC_KEY) and
 * the one the server last gave (`verify.publicKey`), kept in storage for days without signal.
 */
import Taro from '@tarojs/taro';
import { api } from './api';

const STORAGE_KEY = 'hgz.signingPublicKey';
const keyPattern = /^[A-Za-z0-9_-]{43}$/;

function cachedKey(): string {
  try {
    const stored: unknown = Taro.getStorageSync(STORAGE_KEY);
    return typeof stored === 'string' && keyPattern.test(stored) ? stored : '';
  } catch {
    return '';
  }
}

/** The keys a label may be checked against now, without the network. */
export function knownPublicKeys(): string[] {
  const keys: string[] = [];
  if (keyPattern.test(SIGNING_PUBLIC_KEY)) keys.push(SIGNING_PUBLIC_KEY);
  const cached = cachedKey();
  if (cached && !keys.includes(cached)) keys.push(cached);
  return keys;
}

/** Asks the server for its key and keeps it; the known keys afterwards (unchanged when offline). */
export async function refreshPublicKey(): Promise<string[]> {
  try {
    const { publicKey } = await api.verify.publicKey();
    if (keyPattern.test(publicKey) && publicKey !== cachedKey()) {
      Taro.setStorageSync(STORAGE_KEY, publicKey);
    }
  } catch {
    // No signal: the keys already known will do.
  }
  return knownPublicKeys();
}
