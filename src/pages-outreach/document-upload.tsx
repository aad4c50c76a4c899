/**
 * 上传文件: picks a document (H5: the page's file input; weapp: a file from a WeChat chat),
 * uploads it with `outreach.uploadFile` and hands back its id — a session's materials, a
 * 告知书's or 明白纸's PDF.
 */
import { useState, type ChangeEvent } from 'react';
import { api, asApiError } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { chooseDocument, documentsFromFileInput } from './document';
import type { UploadType } from './model';

export interface UploadedDocument {
  title: string;
  fileId: string;
  contentType: UploadType;
}

export function DocumentUpload(props: {
  id: string;
  /** The input's accept list (H5); `onlyPdf` also refuses anything else the picker returns. */
  onlyPdf?: boolean;
  onUploaded: (doc: UploadedDocument) => void;
  /** A Chinese message, or '' when a new upload starts. */
  onError: (message: string) => void;
  onBusy?: (busy: boolean) => void;
}) {
  const [busy, setBusy] = useState(false);

  function busyAs(value: boolean) {
    setBusy(value);
    props.onBusy?.(value);
  }

  async function upload(files?: ArrayLike<File>) {
    if (busy) return;
    busyAs(true);
    props.onError('');
    try {
      const doc = await chooseDocument(files);
      if (doc && props.onlyPdf && doc.contentType !== 'application/pdf') {
        props.onError('请选择 PDF 文件');
      } else if (doc) {
        const uploaded = await api.outreach.uploadFile({
          base64: doc.base64,
          contentType: doc.contentType,
        });
        props.onUploaded({
          title: doc.title,
          fileId: uploaded.fileId,
          contentType: doc.contentType,
        });
      }
    } catch (e) {
      props.onError(e instanceof Error && !('code' in e) ? e.message : asApiError(e).message);
    } finally {
      busyAs(false);
    }
  }

  function onFiles(e: ChangeEvent<HTMLInputElement>) {
    const files = e.target.files ? Array.from(e.target.files) : [];
    e.target.value = '';
    if (files.length) void upload(files);
  }

  return documentsFromFileInput && process.env.TARO_ENV === 'h5' ? (
    <label
      className={`ui-button ui-button--secondary or-file${busy ? ' ui-button--disabled' : ''}`}
    >
      <span>{busy ? '正在上传…' : '上传文件'}</span>
      <input
        id={props.id}
        className="or-file__input"
        type="file"
        accept={props.onlyPdf ? 'application/pdf' : 'application/pdf,image/jpeg,image/png'}
        disabled={busy}
        onChange={onFiles}
      />
    </label>
  ) : (
    <BigButton id={props.id} kind="secondary" disabled={busy} onClick={() => void upload()}>
      {busy ? '正在上传…' : '从聊天中选择文件'}
    </BigButton>
  );
}
