/**
 * 纸质合格证（街道） — a street office hands producers of its division numbered runs (号段) of the
 * two-part forms it printed, sees every run of the division with what is used, and voids lost or
 * spoiled forms. Supervisors act in their own division, admins anywhere.
 * Route: /pages-staff/paper/index (a subpackage: only staff download it).
 *
 * Element ids (for end-to-end tests):
 * - `office-area`: the division served
 * - subject search: input `subject-q`, `subject-search`; chips `subject-<id>`; `subjects-none`
 * - for the chosen subject (`alloc`): `alloc-subject`, `alloc-series` (prefix and year), inputs
 *   `alloc-from`, `alloc-to`, `alloc-submit`; `alloc-done` after success; errors under the
 *   fields (an overlap is the server's message under `alloc-from`), others in `alloc-error`;
 *   `subject-ranges` with `subject-range-<i>`
 * - the division's ranges (`office-ranges`): `office-range-<i>` (label, subject, counts, voided
 *   parts), `void-open-<i>` → panel `void-panel` with inputs `void-from`, `void-to` (blank: the
 *   whole range), chips `void-reason-<i>`, input `void-reason`, `void-submit`, `void-cancel`;
 *   `void-done` after success; `void-error`
 * - `load-error`, `retry`
 */
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { chinaDate } from '@/domain/certificate';
import { divisionName, lianyunDivisions } from '@/domain/division';
import type { FieldErrors } from '@/domain/errors';
import { chinaYear, formatRange, maxFormsPerRange, serialPrefixFor } from '@/domain/paper';
import { subjectStatuses, subjectTypes } from '@/domain/subject';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type DivisionSubject, type FormRangeView } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { PickOrType } from '@/ui/PickOrType';
import './index.css';

/** A whole number typed into a serial field, or null. */
function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d{1,6}$/.test(t) && Number(t) >= 1 ? Number(t) : null;
}

function countsLine(r: FormRangeView): string {
  return `共 ${r.total} 份：已登记 ${r.used} · 未用 ${r.free}${r.voided > 0 ? ` · 作废 ${r.voided}` : ''}`;
}

/** The numbers typed into a pair of 从/到 inputs. */
interface Bounds {
  from: string;
  to: string;
}

/** 从/到 编号: number inputs `<prefix>-from`, `<prefix>-to`, in wrappers of the same names. */
function SerialBounds({
  prefix,
  labels,
  placeholders,
  value,
  errors,
  onChange,
}: {
  prefix: string;
  labels: readonly [string, string];
  placeholders: readonly [string, string];
  value: Bounds;
  errors: FieldErrors;
  onChange: (value: Bounds) => void;
}) {
  return (
    <>
      {(['from', 'to'] as const).map((key, i) => (
        <Field
          key={key}
          name={`${prefix}-${key}`}
          label={labels[i] ?? ''}
          errors={errors[key] ?? []}
        >
          <TextInput
            id={`${prefix}-${key}`}
            type="number"
            value={value[key]}
            onChange={(v) => onChange({ ...value, [key]: v })}
            placeholder={placeholders[i]}
            maxlength={6}
            invalid={errors[key] !== undefined}
          />
        </Field>
      ))}
    </>
  );
}

/** 搜索主体 — the division's subjects by name; tap one to allocate to it. */
function SubjectPicker({
  chosen,
  onChoose,
}: {
  chosen: DivisionSubject | null;
  onChoose: (s: DivisionSubject) => void;
}) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const { state, reload } = useRemote(
    () => api.subject.division(query ? { q: query } : {}),
    [query],
  );
  return (
    <View id="office-subjects" className="card">
      <Text className="section-title office__section">选择生产主体</Text>
      <View className="office__search">
        <View className="office__search-input">
          <TextInput id="subject-q" value={q} onChange={setQ} placeholder="输入主体名称查找" />
        </View>
        <View
          id="subject-search"
          className="office__search-button"
          hoverClass="chip--pressed"
          ariaRole="button"
          onClick={() => setQuery(q.trim())}
        >
          <Text>查找</Text>
        </View>
      </View>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <Text id="subjects-none" className="office__none muted">
          {query ? `没有名称含“${query}”的主体` : '辖区内还没有登记的主体'}
        </Text>
      ) : null}
      {state.status === 'ok' ? (
        <ChipGroup wide>
          {state.data.map((s) => (
            <Chip
              key={s._id}
              id={`subject-${s._id}`}
              selected={chosen?._id === s._id}
              onClick={() => onChoose(s)}
            >
              {s.name} · {subjectTypes[s.type]} · {divisionName(lianyunDivisions, s.divisionCode)}
              {s.status === 'registered' || s.status === 'approved'
                ? ''
                : ` · ${subjectStatuses[s.status]}`}
            </Chip>
          ))}
        </ChipGroup>
      ) : null}
    </View>
  );
}

