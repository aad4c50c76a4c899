import {
  certificateStatuses,
  normalizeCertificateCode,
  parseLabelCode,
} from '../../src/domain/certificate';
import { AppError } from '../../src/domain/errors';
import {
  maxLabelsPerPdf,
  printLabelsInputSchema,
  type PrintLabelsResult,
} from '../../src/domain/print';
import { labelViews, ownCertificate } from '../certificate/views';
import { action, callerOf, cloudFunction } from '../kit/action';
import { defaultFileUrlTtlSeconds } from '../kit/files/port';
import { newId } from '../kit/ids';
import { renderLabelsPdf } from './pdf';

/** 文件记录 — what the store keeps about a printed PDF (the bytes are in the file store). */
export interface PrintedFile {
  _id: string;
  kind: 'print';
  fileId: string;
  key: string;
  certificateCode: string;
  layout: string;
  from: number;
  to: number;
  pages: number;
  bytes: number;
  createdBy: string;
  createdAt: string;
}

export const printFunction = cloudFunction('print', {
  /**
   * 打印标签 — a PDF of one of the caller's certificates in a label or form layout, stored in the
   * file store; answers a link valid for a quarter of an hour.
   */
  labels: action({
    input: printLabelsInputSchema,
    roles: ['producer', 'buyer'],
    async run(input, ctx): Promise<PrintLabelsResult> {
      const parsed = parseLabelCode(normalizeCertificateCode(input.code));
      if (!parsed) throw new AppError('NOT_FOUND', '没有找到这张合格证');
      const certificate = await ownCertificate(ctx, parsed.code);
      if (certificate.status === 'revoked') {
        const reason = certificate.revokedReason ? `（原因：${certificate.revokedReason}）` : '';
        throw new AppError(
          'CONFLICT',
          `这张合格证${certificateStatuses.revoked}${reason}，不能再打印标签`,
        );
      }
      const count = certificate.count;
      if (parsed.index !== null && parsed.index >= count) {
        throw new AppError('NOT_FOUND', '没有找到这张合格证');
      }
      // A package label's code prints that label alone, unless a range is given.
      const single = parsed.index !== null ? parsed.index + 1 : null;
      const from = input.from ?? single ?? 1;
      const to = input.to ?? single ?? Math.min(count, from + maxLabelsPerPdf - 1);
      if (from > count || to > count) {
        throw new AppError('INVALID_INPUT', `这张合格证共 ${count} 张标签`, {
          [from > count ? 'from' : 'to']: [`序号不能超过 ${count}`],
        });
      }
      if (to < from || to - from + 1 > maxLabelsPerPdf) {
        throw new AppError('INVALID_INPUT', `一次最多打印 ${maxLabelsPerPdf} 张标签`, {
          to: [`请在 ${from}–${Math.min(count, from + maxLabelsPerPdf - 1)} 之间`],
        });
      }

      const labels = labelViews(ctx, certificate, from - 1, to - from + 1);
      const pdf = await renderLabelsPdf(certificate, labels, input.layout);
      const key = `print/${certificate.code}/${input.layout}-${from}-${to}-${ctx.requestId}.pdf`;
      const { fileId } = await ctx.files.put(key, pdf.bytes, 'application/pdf');
      const url = await ctx.files.url(fileId, defaultFileUrlTtlSeconds);
      await ctx.store.collection<PrintedFile>('files').insert({
        _id: newId(ctx, 'file'),
        kind: 'print',
        fileId,
        key,
        certificateCode: certificate.code,
        layout: input.layout,
        from,
        to,
        pages: pdf.pages,
        bytes: pdf.bytes.length,
        createdBy: callerOf(ctx).userId,
        createdAt: ctx.now().toISOString(),
      });
      return {
        fileId,
        url,
        expiresIn: defaultFileUrlTtlSeconds,
        pages: pdf.pages,
        from,
        to,
        count,
        bytes: pdf.bytes.length,
      };
    },
  }),
});
