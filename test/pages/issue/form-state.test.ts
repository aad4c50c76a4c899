import {
  initialForm,
  linkedTestIds,
  packageCount,
  toInput,
  type Prefill,
} from '../../../src/pages/issue/form-state';
import type { OwnSubject, SubjectDefaults, TestRecord } from '../../../src/services/api';

const subject = {
  _id: 'sub-1',
  type: 'smallholder',
  address: '连云区墟沟街道示范村',
  products: ['青菜', '番茄'],
} as OwnSubject;

const test = (id: string, party: 'self' | 'commissioned', result: 'pass' | 'fail') =>
  ({ _id: id, party, result, kind: 'rapid', item: '农残', testedOn: '2026-11-29' }) as TestRecord;

const defaults: SubjectDefaults = {
  _id: 'sub-1',
  productName: '青菜',
  quantity: { value: '5', unit: 'jin' },
  origin: '示范村',
  basis: ['quality_control', 'self_test'],
  issueUnit: 'package',
  packages: 12,
  testRecordIds: ['t-self', 't-gone'],
  updatedAt: '2026-11-29T00:00:00Z',
};

const prefill = (over: Partial<Prefill> = {}): Prefill => ({
  subjectId: 'sub-1',
  defaults,
  tests: [test('t-self', 'self', 'pass'), test('t-lab', 'commissioned', 'pass')],
  last: null,
  ...over,
});

it('fills the form from the defaults, keeping only test records that still exist', () => {
  const form = initialForm(subject, prefill(), '2026-11-30');
  expect(form).toMatchObject({
    productName: '青菜',
    quantityValue: '5',
    unit: 'jin',
    origin: '示范村',
    issueUnit: 'package',
    packages: '12',
    basis: ['quality_control', 'self_test'],
    testRecordIds: ['t-self'],
  });
});

it('falls back to the registration the first time', () => {
  const form = initialForm(subject, prefill({ defaults: null }), '2026-11-30');
  expect(form).toMatchObject({
    productName: '',
    origin: subject.address,
    basis: ['quality_control'],
    packages: '1',
    issueUnit: 'package',
  });
});

it('counts the batch number on and keeps the plate from the last certificate', () => {
  const batch = initialForm(
    subject,
    prefill({
      defaults: { ...defaults, issueUnit: 'batch', packages: 1 },
      last: { issueUnit: 'batch', batchNo: 'HG-001' } as Prefill['last'],
    }),
    '2026-11-30',
  );
  expect(batch.batchNo).toBe('HG-002');
  expect(batch.packages).toBe('1');
  const vehicle = initialForm(
    subject,
    prefill({
      defaults: { ...defaults, issueUnit: 'vehicle', packages: 1 },
      last: { issueUnit: 'vehicle', vehiclePlate: '苏G12345' } as Prefill['last'],
    }),
    '2026-11-30',
  );
  expect(vehicle.vehiclePlate).toBe('苏G12345');
});

it('sends only the test records behind a chosen basis, and sources only for style 2', () => {
  const tests = prefill().tests;
  const form = {
    ...initialForm(subject, prefill(), '2026-11-30'),
    testRecordIds: ['t-self', 't-lab'],
    sourceCodes: ['0000000000000000'],
  };
  expect(linkedTestIds(form, tests)).toEqual(['t-self']);
  const input = toInput(form, { requestId: 'req-12345678', subjectId: 'sub-1', style: 1, tests });
  expect(input).toMatchObject({ packages: 12, testRecordIds: ['t-self'] });
  expect(input).not.toHaveProperty('sourceCodes');
  expect(input).not.toHaveProperty('traceCode');
  const buyer = toInput(
    { ...form, traceCode: ' 3207-ABC-001 ' },
    { requestId: 'req-12345678', subjectId: 'sub-1', style: 2, tests },
  );
  expect(buyer).toMatchObject({ sourceCodes: ['0000000000000000'], traceCode: '3207-ABC-001' });
});

it('reads the package count as digits only', () => {
  expect(packageCount('12')).toBe(12);
  expect(packageCount(' 7 ')).toBe(7);
  expect(packageCount('1.5')).toBeNaN();
  expect(packageCount('')).toBeNaN();
});
