import { chinaDateTime, issueSummary, nextBatchNo } from '../../src/ui/summary';

describe('issueSummary', () => {
  it('says what the last certificate covered in one line', () => {
    const base = { productName: '青菜', quantity: { value: '5', unit: 'jin' as const } };
    expect(issueSummary({ ...base, issueUnit: 'package', packages: 12 })).toBe('青菜 5 斤 ×12 件');
    expect(issueSummary({ ...base, issueUnit: 'package', packages: 1 })).toBe('青菜 5 斤');
    expect(issueSummary({ ...base, issueUnit: 'vehicle', vehiclePlate: '苏G12345' })).toBe(
      '青菜 5 斤（整车 苏G12345）',
    );
    expect(issueSummary({ ...base, issueUnit: 'batch', batchNo: 'HG-001' })).toBe(
      '青菜 5 斤（批次 HG-001）',
    );
  });
});

describe('nextBatchNo', () => {
  it('counts the trailing number up, keeping its width', () => {
    expect(nextBatchNo('HG-001', '2026-11-29')).toBe('HG-002');
    expect(nextBatchNo('B9', '2026-11-29')).toBe('B10');
  });

  it('starts a dated batch number again on a new day', () => {
    expect(nextBatchNo('20261128-02', '2026-11-29')).toBe('20261129-01');
    expect(nextBatchNo('20261129-02', '2026-11-29')).toBe('20261129-03');
  });

  it('makes a dated one when there is nothing to count on', () => {
    expect(nextBatchNo(null, '2026-11-29')).toBe('20261129-01');
    expect(nextBatchNo('甲批', '2026-11-29')).toBe('20261129-01');
  });
});

it('shows instants in China time', () => {
  expect(chinaDateTime('2026-11-29T16:30:00.000Z')).toBe('2026-11-30 00:30');
});
