import { publicityPolicy } from '@/domain/outreach';
import { base64ByteLength } from '@/services/photo-data';
import { uploadTypeOfBase64 } from './model';
import type { PickedDocument } from './document';

/** A chosen file as the upload takes it, or the reason it cannot be uploaded. */
export function checkedDocument(name: string, base64: string): PickedDocument {
  const contentType = uploadTypeOfBase64(base64);
  if (!contentType) throw new Error('只能上传 PDF 文件或 JPEG、PNG 图片');
  const bytes = base64ByteLength(base64);
  if (bytes > publicityPolicy.fileMaxBytes) {
    throw new Error(`文件不能超过 ${publicityPolicy.fileMaxBytes / 1024 / 1024} MB`);
  }
  const title =
    name
      .replace(/\.[^.]*$/, '')
      .trim()
      .slice(0, 60) || '培训资料';
  return { title, base64, contentType, bytes };
}
