import { AppError, defaultErrorMessages, errorCodes } from '@/domain/errors';

describe('AppError', () => {
  it('carries a code, the default Chinese message and no fields by default', () => {
    const e = new AppError('FORBIDDEN');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('AppError');
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toBe('您没有权限进行此操作');
    expect(e.fields).toBeUndefined();
  });

  it('keeps its own message and field errors', () => {
    const e = new AppError('INVALID_INPUT', '请检查数量', { 'quantity.value': ['数量必须大于 0'] });
    expect(e.message).toBe('请检查数量');
    expect(e.fields).toEqual({ 'quantity.value': ['数量必须大于 0'] });
  });

  it('has a Chinese default message for every code', () => {
    expect(Object.keys(defaultErrorMessages).sort()).toEqual([...errorCodes].sort());
    for (const code of errorCodes) expect(defaultErrorMessages[code]).toMatch(/[\u4e00-\u9fff]/);
  });
});
