/**
 * 监管站 — township supervision stations and village service points with their staff, and the
 * stars each earns from what its staff did in the last 90 days (derived when the page opens).
 * Supervisors add or change the stations of their division, admins anywhere.
 * Route: /pages-staff/stations/index
 *
 * Element ids (for end-to-end tests):
 * - `stations-window` (the days the figures cover, when computed); `stations-none`
 * - `station-<i>`: `station-<i>-name`, `station-<i>-stars` (★★★★☆), `station-<i>-figures`,
 *   `station-<i>-staff`, `station-<i>-edit`
 * - `station-add` → form `station-form`: chips `station-kind-station|service_point`, input
 *   `station-name`, chips `station-division-<code>` (admins), chips `station-staff-<userId>`,
 *   `station-save`, `station-cancel`, `station-error`; `station-saved` after
 * - `load-error`, `retry`
 */
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { childDivisions, districtCode, divisionName, lianyunDivisions } from '@/domain/division';
import type { FieldErrors } from '@/domain/errors';
import { stationKinds, stationRatingPolicy, type StationKind } from '@/domain/supervision';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type Me, type StationView } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { errorsAt } from '@/ui/field-errors';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaDateTime } from '@/ui/summary';
import { isSupervisor, starsText } from '../work/model';
import '../work/supervision.css';
import './index.css';

interface Draft {
  id?: string;
  kind: StationKind;
  name: string;
  divisionCode: string;
  staffUserIds: string[];
}

function figuresLine(s: StationView): string {
  const target = stationRatingPolicy.targets[s.kind];
  const parts = [
    `巡查 ${s.figures.patrols}/${target.patrols} 次`,
    `抽检 ${s.figures.samples}/${target.samples} 次`,
  ];
  if (s.figures.reviews && s.figures.reviews.due > 0) {
    parts.push(`登记按时审核 ${s.figures.reviews.onTime}/${s.figures.reviews.due}`);
  }
  return parts.join(' · ');
}

