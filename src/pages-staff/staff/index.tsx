/**
 * 人员与邀请 — the staff of the caller's area (an admin: the district; a supervisor: their
 * street), with the way to invite more and to take a role away (with a reason; audited). Which
 * roles the caller may revoke follows `staffGrantRules`, as the server checks it.
 * Route: /pages-staff/staff/index
 *
 * Element ids (for end-to-end tests):
 * - `staff-area`; `go-invite` (邀请工作人员)
 * - `staff-<userId>` per member (name, roles, division); `revoke-<userId>-<role>` for each role
 *   the caller may take away; the panel: input `revoke-reason`, `revoke-submit`,
 *   `revoke-cancel`, the reason's error under it, `revoke-error`
 * - `revoke-done` after a revocation; `staff-none`; `load-error`, `retry`
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { roles as roleLabels } from '@/domain/role';
import type { StaffRole } from '@/domain/invitation';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaDay } from '../directory/model';
import { ReasonPanel, SmallButton } from '../directory/parts';
import { placeName, revocableRoles } from '../invite/model';
import '../directory/directory.css';

export default function Staff() {
  const { state, reload } = useRemote(() => Promise.all([api.user.me(), api.user.staff()]));
  const [open, setOpen] = useState<{ userId: string; role: StaffRole } | null>(null);
  const [done, setDone] = useState('');

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
  const [me, members] = state.data;
  const granter = { userId: me.userId, roles: me.roles, divisionCode: me.divisionCode };
  return (
    <View className="page">
      <Text className="page-title">人员与邀请</Text>
      <Text id="staff-area" className="dir-area">
        范围：{me.roles.includes('admin') ? '全区（连云区）' : (me.divisionName ?? '—')}
      </Text>
      <BigButton
        id="go-invite"
        onClick={() => Taro.navigateTo({ url: '/pages-staff/invite/index' })}
      >
        邀请工作人员
      </BigButton>
      {done ? (
        <Text id="revoke-done" className="dir-done">
          ✓ {done}
        </Text>
      ) : null}
      <Text className="section-title">工作人员（{members.length} 人）</Text>
      {members.length === 0 ? (
        <Text id="staff-none" className="dir-none">
          还没有工作人员
        </Text>
      ) : null}
      {members.map((m) => {
        const revocable = revocableRoles(granter, m);
        return (
          <View key={m.userId} id={`staff-${m.userId}`} className="dir-item">
            <Text className="dir-item__name">
              {m.nickname || '（未填姓名）'}
              {m.userId === me.userId ? '（我）' : ''}
            </Text>
            <Text className="dir-item__meta">
              {m.roleLabels.join('、')}
              {m.divisionCode ? ` · ${placeName(m.divisionCode)}` : ''}
            </Text>
            <Text className="dir-item__meta">加入于 {chinaDay(m.createdAt)}</Text>
            {revocable.length > 0 && open?.userId !== m.userId ? (
              <View className="dir-small-buttons">
                {revocable.map((r) => (
                  <SmallButton
                    key={r}
                    id={`revoke-${m.userId}-${r}`}
                    danger
                    onClick={() => {
                      setDone('');
                      setOpen({ userId: m.userId, role: r });
                    }}
                  >
                    撤销{roleLabels[r]}
                  </SmallButton>
                ))}
              </View>
            ) : null}
            {open?.userId === m.userId ? (
              <ReasonPanel
                prefix="revoke"
                label={`撤销${roleLabels[open.role]}的原因`}
                placeholder="如：工作调动"
                tooShort="请写明撤销原因"
                danger
                submitLabel="确认撤销"
                busyLabel="正在撤销…"
                send={async (reason) => {
                  await api.user.revokeRole({ userId: m.userId, role: open.role, reason });
                  return `已撤销 ${m.nickname || m.userId} 的${roleLabels[open.role]}角色`;
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
      })}
    </View>
  );
}