/** 分配号段 to one subject, and the ranges it already has. */
function Allocate({
  subject,
  version,
  onAllocated,
}: {
  subject: DivisionSubject;
  /** Bumped when any range of the division changed (allocated, voided). */
  version: number;
  onAllocated: () => void;
}) {
  const prefix = serialPrefixFor(subject.divisionCode);
  const year = chinaYear(new Date());
  const [bounds, setBounds] = useState<Bounds>({ from: '', to: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState('');
  const [done, setDone] = useState<FormRangeView | null>(null);
  const [busy, setBusy] = useState(false);
  const ranges = useRemote(
    () => api.paper.ranges({ subjectId: subject._id }),
    [subject._id, version],
  );

  const from = wholeNumber(bounds.from);
  const to = wholeNumber(bounds.to);
  const size = from !== null && to !== null && to >= from ? to - from + 1 : null;

  async function submit() {
    if (busy) return;
    const found: FieldErrors = {};
    if (from === null) found.from = ['请填写起始编号（1 或更大的整数）'];
    if (to === null) found.to = ['请填写结束编号（1 或更大的整数）'];
    else if (from !== null && to < from) found.to = ['结束编号不能小于起始编号'];
    else if (from !== null && to - from + 1 > maxFormsPerRange) {
      found.to = [`一个号段最多 ${maxFormsPerRange} 份`];
    }
    if (Object.keys(found).length > 0 || from === null || to === null) {
      setErrors(found);
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage('');
    setDone(null);
    try {
      const range = await api.paper.allocate({ subjectId: subject._id, from, to });
      setDone(range);
      setBounds({ from: '', to: '' });
      onAllocated();
    } catch (e) {
      const error = asApiError(e);
      const fields = error.fields ?? {};
      const shown = ['from', 'to'].filter((k) => fields[k]);
      setErrors(fields);
      // The message goes under the field it concerns; otherwise below the button.
      if (shown.length === 0) setMessage(error.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View id="alloc" className="card office-alloc">
      <Text className="section-title office__section">分配号段</Text>
      <Text id="alloc-subject" className="office-alloc__subject">
        {subject.name}
      </Text>
      <Text id="alloc-series" className="office-alloc__series muted">
        {prefix
          ? `表格编号以 ${prefix}${year}- 开头（${divisionName(lianyunDivisions, subject.divisionCode) ?? ''}印制）`
          : '该主体所在街道没有设定编号前缀'}
      </Text>
      <SerialBounds
        prefix="alloc"
        labels={['起始编号', '结束编号']}
        placeholders={['如：1', '如：50']}
        value={bounds}
        errors={errors}
        onChange={(b) => {
          setBounds(b);
          setErrors({});
        }}
      />
      {size !== null && prefix ? (
        <Text className="office-alloc__preview">
          共 {size} 份：{formatRange({ prefix, year, from: from ?? 1, to: to ?? 1 })}
        </Text>
      ) : null}
      <BigButton id="alloc-submit" disabled={busy || !prefix} onClick={submit}>
        {busy ? '正在分配…' : '分配给该主体'}
      </BigButton>
      {message ? (
        <Text id="alloc-error" className="form-error form-error__line office__error">
          {message}
        </Text>
      ) : null}
      {done ? (
        <Text id="alloc-done" className="office__done">
          ✓ 已分配 {done.label}（共 {done.total} 份）
        </Text>
      ) : null}
      <View id="subject-ranges" className="office-alloc__ranges">
        <Text className="office__subtitle">该主体已领用</Text>
        {ranges.state.status === 'ok' && ranges.state.data.length === 0 ? (
          <Text className="muted">还没有领用纸质合格证</Text>
        ) : null}
        {ranges.state.status === 'ok'
          ? ranges.state.data.map((r, i) => (
              <View key={r.id} id={`subject-range-${i}`} className="office-range">
                <Text className="office-range__label">{r.label}</Text>
                <Text className="office-range__counts">{countsLine(r)}</Text>
              </View>
            ))
          : null}
      </View>
    </View>
  );
}

const voidReasons = ['表格丢失', '表格损坏或填错', '主体停止生产，收回未用表格'];

/** 作废: all of a range or a part of it, with a reason. */
function VoidPanel({
  range,
  onDone,
  onCancel,
}: {
  range: FormRangeView;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [bounds, setBounds] = useState<Bounds>({ from: '', to: '' });
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (busy) return;
    const found: FieldErrors = {};
    const from = bounds.from.trim() === '' ? undefined : wholeNumber(bounds.from);
    const to = bounds.to.trim() === '' ? undefined : wholeNumber(bounds.to);
    if (from === null) found.from = ['请填写 1 或更大的整数，或留空'];
    if (to === null) found.to = ['请填写 1 或更大的整数，或留空'];
    if (reason.trim().length < 2) found.reason = ['请填写作废原因（至少 2 个字）'];
    if (Object.keys(found).length > 0 || from === null || to === null) {
      setErrors(found);
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage('');
    try {
      const res = await api.paper.void({
        rangeId: range.id,
        reason: reason.trim(),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      });
      const parts = [`已作废 ${res.voided} 份`];
      if (res.skipped > 0) parts.push(`其中已登记的 ${res.skipped} 份仍然有效`);
      if (res.alreadyVoided > 0) parts.push(`${res.alreadyVoided} 份此前已作废`);
      onDone(parts.join('，'));
    } catch (e) {
      const error = asApiError(e);
      const fields = error.fields ?? {};
      setErrors(fields);
      if (!fields.from && !fields.to && !fields.reason) setMessage(error.message);
      setBusy(false);
    }
  }

  return (
    <View id="void-panel" className="office-void">
      <Text className="office-void__warning">
        作废后，这些编号不能再登记；已经登记的表格仍然有效。作废不能恢复。
      </Text>
      <Text className="office-void__hint muted">
        两个编号都不填，就作废整个号段（{range.label}）
      </Text>
      <SerialBounds
        prefix="void"
        labels={['从编号', '到编号']}
        placeholders={[String(range.from), String(range.to)]}
        value={bounds}
        errors={errors}
        onChange={(b) => {
          setBounds(b);
          setErrors({});
        }}
      />
      <Field name="void-reason" label="作废原因" errors={errors.reason ?? []}>
        <PickOrType
          options={voidReasons}
          chipId="void-reason"
          wide
          id="void-reason"
          value={reason}
          onChange={(v) => {
            setReason(v);
            setErrors({});
          }}
          placeholder="点上面的原因，或在这里填写"
          maxlength={100}
          invalid={errors.reason !== undefined}
        />
      </Field>
      <BigButton id="void-submit" kind="danger" disabled={busy} onClick={submit}>
        {busy ? '正在作废…' : '确认作废'}
      </BigButton>
      <BigButton id="void-cancel" kind="secondary" disabled={busy} onClick={onCancel}>
        不作废了
      </BigButton>
      {message ? (
        <Text id="void-error" className="form-error form-error__line office__error">
          {message}
        </Text>
      ) : null}
    </View>
  );
}

/** 本辖区的号段 — every run allocated in the division, newest first, with voiding. */
function DivisionRanges({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { state, reload } = useRemote(() => api.paper.ranges({ limit: 200 }), [version]);
  const [voiding, setVoiding] = useState<string | null>(null);
  const [done, setDone] = useState('');

  return (
    <View id="office-ranges" className="card">
      <Text className="section-title office__section">辖区已分配的号段</Text>
      {done ? (
        <Text id="void-done" className="office__done">
          ✓ {done}
        </Text>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <Text className="muted">还没有分配过号段</Text>
      ) : null}
      {state.status === 'ok'
        ? state.data.map((r, i) => (
            <View key={r.id} id={`office-range-${i}`} className="office-range">
              <Text className="office-range__label">{r.label}</Text>
              <Text className="office-range__subject">
                {r.subjectName} · {r.divisionName ?? ''} · {r.allocatedOn} 领用
              </Text>
              <Text className="office-range__counts">{countsLine(r)}</Text>
              {r.voids.map((v) => (
                <Text key={`${v.from}-${v.at}`} className="office-range__void muted">
                  已作废 {v.label}：{v.reason}
                </Text>
              ))}
              {voiding === r.id ? (
                <VoidPanel
                  range={r}
                  onCancel={() => setVoiding(null)}
                  onDone={(message) => {
                    setVoiding(null);
                    setDone(`${r.label}：${message}`);
                    onChanged();
                  }}
                />
              ) : r.free > 0 ? (
                <View
                  id={`void-open-${i}`}
                  className="office-range__void-open"
                  hoverClass="chip--pressed"
                  ariaRole="button"
                  onClick={() => {
                    setVoiding(r.id);
                    setDone('');
                  }}
                >
                  <Text>作废其中的表格</Text>
                </View>
              ) : null}
            </View>
          ))
        : null}
    </View>
  );
}

export default function PaperOffice() {
  const me = useRemote(() => api.user.me());
  const [subject, setSubject] = useState<DivisionSubject | null>(null);
  const [version, setVersion] = useState(0);

  if (me.state.status !== 'ok') {
    return (
      <View className="page office">
        {me.state.status === 'error' ? (
          <ErrorNotice error={me.state.error} onRetry={me.reload} />
        ) : (
          <Loading />
        )}
      </View>
    );
  }
  const { roles, divisionCode } = me.state.data;
  const staff = roles.includes('supervisor') || roles.includes('admin');
  const area = roles.includes('admin')
    ? '全区'
    : ((divisionCode && divisionName(lianyunDivisions, divisionCode)) ?? '未设定辖区');
  return (
    <View className="page office">
      <Text className="page-title">纸质合格证（街道）</Text>
      <Text id="office-area" className="office__area">
        辖区：{area} · {chinaDate(new Date())}
      </Text>
      {staff ? (
        <View>
          <SubjectPicker chosen={subject} onChoose={setSubject} />
          {subject ? (
            <Allocate
              key={subject._id}
              subject={subject}
              version={version}
              onAllocated={() => setVersion((v) => v + 1)}
            />
          ) : null}
          <DivisionRanges version={version} onChanged={() => setVersion((v) => v + 1)} />
        </View>
      ) : (
        <Text className="notice notice__text">
          只有街道/乡镇监管员和区管理员可以分配纸质合格证。
        </Text>
      )}
    </View>
  );
}
