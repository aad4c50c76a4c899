/**
 * 整改 — the division's rectification cases: overdue first, by status; one case with why it was
 * opened (the failed items), the producer's measures and evidence photos, the sign-offs so far,
 * and for a supervisor the sign-off itself: 销号 (close) or 退回 (reopen, with the reason).
 * Routes: /pages-staff/rectify/index[?subjectId=…&subjectName=…] (the list),
 * /pages-staff/rectify/index?caseId=… (one case).
 *
 * Element ids (for end-to-end tests):
 * - list: chips `rectify-status-all|open|submitted|closed`, `rectify-overdue` (只看逾期);
 *   `rectify-subject` (filtered to one subject) with `rectify-subject-clear`; `rectify-item-<i>`
 *   with `rectify-item-<i>-status` and `rectify-item-<i>-overdue` (逾期 badge); `rectify-none`
 * - case: `rectify-case`, `rectify-case-subject`, `rectify-case-status`, `rectify-case-deadline`,
 *   `rectify-case-note` (a case a patrol opened) or `rectify-case-items` (the failed sample's),
 *   `rectify-case-measures`, photos `rectify-evidence-<i>`, sign-offs `rectify-signoff-<i>`
 * - sign-off (supervisors, submitted cases): textarea `rectify-note`, chips
 *   `rectify-extend-0|7|15` (new deadline when sent back), `rectify-close`, `rectify-reopen`,
 *   `rectify-error`; `rectify-done` after
 * - `load-error`, `retry`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Image, Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import { chinaDate } from '@/domain/certificate';
import type { RectificationStatus } from '@/domain/supervision';
import {
  addDays,
  rectificationStatuses,
  sampleKinds,
  signOffDecisions,
} from '@/domain/supervision';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type RectificationDetail, type RectificationView } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaDateTime } from '@/ui/summary';
import { deadlineText, isSupervisor, param, query } from '../work/model';
import '@/ui/photo-picker.css';
import '../work/supervision.css';

type StatusFilter = RectificationStatus | 'all';
const statusFilters: StatusFilter[] = ['all', 'open', 'submitted', 'closed'];

function statusBadge(c: Pick<RectificationView, 'status'>): string {
  return c.status === 'closed'
    ? 'sv-badge--green'
    : c.status === 'submitted'
      ? 'sv-badge--blue'
      : 'sv-badge--orange';
}

function CaseList({ subjectId, subjectName }: { subjectId?: string; subjectName?: string }) {
  const [status, setStatus] = useState<StatusFilter>('all');
  const [overdue, setOverdue] = useState(false);
  const [subject, setSubject] = useState(subjectId);
  const { state, reload } = useRemote(
    () =>
      api.supervision.rectifications({
        ...(status === 'all' ? {} : { status }),
        ...(overdue ? { overdue: true } : {}),
        ...(subject ? { subjectId: subject } : {}),
      }),
    [status, overdue, subject],
  );
  return (
    <View>
      <ChipGroup>
        {statusFilters.map((s) => (
          <Chip
            key={s}
            id={`rectify-status-${s}`}
            selected={status === s}
            onClick={() => setStatus(s)}
          >
            {s === 'all' ? '全部' : rectificationStatuses[s]}
          </Chip>
        ))}
        <Chip id="rectify-overdue" multi selected={overdue} onClick={() => setOverdue(!overdue)}>
          只看逾期
        </Chip>
      </ChipGroup>
      {subject ? (
        <View className="sv-chosen">
          <Text id="rectify-subject" className="sv-chosen__name">
            {subjectName ?? ''}
          </Text>
          <View
            id="rectify-subject-clear"
            className="sv-link-button"
            hoverClass="chip--pressed"
            ariaRole="button"
            onClick={() => setSubject(undefined)}
          >
            <Text>看全部主体</Text>
          </View>
        </View>
      ) : null}
      <View className="sv-gap" />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <Text id="rectify-none" className="notice notice__text muted">
          没有符合条件的整改
        </Text>
      ) : null}
      {state.status === 'ok' && state.data.length > 0 ? (
        <View className="card">
          {state.data.map((c, i) => (
            <View
              key={c._id}
              id={`rectify-item-${i}`}
              className="sv-row"
              hoverClass="chip--pressed"
              onClick={() =>
                Taro.navigateTo({ url: `/pages-staff/rectify/index${query({ caseId: c._id })}` })
              }
            >
              <Text className="sv-row__title">{c.subjectName}</Text>
              <Text className="sv-row__line">
                <Text id={`rectify-item-${i}-status`} className={`sv-badge ${statusBadge(c)}`}>
                  {c.statusLabel}
                </Text>
                {c.overdue ? (
                  <Text id={`rectify-item-${i}-overdue`} className="sv-badge sv-badge--red">
                    逾期 {c.daysOverdue} 天
                  </Text>
                ) : null}
                {c.reasonLabel}
              </Text>
              <Text className="sv-row__line">{deadlineText(c)}</Text>
              <Text className="sv-row__line muted">{c.note}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

function Evidence({ fileIds }: { fileIds: readonly string[] }) {
  const { state } = useRemote(
    () => (fileIds.length ? api.supervision.photoUrls([...fileIds]) : Promise.resolve([])),
    [fileIds.join(',')],
  );
  if (fileIds.length === 0) return <Text className="sv-row__line">佐证照片：无</Text>;
  if (state.status === 'error') return <Text className="field-error">{state.error.message}</Text>;
  if (state.status === 'loading') return <Text className="sv-row__line">正在加载佐证照片…</Text>;
  const urls = state.data.map((l) => l.url);
  return (
    <View className="photo-picker__grid">
      {urls.map((url, i) => (
        <View key={url} id={`rectify-evidence-${i}`} className="photo-picker__item">
          <Image
            className="photo-picker__image"
            src={url}
            mode="aspectFill"
            onClick={() => Taro.previewImage({ urls, current: url }).catch(() => undefined)}
          />
        </View>
      ))}
    </View>
  );
}

function SignOff({ c, onDone }: { c: RectificationView; onDone: (message: string) => void }) {
  const [note, setNote] = useState('');
  const [extend, setExtend] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function decide(decision: 'close' | 'reopen') {
    if (busy) return;
    if (decision === 'reopen' && !note.trim()) {
      setError('退回整改请写明原因');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await api.supervision.signOff({
        caseId: c._id,
        decision,
        note: note.trim(),
        ...(decision === 'reopen' && extend > 0
          ? { deadline: addDays(chinaDate(new Date()), extend) }
          : {}),
      });
      onDone(decision === 'close' ? '已销号' : '已退回，请主体重新整改');
    } catch (e) {
      const err = asApiError(e);
      setError([err.message, ...Object.values(err.fields ?? {}).flat()].join('：'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="card">
      <Text className="sv-card-title">核查</Text>
      <Textarea
        id="rectify-note"
        className="sv-textarea"
        value={note}
        maxlength={500}
        autoHeight
        placeholder="核查意见（退回时必填）"
        placeholderClass="ui-placeholder"
        onInput={(e) => {
          setNote(e.detail.value);
          setError('');
        }}
      />
      <Text className="sv-subhead">退回时的新期限</Text>
      <ChipGroup>
        {[0, 7, 15].map((n) => (
          <Chip
            key={n}
            id={`rectify-extend-${n}`}
            selected={extend === n}
            onClick={() => setExtend(n)}
          >
            {n === 0 ? '期限不变' : `${n} 天后`}
          </Chip>
        ))}
      </ChipGroup>
      {error ? (
        <Text id="rectify-error" className="field-error">
          {error}
        </Text>
      ) : null}
      <BigButton id="rectify-close" disabled={busy} onClick={() => decide('close')}>
        ✔ {signOffDecisions.close}
      </BigButton>
      <BigButton id="rectify-reopen" kind="danger" disabled={busy} onClick={() => decide('reopen')}>
        ✘ {signOffDecisions.reopen}
      </BigButton>
    </View>
  );
}

function CaseDetail({ caseId }: { caseId: string }) {
  const [done, setDone] = useState('');
  const { state, reload } = useRemote(async () => {
    const [detail, me] = await Promise.all([api.supervision.rectification(caseId), api.user.me()]);
    return { detail, me };
  }, [caseId]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const { detail, me } = state.data;
  const { case: c, sample }: RectificationDetail = detail;
  return (
    <View id="rectify-case">
      {done ? (
        <Text id="rectify-done" className="sv-done">
          ✔ {done}
        </Text>
      ) : null}
      <View className="card">
        <Text id="rectify-case-subject" className="sv-card-title">
          {c.subjectName}
        </Text>
        <Text className="sv-row__line">
          <Text id="rectify-case-status" className={`sv-badge ${statusBadge(c)}`}>
            {c.statusLabel}
          </Text>
          {c.overdue ? (
            <Text className="sv-badge sv-badge--red">逾期 {c.daysOverdue} 天</Text>
          ) : null}
          {c.reasonLabel}
        </Text>
        <Text id="rectify-case-deadline" className="sv-row__line">
          {deadlineText(c)} · 立案 {chinaDateTime(c.openedAt)}
        </Text>
        <Text className="sv-subhead">问题</Text>
        {sample ? null : (
          <Text id="rectify-case-note" className="sv-row__line">
            {c.note}
          </Text>
        )}
        {sample ? (
          <View id="rectify-case-items">
            <Text className="sv-row__line muted">
              {sampleKinds[sample.kind]} · 抽样 {sample.sampledOn}
              {sample.productName ? ` · ${sample.productName}` : ''}
            </Text>
            {sample.items.map((it) => (
              <Text key={it.item} className="sv-row__line">
                <Text
                  className={`sv-badge ${it.result === 'fail' ? 'sv-badge--red' : 'sv-badge--green'}`}
                >
                  {it.result === 'fail' ? '不合格' : '合格'}
                </Text>
                {it.item}
                {it.value ? ` ${it.value}` : ''}
                {it.limit ? `（标准 ${it.limit}）` : ''}
              </Text>
            ))}
          </View>
        ) : null}
      </View>
      <View className="card">
        <Text className="sv-card-title">整改措施</Text>
        <Text id="rectify-case-measures" className="sv-row__line">
          {c.measures || '主体尚未提交整改措施'}
        </Text>
        {c.submittedAt ? (
          <Text className="sv-row__line muted">提交于 {chinaDateTime(c.submittedAt)}</Text>
        ) : null}
        <View className="sv-gap" />
        <Evidence fileIds={c.evidence} />
      </View>
      {c.signOffs.length ? (
        <View className="card">
          <Text className="sv-card-title">核查记录</Text>
          {c.signOffs.map((s, i) => (
            <View key={s.at} id={`rectify-signoff-${i}`} className="sv-row">
              <Text className="sv-row__line">
                <Text
                  className={`sv-badge ${s.decision === 'close' ? 'sv-badge--green' : 'sv-badge--red'}`}
                >
                  {s.decision === 'close' ? '销号' : '退回'}
                </Text>
                {chinaDateTime(s.at)}
              </Text>
              {s.note ? <Text className="sv-row__line">{s.note}</Text> : null}
            </View>
          ))}
        </View>
      ) : null}
      {c.status === 'submitted' && isSupervisor(me.roles) ? (
        <SignOff
          c={c}
          onDone={(message) => {
            setDone(message);
            reload();
            Taro.pageScrollTo({ scrollTop: 0, duration: 100 }).catch(() => undefined);
          }}
        />
      ) : null}
      {c.status === 'open' ? (
        <Text className="notice notice__text muted">等待主体提交整改措施和佐证照片</Text>
      ) : null}
    </View>
  );
}

export default function Rectify() {
  const params = useRouter().params;
  const caseId = param(params.caseId);
  return (
    <View className="page rectify">
      <Text className="page-title">{caseId ? '整改详情' : '整改'}</Text>
      {caseId ? (
        <CaseDetail caseId={caseId} />
      ) : (
        <CaseList subjectId={param(params.subjectId)} subjectName={param(params.subjectName)} />
      )}
    </View>
  );
}
