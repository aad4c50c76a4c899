/**
 * 主体详情 — one subject of the caller's area as the directory knows it: its figures, its
 * registration, the review (supervisors and admins, while it waits), and every change to it.
 * Route: /pages-staff/subject/index?id=<subjectId>
 *
 * Element ids (for end-to-end tests):
 * - `subject-name`, `subject-status`, `subject-meta`
 * - figures: `fig-certificates`, `fig-last-issued`, `fig-waiting` (while pending),
 *   `fig-idle` (days without a certificate; 在册不运行 marked)
 * - rows: `subject-identity`, `subject-contact`, `subject-address`, `subject-products`,
 *   `subject-scale`, `subject-season`, `subject-source`, `subject-review-note`,
 *   `subject-retired`
 * - review (`review`, only while pending and for editors): input `review-reason`, buttons
 *   `review-approve`, `review-changes`, `review-reject`; the reason's error under it
 *   (`field-review-reason`); `review-error`; `review-done` after a decision;
 *   `review-waiting` when returned and awaiting the producer
 * - history (`history`), newest first: `history-<i>` (what, when, who, reason) with rows
 *   `history-<i>-<field>` (before → after)
 * - `load-error`, `retry`
 */
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { reviewDecisions, type ReviewDecision } from '@/domain/directory';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type DirectoryEntry, type HistoryEntry } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Field, TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import {
  changeRows,
  chinaDay,
  chinaTime,
  entryActor,
  entryReason,
  isDirectoryEditor,
  reviewDueDays,
  waitingLabel,
} from '../directory/model';
import { Figure, Row } from '../directory/parts';
import '../directory/directory.css';

