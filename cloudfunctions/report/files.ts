/** Where the report's PDFs go: the file store, with a record in 'files' of what each one is. */
import { callerOf, type Ctx } from '../kit/action';
import { defaultFileUrlTtlSeconds } from '../kit/files/port';
import { newId } from '../kit/ids';

/** 文件记录 of a report document (the bytes are in the file store). */
export interface ReportFile {
  _id: string;
  kind: 'summary' | 'statement';
  fileId: string;
  key: string;
  /** The street (summary) or the statement id. */
  about: string;
  pages: number;
  bytes: number;
  createdBy: string;
  createdAt: string;
}

export interface StoredPdf {
  fileId: string;
  /** A download link for whoever holds it, valid `expiresIn` seconds. */
  url: string;
  expiresIn: number;
  pages: number;
}

/** Stores a PDF under `key` and answers a link to it. */
export async function storePdf(
  ctx: Ctx,
  kind: ReportFile['kind'],
  key: string,
  about: string,
  pdf: { bytes: Buffer; pages: number },
): Promise<StoredPdf> {
  const { fileId } = await ctx.files.put(key, pdf.bytes, 'application/pdf');
  const url = await ctx.files.url(fileId, defaultFileUrlTtlSeconds);
  await ctx.store.collection<ReportFile>('files').insert({
    _id: newId(ctx, 'file'),
    kind,
    fileId,
    key,
    about,
    pages: pdf.pages,
    bytes: pdf.bytes.length,
    createdBy: callerOf(ctx).userId,
    createdAt: ctx.now().toISOString(),
  });
  return { fileId, url, expiresIn: defaultFileUrlTtlSeconds, pages: pdf.pages };
}
