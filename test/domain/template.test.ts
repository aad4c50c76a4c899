import {
  basisCodes,
  bases,
  currentTemplateVersion,
  templateFor,
  templates,
} from '@/domain/template';

describe('templates', () => {
  it('keeps the 2019 trial for display but not for new certificates', () => {
    const t = templateFor('2019-trial');
    expect(t.selectable).toBe(false);
    expect(t.title).toBe('食用农产品合格证');
    expect(t.bases).toContain('self_pledge');
    expect(t.promises[1]).toBeTruthy();
    expect(t.promises[2]).toBeUndefined();
  });

  it('issues new certificates under the selectable 2025 template', () => {
    expect(currentTemplateVersion).toBe('2025');
    const t = templateFor(currentTemplateVersion);
    expect(t.selectable).toBe(true);
    expect(t.title).toBe('承诺达标合格证');
    expect(t.source).toContain('2025年第4号');
  });

  it('drops 自我承诺 from the 2025 bases', () => {
    expect(templateFor('2025').bases).not.toContain('self_pledge');
    expect([...templateFor('2025').bases].sort()).toEqual(
      ['commissioned_test', 'quality_control', 'self_test'].sort(),
    );
  });

  it('words both 2025 promises: the producer (style 1) and the buyer (style 2)', () => {
    const { promises } = templateFor('2025');
    expect(promises[1]).toContain('不使用禁用的农药兽药');
    expect(promises[1]).toContain('对承诺的真实性负责');
    expect(promises[2]).toContain('已收取并保存');
    expect(promises[2]).toContain('保鲜剂');
  });

  it('has exactly one selectable template, the current one', () => {
    const selectable = Object.values(templates).filter((t) => t.selectable);
    expect(selectable.map((t) => t.version)).toEqual([currentTemplateVersion]);
  });

  it('keys each template by its own version and uses only known bases', () => {
    for (const [key, t] of Object.entries(templates)) {
      expect(t.version).toBe(key);
      for (const b of t.bases) expect(basisCodes).toContain(b);
    }
  });

  it('throws for an unknown version', () => {
    expect(() => templateFor('2030')).toThrow(/unknown certificate template 2030/);
    expect(() => templateFor('')).toThrow();
    expect(() => templateFor('toString')).toThrow();
    expect(() => templateFor('constructor')).toThrow();
    expect(() => templateFor('__proto__')).toThrow();
  });
});

describe('bases', () => {
  it('labels the bases as the rules word them', () => {
    expect(bases).toEqual({
      quality_control: '质量安全控制符合要求',
      self_test: '自行检测合格',
      commissioned_test: '委托检测合格',
      self_pledge: '自我承诺',
    });
  });
});
