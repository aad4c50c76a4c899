/**
 * 疑似重复 (一人多身份) — groups of subjects that may be one party, and the merge of one group:
 * choose the subject to keep, give a reason, and every certificate and record of the others
 * moves to it. Used by the directory page's tab and by /pages-staff/duplicates/index.
 *
 * Element ids:
 * - `dup-none`; `dup-group-<i>` with `dup-rule-<i>` (the rule and what they share) and
 *   `dup-subject-<id>` per subject; `dup-open-<i>` (合并…, editors only)
 * - the merge panel (`merge`): `merge-certs-<id>` (that subject's certificates), chips
 *   `merge-keep-<id>`, `merge-plan` (which are merged into which), input `merge-reason`,
 *   `merge-submit`, `merge-cancel`; `merge-progress` while records move; `merge-error`
 * - `merge-done` (after the list reloads): the message and certificates before → after
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type DuplicateGroupView, type MergeResult } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { SmallButton } from '../directory/parts';

/** Calls again while the server is still moving records ('moving'); more than this is a stall. */
const maxMergeRounds = 50;

const groupKey = (g: DuplicateGroupView) => `${g.rule}:${g.subjects.map((s) => s._id).join(',')}`;

function MergePanel({
  group,
  onMerged,
  onCancel,
}: {
  group: DuplicateGroupView;
  onMerged: (result: MergeResult, keptName: string) => void;
  onCancel: () => void;
}) {
  const [keepId, setKeepId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState('');
  const [error, setError] = useState('');
  const [reasonError, setReasonError] = useState<string[]>([]);
  // Certificates per subject, so the choice of the one to keep is informed.
  const counts = useRemote(
    () =>
      Promise.all(
        group.subjects.map((s) =>
          api.directory.get(s._id).then(
            (e) => e.certificates,
            () => null,
          ),
        ),
      ),
    [groupKey(group)],
  );
  const kept = group.subjects.find((s) => s._id === keepId) ?? null;
  const merged = group.subjects.filter((s) => s._id !== keepId);

  async function submit() {
    if (busy || !kept) return;
    if (reason.trim().length < 2) {
      setReasonError(['请填写合并原因（至少 2 个字）']);
      return;
    }
    setBusy(true);
    setError('');
    setReasonError([]);
    const input = { keepId: kept._id, mergeIds: merged.map((s) => s._id), reason: reason.trim() };
    try {
      let result = await api.directory.merge(input);
      for (let round = 1; result.status === 'moving' && round < maxMergeRounds; round++) {
        setProgress(result.message);
        result = await api.directory.merge(input);
      }
      if (result.status === 'moving') {
        setError(`${result.message}（请稍后再点“确认合并”继续）`);
        setBusy(false);
        return;
      }
      onMerged(result, kept.name);
    } catch (e) {
      const err = asApiError(e);
      if (err.fields?.reason) setReasonError(err.fields.reason);
      else setError(err.message);
      setBusy(false);
    } finally {
      setProgress('');
    }
  }

  return (
    <View id="merge" className="dir-panel">
      <Text className="dir-hint">
        选择要保留的主体；其余主体并入它，合格证和记录全部移交，并入的主体注销。
      </Text>
      <ChipGroup wide>
        {group.subjects.map((s, i) => {
          const n = counts.state.status === 'ok' ? counts.state.data[i] : undefined;
          return (
            <Chip
              key={s._id}
              id={`merge-keep-${s._id}`}
              selected={keepId === s._id}
              onClick={() => setKeepId(s._id)}
            >
              保留 {s.name}（{s.divisionName}
              <Text id={`merge-certs-${s._id}`}>
                {n === undefined ? '' : n === null ? '' : `，合格证 ${n} 张`}
              </Text>
              {s.unclaimed ? '，未认领' : ''}）
            </Chip>
          );
        })}
      </ChipGroup>
      {kept ? (
        <Text id="merge-plan" className="dir-hint">
          {merged.map((s) => s.name).join('、')} 将并入“{kept.name}”
          {counts.state.status === 'ok'
            ? `；合并前共有合格证 ${counts.state.data.reduce<number>((a, n) => a + (n ?? 0), 0)} 张，全部保留`
            : ''}
        </Text>
      ) : null}
      <Field name="merge-reason" label="合并原因" errors={reasonError}>
        <TextInput
          id="merge-reason"
          value={reason}
          onChange={(v) => {
            setReason(v);
            setReasonError([]);
          }}
          placeholder="如：同一农户重复登记（已电话核实）"
          maxlength={200}
          invalid={reasonError.length > 0}
        />
      </Field>
      <BigButton id="merge-submit" disabled={busy || !kept} onClick={submit}>
        {busy ? '正在合并…' : kept ? '确认合并' : '请先选择要保留的主体'}
      </BigButton>
      <BigButton id="merge-cancel" kind="secondary" onClick={onCancel}>
        取消
      </BigButton>
      {progress ? (
        <Text id="merge-progress" className="dir-hint">
          {progress}
        </Text>
      ) : null}
      {error ? (
        <Text id="merge-error" className="dir-error">
          {error}
        </Text>
      ) : null}
    </View>
  );
}

export function DuplicateGroups({
  divisionCode,
  editable,
}: {
  divisionCode?: string;
  /** Supervisors and admins may merge; other staff only see the groups. */
  editable: boolean;
}) {
  const { state, reload } = useRemote(
    () => api.directory.duplicates(divisionCode ? { divisionCode } : {}),
    [divisionCode],
  );
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<{ result: MergeResult; keptName: string } | null>(null);

  return (
    <View id="duplicates">
      {done ? (
        <View id="merge-done" className="dir-done">
          <Text>
            ✓ {done.result.message}（保留“{done.keptName}”）
            {'\n'}合格证：合并前 {done.result.certificates.before} 张 → 合并后{' '}
            {done.result.certificates.after ?? '—'} 张
          </Text>
        </View>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.groups.length === 0 ? (
        <Text id="dup-none" className="dir-none">
          没有发现疑似一人多身份的主体
        </Text>
      ) : null}
      {state.status === 'ok'
        ? state.data.groups.map((g, i) => {
            const key = groupKey(g);
            return (
              <View key={key} id={`dup-group-${i}`} className="card">
                <Text id={`dup-rule-${i}`} className="dir-item__meta">
                  <Text className="dir-badge dir-badge--warn">{g.ruleLabel}</Text> {g.shared}
                </Text>
                {g.subjects.map((s) => (
                  <View
                    key={s._id}
                    id={`dup-subject-${s._id}`}
                    className="dir-panel"
                    hoverClass="chip--pressed"
                    onClick={() =>
                      Taro.navigateTo({
                        url: `/pages-staff/subject/index?id=${encodeURIComponent(s._id)}`,
                      })
                    }
                  >
                    <Text className="dir-item__name">{s.name}</Text>
                    <Text className="dir-item__meta">
                      {s.typeLabel} · {s.divisionName} · {s.statusLabel}
                    </Text>
                    <Text className="dir-item__meta">
                      {s.identityDisplay} · {s.contactName} {s.phone}
                      {s.unclaimed ? ' · 名册导入，未认领' : ''}
                    </Text>
                  </View>
                ))}
                {editable && open !== key ? (
                  <View className="dir-small-buttons">
                    <SmallButton
                      id={`dup-open-${i}`}
                      onClick={() => {
                        setDone(null);
                        setOpen(key);
                      }}
                    >
                      合并…
                    </SmallButton>
                  </View>
                ) : null}
                {editable && open === key ? (
                  <MergePanel
                    group={g}
                    onCancel={() => setOpen(null)}
                    onMerged={(result, keptName) => {
                      setOpen(null);
                      setDone({ result, keptName });
                      reload();
                    }}
                  />
                ) : null}
              </View>
            );
          })
        : null}
      {state.status === 'ok' && state.data.total > state.data.groups.length ? (
        <Text className="dir-hint">
          共 {state.data.total} 组，显示前 {state.data.groups.length} 组
        </Text>
      ) : null}
    </View>
  );
}
