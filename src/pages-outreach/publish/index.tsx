/**
 * 发布宣传 — a street office (its own street) or the bureau (any street, or the whole district)
 * publishes a 告知书, 明白纸, article, poster (uploaded images) or video link, now or at a time
 * in the future, to its streets narrowed by subject type and product category, then lands on its
 * reach page.
 * Route: /pages-outreach/publish/index (supervisors and admins).
 *
 * Element ids (for end-to-end tests):
 * - kind chips `kind-<code>` (`kind-notice_letter`, `kind-plain_sheet`, `kind-article`,
 *   `kind-poster`, `kind-video`); `pub-title` (input), `pub-body` (textarea), `pub-video` (for
 *   videos); `pub-images` the image picker (PhotoPicker ids: `pub-images-<i>`, …); `pub-pdf` the
 *   PDF upload, `pub-pdf-chosen` / `pub-pdf-remove` once one is uploaded
 * - division chips `aud-division-<code>` (a supervisor: their own street; an admin: every street;
 *   none chosen = the whole district); `aud-type-<type>`, `aud-cat-<category>` (none = all);
 *   `pub-ack` the 需确认已阅知 switch
 * - `pub-later` the 定时发布 switch, then `pub-date`, `pub-time` (China time, in the future)
 * - `pub-submit`; errors under the fields (`field-title`, `field-body`, …) or in `form-error`
 * - `load-error`, `retry`
 */
