/**
 * 巡查 — a visit to a producer, recorded on site: who went, whether certificates are being
 * issued, the labels on the goods (each verified as it is saved), findings and photos. The
 * result lists each label's verdict; false labels can put the subject on key supervision.
 * Route: /pages-staff/patrol/index[?subjectId=…&subjectName=…] (from the work list).
 *
 * Element ids (for end-to-end tests):
 * - subject: input `patrol-subject-q`, chips `patrol-subject-<id>`, `patrol-subject-chosen`,
 *   `patrol-subject-change`
 * - `patrol-date` (date picker, today by default), input `patrol-staff` (the caller's nickname by
 *   default; several names split by 、 or spaces), chips `patrol-issuing-yes`, `patrol-issuing-no`
 * - labels: `patrol-scan` (mini-program camera), input `patrol-scan-input`, `patrol-scan-add`,
 *   `patrol-scan-error`, chips `patrol-scanned-<i>` with `patrol-scanned-<i>-remove`
 * - `patrol-findings` (textarea); photos: `patrol-photo` (H5: the file input), `patrol-photo-<i>`
 * - `patrol-submit`; field wrappers `field-<key>` with `field-error`, others in `form-error`
 * - result `patrol-result`: `patrol-result-title`, `patrol-summary`, checks `patrol-check-<i>`
 *   (`patrol-check-<i>-verdict`: 有效 / 已撤销 / 未找到 / 可疑), `patrol-result-photos`;
 *   `patrol-key-note`, `patrol-place-key`, `patrol-key-done` (false labels → 重点监管);
 *   `patrol-again`, `patrol-to-work`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, Textarea, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { chinaDate, formatCertificateCode } from '@/domain/certificate';
import { useForm } from '@/hooks/useForm';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type Me, type PatrolView } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { PhotoPicker, type PickedPhoto } from '@/ui/PhotoPicker';
import { DateField } from '../work/DateField';
import {
  checkDetails,
  checksSummary,
  initialPatrolForm,
  mayPlaceOnKeyList,
  newRequestId,
  param,
  patrolInputOf,
  query,
  verdictMarks,
  verdictTexts,
  type PatrolForm,
} from '../work/model';
import { NextSteps } from '../work/NextSteps';
import { ScanField } from '../work/ScanList';
import { SubjectField, type ChosenSubject } from '../work/SubjectPicker';
import '../work/supervision.css';

const shownPaths = [
  'subjectId',
  'date',
  'staffNames',
  'issuingCertificates',
  'scanned',
  'findings',
  'photoFileIds',
];

function subjectFrom(params: Partial<Record<string, string>>): ChosenSubject | null {
  const id = param(params.subjectId);
  return id ? { _id: id, name: param(params.subjectName) ?? '' } : null;
}

/** 列入重点监管 for false certificates found on this patrol. */
function PlaceOnKeyList({ patrol }: { patrol: PatrolView }) {
  const bad = patrol.checks.filter((c) => c.verdict !== 'valid' || c.copySuspected);
  const [note, setNote] = useState(
    `巡查发现问题合格证 ${bad.length} 张：${bad
      .map(
        (c) =>
          `${c.label ? formatCertificateCode(c.label) : c.scanned}（${verdictTexts[c.verdict]}）`,
      )
      .join('；')}`,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [caseId, setCaseId] = useState('');

  async function place() {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      const res = await api.supervision.placeOnKeySupervision({
        subjectId: patrol.subjectId,
        patrolId: patrol._id,
        note: note.trim(),
      });
      setCaseId(res.rectification._id);
    } catch (e) {
      const err = asApiError(e);
      setError(err.fields?.note?.[0] ?? err.message);
    } finally {
      setBusy(false);
    }
  }

  if (caseId) {
    return (
      <View id="patrol-key-done" className="card">
        <Text className="sv-done">已列入重点监管，已立整改案</Text>
        <BigButton
          id="patrol-to-case"
          kind="secondary"
          onClick={() => Taro.navigateTo({ url: `/pages-staff/rectify/index${query({ caseId })}` })}
        >
          查看整改案
        </BigButton>
      </View>
    );
  }
  return (
    <View className="card">
      <Text className="sv-card-title">虚假合格证：列入重点监管</Text>
      <Text className="muted">
        确认标签系伪造或冒用后，列入重点监管并立整改案，抽检频次提高为每月一次。
      </Text>
      <View className="sv-gap" />
      <Textarea
        id="patrol-key-note"
        className="sv-textarea"
        value={note}
        maxlength={500}
        autoHeight
        onInput={(e) => setNote(e.detail.value)}
      />
      {error ? <Text className="field-error">{error}</Text> : null}
      <BigButton id="patrol-place-key" kind="danger" disabled={busy} onClick={place}>
        {busy ? '正在提交…' : '列入重点监管'}
      </BigButton>
    </View>
  );
}

