/**
 * 宣传素材 — images and PDFs for items and training materials: uploaded in base64, checked by
 * their magic bytes, kept in the file store, read back through signed links.
 */
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { AppError, type FieldErrors } from '../../src/domain/errors';
import { publicityPolicy } from '../../src/domain/outreach';
import { detectPhotoType } from '../../src/domain/supervision';
import { action, callerOf, type Ctx } from '../kit/action';
import { deterministicId, newId } from '../kit/ids';
import { publishers } from './access';

export type OutreachContentType = 'image/jpeg' | 'image/png' | 'application/pdf';

/** 文件记录 of an outreach file (`files` collection; the bytes are in the file store). */
export interface OutreachFile {
  /** `ofile_<hash of fileId>`, so a file is found by its file id. */
  _id: string;
  kind: 'outreach';
  fileId: string;
  key: string;
  contentType: OutreachContentType;
  bytes: number;
  createdBy: string;
  createdAt: string;
}

export interface UploadedFile {
  fileId: string;
  contentType: OutreachContentType;
  bytes: number;
}

export interface FileLink {
  fileId: string;
  url: string;
}

const fileDocId = (fileId: string) => deterministicId('ofile', fileId);

function detect(bytes: Uint8Array): OutreachContentType | null {
  const photo = detectPhotoType(bytes);
  if (photo) return photo;
  const pdf = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
  return bytes.length >= pdf.length && pdf.every((b, i) => bytes[i] === b)
    ? 'application/pdf'
    : null;
}

const extensions: Record<OutreachContentType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};

const tooLarge = `文件不能超过 ${publicityPolicy.fileMaxBytes / 1024 / 1024} MB`;

/**
 * Checks before anything is written that each id is an uploaded outreach file of an allowed type
 * (INVALID_INPUT on the field otherwise).
 */
export async function checkFiles(
  ctx: Ctx,
  refs: readonly { field: string; fileId: string; types: readonly OutreachContentType[] }[],
): Promise<void> {
  const files = ctx.store.collection<OutreachFile>('files');
  const fields: FieldErrors = {};
  for (const ref of refs) {
    const file = await files.get(fileDocId(ref.fileId));
    if (!file || file.kind !== 'outreach') {
      fields[ref.field] = ['没有找到这个文件，请重新上传'];
    } else if (!ref.types.includes(file.contentType)) {
      fields[ref.field] = [
        ref.types.includes('application/pdf')
          ? '这里只能用 PDF 文件'
          : '这里只能用 JPEG 或 PNG 图片',
      ];
    }
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError('INVALID_INPUT', '文件有误，请检查', fields);
  }
}

/** Signed links to files (an hour); none when the runtime has no file store. */
export async function fileLinks(ctx: Ctx, fileIds: readonly string[]): Promise<FileLink[]> {
  const links: FileLink[] = [];
  for (const fileId of fileIds) {
    try {
      links.push({ fileId, url: await ctx.files.url(fileId, publicityPolicy.fileUrlTtlSeconds) });
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAVAILABLE') return [];
      throw error;
    }
  }
  return links;
}

export const fileActions = {
  /**
   * 上传素材 — one JPEG, PNG or PDF of at most 3 MB, in base64; the bytes must be what the type
   * says. Answers the file id for an item's imageFileIds / pdfFileId or a session's materials.
   */
  uploadFile: action({
    input: z.object({
      base64: z
        .string({ error: '请选择文件' })
        .check(
          z.minLength(1, { error: '请选择文件' }),
          z.maxLength(Math.ceil((publicityPolicy.fileMaxBytes * 4) / 3) + 4, { error: tooLarge }),
          z.regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: '文件内容应为 base64' }),
        ),
      contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf'], {
        error: '只支持 JPEG、PNG 图片或 PDF 文件',
      }),
    }),
    roles: publishers,
    async run(input, ctx): Promise<UploadedFile> {
      const bytes = Buffer.from(input.base64, 'base64');
      if (bytes.length > publicityPolicy.fileMaxBytes) {
        throw new AppError('INVALID_INPUT', tooLarge, { base64: [tooLarge] });
      }
      const detected = detect(bytes);
      if (!detected) {
        throw new AppError('INVALID_INPUT', '只支持 JPEG、PNG 图片或 PDF 文件', {
          base64: ['文件内容不是 JPEG、PNG 图片或 PDF'],
        });
      }
      if (detected !== input.contentType) {
        throw new AppError('INVALID_INPUT', '文件类型与内容不符', {
          contentType: [`文件内容是 ${extensions[detected].toUpperCase()}`],
        });
      }
      const now = ctx.now();
      const key = `outreach/${chinaDate(now).slice(0, 7)}/${newId(ctx, 'o')}.${extensions[detected]}`;
      const { fileId } = await ctx.files.put(key, new Uint8Array(bytes), detected);
      await ctx.store.collection<OutreachFile>('files').insert({
        _id: fileDocId(fileId),
        kind: 'outreach',
        fileId,
        key,
        contentType: detected,
        bytes: bytes.length,
        createdBy: callerOf(ctx).userId,
        createdAt: now.toISOString(),
      });
      return { fileId, contentType: detected, bytes: bytes.length };
    },
  }),
};
