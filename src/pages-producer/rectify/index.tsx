/**
 * 整改（生产者） — the producer's side of a rectification case: why it was opened (the failed
 * sample items), by when, what the supervisor said if it was sent back; the producer writes what
 * they did, adds photos as evidence, and submits. May be sent again until it is signed off.
 * Route: /pages-producer/rectify/index[?caseId=…] (a subpackage; opened from the home notice).
 *
 * Element ids (for end-to-end tests):
 * - chips `rectify-case-<i>` when there are several cases; `rectify-none` when there is none
 * - `rectify-subject`, `rectify-status`, `rectify-deadline`, `rectify-why` (the failed items),
 *   `rectify-returned` (the supervisor's reason for sending it back), `rectify-closed`
 * - textarea `rectify-measures`; photos `rectify-photo` (H5: the file input), `rectify-photo-<i>`;
 *   `rectify-submit`; errors under the fields (`field-measures`, `field-evidenceFileIds`) or in
 *   `form-error`; `rectify-submitted` (已提交，等待核查) after
 * - `load-error`, `retry`
 */
import { useRouter } from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import type { FieldErrors } from '@/domain/errors';
import { rectificationSubmitSchema } from '@/domain/supervision';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type RectificationView } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field } from '@/ui/Field';
import { fieldErrorsFromIssues } from '@/ui/field-errors';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { PhotoPicker, type PickedPhoto } from '@/ui/PhotoPicker';
import './index.css';

/** Where the case stands against its deadline, said plainly. */
function deadlineWords(c: RectificationView): string {
  if (c.status === 'closed') return '已销号';
  if (c.overdue) return `已超过期限 ${c.daysOverdue} 天（期限 ${c.deadline}），请尽快整改`;
  if (c.daysLeft === 0) return `今天是最后期限（${c.deadline}）`;
  return `请在 ${c.deadline} 前完成（还有 ${c.daysLeft ?? 0} 天）`;
}