function Review({ entry, onReviewed }: { entry: DirectoryEntry; onReviewed: (t: string) => void }) {
  const [reason, setReason] = useState('');
  const [reasonErrors, setReasonErrors] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function decide(decision: ReviewDecision) {
    if (busy) return;
    const text = reason.trim();
    if (decision !== 'approve' && text.length < 2) {
      setReasonErrors([`${reviewDecisions[decision]}时请填写原因（至少 2 个字），主体会看到它`]);
      return;
    }
    setBusy(true);
    setError('');
    setReasonErrors([]);
    try {
      const s = await api.directory.review({
        subjectId: entry.subject._id,
        decision,
        ...(text ? { reason: text } : {}),
      });
      setReason('');
      onReviewed(`已${reviewDecisions[decision]}：${s.name}（${s.statusLabel}）`);
    } catch (e) {
      const err = asApiError(e);
      if (err.fields?.reason) setReasonErrors(err.fields.reason);
      else setError(err.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View id="review" className="card">
      <Text className="section-title">审核登记</Text>
      <Text className="dir-hint">
        请对照证件和现场情况核对上面的登记信息。退回修改或不予通过时须写明原因，主体会看到。
      </Text>
      <Field name="review-reason" label="审核意见" errors={reasonErrors}>
        <TextInput
          id="review-reason"
          value={reason}
          onChange={(v) => {
            setReason(v);
            setReasonErrors([]);
          }}
          placeholder="通过时可不填"
          maxlength={200}
          invalid={reasonErrors.length > 0}
        />
      </Field>
      <BigButton id="review-approve" disabled={busy} onClick={() => decide('approve')}>
        审核通过
      </BigButton>
      <BigButton
        id="review-changes"
        kind="secondary"
        disabled={busy}
        onClick={() => decide('request_changes')}
      >
        退回修改
      </BigButton>
      <BigButton id="review-reject" kind="danger" disabled={busy} onClick={() => decide('reject')}>
        不予通过
      </BigButton>
      {error ? (
        <Text id="review-error" className="dir-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}

function History({ entries }: { entries: HistoryEntry[] }) {
  return (
    <View id="history" className="card">
      <Text className="section-title">变更记录</Text>
      {entries.length === 0 ? <Text className="dir-none">没有记录</Text> : null}
      {[...entries].reverse().map((e, i) => {
        const rows = changeRows(e);
        const reason = entryReason(e);
        return (
          <View key={`${e.at}-${i}`} id={`history-${i}`} className="dir-history">
            <Text className="dir-history__head">{e.actionLabel}</Text>
            <Text className="dir-history__who">
              {chinaTime(e.at)} · {entryActor(e)}
            </Text>
            {reason ? <Text className="dir-history__reason">原因：{reason}</Text> : null}
            {rows.map((r) => (
              <Text key={r.field} id={`history-${i}-${r.field}`} className="dir-change">
                {r.label}：
                {r.before ? <Text className="dir-change__before">{r.before}</Text> : null}
                {r.before ? ' → ' : ''}
                <Text className="dir-change__after">{r.after || '（空）'}</Text>
              </Text>
            ))}
          </View>
        );
      })}
    </View>
  );
}

export default function SubjectDetail() {
  const id = useRouter().params.id ?? '';
  const [done, setDone] = useState('');
  const { state, reload } = useRemote(
    () => Promise.all([api.directory.get(id), api.directory.history(id), api.user.me()]),
    [id],
  );
  if (state.status === 'loading') {
    return (
      <View className="page">
        <Loading />
      </View>
    );
  }
  if (state.status === 'error') {
    return (
      <View className="page">
        <ErrorNotice error={state.error} onRetry={reload} />
      </View>
    );
  }
  const [entry, history, me] = state.data;
  const s = entry.subject;
  const returned = s.status === 'registered' && !entry.pendingReview;
  return (
    <View className="page">
      <Text id="subject-name" className="page-title">
        {s.name}
      </Text>
      <Text id="subject-meta" className="dir-area">
        {s.typeLabel} · {s.divisionName}
      </Text>
      <Text
        id="subject-status"
        className={`dir-badge${
          s.status === 'approved'
            ? ''
            : s.status === 'registered'
              ? ' dir-badge--warn'
              : ' dir-badge--bad'
        }`}
      >
        {s.statusLabel}
      </Text>
      {s.unclaimed ? <Text className="dir-badge">名册导入，未认领</Text> : null}
      {done ? (
        <Text id="review-done" className="dir-done">
          ✓ {done}
        </Text>
      ) : null}

      <View className="dir-figures">
        <Figure id="fig-certificates" value={entry.certificates} label="已开合格证（张）" />
        <Figure
          id="fig-last-issued"
          value={entry.lastIssuedAt ? chinaDay(entry.lastIssuedAt) : '从未'}
          label="最近开证"
        />
        {entry.daysWaiting !== null ? (
          <Figure
            id="fig-waiting"
            value={waitingLabel(entry.daysWaiting)}
            label="待审核"
            warn={entry.daysWaiting >= reviewDueDays}
          />
        ) : null}
        <Figure
          id="fig-idle"
          value={`${entry.idleDays} 天`}
          label={entry.dormant ? '未开证（在册不运行）' : '未开证'}
          warn={entry.dormant}
        />
      </View>

      <View className="card">
        <Row id="subject-identity" label={s.identityKind === 'id_card' ? '身份证号码' : '信用代码'}>
          {s.identityDisplay}
        </Row>
        <Row id="subject-contact" label="联系人">
          {s.contactName} {s.phone}
        </Row>
        <Row id="subject-address" label="地址">
          {s.address}
        </Row>
        <Row id="subject-products" label="主要产品">
          {s.products.join('、')}
        </Row>
        <Row id="subject-scale" label="规模以上">
          {s.aboveScale ? '是' : '否'}
        </Row>
        <Row id="subject-season" label="生产季节">
          {s.seasonLabel}
        </Row>
        <Row id="subject-source" label="来源">
          {s.source === 'import' ? '名册导入' : '自行登记'} · {chinaDay(s.createdAt)}
        </Row>
        {s.reviewNote ? (
          <Row id="subject-review-note" label="审核意见">
            {s.reviewNote}
          </Row>
        ) : null}
        {s.retiredReason ? (
          <Row id="subject-retired" label="注销原因">
            {s.retiredReason}
            {s.mergedInto ? '（已并入其他主体）' : ''}
          </Row>
        ) : null}
      </View>

      {entry.pendingReview && isDirectoryEditor(me.roles) ? (
        <Review
          entry={entry}
          onReviewed={(text) => {
            setDone(text);
            reload();
          }}
        />
      ) : null}
      {returned ? (
        <Text id="review-waiting" className="dir-hint">
          已退回修改，等待主体修改后重新提交。
        </Text>
      ) : null}

      <History entries={history} />
    </View>
  );
}
