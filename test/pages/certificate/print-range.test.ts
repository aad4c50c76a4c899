import { nextBatch, printRange } from '../../../src/pages/certificate/print-range';

describe('printRange', () => {
  it('leaves blank ends to the server (all labels, up to 1000)', () => {
    expect(printRange('', '', 12)).toEqual({ ok: true });
    expect(printRange(' 3 ', '', 12)).toEqual({ ok: true, from: 3 });
    expect(printRange('', '5', 12)).toEqual({ ok: true, to: 5 });
    expect(printRange('2', '12', 12)).toEqual({ ok: true, from: 2, to: 12 });
  });

  it('refuses numbers that are not label numbers, under their own input', () => {
    expect(printRange('0', '', 12)).toEqual({
      ok: false,
      errors: { from: ['请填写 1 或更大的整数'] },
    });
    expect(printRange('1.5', 'x', 12)).toMatchObject({
      ok: false,
      errors: { from: [expect.any(String)], to: [expect.any(String)] },
    });
    expect(printRange('', '13', 12)).toEqual({
      ok: false,
      errors: { to: ['这张合格证共 12 件，最大填 12'] },
    });
  });

  it('refuses an end before the start', () => {
    expect(printRange('8', '3', 12)).toEqual({
      ok: false,
      errors: { to: ['结束件号不能小于起始件号'] },
    });
  });

  it('holds a PDF to 1000 labels', () => {
    expect(printRange('1', '1000', 5000)).toEqual({ ok: true, from: 1, to: 1000 });
    expect(printRange('1', '1001', 5000)).toEqual({
      ok: false,
      errors: { to: ['一次最多打印 1000 张，请填 1000 或更小'] },
    });
    // Only a start: the server prints the 1000 from there, which is fine.
    expect(printRange('4001', '', 5000)).toEqual({ ok: true, from: 4001 });
  });
});

describe('nextBatch', () => {
  it('offers the next 1000 until the last label', () => {
    expect(nextBatch(1000, 2500)).toEqual({ from: 1001, to: 2000 });
    expect(nextBatch(2000, 2500)).toEqual({ from: 2001, to: 2500 });
    expect(nextBatch(2500, 2500)).toBeNull();
    expect(nextBatch(1, 1)).toBeNull();
  });
});
