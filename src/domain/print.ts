import * as z from 'zod/mini';

/** 打印版式 — the layouts a certificate's labels can be printed in. */
export const printLayouts = {
  '80x60': '80×60 毫米热敏标签',
  '100x70': '100×70 毫米热敏标签',
  '50x30': '50×30 毫米热敏标签（简版）',
  'a4-two-part': 'A4 两联单（存根联 + 买方联）',
} as const;
export type PrintLayout = keyof typeof printLayouts;
export const printLayoutCodes = Object.keys(printLayouts) as [PrintLayout, ...PrintLayout[]];

/** The most labels one PDF holds; a larger certificate is printed in ranges (`from`, `to`). */
export const maxLabelsPerPdf = 1000;

const labelNumber = z
  .int({ error: '标签序号须为整数' })
  .check(z.gte(1, { error: '标签序号从 1 开始' }));

/** What the print function's `labels` action takes. */
export const printLabelsInputSchema = z
  .object({
    /** The certificate's code; a package label's code prints that one label. */
    code: z
      .string({ error: '请选择要打印的合格证' })
      .check(
        z.trim(),
        z.minLength(1, { error: '请选择要打印的合格证' }),
        z.maxLength(40, { error: '合格证编号不正确' }),
      ),
    layout: z.enum(printLayoutCodes, { error: '请选择打印版式' }),
    /** First and last label to print (1-based, inclusive); all, up to maxLabelsPerPdf, if absent. */
    from: z.optional(labelNumber),
    to: z.optional(labelNumber),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.from !== undefined && input.to !== undefined) {
        if (input.to < input.from) {
          ctx.addIssue({ code: 'custom', path: ['to'], message: '结束序号不能小于起始序号' });
        } else if (input.to - input.from + 1 > maxLabelsPerPdf) {
          ctx.addIssue({
            code: 'custom',
            path: ['to'],
            message: `一次最多打印 ${maxLabelsPerPdf} 张标签，请分批打印`,
          });
        }
      }
    }),
  );
export type PrintLabelsInput = z.input<typeof printLabelsInputSchema>;

/** What it answers: the PDF's id in the file store and a short-lived link to download it. */
export interface PrintLabelsResult {
  fileId: string;
  url: string;
  /** Seconds the link stays valid. */
  expiresIn: number;
  pages: number;
  /** The labels in this PDF (1-based, inclusive) and how many the certificate has. */
  from: number;
  to: number;
  count: number;
  bytes: number;
}
