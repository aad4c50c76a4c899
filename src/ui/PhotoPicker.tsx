import { Image, Text, View } from '@tarojs/components';
import { useRef, useState, type ChangeEvent } from 'react';
import { photoPolicy, type PhotoContentType } from '../domain/supervision';
import { api, ApiError, asApiError } from '../services/api';
import { choosePhotos, photosFromFileInput } from '../services/photo';
import { photoSizeNote } from '../services/photo-data';
import { BigButton } from './Button';
import './photo-picker.css';

/** A photo already uploaded: its file id for the record, and what to show. */
export interface PickedPhoto {
  fileId: string;
  preview: string;
}

export interface PhotoPickerProps {
  /**
   * The ids: the add button (weapp) or `<input type=file>` (H5) is `<id>`; thumbnails `<id>-<i>`
   * with `<id>-<i>-remove`; `<id>-busy` while uploading, `<id>-error` on a failure.
   */
  id: string;
  photos: readonly PickedPhoto[];
  onChange: (photos: PickedPhoto[]) => void;
  /** Tells the form whether an upload is still running (its submit waits). */
  onBusy?: (busy: boolean) => void;
  label?: string;
  /** Where a photo goes: `supervision.uploadPhoto` unless told (posters: `outreach.uploadFile`). */
  upload?: (photo: {
    base64: string;
    contentType: PhotoContentType;
  }) => Promise<{ fileId: string }>;
}

const uploadPhoto: NonNullable<PhotoPickerProps['upload']> = (photo) =>
  api.supervision.uploadPhoto(photo);

/**
 * Photos taken on site (巡查照片, 整改佐证): each is shrunk to fit 2 MB if needed and uploaded as
 * soon as it is chosen, so the form only carries file ids.
 */
export function PhotoPicker({
  id,
  photos,
  onChange,
  onBusy,
  label = '拍照或选照片',
  upload = uploadPhoto,
}: PhotoPickerProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const current = useRef(photos);
  current.current = photos;
  const room = photoPolicy.maxPerRecord - photos.length;

  async function add(files?: ArrayLike<File>) {
    if (busy || room <= 0) return;
    setError('');
    setBusy(true);
    onBusy?.(true);
    try {
      const prepared = await choosePhotos({ max: room, files });
      for (const p of prepared) {
        const uploaded = await upload({ base64: p.base64, contentType: p.contentType });
        const next = [...current.current, { fileId: uploaded.fileId, preview: p.preview }];
        current.current = next;
        onChange(next);
      }
    } catch (e) {
      // The server's words for a refused upload; the photo code's own for one it could not make fit.
      setError(e instanceof ApiError || !(e instanceof Error) ? asApiError(e).message : e.message);
    } finally {
      setBusy(false);
      onBusy?.(false);
    }
  }

  function onFiles(e: ChangeEvent<HTMLInputElement>) {
    const input = e.target;
    const files = input.files ? Array.from(input.files) : [];
    // Cleared so that choosing the same file again still fires a change.
    input.value = '';
    if (files.length > 0) void add(files);
  }

  return (
    <View className="photo-picker">
      {photos.length > 0 ? (
        <View className="photo-picker__grid">
          {photos.map((p, i) => (
            <View key={p.fileId} id={`${id}-${i}`} className="photo-picker__item">
              <Image className="photo-picker__image" src={p.preview} mode="aspectFill" />
              <View
                id={`${id}-${i}-remove`}
                className="photo-picker__remove"
                hoverClass="chip--pressed"
                ariaRole="button"
                ariaLabel="删除这张照片"
                onClick={() => onChange(photos.filter((x) => x.fileId !== p.fileId))}
              >
                <Text>✕</Text>
              </View>
            </View>
          ))}
        </View>
      ) : null}
      {room > 0 ? (
        photosFromFileInput && process.env.TARO_ENV === 'h5' ? (
          <label
            className={`ui-button ui-button--secondary photo-picker__add${busy ? ' ui-button--disabled' : ''}`}
          >
            <span>{busy ? '正在上传…' : label}</span>
            <input
              id={id}
              className="photo-picker__file"
              type="file"
              accept="image/*"
              multiple
              disabled={busy}
              onChange={onFiles}
            />
          </label>
        ) : (
          <BigButton id={id} kind="secondary" disabled={busy} onClick={() => void add()}>
            {busy ? '正在上传…' : label}
          </BigButton>
        )
      ) : null}
      <Text className="photo-picker__note muted">
        {photos.length > 0 ? `已添加 ${photos.length} 张。` : ''}
        {photoSizeNote}
      </Text>
      {busy ? (
        <Text id={`${id}-busy`} className="photo-picker__busy">
          正在压缩并上传照片…
        </Text>
      ) : null}
      {error ? (
        <Text id={`${id}-error`} className="field-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}