function StationForm({
  me,
  draft: initial,
  onSaved,
  onCancel,
}: {
  me: Me;
  draft: Draft;
  onSaved: (name: string) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const admin = me.roles.includes('admin');
  const staff = useRemote(
    () =>
      draft.divisionCode
        ? api.user.staff({ divisionCode: draft.divisionCode })
        : Promise.resolve([]),
    [draft.divisionCode],
  );

  function update(patch: Partial<Draft>) {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors({});
    setMessage('');
  }

  async function save() {
    if (busy) return;
    setBusy(true);
    try {
      const saved = await api.supervision.saveStation({
        ...(draft.id ? { id: draft.id } : {}),
        kind: draft.kind,
        name: draft.name.trim(),
        divisionCode: draft.divisionCode,
        staffUserIds: draft.staffUserIds,
      });
      onSaved(saved.name);
    } catch (e) {
      const err = asApiError(e);
      setErrors(err.fields ?? {});
      setMessage(err.message);
    } finally {
      setBusy(false);
    }
  }

  const err = (k: string) => errorsAt(errors, k);
  return (
    <View id="station-form" className="card">
      <Text className="sv-card-title">{draft.id ? '修改监管站' : '新增监管站/服务点'}</Text>
      <Field name="kind" label="类型" errors={err('kind')}>
        <ChipGroup wide>
          {(Object.keys(stationKinds) as StationKind[]).map((k) => (
            <Chip
              key={k}
              id={`station-kind-${k}`}
              selected={draft.kind === k}
              onClick={() => update({ kind: k })}
            >
              {stationKinds[k]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      <Field name="name" label="名称" errors={err('name')}>
        <TextInput
          id="station-name"
          value={draft.name}
          onChange={(name) => update({ name })}
          placeholder="如：墟沟街道农产品质量安全监管站"
          maxlength={40}
          invalid={err('name').length > 0}
        />
      </Field>
      <Field name="divisionCode" label="所在街道/乡镇" errors={err('divisionCode')}>
        {admin ? (
          <ChipGroup>
            {childDivisions(lianyunDivisions, districtCode).map((d) => (
              <Chip
                key={d.code}
                id={`station-division-${d.code}`}
                selected={draft.divisionCode === d.code}
                onClick={() => update({ divisionCode: d.code, staffUserIds: [] })}
              >
                {d.name}
              </Chip>
            ))}
          </ChipGroup>
        ) : (
          <Text className="sv-row__title">{me.divisionName ?? '未设定辖区'}</Text>
        )}
      </Field>
      <Field
        name="staffUserIds"
        label="工作人员"
        hint="点选本街道的监管员、协管员"
        errors={err('staffUserIds')}
      >
        {staff.state.status === 'loading' ? <Loading /> : null}
        {staff.state.status === 'error' ? (
          <Text className="field-error">{staff.state.error.message}</Text>
        ) : null}
        {staff.state.status === 'ok' && staff.state.data.length === 0 ? (
          <Text className="sv-none muted">
            {draft.divisionCode ? '该街道还没有工作人员' : '请先选择街道/乡镇'}
          </Text>
        ) : null}
        {staff.state.status === 'ok' ? (
          <ChipGroup wide>
            {staff.state.data.map((u) => (
              <Chip
                key={u.userId}
                id={`station-staff-${u.userId}`}
                multi
                selected={draft.staffUserIds.includes(u.userId)}
                onClick={() =>
                  update({
                    staffUserIds: draft.staffUserIds.includes(u.userId)
                      ? draft.staffUserIds.filter((x) => x !== u.userId)
                      : [...draft.staffUserIds, u.userId],
                  })
                }
              >
                {u.nickname} · {u.roleLabels.join('、')}
              </Chip>
            ))}
          </ChipGroup>
        ) : null}
      </Field>
      {message ? (
        <Text id="station-error" className="form-error form-error__line">
          {message}
        </Text>
      ) : null}
      <BigButton id="station-save" disabled={busy} onClick={save}>
        {busy ? '正在保存…' : '保存'}
      </BigButton>
      <BigButton id="station-cancel" kind="secondary" disabled={busy} onClick={onCancel}>
        取消
      </BigButton>
    </View>
  );
}

export default function Stations() {
  const { state, reload } = useRemote(async () => {
    const [me, result] = await Promise.all([api.user.me(), api.supervision.stations()]);
    return { me, result };
  });
  const [editing, setEditing] = useState<Draft | null>(null);
  const [saved, setSaved] = useState('');

  if (state.status !== 'ok') {
    return (
      <View className="page stations">
        {state.status === 'error' ? (
          <ErrorNotice error={state.error} onRetry={reload} />
        ) : (
          <Loading />
        )}
      </View>
    );
  }
  const { me, result } = state.data;
  const mayEdit = isSupervisor(me.roles);
  const newDraft = (): Draft => ({
    kind: 'station',
    name: '',
    divisionCode: me.roles.includes('admin') ? '' : (me.divisionCode ?? ''),
    staffUserIds: [],
  });
  return (
    <View className="page stations">
      <Text className="page-title">监管站与服务点</Text>
      <Text id="stations-window" className="sv-area">
        星级按近 {result.window.days} 天（{result.window.from} 至 {result.window.to}
        ）的巡查、抽检和登记审核计算 · {chinaDateTime(result.computedAt)}
      </Text>
      {saved ? (
        <Text id="station-saved" className="sv-done">
          ✔ 已保存：{saved}
        </Text>
      ) : null}
      {editing ? (
        <StationForm
          key={editing.id ?? 'new'}
          me={me}
          draft={editing}
          onCancel={() => setEditing(null)}
          onSaved={(name) => {
            setEditing(null);
            setSaved(name);
            reload();
          }}
        />
      ) : mayEdit ? (
        <BigButton
          id="station-add"
          kind="secondary"
          onClick={() => {
            setSaved('');
            setEditing(newDraft());
          }}
        >
          ＋ 新增监管站/服务点
        </BigButton>
      ) : null}
      <View className="sv-gap" />
      {result.stations.length === 0 ? (
        <Text id="stations-none" className="notice notice__text muted">
          辖区内还没有登记监管站或服务点
        </Text>
      ) : null}
      {result.stations.map((s, i) => (
        <View key={s._id} id={`station-${i}`} className="card station">
          <Text id={`station-${i}-name`} className="sv-row__title">
            {s.name}
          </Text>
          <Text className="sv-row__line muted">
            {s.kindLabel} · {s.divisionName ?? divisionName(lianyunDivisions, s.divisionCode) ?? ''}
          </Text>
          <View className="station__rating">
            <Text id={`station-${i}-stars`} className="station__stars">
              {starsText(s.rating.stars)}
            </Text>
            <Text className="station__score">{s.rating.score} 分</Text>
          </View>
          <Text id={`station-${i}-figures`} className="sv-row__line">
            {figuresLine(s)}
          </Text>
          <Text id={`station-${i}-staff`} className="sv-row__line">
            工作人员：
            {s.staff.length ? s.staff.map((u) => u.nickname || '未命名').join('、') : '未登记'}
          </Text>
          {mayEdit && !editing ? (
            <View className="sv-row__actions">
              <View
                id={`station-${i}-edit`}
                className="sv-link-button"
                hoverClass="chip--pressed"
                ariaRole="button"
                onClick={() => {
                  setSaved('');
                  setEditing({
                    id: s._id,
                    kind: s.kind,
                    name: s.name,
                    divisionCode: s.divisionCode,
                    staffUserIds: [...s.staffUserIds],
                  });
                }}
              >
                <Text>修改</Text>
              </View>
            </View>
          ) : null}
        </View>
      ))}
    </View>
  );
}
