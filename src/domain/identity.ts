/**
 * Identity numbers of producers: 统一社会信用代码 (GB 32100-2015) for organisations and
 * 居民身份证号码 (GB 11643-1999, ISO 7064 MOD 11-2) for individuals, with their check characters,
 * and the masked forms shown anywhere outside the owner's own view.
 */

const creditCharset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const creditWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of the first 17 characters of a 统一社会信用代码, or null if any is invalid. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = creditCharset.indexOf(first17.charAt(i));
    if (value < 0) return null;
    sum += value * (creditWeights[i] ?? 0);
  }
  const check = (31 - (sum % 31)) % 31;
  return creditCharset.charAt(check);
}

/** True when `code` is an 18-character 统一社会信用代码 whose check character matches. */
export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code.charAt(17);
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheckChars = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number. */
export function idCardCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (idWeights[i] ?? 0);
  return idCheckChars.charAt(sum % 11);
}

/** True when `id` is an 18-character 居民身份证号码 with a real birth date and a matching check. */
export function isValidIdCardNumber(id: string, today: Date = new Date()): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    birth.getUTCFullYear() !== y ||
    birth.getUTCMonth() !== m - 1 ||
    birth.getUTCDate() !== d ||
    birth.getTime() > today.getTime()
  ) {
    return false;
  }
  return idCardCheckChar(id.slice(0, 17)) === id.charAt(17);
}

/** Upper-cases and strips spaces, the way people type these numbers. */
export function normalizeIdentityNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

function mask(value: string, keepStart: number, keepEnd: number): string {
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return (
    value.slice(0, keepStart) +
    '*'.repeat(value.length - keepStart - keepEnd) +
    value.slice(value.length - keepEnd)
  );
}

/** 320***********123X — the masked ID number (region prefix and last four only). */
export function maskIdCardNumber(id: string): string {
  return mask(id, 3, 4);
}

/** 9132**********0X1Y — the masked credit code. */
export function maskCreditCode(code: string): string {
  return mask(code, 4, 4);
}

/** 138****5678 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11) return mask(digits, 3, 4);
  return mask(phone, 3, 2);
}

/** A mainland mobile number or a landline with area code. */
export const phonePattern = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
