/**
 * 现场照片 and 整改佐证: photos uploaded one at a time (base64, checked by their magic bytes),
 * kept in the file store, attached to one patrol or rectification case, and read back through
 * short-lived signed links by whoever may see that record.
 */
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { AppError, type FieldErrors } from '../../src/domain/errors';
import type { Subject } from '../../src/domain/subject';
import {
  detectPhotoType,
  fileIdSchema,
  photoPolicy,
  photoTooLarge,
  photoUploadSchema,
  type PhotoContentType,
} from '../../src/domain/supervision';
import { action, callerOf, type Ctx } from '../kit/action';
import { defaultFileUrlTtlSeconds } from '../kit/files/port';
import { deterministicId, newId } from '../kit/ids';
import type { TransactionScope } from '../kit/store/port';
import { fieldStaff, ownsSubject, staffCovers } from './access';

/** The record a photo belongs to. */
export interface PhotoTarget {
  entity: 'patrols' | 'rectifications';
  id: string;
  subjectId: string;
  divisionCode: string;
}

/** 文件记录 of a photo (in the store's `files` collection; the bytes are in the file store). */
export interface PhotoFile {
  /** `photo_<hash of fileId>`, so a photo is found by its file id. */
  _id: string;
  kind: 'photo';
  fileId: string;
  key: string;
  contentType: PhotoContentType;
  bytes: number;
  createdBy: string;
  createdAt: string;
  /** Null until a patrol or case takes it; a photo belongs to one record only. */
  attachedTo: PhotoTarget | null;
}

export interface UploadedPhoto {
  fileId: string;
  contentType: PhotoContentType;
  bytes: number;
}

export interface PhotoLink {
  fileId: string;
  url: string;
  expiresAt: string;
}

const photoDocId = (fileId: string) => deterministicId('photo', fileId);

/** Why a photo cannot go on `target`, or null when it can. */
function photoProblem(ctx: Ctx, photo: PhotoFile | null, target: PhotoTarget): string | null {
  if (!photo || photo.kind !== 'photo') return '没有找到这张照片，请重新上传';
  if (photo.attachedTo) {
    const same = photo.attachedTo.entity === target.entity && photo.attachedTo.id === target.id;
    return same ? null : '这张照片已用于其他记录';
  }
  if (photo.createdBy !== callerOf(ctx).userId) return '只能使用您自己上传的照片';
  return null;
}

/** Checks before any work is done that every photo may go on `target` (INVALID_INPUT if not). */
export async function checkPhotos(
  ctx: Ctx,
  fileIds: readonly string[],
  target: PhotoTarget,
  field: string,
): Promise<void> {
  const files = ctx.store.collection<PhotoFile>('files');
  const fields: FieldErrors = {};
  for (const [i, fileId] of fileIds.entries()) {
    const problem = photoProblem(ctx, await files.get(photoDocId(fileId)), target);
    if (problem) fields[`${field}.${i}`] = [problem];
  }
  if (new Set(fileIds).size !== fileIds.length) fields[field] = ['照片不能重复'];
  if (Object.keys(fields).length > 0) {
    throw new AppError('INVALID_INPUT', '照片有误，请检查', fields);
  }
}

/** Attaches the photos to `target` inside the transaction that writes it, checking them again. */
export async function attachPhotos(
  tx: TransactionScope,
  ctx: Ctx,
  fileIds: readonly string[],
  target: PhotoTarget,
  field: string,
): Promise<void> {
  const files = tx.collection<PhotoFile>('files');
  for (const [i, fileId] of fileIds.entries()) {
    const photo = await files.get(photoDocId(fileId));
    const problem = photoProblem(ctx, photo, target);
    if (problem || !photo) {
      throw new AppError('INVALID_INPUT', '照片有误，请检查', {
        [`${field}.${i}`]: [problem ?? '没有找到这张照片'],
      });
    }
    if (!photo.attachedTo) await files.update(photo._id, { attachedTo: target });
  }
}