function Result({
  patrol,
  photos,
  me,
  onAgain,
}: {
  patrol: PatrolView;
  photos: readonly PickedPhoto[];
  me: Me;
  onAgain: () => void;
}) {
  const { summary } = patrol;
  const problems = summary.problems > 0;
  return (
    <View id="patrol-result">
      <View className={`sv-outcome sv-outcome--${problems ? 'contradicted' : 'pass'}`}>
        <Text id="patrol-result-title" className="sv-outcome__title">
          {problems ? `⚠ 发现 ${summary.problems} 张问题标签` : '✔ 巡查已记录'}
        </Text>
        <Text id="patrol-summary" className="sv-outcome__detail">
          {patrol.subjectName} · {patrol.date} · {checksSummary(summary)}
        </Text>
      </View>
      {patrol.checks.length > 0 ? (
        <View className="card">
          <Text className="sv-card-title">现场核验的合格证</Text>
          {patrol.checks.map((c, i) => (
            <View
              key={c.scanned}
              id={`patrol-check-${i}`}
              className={`sv-check sv-check--${c.verdict}`}
            >
              <Text id={`patrol-check-${i}-verdict`} className="sv-check__verdict">
                {verdictMarks[c.verdict]} {verdictTexts[c.verdict]}
              </Text>
              <Text className="sv-check__code">
                {c.label ? formatCertificateCode(c.label) : c.scanned}
              </Text>
              {checkDetails(c).map((line) => (
                <Text key={line} className="sv-check__line">
                  {line}
                </Text>
              ))}
            </View>
          ))}
        </View>
      ) : null}
      <View className="card">
        <Text className="sv-row__line">检查人员：{patrol.staffNames.join('、')}</Text>
        <Text className="sv-row__line">
          按要求开具合格证：{patrol.issuingCertificates ? '是' : '否'}
        </Text>
        <Text className="sv-row__line">检查发现：{patrol.findings || '无'}</Text>
        <Text id="patrol-result-photos" className="sv-row__line">
          现场照片：{patrol.photoFileIds.length} 张
        </Text>
        {photos.length ? (
          <View className="photo-picker__grid">
            {photos.map((p) => (
              <View key={p.fileId} className="photo-picker__item">
                <Image className="photo-picker__image" src={p.preview} mode="aspectFill" />
              </View>
            ))}
          </View>
        ) : null}
      </View>
      {problems && mayPlaceOnKeyList(me.roles) ? <PlaceOnKeyList patrol={patrol} /> : null}
      <NextSteps prefix="patrol" again="再巡查一户" onAgain={onAgain} />
    </View>
  );
}