function CaseForm({ caseId }: { caseId: string }) {
  const { state, reload } = useRemote(async () => {
    const detail = await api.supervision.rectification(caseId);
    const evidence = detail.case.evidence;
    const links = evidence.length ? await api.supervision.photoUrls([...evidence]) : [];
    return { detail, photos: links.map((l) => ({ fileId: l.fileId, preview: l.url })) };
  }, [caseId]);
  const [measures, setMeasures] = useState<string | null>(null);
  const [photos, setPhotos] = useState<PickedPhoto[] | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const busyRef = useRef(false);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const { case: c, sample } = state.data.detail;
  const text = measures ?? c.measures;
  const shownPhotos = photos ?? state.data.photos;
  const returned = [...c.signOffs].reverse().find((s) => s.decision === 'reopen');
  const failed = sample ? sample.items.filter((i) => i.result === 'fail') : [];

  async function submit() {
    if (busyRef.current) return;
    if (photoBusy) {
      setMessage(['照片正在上传，请稍候']);
      return;
    }
    const input = {
      caseId,
      measures: text.trim(),
      evidenceFileIds: shownPhotos.map((p) => p.fileId),
    };
    const parsed = rectificationSubmitSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    busyRef.current = true;
    setBusy(true);
    setMessage([]);
    try {
      await api.supervision.submitRectification(input);
      setSubmitted(true);
      // The case as it now stands (已提交待核查).
      reload();
    } catch (e) {
      const err = asApiError(e);
      setErrors(err.fields ?? {});
      setMessage([err.message]);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  return (
    <View>
      <View className={`card pr-case pr-case--${c.overdue ? 'overdue' : c.status}`}>
        <Text id="rectify-subject" className="pr-case__subject">
          {c.subjectName}
        </Text>
        <Text id="rectify-status" className="pr-case__status">
          {c.statusLabel}
        </Text>
        <Text id="rectify-deadline" className="pr-case__deadline">
          {deadlineWords(c)}
        </Text>
      </View>
      <View id="rectify-why" className="card">
        <Text className="pr-title">为什么要整改</Text>
        <Text className="pr-line">{c.reasonLabel}</Text>
        {failed.length ? (
          <View>
            <Text className="pr-line">
              {sample?.sampledOn} 抽检{sample?.productName ? `的${sample.productName}` : ''}
              ，以下项目不合格：
            </Text>
            {failed.map((it) => (
              <Text key={it.item} className="pr-failed">
                ✘ {it.item}
                {it.value ? ` ${it.value}` : ''}
                {it.limit ? `（标准 ${it.limit}）` : ''}
              </Text>
            ))}
          </View>
        ) : (
          <Text className="pr-line">{c.note}</Text>
        )}
      </View>
      {returned && c.status === 'open' ? (
        <View id="rectify-returned" className="card pr-returned">
          <Text className="pr-title">监管员退回了上次的整改</Text>
          <Text className="pr-line">{returned.note}</Text>
        </View>
      ) : null}
      {c.status === 'closed' ? (
        <Text id="rectify-closed" className="pr-done">
          ✔ 整改已销号，谢谢配合
        </Text>
      ) : submitted || c.status === 'submitted' ? (
        <Text id="rectify-submitted" className="pr-done">
          ✔ 已提交，等待监管员核查
        </Text>
      ) : null}
      {c.status !== 'closed' ? (
        <View className="card">
          <Field
            name="measures"
            label="我采取的整改措施"
            hint="写清楚做了什么，如：停用该农药，剩余产品已销毁，重新检测合格后再上市"
            errors={errors.measures ?? []}
          >
            <Textarea
              id="rectify-measures"
              className="pr-textarea"
              value={text}
              maxlength={1000}
              autoHeight
              placeholder="在这里写整改措施"
              placeholderClass="ui-placeholder"
              onInput={(e) => {
                setMeasures(e.detail.value);
                setErrors({});
                setSubmitted(false);
              }}
            />
          </Field>
          <Field
            name="evidenceFileIds"
            label="佐证照片"
            hint="拍下整改后的情况，如检测报告、清理现场"
            errors={Object.entries(errors)
              .filter(([k]) => k.startsWith('evidenceFileIds'))
              .flatMap(([, v]) => v)}
          >
            <PhotoPicker
              id="rectify-photo"
              photos={shownPhotos}
              onChange={(next) => {
                setPhotos(next);
                setSubmitted(false);
              }}
              onBusy={setPhotoBusy}
            />
          </Field>
          <BigButton id="rectify-submit" disabled={busy || photoBusy} onClick={submit}>
            {busy
              ? '正在提交…'
              : c.status === 'submitted' || submitted
                ? '修改后重新提交'
                : '提交整改'}
          </BigButton>
          <FormMessage messages={message} />
        </View>
      ) : null}
    </View>
  );
}

export default function ProducerRectify() {
  const params = useRouter().params;
  const { state, reload } = useRemote(() => api.supervision.rectifications({}));
  // Case ids are plain letters, digits and _, so H5's still-encoded parameter reads the same.
  const [chosen, setChosen] = useState<string | undefined>(params.caseId);

  const cases = state.status === 'ok' ? state.data : [];
  // Open cases first (the list comes overdue first, then by deadline); closed ones after.
  const ordered = [
    ...cases.filter((c) => c.status !== 'closed'),
    ...cases.filter((c) => c.status === 'closed'),
  ];
  const current = chosen ?? ordered[0]?._id;
  return (
    <View className="page producer-rectify">
      <Text className="page-title">整改通知</Text>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && cases.length === 0 ? (
        <Text id="rectify-none" className="notice notice__text">
          没有需要整改的事项
        </Text>
      ) : null}
      {ordered.length > 1 ? (
        <ChipGroup wide>
          {ordered.map((c, i) => (
            <Chip
              key={c._id}
              id={`rectify-case-${i}`}
              selected={c._id === current}
              onClick={() => setChosen(c._id)}
            >
              {c.subjectName} · {c.statusLabel} · 期限 {c.deadline}
            </Chip>
          ))}
        </ChipGroup>
      ) : null}
      {current ? <CaseForm key={current} caseId={current} /> : null}
    </View>
  );
}
