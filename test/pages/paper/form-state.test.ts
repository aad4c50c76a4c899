import {
  initialPaperForm,
  nextNumber,
  serialFor,
  seriesOf,
  toRegisterInput,
} from '../../../src/pages/paper/form-state';
import { registerPaperFormInputSchema } from '../../../src/domain/paper';
import type { FormRangeView, SubjectDefaults } from '../../../src/services/api';

const range = (prefix: string, year: number, free: number) =>
  ({ id: `${prefix}${year}`, prefix, year, free }) as FormRangeView;

const subject = { address: '连云区墟沟街道示范村三组 18 号', products: ['青菜'] };

describe('seriesOf', () => {
  it('puts series with unused forms first, each once', () => {
    expect(seriesOf([range('XG', 2026, 0), range('XG', 2025, 3), range('XG', 2026, 5)])).toEqual([
      { prefix: 'XG', year: 2025 },
      { prefix: 'XG', year: 2026 },
    ]);
    expect(seriesOf([])).toEqual([]);
  });
});

describe('serialFor', () => {
  const xg = { prefix: 'XG', year: 2026 };
  it('makes the number into the series serial', () => {
    expect(serialFor('7', xg)).toBe('XG2026-000007');
    expect(serialFor(' 000123 ', xg)).toBe('XG2026-000123');
  });
  it('takes a whole serial as typed', () => {
    expect(serialFor('xg2026-7', xg)).toBe('xg2026-7');
  });
  it('gives null for what is not a number, or without a series', () => {
    expect(serialFor('', xg)).toBeNull();
    expect(serialFor('0', xg)).toBeNull();
    expect(serialFor('1234567', xg)).toBeNull();
    expect(serialFor('7', undefined)).toBeNull();
  });
});

describe('the form', () => {
  it('starts from the last certificate, dated today', () => {
    const defaults = {
      productName: '番茄',
      quantity: { value: '20', unit: 'jin' },
      origin: '示范村',
      basis: ['quality_control', 'self_test'],
    } as SubjectDefaults;
    expect(initialPaperForm(subject, defaults, '2026-11-29')).toEqual({
      number: '',
      productName: '番茄',
      quantityValue: '20',
      unit: 'jin',
      origin: '示范村',
      issueDate: '2026-11-29',
      basis: ['quality_control', 'self_test'],
    });
  });

  it('starts from the registration the first time', () => {
    expect(initialPaperForm(subject, null, '2026-11-29')).toMatchObject({
      productName: '青菜',
      origin: subject.address,
      basis: ['quality_control'],
    });
  });

  it('sends what the server schema accepts', () => {
    const form = { ...initialPaperForm(subject, null, '2026-11-29'), number: '7' };
    form.quantityValue = '12.5';
    const input = toRegisterInput(form, 'sub-1', { prefix: 'XG', year: 2026 });
    expect(input).toMatchObject({ serial: 'XG2026-000007', quantity: { value: '12.5' } });
    expect(registerPaperFormInputSchema.safeParse(input).success).toBe(true);
  });

  it('counts the number on after a registration', () => {
    expect(nextNumber('7')).toBe('8');
    expect(nextNumber('XG2026-000007')).toBe('');
  });
});
