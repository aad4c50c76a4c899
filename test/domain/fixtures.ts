/**
 * Independent reference computations of the check characters, written from the standards'
 * definitions (not from src/domain), so the tests build their fixtures without the code under test.
 */

/**
 * GB 32100-2015 table of code characters and their values: digits, then the capital letters
 * without I, O, Z, S and V.
 */
// prettier-ignore
const gb32100Values: Record<string, number> = {
  '0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9,
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, J: 18, K: 19,
  L: 20, M: 21, N: 22, P: 23, Q: 24, R: 25, T: 26, U: 27, W: 28, X: 29, Y: 30,
};

/** C18 = 31 − MOD(Σ Ci × Wi, 31), Wi = 3^(i−1) mod 31; a result of 31 is written 0. */
export function referenceCreditCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error('need 17 characters');
  let sum = 0;
  let weight = 1;
  for (const ch of first17) {
    const value = gb32100Values[ch];
    if (value === undefined) throw new Error(`not a GB 32100 character: ${ch}`);
    sum += value * weight;
    weight = (weight * 3) % 31;
  }
  const c18 = 31 - (sum % 31);
  const checkValue = c18 === 31 ? 0 : c18;
  const entry = Object.entries(gb32100Values).find(([, v]) => v === checkValue);
  if (!entry) throw new Error('unreachable');
  return entry[0];
}

/** A full 统一社会信用代码 from its first 17 characters. */
export function creditCode(first17: string): string {
  return first17 + referenceCreditCheckChar(first17);
}

/**
 * ISO 7064 MOD 11-2 (pure system, recursive form): P = ((P + a) × 2) mod 11 over the digits,
 * then the check value is (12 − P) mod 11, with 10 written X.
 */
export function referenceIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('need 17 digits');
  let p = 0;
  for (const ch of first17) p = ((p + Number(ch)) * 2) % 11;
  const check = (12 - p) % 11;
  return check === 10 ? 'X' : String(check);
}

/** A full 居民身份证号码 from region (6), birth date (yyyymmdd) and sequence (3). */
export function idCard(region: string, birth: string, seq: string): string {
  const first17 = region + birth + seq;
  return first17 + referenceIdCheckChar(first17);
}

/** The 31 GB 32100 characters, for trying every other check character. */
export const gb32100Chars = Object.keys(gb32100Values).join('');
