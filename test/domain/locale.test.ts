import * as z from 'zod/mini';
import { useChineseMessages } from '@/domain/locale';

describe('useChineseMessages', () => {
  it('answers in Chinese where a schema gives no message of its own', () => {
    const schema = z.object({ n: z.number() });
    const before = schema.safeParse({ n: 'x' }).error?.issues[0]?.message ?? '';
    useChineseMessages();
    const after = schema.safeParse({ n: 'x' }).error?.issues[0]?.message ?? '';
    expect(before).not.toMatch(/[\u4e00-\u9fff]/);
    expect(after).toMatch(/[\u4e00-\u9fff]/);
  });

  it("keeps a schema's own message", () => {
    useChineseMessages();
    expect(z.string({ error: '请填写数量' }).safeParse(1).error?.issues[0]?.message).toBe(
      '请填写数量',
    );
  });
});