function PatrolFormCard({
  me,
  initialSubject,
  onDone,
}: {
  me: Me;
  initialSubject: ChosenSubject | null;
  onDone: (p: PatrolView, photos: PickedPhoto[]) => void;
}) {
  const today = chinaDate(new Date());
  const [subject, setSubject] = useState<ChosenSubject | null>(initialSubject);
  const { form, update, errors, setErrors, message, setMessage, busy, err, submit } =
    useForm<PatrolForm>(() => initialPatrolForm(today, me.nickname), shownPaths);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [photoBusy, setPhotoBusy] = useState(false);
  // One id per visit: a submit retried after a network failure is recorded once.
  const requestId = useRef(newRequestId());

  function send() {
    if (photoBusy) {
      setMessage(['照片正在上传，请稍候再提交']);
      return;
    }
    void submit(
      () =>
        patrolInputOf(
          { ...form, subjectId: subject?._id ?? '', photoFileIds: photos.map((p) => p.fileId) },
          requestId.current,
        ),
      async (input) => onDone(await api.supervision.recordPatrol(input), photos),
    );
  }

  return (
    <View className="card">
      <SubjectField
        prefix="patrol"
        label="巡查主体"
        errors={errors}
        chosen={subject}
        onChoose={(s) => {
          setSubject(s);
          setErrors({});
        }}
      />
      <Field name="date" label="巡查日期" errors={err('date')}>
        <DateField
          id="patrol-date"
          value={form.date}
          end={today}
          onChange={(date) => update((f) => ({ ...f, date }))}
        />
      </Field>
      <Field
        name="staffNames"
        label="检查人员"
        hint="多人用顿号“、”或空格隔开"
        errors={err('staffNames')}
      >
        <TextInput
          id="patrol-staff"
          value={form.staff}
          onChange={(staff) => update((f) => ({ ...f, staff }))}
          placeholder="如：刘监管、张协管"
          maxlength={120}
          invalid={err('staffNames').length > 0}
        />
      </Field>
      <Field
        name="issuingCertificates"
        label="是否按要求开具合格证"
        errors={err('issuingCertificates')}
      >
        <ChipGroup>
          <Chip
            id="patrol-issuing-yes"
            selected={form.issuing === true}
            onClick={() => update((f) => ({ ...f, issuing: true }))}
          >
            是
          </Chip>
          <Chip
            id="patrol-issuing-no"
            selected={form.issuing === false}
            onClick={() => update((f) => ({ ...f, issuing: false }))}
          >
            否
          </Chip>
        </ChipGroup>
      </Field>
      <ScanField
        prefix="patrol"
        name="scanned"
        label="现场核验合格证"
        hint="扫描货品上合格证的二维码；提交时逐张核验真伪"
        errors={errors}
        items={form.scanned}
        max={50}
        onChange={(scanned) => update((f) => ({ ...f, scanned }))}
      />
      <Field name="findings" label="检查发现" errors={err('findings')}>
        <Textarea
          id="patrol-findings"
          className="sv-textarea"
          value={form.findings}
          maxlength={500}
          autoHeight
          placeholder="如：档案齐全，合格证按批次开具；冷库温度记录缺两天"
          placeholderClass="ui-placeholder"
          onInput={(e) => update((f) => ({ ...f, findings: e.detail.value }))}
        />
      </Field>
      <Field name="photoFileIds" label="现场照片" errors={err('photoFileIds')}>
        <PhotoPicker id="patrol-photo" photos={photos} onChange={setPhotos} onBusy={setPhotoBusy} />
      </Field>
      <BigButton id="patrol-submit" disabled={busy || photoBusy} onClick={send}>
        {busy ? '正在核验并保存…' : '提交巡查记录'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );
}

export default function Patrol() {
  const params = useRouter().params;
  const me = useRemote(() => api.user.me());
  const [done, setDone] = useState<{ patrol: PatrolView; photos: PickedPhoto[] } | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (done) Taro.pageScrollTo({ scrollTop: 0, duration: 100 }).catch(() => undefined);
  }, [done]);

  return (
    <View className="page patrol">
      <Text className="page-title">巡查记录</Text>
      {me.state.status === 'loading' ? <Loading /> : null}
      {me.state.status === 'error' ? (
        <ErrorNotice error={me.state.error} onRetry={me.reload} />
      ) : null}
      {me.state.status === 'ok' ? (
        done ? (
          <Result
            patrol={done.patrol}
            photos={done.photos}
            me={me.state.data}
            onAgain={() => {
              setDone(null);
              setRound((r) => r + 1);
            }}
          />
        ) : (
          <PatrolFormCard
            key={round}
            me={me.state.data}
            // The subject the page was opened for, on the first round only.
            initialSubject={round === 0 ? subjectFrom(params) : null}
            onDone={(patrol, photos) => setDone({ patrol, photos })}
          />
        )
      ) : null}
    </View>
  );
}
