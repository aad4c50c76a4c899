import {
  creditCodeCheckChar,
  idCardCheckChar,
  isValidCreditCode,
  isValidIdCardNumber,
  maskCreditCode,
  maskIdCardNumber,
  maskPhone,
  normalizeIdentityNumber,
  phonePattern,
} from '@/domain/identity';
import {
  creditCode,
  gb32100Chars,
  idCard,
  referenceCreditCheckChar,
  referenceIdCheckChar,
} from './fixtures';

const today = new Date('2026-03-01T00:00:00Z');

describe('the reference computations', () => {
  it('agree with the published examples', () => {
    expect(referenceIdCheckChar('11010519491231002')).toBe('X');
    expect(referenceCreditCheckChar('91350100M000100Y4')).toBe('3');
  });
});

describe('统一社会信用代码 (GB 32100)', () => {
  const enterprise = creditCode('91320703MA1WXY123');
  const cooperative = creditCode('93320703MA1T2U3K4');
  const sample = [
    '91350100M000100Y43',
    enterprise,
    cooperative,
    creditCode('12320700466000123'),
    creditCode('92320703000000000'),
    creditCode('Y1320703ABCDEFGHJ'),
  ];

  it.each(sample)('accepts %s', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
  });

  it('computes the check character exactly as the standard over many codes', () => {
    // Every character in every position, so each weight and each value is exercised.
    for (let pos = 0; pos < 17; pos++) {
      for (const ch of gb32100Chars) {
        const first17 = '91320703MA1WXY123'.slice(0, pos) + ch + '91320703MA1WXY123'.slice(pos + 1);
        expect(creditCodeCheckChar(first17)).toBe(referenceCreditCheckChar(first17));
      }
    }
  });

  it('refuses every wrong check character', () => {
    const body = enterprise.slice(0, 17);
    for (const ch of gb32100Chars) {
      if (ch === enterprise.charAt(17)) continue;
      expect(isValidCreditCode(body + ch)).toBe(false);
    }
  });

  it('refuses a wrong length', () => {
    expect(isValidCreditCode(enterprise.slice(0, 17))).toBe(false);
    expect(isValidCreditCode(enterprise + '0')).toBe(false);
    expect(isValidCreditCode('')).toBe(false);
    expect(creditCodeCheckChar('9132070')).toBeNull();
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])(
    'refuses the forbidden letter %s whatever the check',
    (bad) => {
      const body = '91320703MA1WXY12' + bad;
      expect(creditCodeCheckChar(body)).toBeNull();
      for (const ch of gb32100Chars + bad) {
        expect(isValidCreditCode(body + ch)).toBe(false);
      }
      // also as the check character itself
      expect(isValidCreditCode(enterprise.slice(0, 17) + bad)).toBe(false);
    },
  );

  it('refuses letters in the 6-digit division segment', () => {
    expect(isValidCreditCode(creditCode('9132070AMA1WXY123'))).toBe(false);
  });

  it('refuses lower case until normalised', () => {
    const lower = creditCode('91320703MA1WXY12A').toLowerCase();
    expect(isValidCreditCode(lower)).toBe(false);
    expect(isValidCreditCode(normalizeIdentityNumber(lower))).toBe(true);
  });
});

