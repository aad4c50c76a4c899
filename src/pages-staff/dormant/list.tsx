/**
 * 在册不运行 — subjects that issued no certificate for the policy's days and are out of their
 * season today (derived by the server each time), for a supervisor to confirm: still operating
 * (kept off the list for a period) or retired. Used by the directory page's tab and by
 * /pages-staff/dormant/index.
 *
 * Element ids:
 * - `dormant-policy`; `dormant-none`; `dormant-<id>` per subject (idle days, last certificate,
 *   season); `dormant-keep-<id>`, `dormant-retire-<id>` (editors only)
 * - the panel under the chosen subject: input `dormant-reason`, `dormant-submit`,
 *   `dormant-cancel`, `dormant-error`
 * - `dormant-done` after a confirmation
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { dormantDecisions, type DormantDecision } from '@/domain/directory';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaDay } from '../directory/model';
import { ReasonPanel, SmallButton } from '../directory/parts';

export function DormantList({
  divisionCode,
  editable,
}: {
  divisionCode?: string;
  editable: boolean;
}) {
  const { state, reload } = useRemote(
    () => api.directory.dormant(divisionCode ? { divisionCode } : {}),
    [divisionCode],
  );
  const [open, setOpen] = useState<{ id: string; decision: DormantDecision } | null>(null);
  const [done, setDone] = useState('');

  return (
    <View id="dormant">
      {done ? (
        <Text id="dormant-done" className="dir-done">
          ✓ {done}
        </Text>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' ? (
        <Text id="dormant-policy" className="dir-hint">
          连续 {state.data.afterDays} 天没有开具合格证、且现在不在其生产季节的主体，共{' '}
          {state.data.total} 个。请核实后保留或注销。
        </Text>
      ) : null}
      {state.status === 'ok' && state.data.items.length === 0 ? (
        <Text id="dormant-none" className="dir-none">
          没有在册不运行的主体
        </Text>
      ) : null}
      {state.status === 'ok'
        ? state.data.items.map((item) => {
            const s = item.subject;
            return (
              <View key={s._id} id={`dormant-${s._id}`} className="dir-item">
                <Text
                  className="dir-item__name"
                  onClick={() =>
                    Taro.navigateTo({
                      url: `/pages-staff/subject/index?id=${encodeURIComponent(s._id)}`,
                    })
                  }
                >
                  {s.name}
                </Text>
                <Text className="dir-item__meta">
                  {s.typeLabel} · {s.divisionName} · 生产季节 {item.seasonLabel}
                </Text>
                <Text className="dir-badge dir-badge--warn">已 {item.idleDays} 天未开证</Text>
                <Text className="dir-badge">
                  {item.lastIssuedAt ? `最近开证 ${chinaDay(item.lastIssuedAt)}` : '从未开具合格证'}
                </Text>
                {editable && open?.id !== s._id ? (
                  <View className="dir-small-buttons">
                    <SmallButton
                      id={`dormant-keep-${s._id}`}
                      onClick={() => {
                        setDone('');
                        setOpen({ id: s._id, decision: 'keep' });
                      }}
                    >
                      仍在经营，保留
                    </SmallButton>
                    <SmallButton
                      id={`dormant-retire-${s._id}`}
                      danger
                      onClick={() => {
                        setDone('');
                        setOpen({ id: s._id, decision: 'retire' });
                      }}
                    >
                      不再经营，注销
                    </SmallButton>
                  </View>
                ) : null}
                {editable && open?.id === s._id ? (
                  <ReasonPanel
                    prefix="dormant"
                    label={dormantDecisions[open.decision]}
                    placeholder={
                      open.decision === 'keep'
                        ? '如：冬季休耕，来年 3 月开始供货'
                        : '如：已不再种植，电话核实'
                    }
                    tooShort="请填写核实情况（至少 2 个字）"
                    danger={open.decision === 'retire'}
                    submitLabel={open.decision === 'retire' ? '确认注销' : '确认保留'}
                    busyLabel="正在提交…"
                    send={async (reason) => {
                      const r = await api.directory.confirmDormant({
                        subjectId: s._id,
                        decision: open.decision,
                        reason,
                      });
                      return r.decision === 'keep'
                        ? `已确认“${r.subject.name}”仍在生产经营，${chinaDay(r.keptUntil)} 前不再列入`
                        : `已注销“${r.subject.name}”`;
                    }}
                    onCancel={() => setOpen(null)}
                    onDone={(message) => {
                      setOpen(null);
                      setDone(message);
                      reload();
                    }}
                  />
                ) : null}
              </View>
            );
          })
        : null}
    </View>
  );
}
