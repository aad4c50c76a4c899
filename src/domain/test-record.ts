import * as z from 'zod/mini';

/** 检测方式: a rapid test (速测) on site, or a laboratory test. */
export const testKinds = { rapid: '快速检测（速测）', lab: '实验室检测' } as const;
export type TestKind = keyof typeof testKinds;

/** Who did the test: the producer itself (自行检测) or a commissioned body (委托检测). */
export const testParties = { self: '自行检测', commissioned: '委托检测' } as const;
export type TestParty = keyof typeof testParties;

export const testResults = { pass: '合格', fail: '不合格' } as const;
export type TestResult = keyof typeof testResults;

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .check(
      z.trim(),
      z.minLength(min, { error: `请填写${label}` }),
      z.maxLength(max, { error: `${label}最多 ${max} 个字` }),
    );

/** What a producer records about a test (before the server adds ids and times). */
export const testRecordInputSchema = z
  .object({
    subjectId: z.string({ error: '请选择主体' }).check(z.minLength(1, { error: '请选择主体' })),
    /** 检测项目, e.g. 有机磷和氨基甲酸酯类农药残留 */
    item: text('检测项目', 2, 60),
    /** 检测方法, e.g. GB/T 5009.199 速测卡法 */
    method: text('检测方法', 2, 60),
    kind: z.enum(['rapid', 'lab'], { error: '请选择检测方式' }),
    party: z.enum(['self', 'commissioned'], { error: '请选择自行检测或委托检测' }),
    result: z.enum(['pass', 'fail'], { error: '请选择检测结果' }),
    testedOn: z
      .string({ error: '请填写检测日期' })
      .check(z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: '检测日期格式应为 2026-11-29' })),
    /** 检测机构: required for a commissioned test. */
    lab: z.optional(text('检测机构', 2, 60)),
    productName: z.optional(text('产品名称', 1, 30)),
    /** A stored photo of the report (file id from the file store). */
    reportFileId: z.optional(z.string().check(z.minLength(1), z.maxLength(120))),
  })
  .check(
    z.superRefine((t, ctx) => {
      if (t.party === 'commissioned' && !t.lab) {
        ctx.addIssue({ code: 'custom', path: ['lab'], message: '委托检测请填写检测机构' });
      }
    }),
  );
export type TestRecordInput = z.input<typeof testRecordInputSchema>;

export type TestRecord = z.output<typeof testRecordInputSchema> & {
  _id: string;
  createdBy: string;
  createdAt: string;
};

/** Which basis a test record can support: 自行检测合格 or 委托检测合格, and only if it passed. */
export function supportedBasis(t: Pick<TestRecord, 'party' | 'result'>) {
  if (t.result !== 'pass') return null;
  return t.party === 'self' ? ('self_test' as const) : ('commissioned_test' as const);
}

/** A test record as the public sees it on the verify page. */
export function publicTestRecordView(t: TestRecord) {
  return {
    item: t.item,
    method: t.method,
    kind: testKinds[t.kind],
    party: testParties[t.party],
    result: testResults[t.result],
    testedOn: t.testedOn,
    lab: t.lab ?? null,
    hasReport: Boolean(t.reportFileId),
  };
}
export type PublicTestRecordView = ReturnType<typeof publicTestRecordView>;