describe('居民身份证号码 (GB 11643, ISO 7064 MOD 11-2)', () => {
  const lianyun = idCard('320703', '19800101', '123');

  it.each(['11010519491231002X', lianyun, idCard('320703', '20000229', '001')])(
    'accepts %s',
    (id) => {
      expect(isValidIdCardNumber(id, today)).toBe(true);
      expect(idCardCheckChar(id.slice(0, 17))).toBe(id.charAt(17));
    },
  );

  it('computes the check character exactly as ISO 7064 MOD 11-2', () => {
    // Walk the sequence digits so every check value 0..10 appears.
    const seen = new Set<string>();
    for (let seq = 0; seq < 200; seq++) {
      const first17 = '32070319800101' + String(seq).padStart(3, '0');
      const check = idCardCheckChar(first17);
      expect(check).toBe(referenceIdCheckChar(first17));
      seen.add(check ?? '');
    }
    expect([...seen].sort().join('')).toBe('0123456789X');
  });

  it('refuses every wrong check character', () => {
    for (const ch of '0123456789X') {
      if (ch === lianyun.charAt(17)) continue;
      expect(isValidIdCardNumber(lianyun.slice(0, 17) + ch, today)).toBe(false);
    }
  });

  it('refuses a wrong length, letters and the old 15-digit form', () => {
    expect(isValidIdCardNumber(lianyun.slice(0, 17), today)).toBe(false);
    expect(isValidIdCardNumber(lianyun + '1', today)).toBe(false);
    expect(isValidIdCardNumber('320703800101123', today)).toBe(false);
    expect(isValidIdCardNumber('3207031980010A123' + '4', today)).toBe(false);
    expect(idCardCheckChar('3207031980010112')).toBeNull();
    expect(idCardCheckChar('3207031980010112A')).toBeNull();
  });

  it.each([
    ['Feb 30', '19900230'],
    ['Feb 29 in a common year', '19900229'],
    ['Feb 29 in 1900 (not a leap year)', '19000229'],
    ['month 13', '19901301'],
    ['month 00', '19900001'],
    ['day 00', '19900100'],
    ['day 32', '19900132'],
    ['April 31', '19900431'],
    ['before 1900', '18991231'],
  ])('refuses an impossible birth date (%s) even with a correct check', (_label, birth) => {
    expect(isValidIdCardNumber(idCard('320703', birth, '123'), today)).toBe(false);
  });

  it('refuses a birth date after today, and accepts it once that day has come', () => {
    const id = idCard('320703', '20260315', '123');
    expect(isValidIdCardNumber(id, today)).toBe(false);
    expect(isValidIdCardNumber(id, new Date('2026-03-15T00:00:00Z'))).toBe(true);
    expect(isValidIdCardNumber(id, new Date('2027-01-01T00:00:00Z'))).toBe(true);
  });

  it('accepts lower-case x only once normalised', () => {
    const lower = '11010519491231002x';
    expect(isValidIdCardNumber(lower, today)).toBe(false);
    expect(normalizeIdentityNumber(lower)).toBe('11010519491231002X');
    expect(isValidIdCardNumber(normalizeIdentityNumber(lower), today)).toBe(true);
  });

  it('normalises spaces the way people type them', () => {
    expect(normalizeIdentityNumber(' 110105 19491231 002x ')).toBe('11010519491231002X');
    expect(normalizeIdentityNumber('91350100m000100y43')).toBe('91350100M000100Y43');
  });
});

describe('masking', () => {
  const id = idCard('320703', '19800101', '123');
  const code = creditCode('91320703MA1WXY123');

  it('masks an ID number to region prefix and last four, same length', () => {
    const masked = maskIdCardNumber(id);
    expect(masked).toHaveLength(id.length);
    expect(masked).toBe(`320${'*'.repeat(11)}${id.slice(14)}`);
    expect(masked).not.toContain('1980');
    expect(masked).not.toContain('0101');
    expect(masked.slice(3, 14)).toMatch(/^\*+$/);
  });

  it('masks a credit code to its first and last four, same length', () => {
    const masked = maskCreditCode(code);
    expect(masked).toHaveLength(18);
    expect(masked).toBe(`9132${'*'.repeat(10)}${code.slice(14)}`);
    expect(masked.slice(4, 14)).toMatch(/^\*+$/);
  });

  it('masks short values entirely, never revealing them', () => {
    expect(maskIdCardNumber('1234567')).toBe('*******');
    expect(maskCreditCode('12345678')).toBe('********');
    expect(maskIdCardNumber('')).toBe('');
  });

  it('masks a mobile number to 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('masks a landline, keeping only its ends', () => {
    const masked = maskPhone('0518-85551234');
    expect(masked).toHaveLength('0518-85551234'.length);
    expect(masked.startsWith('051')).toBe(true);
    expect(masked).not.toContain('8555');
    expect(masked).not.toContain('5512');
  });

  it('never reveals the middle of an 11-digit landline either', () => {
    const masked = maskPhone('0518-8555123');
    expect(masked).not.toContain('8555');
    expect(masked).toMatch(/\*{4}/);
  });
});

describe('phonePattern', () => {
  it.each(['13812345678', '19912345678', '0518-85551234', '051885551234', '025-1234567'])(
    'accepts %s',
    (p) => expect(phonePattern.test(p)).toBe(true),
  );
  it.each(['12812345678', '1381234567', '138123456789', '5185551234', '+8613812345678', ''])(
    'refuses %s',
    (p) => expect(phonePattern.test(p)).toBe(false),
  );
});
