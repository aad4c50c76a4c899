import { canonicalPaperSerial, type PaperSerialRecord } from '../../src/domain/paper';
import type { Store } from '../kit/store/port';

/**
 * The certificate code of a registered paper form, when the scanned or typed text is its serial
 * (`XG2026-000123`, or a verify URL ending in one); null otherwise, and for unregistered serials.
 * Serials and certificate codes cannot be mistaken for each other: a code is 16 characters of
 * Crockford base32 with no dash after a 4-digit year.
 */
export async function paperCertificateCode(store: Store, scanned: string): Promise<string | null> {
  const text = scanned.trim();
  if (text.length > 300) return null;
  const m = /\/c\/([^/?#]+)/.exec(text);
  let candidate = m ? (m[1] ?? '') : text;
  try {
    candidate = decodeURIComponent(candidate);
  } catch {
    return null;
  }
  const serial = canonicalPaperSerial(candidate);
  if (!serial) return null;
  const record = await store.collection<PaperSerialRecord>('paperSerials').get(serial);
  return record?.code ?? null;
}