/** Whether the caller may see a photo: their own upload, or one on a record they may see. */
async function maySee(ctx: Ctx, photo: PhotoFile): Promise<boolean> {
  if (photo.createdBy === callerOf(ctx).userId) return true;
  const target = photo.attachedTo;
  if (!target) return false;
  if (staffCovers(ctx, target.divisionCode)) return true;
  if (target.entity !== 'rectifications') return false;
  const subject = await ctx.store.collection<Subject>('subjects').get(target.subjectId);
  return ownsSubject(ctx, subject);
}

export const photoActions = {
  /**
   * 上传照片 — one JPEG or PNG of at most 2 MB, in base64; the bytes must be what the type says.
   * Answers the file id to put on a patrol (photoFileIds) or a rectification (evidenceFileIds).
   */
  uploadPhoto: action({
    input: photoUploadSchema,
    roles: [...fieldStaff, 'producer'],
    async run(input, ctx): Promise<UploadedPhoto> {
      const bytes = Buffer.from(input.base64, 'base64');
      if (bytes.length > photoPolicy.maxBytes) {
        throw new AppError('INVALID_INPUT', photoTooLarge, { base64: [photoTooLarge] });
      }
      const detected = detectPhotoType(bytes);
      if (!detected) {
        throw new AppError('INVALID_INPUT', '只支持 JPEG 或 PNG 照片', {
          base64: ['文件内容不是 JPEG 或 PNG 照片'],
        });
      }
      if (detected !== input.contentType) {
        throw new AppError('INVALID_INPUT', '照片类型与内容不符', {
          contentType: [`文件内容是 ${detected === 'image/jpeg' ? 'JPEG' : 'PNG'} 照片`],
        });
      }
      const now = ctx.now();
      const ext = detected === 'image/jpeg' ? 'jpg' : 'png';
      const key = `photos/${chinaDate(now).slice(0, 7)}/${newId(ctx, 'p')}.${ext}`;
      const { fileId } = await ctx.files.put(key, new Uint8Array(bytes), detected);
      await ctx.store.collection<PhotoFile>('files').insert({
        _id: photoDocId(fileId),
        kind: 'photo',
        fileId,
        key,
        contentType: detected,
        bytes: bytes.length,
        createdBy: callerOf(ctx).userId,
        createdAt: now.toISOString(),
        attachedTo: null,
      });
      return { fileId, contentType: detected, bytes: bytes.length };
    },
  }),

  /** 查看照片 — signed links (15 minutes) to photos the caller may see. */
  photoUrls: action({
    input: z.object({
      fileIds: z
        .array(fileIdSchema, { error: '请选择照片' })
        .check(
          z.minLength(1, { error: '请选择照片' }),
          z.maxLength(20, { error: '一次最多 20 张照片' }),
        ),
    }),
    roles: [...fieldStaff, 'producer'],
    async run(input, ctx): Promise<PhotoLink[]> {
      const files = ctx.store.collection<PhotoFile>('files');
      const photos: PhotoFile[] = [];
      for (const fileId of input.fileIds) {
        const photo = await files.get(photoDocId(fileId));
        if (!photo || photo.kind !== 'photo') throw new AppError('NOT_FOUND', '没有找到这张照片');
        if (!(await maySee(ctx, photo))) {
          throw new AppError('FORBIDDEN', '这张照片不在您可查看的范围内');
        }
        photos.push(photo);
      }
      const expiresAt = new Date(
        ctx.now().getTime() + defaultFileUrlTtlSeconds * 1000,
      ).toISOString();
      const links: PhotoLink[] = [];
      for (const photo of photos) {
        const url = await ctx.files.url(photo.fileId, defaultFileUrlTtlSeconds);
        links.push({ fileId: photo.fileId, url, expiresAt });
      }
      return links;
    },
  }),
};
