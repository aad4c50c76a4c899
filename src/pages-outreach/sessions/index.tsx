/**
 * 培训 — for organisers (a street's supervisor, the bureau) their sessions and a form to create
 * one: title, audience (supervisors, enforcement, extension technicians, producers by category),
 * streets, time, place or online link, materials (uploaded documents, video links). Everyone
 * else sees the sessions addressed to them. A session opens its page (details and sign-in).
 * Route: /pages-outreach/sessions/index
 *
 * Element ids (for end-to-end tests):
 * - `session-<i>` each session (→ /pages-outreach/session/index?id=…), `session-<i>-attended`
 *   when the caller attended; `sessions-empty`
 * - organisers: `session-new` opens the form; `ses-title`; chips `ses-aud-<audience>`,
 *   `ses-cat-all` / `ses-cat-<category>` (producers), `ses-division-<code>`; `ses-start-date`,
 *   `ses-start-time`, `ses-end-date`, `ses-end-time`; `ses-place`, `ses-online`; materials:
 *   `ses-doc` (upload), `ses-link-title` + `ses-link-url` + `ses-link-add`, listed as
 *   `ses-material-<i>` with `ses-material-<i>-remove`; `ses-submit`; errors under the fields
 *   (`field-title`, `field-startsAt`, …) or in `form-error`; `go-coverage` (培训覆盖)
 * - `load-error`, `retry`
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import type { FieldErrors } from '@/domain/errors';
import {
  chinaDateTimeText,
  isHttpsUrl,
  sessionInputSchema,
  trainingAudienceCodes,
  trainingAudiences,
  type TrainingAudience,
} from '@/domain/outreach';
import {
  productCategories,
  productCategoryCodes,
  type ProductCategory,
} from '@/domain/product-category';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type Me, type SessionView } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { errorsAt, errorsElsewhere, fieldErrorsFromIssues } from '@/ui/field-errors';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { isBureau } from '@/domain/role';
import { DocumentUpload } from '../document-upload';
import { DivisionChips } from '../division-chips';
import {
  chinaDateOf,
  divisionsOffered,
  isOrganiser,
  sessionInputOf,
  type SessionForm,
} from '../model';
import { WhenInput } from '../when';
import '../outreach.css';

const shownFields = [
  'title',
  'audience',
  'productCategory',
  'divisionCodes',
  'startsAt',
  'endsAt',
  'place',
  'onlineUrl',
  'materials',
];

type Material = SessionForm['materials'][number];

function Materials({
  materials,
  onChange,
  errors,
}: {
  materials: Material[];
  onChange: (m: Material[]) => void;
  errors: string[];
}) {
  const [linkTitle, setLinkTitle] = useState('');
  const [linkUrl, setLinkUrl] = useState('');
  const [error, setError] = useState('');

  function addLink() {
    const url = linkUrl.trim();
    if (!isHttpsUrl(url)) {
      setError('视频或资料链接须为 https:// 开头的网址');
      return;
    }
    setError('');
    onChange([...materials, { title: linkTitle.trim() || '培训视频', url }]);
    setLinkTitle('');
    setLinkUrl('');
  }

  return (
    <Field
      name="materials"
      label="培训资料（可选）"
      hint="上传 PDF 文件或图片（3 MB 以内），或添加视频链接"
      errors={[...errors, ...(error ? [error] : [])]}
    >
      {materials.map((m, i) => (
        <View key={`${i}-${m.fileId ?? m.url}`} id={`ses-material-${i}`} className="or-material">
          <Text className="or-paragraph">
            {m.fileId ? '📄' : '▶'} {m.title}
          </Text>
          <Text
            id={`ses-material-${i}-remove`}
            className="or-link"
            onClick={() => onChange(materials.filter((_, j) => j !== i))}
          >
            删除
          </Text>
        </View>
      ))}
      <DocumentUpload
        id="ses-doc"
        onUploaded={(d) => onChange([...materials, { title: d.title, fileId: d.fileId }])}
        onError={setError}
      />
      <TextInput
        id="ses-link-title"
        value={linkTitle}
        maxlength={60}
        placeholder="视频名称，如：合格证开具操作演示"
        onChange={setLinkTitle}
      />
      <TextInput
        id="ses-link-url"
        value={linkUrl}
        maxlength={500}
        placeholder="视频链接 https://…"
        onChange={setLinkUrl}
      />
      <BigButton id="ses-link-add" kind="secondary" onClick={addLink}>
        添加链接
      </BigButton>
    </Field>
  );
}

function NewSession({ me, onCreated }: { me: Me; onCreated: (s: SessionView) => void }) {
  const today = chinaDateOf(new Date());
  const offered = divisionsOffered(me);
  const bureau = isBureau(me);
  const [title, setTitle] = useState('');
  const [audience, setAudience] = useState<TrainingAudience>('producers');
  const [category, setCategory] = useState<ProductCategory | null>(null);
  const [divisions, setDivisions] = useState<string[]>(bureau ? [] : offered.map((d) => d.code));
  const [startDate, setStartDate] = useState(today);
  const [startTime, setStartTime] = useState('09:00');
  const [endDate, setEndDate] = useState<string | null>(null);
  const [endTime, setEndTime] = useState('11:00');
  const [place, setPlace] = useState('');
  const [onlineUrl, setOnlineUrl] = useState('');
  const [materials, setMaterials] = useState<Material[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  const edited =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setErrors({});
    };

  async function submit() {
    if (busyRef.current) return;
    const input = sessionInputOf({
      title,
      audience,
      productCategory: category,
      divisionCodes: divisions,
      startDate,
      startTime,
      endDate: endDate ?? startDate,
      endTime,
      place,
      onlineUrl,
      materials,
    });
    const parsed = sessionInputSchema.safeParse(input);
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
      const { session } = await api.outreach.createSession(input);
      onCreated(session);
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
    <View className="card">
      <Text className="or-heading">新建培训</Text>
      <Field name="title" label="培训主题" errors={errorsAt(errors, 'title')}>
        <TextInput
          id="ses-title"
          value={title}
          maxlength={60}
          placeholder="如：承诺达标合格证开具培训"
          invalid={Boolean(errors.title)}
          onChange={edited(setTitle)}
        />
      </Field>
      <Field name="audience" label="培训对象" errors={errorsAt(errors, 'audience')}>
        <ChipGroup wide>
          {trainingAudienceCodes.map((a) => (
            <Chip
              key={a}
              id={`ses-aud-${a}`}
              selected={a === audience}
              onClick={() => edited(setAudience)(a)}
            >
              {trainingAudiences[a].label}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      {audience === 'producers' ? (
        <Field
          name="productCategory"
          label="产品品类"
          hint="分品类培训：只通知经营这一品类的主体"
          errors={errorsAt(errors, 'productCategory')}
        >
          <ChipGroup>
            <Chip id="ses-cat-all" selected={category === null} onClick={() => setCategory(null)}>
              全部品类
            </Chip>
            {productCategoryCodes.map((c) => (
              <Chip
                key={c}
                id={`ses-cat-${c}`}
                selected={c === category}
                onClick={() => setCategory(c)}
              >
                {productCategories[c]}
              </Chip>
            ))}
          </ChipGroup>
        </Field>
      ) : null}
      <Field
        name="divisionCodes"
        label="街道/乡镇"
        hint={bureau ? '不选即面向全区' : '只能为本辖区组织培训'}
        errors={errorsAt(errors, 'divisionCodes')}
      >
        <DivisionChips
          idPrefix="ses-division"
          offered={offered}
          chosen={divisions}
          onChange={edited(setDivisions)}
        />
      </Field>
      <Field name="startsAt" label="开始时间（北京时间）" errors={errorsAt(errors, 'startsAt')}>
        <View className="or-when-row">
          <WhenInput
            id="ses-start-date"
            mode="date"
            value={startDate}
            onChange={edited(setStartDate)}
          />
          <WhenInput
            id="ses-start-time"
            mode="time"
            value={startTime}
            onChange={edited(setStartTime)}
          />
        </View>
      </Field>
      <Field
        name="endsAt"
        label="结束时间"
        hint="开始前 30 分钟起到结束，可扫码签到"
        errors={errorsAt(errors, 'endsAt')}
      >
        <View className="or-when-row">
          <WhenInput
            id="ses-end-date"
            mode="date"
            value={endDate ?? startDate}
            onChange={edited(setEndDate)}
          />
          <WhenInput id="ses-end-time" mode="time" value={endTime} onChange={edited(setEndTime)} />
        </View>
      </Field>
      <Field name="place" label="培训地点" errors={errorsAt(errors, 'place')}>
        <TextInput
          id="ses-place"
          value={place}
          maxlength={100}
          placeholder="如：墟沟街道农业服务中心会议室"
          onChange={edited(setPlace)}
        />
      </Field>
      <Field
        name="onlineUrl"
        label="线上培训链接（可选）"
        hint="地点和链接至少填一项"
        errors={errorsAt(errors, 'onlineUrl')}
      >
        <TextInput
          id="ses-online"
          value={onlineUrl}
          maxlength={500}
          placeholder="https://…"
          onChange={edited(setOnlineUrl)}
        />
      </Field>
      <Materials
        materials={materials}
        onChange={setMaterials}
        errors={errorsAt(errors, 'materials')}
      />
      <BigButton id="ses-submit" disabled={busy} onClick={submit}>
        {busy ? '正在发布…' : '发布培训'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );
}

function SessionItem({ s, i }: { s: SessionView; i: number }) {
  return (
    <View
      id={`session-${i}`}
      className="card or-entry"
      hoverClass="ui-button--pressed"
      onClick={() => Taro.navigateTo({ url: `/pages-outreach/session/index?id=${s.sessionId}` })}
    >
      <Text className="or-entry__title">{s.title}</Text>
      <Text className="or-entry__meta">
        {chinaDateTimeText(s.startsAt)} · {s.place ?? '线上培训'}
      </Text>
      <Text className="or-entry__meta">
        {s.audienceLabel}
        {s.productCategoryLabel ? `（${s.productCategoryLabel}）` : ''} · {s.divisionText}
        {s.status === 'scheduled' ? ' · 待发布' : ''}
      </Text>
      {s.me?.attendedAt ? (
        <Text id={`session-${i}-attended`} className="or-badge or-badge--done">
          已签到
        </Text>
      ) : s.me?.enrolledAt ? (
        <Text className="or-badge">已报名</Text>
      ) : null}
    </View>
  );
}

export default function Sessions() {
  const { state, reload } = useRemote(async () => {
    const [me, sessions] = await Promise.all([
      api.user.me(),
      api.outreach.sessions({ limit: 100 }),
    ]);
    return { me, sessions };
  });
  const [creating, setCreating] = useState(false);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const { me, sessions } = state.data;
  const organiser = isOrganiser(me.roles);
  return (
    <View className="page outreach-sessions">
      <Text className="page-title">培训</Text>
      {organiser && !creating ? (
        <View>
          <BigButton id="session-new" onClick={() => setCreating(true)}>
            新建培训
          </BigButton>
          <BigButton
            id="go-coverage"
            kind="secondary"
            onClick={() => Taro.navigateTo({ url: '/pages-outreach/trained/index' })}
          >
            培训覆盖情况
          </BigButton>
        </View>
      ) : null}
      {organiser && creating ? (
        <NewSession
          me={me}
          onCreated={(s) => {
            setCreating(false);
            reload();
            Taro.navigateTo({ url: `/pages-outreach/session/index?id=${s.sessionId}` });
          }}
        />
      ) : null}
      <Text className="or-heading">{organiser ? '本辖区的培训' : '面向您的培训'}</Text>
      {sessions.length === 0 ? (
        <Text id="sessions-empty" className="notice notice__text">
          暂时没有培训
        </Text>
      ) : null}
      {sessions.map((s, i) => (
        <SessionItem key={s.sessionId} s={s} i={i} />
      ))}
    </View>
  );
}