import Taro from '@tarojs/taro';
import { Switch, Text, Textarea, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import type { FieldErrors } from '@/domain/errors';
import {
  kindsRequiringAck,
  publicityKinds,
  publishInputSchema,
  type PublicityKind,
  type PublishInput,
} from '@/domain/outreach';
import {
  productCategories,
  productCategoryCodes,
  type ProductCategory,
} from '@/domain/product-category';
import { subjectTypeCodes, subjectTypes, type SubjectType } from '@/domain/subject';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { errorsAt, errorsElsewhere, fieldErrorsFromIssues } from '@/ui/field-errors';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { PhotoPicker, type PickedPhoto } from '@/ui/PhotoPicker';
import { isBureau } from '@/domain/role';
import { DivisionChips } from '../division-chips';
import { DocumentUpload, type UploadedDocument } from '../document-upload';
import { chinaDateOf, chinaInstant, divisionsOffered, toggled } from '../model';
import { WhenInput } from '../when';
import '../outreach.css';

const offeredKinds: PublicityKind[] = [
  'notice_letter',
  'plain_sheet',
  'article',
  'poster',
  'video',
];
const shownFields = ['kind', 'title', 'body', 'videoUrl', 'imageFileIds', 'audience', 'publishAt'];

const uploadImage = (photo: { base64: string; contentType: 'image/jpeg' | 'image/png' }) =>
  api.outreach.uploadFile(photo);

export default function Publish() {
  const { state, reload } = useRemote(() => api.user.me());
  const [kind, setKind] = useState<PublicityKind>('notice_letter');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [videoUrl, setVideoUrl] = useState('');
  const [divisions, setDivisions] = useState<string[] | null>(null);
  const [requiresAck, setRequiresAck] = useState<boolean | null>(null);
  const [images, setImages] = useState<PickedPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  const [pdf, setPdf] = useState<UploadedDocument | null>(null);
  const [pdfBusy, setPdfBusy] = useState(false);
  const [pdfError, setPdfError] = useState('');
  const [types, setTypes] = useState<SubjectType[]>([]);
  const [categories, setCategories] = useState<ProductCategory[]>([]);
  const [later, setLater] = useState(false);
  const [laterDate, setLaterDate] = useState(chinaDateOf(new Date(Date.now() + 86_400_000)));
  const [laterTime, setLaterTime] = useState('09:00');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const me = state.data;
  // A street's supervisor addresses their own street; the bureau any street (none = district).
  const bureau = isBureau(me);
  const offered = divisionsOffered(me);
  const chosen = divisions ?? (bureau ? [] : offered.map((d) => d.code));
  const ack = requiresAck ?? kindsRequiringAck.includes(kind);

  async function submit() {
    if (busyRef.current || uploading || pdfBusy) return;
    const publishAt = later ? chinaInstant(laterDate, laterTime) : null;
    if (later && (!publishAt || Date.parse(publishAt) <= Date.now())) {
      setErrors({
        publishAt: [publishAt ? '定时发布的时间须晚于现在' : '请填写有效的日期和时间'],
      });
      return;
    }
    const narrowed = chosen.length > 0 || types.length > 0 || categories.length > 0;
    const input: PublishInput = {
      kind,
      title,
      body,
      imageFileIds: images.map((i) => i.fileId),
      ...(pdf ? { pdfFileId: pdf.fileId } : {}),
      ...(kind === 'video' && videoUrl.trim() ? { videoUrl: videoUrl.trim() } : {}),
      audience: narrowed
        ? {
            ...(chosen.length ? { divisionCodes: chosen } : {}),
            ...(types.length ? { subjectTypes: types } : {}),
            ...(categories.length ? { productCategories: categories } : {}),
          }
        : { all: true },
      ...(publishAt ? { publishAt } : {}),
      requiresAck: ack,
    };
    const parsed = publishInputSchema.safeParse(input);
    if (!parsed.success) {
      const fields = fieldErrorsFromIssues(parsed.error.issues);
      setErrors(fields);
      setMessage(errorsElsewhere(fields, shownFields));
      return;
    }
    busyRef.current = true;
    setBusy(true);
    setMessage([]);
    try {
      const { item } = await api.outreach.publish(input);
      Taro.redirectTo({ url: `/pages-outreach/reach/index?id=${item.itemId}` });
    } catch (e) {
      const err = asApiError(e);
      const fields = err.fields ?? {};
      setErrors(fields);
      const elsewhere = errorsElsewhere(fields, shownFields);
      setMessage(Object.keys(fields).length ? elsewhere : [err.message]);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  return (
    <View className="page outreach-publish">
      <Text className="page-title">发布宣传内容</Text>
      <View className="card">
        <Field name="kind" label="内容类型" errors={errorsAt(errors, 'kind')}>
          <ChipGroup>
            {offeredKinds.map((k) => (
              <Chip
                key={k}
                id={`kind-${k}`}
                selected={k === kind}
                onClick={() => {
                  setKind(k);
                  setErrors({});
                }}
              >
                {publicityKinds[k]}
              </Chip>
            ))}
          </ChipGroup>
        </Field>
        <Field name="title" label="标题" errors={errorsAt(errors, 'title')}>
          <TextInput
            id="pub-title"
            value={title}
            maxlength={60}
            placeholder="如：食用农产品承诺达标合格证告知书"
            invalid={Boolean(errors.title)}
            onChange={(v) => {
              setTitle(v);
              setErrors({});
            }}
          />
        </Field>
        <Field
          name="body"
          label="正文"
          hint="每段之间空一行；以“# ”开头的一行是小标题，以“- ”开头的一行是列表"
          errors={errorsAt(errors, 'body')}
        >
          <Textarea
            id="pub-body"
            className="or-textarea"
            value={body}
            maxlength={10000}
            placeholder="在这里写正文"
            placeholderClass="ui-placeholder"
            onInput={(e) => {
              setBody(e.detail.value);
              setErrors({});
            }}
          />
        </Field>
        <Field
          name="imageFileIds"
          label={kind === 'poster' ? '海报图片' : '配图（可选）'}
          errors={errorsAt(errors, 'imageFileIds')}
        >
          <PhotoPicker
            id="pub-images"
            photos={images}
            onChange={(next) => {
              setImages(next);
              setErrors({});
            }}
            onBusy={setUploading}
            upload={uploadImage}
            label={kind === 'poster' ? '选择海报图片' : '添加图片'}
          />
        </Field>
        {kind !== 'video' ? (
          <Field
            name="pdfFileId"
            label="PDF 文件（可选）"
            hint="告知书、明白纸可直接上传 PDF（3 MB 以内）"
            errors={[...errorsAt(errors, 'pdfFileId'), ...(pdfError ? [pdfError] : [])]}
          >
            {pdf ? (
              <View id="pub-pdf-chosen" className="or-material">
                <Text className="or-paragraph">📄 {pdf.title}</Text>
                <Text id="pub-pdf-remove" className="or-link" onClick={() => setPdf(null)}>
                  删除
                </Text>
              </View>
            ) : (
              <DocumentUpload
                id="pub-pdf"
                onlyPdf
                onUploaded={(d) => {
                  setPdf(d);
                  setErrors({});
                }}
                onError={setPdfError}
                onBusy={setPdfBusy}
              />
            )}
          </Field>
        ) : null}
        {kind === 'video' ? (
          <Field name="videoUrl" label="视频链接" errors={errorsAt(errors, 'videoUrl')}>
            <TextInput
              id="pub-video"
              value={videoUrl}
              maxlength={500}
              placeholder="https://…"
              onChange={(v) => {
                setVideoUrl(v);
                setErrors({});
              }}
            />
          </Field>
        ) : null}
        <Field
          name="audience"
          label="发送对象"
          hint={bureau ? '不选街道即发给全区' : '只能发给本辖区'}
          errors={errorsAt(errors, 'audience')}
        >
          <DivisionChips
            idPrefix="aud-division"
            offered={offered}
            chosen={chosen}
            onChange={(codes) => {
              setDivisions(codes);
              setErrors({});
            }}
          />
        </Field>
        <Field name="subjectTypes" label="主体类型（不选即全部）">
          <ChipGroup>
            {subjectTypeCodes.map((t) => (
              <Chip
                key={t}
                id={`aud-type-${t}`}
                multi
                selected={types.includes(t)}
                onClick={() => {
                  setTypes(toggled(types, t));
                  setErrors({});
                }}
              >
                {subjectTypes[t]}
              </Chip>
            ))}
          </ChipGroup>
        </Field>
        <Field name="productCategories" label="产品品类（不选即全部）">
          <ChipGroup>
            {productCategoryCodes.map((c) => (
              <Chip
                key={c}
                id={`aud-cat-${c}`}
                multi
                selected={categories.includes(c)}
                onClick={() => {
                  setCategories(toggled(categories, c));
                  setErrors({});
                }}
              >
                {productCategories[c]}
              </Chip>
            ))}
          </ChipGroup>
        </Field>
        <View className="or-switch">
          <Text>定时发布</Text>
          <Switch id="pub-later" checked={later} onChange={(e) => setLater(e.detail.value)} />
        </View>
        {later ? (
          <Field
            name="publishAt"
            label="发布时间（北京时间）"
            hint="到时自动发送到收件箱，并给已订阅的人发微信提醒"
            errors={errorsAt(errors, 'publishAt')}
          >
            <View className="or-when-row">
              <WhenInput id="pub-date" mode="date" value={laterDate} onChange={setLaterDate} />
              <WhenInput id="pub-time" mode="time" value={laterTime} onChange={setLaterTime} />
            </View>
          </Field>
        ) : null}
        <View className="or-switch">
          <Text>需生产主体确认“已阅知”</Text>
          <Switch id="pub-ack" checked={ack} onChange={(e) => setRequiresAck(e.detail.value)} />
        </View>
        <BigButton id="pub-submit" disabled={busy || uploading || pdfBusy} onClick={submit}>
          {busy ? '正在发布…' : later ? '定时发布' : '发布'}
        </BigButton>
        <FormMessage messages={message} />
      </View>
    </View>
  );
}
