import {
  compareQuantityValues,
  formatQuantity,
  normalizeQuantityValue,
  quantitySchema,
  quantityValueSchema,
  unitCodes,
  units,
} from '@/domain/quantity';

function messages(value: unknown): string[] {
  const r = quantityValueSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe('quantityValueSchema', () => {
  it.each([
    ['1', '1'],
    ['0.5', '0.5'],
    ['0.001', '0.001'],
    ['12.5', '12.5'],
    ['12.50', '12.50'],
    ['999999999', '999999999'],
    ['999999999.999', '999999999.999'],
    [' 12.5 ', '12.5'],
  ])('accepts %j as %j', (input, output) => {
    expect(quantityValueSchema.parse(input)).toBe(output);
  });

  it.each(['0', '0.0', '0.000', ' 0 '])('refuses zero %j as not greater than 0', (v) => {
    expect(messages(v)).toEqual(['数量必须大于 0']);
  });

  it.each([
    '-1',
    '-0.5',
    '+1',
    '1e3',
    '1E3',
    '1.2345',
    '012',
    '00.5',
    '.5',
    '5.',
    '1,000',
    '1 000',
    '１２',
    '0x10',
    'Infinity',
    'NaN',
    '',
    '1000000000',
  ])('refuses %j as not a decimal with at most three places', (v) => {
    expect(messages(v)).toContain('数量须为数字，最多三位小数');
  });

  it('refuses numbers and missing values: quantities are strings, never floats', () => {
    expect(messages(12.5)).toEqual(['请填写数量']);
    expect(messages(undefined)).toEqual(['请填写数量']);
    expect(messages(null)).toEqual(['请填写数量']);
  });
});

describe('quantitySchema', () => {
  it('keeps value and unit together', () => {
    expect(quantitySchema.parse({ value: ' 3 ', unit: 'box' })).toEqual({
      value: '3',
      unit: 'box',
    });
  });

  it.each(unitCodes)('accepts the unit %s', (unit) => {
    expect(quantitySchema.safeParse({ value: '1', unit }).success).toBe(true);
  });

  it.each(['', 'KG', 'lb', '公斤', 'liter', undefined])('refuses the unit %j', (unit) => {
    const r = quantitySchema.safeParse({ value: '1', unit });
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([
      expect.objectContaining({ path: ['unit'], message: '请选择单位' }),
    ]);
  });

  it('reports a bad value at path value', () => {
    const r = quantitySchema.safeParse({ value: '0', unit: 'kg' });
    expect(r.error?.issues).toEqual([
      expect.objectContaining({ path: ['value'], message: '数量必须大于 0' }),
    ]);
  });

  it('labels every unit in Chinese', () => {
    for (const code of unitCodes) expect(units[code]).toMatch(/^[\u4e00-\u9fff]+$/);
    expect(new Set(unitCodes).size).toBe(unitCodes.length);
  });
});

describe('normalizeQuantityValue', () => {
  it.each([
    ['12.50', '12.5'],
    ['12.5', '12.5'],
    ['12.0', '12'],
    ['12.000', '12'],
    ['10', '10'],
    ['100', '100'],
    ['100.00', '100'],
    ['0.10', '0.1'],
    ['0.001', '0.001'],
    ['1.050', '1.05'],
    [' 7.20 ', '7.2'],
  ])('%j → %j', (input, output) => {
    expect(normalizeQuantityValue(input)).toBe(output);
  });
});

describe('formatQuantity', () => {
  it('writes the normalised value with the Chinese unit', () => {
    expect(formatQuantity({ value: '12.50', unit: 'kg' })).toBe('12.5 公斤');
    expect(formatQuantity({ value: '30', unit: 'box' })).toBe('30 箱');
    expect(formatQuantity({ value: '100.0', unit: 'jin' })).toBe('100 斤');
  });
});

describe('compareQuantityValues', () => {
  it.each([
    ['10', '9.999', 1],
    ['9.999', '10', -1],
    ['0.3', '0.30', 0],
    ['0.3', '0.300', 0],
    ['12.5', '12.50', 0],
    ['12', '12.000', 0],
    ['0.1', '0.09', 1],
    ['0.09', '0.1', -1],
    ['0.3', '0.299', 1],
    ['2', '10', -1],
    ['100', '99.999', 1],
    ['1.5', '1.25', 1],
    ['1.05', '1.5', -1],
    ['999999999.999', '999999999.998', 1],
    [' 5 ', '5', 0],
  ])('compare(%j, %j) = %d', (a, b, expected) => {
    expect(compareQuantityValues(a, b)).toBe(expected);
  });

  it('avoids the float trap: 0.1 + 0.2 written out is exactly 0.3', () => {
    // In floats 0.1 + 0.2 > 0.3; the decimal strings compare exactly.
    expect(0.1 + 0.2 > 0.3).toBe(true);
    expect(compareQuantityValues('0.30', '0.3')).toBe(0);
    expect(compareQuantityValues('0.300', '0.3')).toBe(0);
  });

  it('compares beyond float precision', () => {
    // 999999999.999 and 999999999.9989999 are the same double but not the same decimal.
    expect(compareQuantityValues('999999999.999', '999999999.998')).toBe(1);
    expect(999999999.999 === 999999999.9989999).toBe(true);
  });

  it('is antisymmetric over a set of valid values', () => {
    const values = ['0.001', '0.01', '0.1', '0.5', '1', '1.5', '9.999', '10', '10.001', '100'];
    values.forEach((a, i) =>
      values.forEach((b, j) => {
        expect(compareQuantityValues(a, b)).toBe(Math.sign(i - j));
      }),
    );
  });
});
