/**
 * 邀请工作人员 — an admin or supervisor creates a one-time invitation for a staff role: the
 * roles offered are those `staffGrantRules` lets the caller grant (an admin: any staff role and
 * division; a supervisor: coordinators of their own street). The code is shown big (4-4-4-4)
 * with its QR code for the invitee to scan, once; the caller's invitations are listed below,
 * and those not yet used can be withdrawn.
 * Route: /pages-staff/invite/index
 *
 * Element ids (for end-to-end tests):
 * - chips `invite-role-<role>`; `invite-division-<code>` when there is a choice, else
 *   `invite-division` (the one division); input `invite-note`; chips `invite-ttl-<hours>`;
 *   `invite-submit`; `invite-none` when the caller may invite no one; errors under the fields,
 *   others in `invite-error`
 * - the new invitation (`invite-result`): `invite-summary` (role · division), `invite-code`,
 *   `invite-qr` (the QR of `invite-url`), `invite-expires`, `invite-another`
 * - `invitations`: `invitation-<i>` (newest first) with `invitation-status-<i>` and, while
 *   unused, `invitation-cancel-<i>`; `invitations-none`; `invitations-error`
 * - `go-staff-list` (工作人员名单)
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { FieldErrors } from '@/domain/errors';
import { roles as roleLabels } from '@/domain/role';
import type { StaffRole } from '@/domain/invitation';
import CertQrcode from '@/components/CertQrcode';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type CreatedInvitation, type Me } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaTime } from '../directory/model';
import { SmallButton } from '../directory/parts';
import {
  defaultDivision,
  displayCode,
  divisionChoices,
  grantableRoles,
  placeName,
  remainingLabel,
  roleAndPlace,
  ttlChoices,
} from './model';
import '../directory/directory.css';

function Created({
  invitation,
  onAnother,
}: {
  invitation: CreatedInvitation;
  onAnother: () => void;
}) {
  return (
    <View id="invite-result" className="card">
      <Text id="invite-summary" className="section-title">
        {roleAndPlace(invitation.roleLabel, placeName(invitation.divisionCode))}
      </Text>
      <Text className="dir-hint">请对方用微信扫描下面的二维码，或在“领取邀请”页输入邀请码：</Text>
      <Text id="invite-code" className="dir-code">
        {displayCode(invitation.code)}
      </Text>
      <View id="invite-qr" className="dir-qr">
        <CertQrcode text={invitation.url} size={220} />
      </View>
      <Text id="invite-url" className="dir-url">
        {invitation.url}
      </Text>
      <Text id="invite-expires" className="dir-hint">
        {chinaTime(invitation.expiresAt)} 前有效（{remainingLabel(invitation.expiresAt, new Date())}
        ），只能使用一次。邀请码只在这里显示一次，离开本页后无法再查看。
      </Text>
      <BigButton id="invite-another" kind="secondary" onClick={onAnother}>
        再邀请一位
      </BigButton>
    </View>
  );
}

function InviteForm({ me, onCreated }: { me: Me; onCreated: (i: CreatedInvitation) => void }) {
  const granter = { roles: me.roles, divisionCode: me.divisionCode };
  const roles = grantableRoles(granter);
  const [role, setRole] = useState<StaffRole | null>(
    roles.includes('supervisor') ? 'supervisor' : (roles[0] ?? null),
  );
  const [division, setDivision] = useState<string | null>(
    role ? defaultDivision(granter, role) : null,
  );
  const [note, setNote] = useState('');
  const [ttlHours, setTtlHours] = useState(72);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  if (!role) {
    return (
      <Text id="invite-none" className="dir-none">
        您的角色不能邀请工作人员
      </Text>
    );
  }
  const choices = divisionChoices(granter, role);

  async function submit() {
    if (busy || !role) return;
    if (choices.length > 0 && !division) {
      setErrors({ divisionCode: [`请选择${roleLabels[role]}负责的街道/乡镇`] });
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage('');
    try {
      const created = await api.user.invite({
        role,
        ...(division ? { divisionCode: division } : {}),
        note: note.trim(),
        ttlHours,
      });
      setNote('');
      onCreated(created);
    } catch (e) {
      const err = asApiError(e);
      const fields = err.fields ?? {};
      setErrors(fields);
      if (!['role', 'divisionCode', 'note'].some((k) => fields[k])) setMessage(err.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="card">
      <Field name="role" label="邀请担任" errors={errors.role ?? []}>
        <ChipGroup wide>
          {roles.map((r) => (
            <Chip
              key={r}
              id={`invite-role-${r}`}
              selected={role === r}
              onClick={() => {
                setRole(r);
                setDivision(defaultDivision(granter, r));
                setErrors({});
              }}
            >
              {roleLabels[r]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      {choices.length > 1 ? (
        <Field name="divisionCode" label="负责的街道/乡镇" errors={errors.divisionCode ?? []}>
          <ChipGroup>
            {choices.map((d) => (
              <Chip
                key={d.code}
                id={`invite-division-${d.code}`}
                selected={division === d.code}
                onClick={() => {
                  setDivision(d.code);
                  setErrors({});
                }}
              >
                {placeName(d.code)}
              </Chip>
            ))}
          </ChipGroup>
        </Field>
      ) : choices.length === 1 ? (
        <Field name="divisionCode" label="负责的街道/乡镇" errors={errors.divisionCode ?? []}>
          <Text id="invite-division">{placeName(choices[0]?.code ?? null)}</Text>
        </Field>
      ) : (
        <Text className="dir-hint">{roleLabels[role]}面向全区，不设街道/乡镇。</Text>
      )}
      <Field name="note" label="备注（邀请谁）" errors={errors.note ?? []}>
        <TextInput
          id="invite-note"
          value={note}
          onChange={setNote}
          placeholder="如：东山村 张三"
          maxlength={100}
        />
      </Field>
      <Field name="ttlHours" label="有效期" errors={errors.ttlHours ?? []}>
        <ChipGroup>
          {ttlChoices.map((t) => (
            <Chip
              key={t.hours}
              id={`invite-ttl-${t.hours}`}
              selected={ttlHours === t.hours}
              onClick={() => setTtlHours(t.hours)}
            >
              {t.label}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      <BigButton id="invite-submit" disabled={busy} onClick={submit}>
        {busy ? '正在生成…' : '生成邀请码'}
      </BigButton>
      {message ? (
        <Text id="invite-error" className="dir-error">
          {message}
        </Text>
      ) : null}
    </View>
  );
}

function Invitations({ version }: { version: number }) {
  const { state, reload } = useRemote(() => api.user.invitations({ limit: 50 }), [version]);
  const [error, setError] = useState('');
  async function cancel(id: string) {
    setError('');
    try {
      await api.user.cancelInvitation(id);
      reload();
    } catch (e) {
      setError(asApiError(e).message);
    }
  }
  return (
    <View id="invitations">
      <Text className="section-title">已发出的邀请</Text>
      {error ? (
        <Text id="invitations-error" className="dir-error">
          {error}
        </Text>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <Text id="invitations-none" className="dir-none">
          还没有发出邀请
        </Text>
      ) : null}
      {state.status === 'ok'
        ? state.data.map((inv, i) => (
            <View key={inv.id} id={`invitation-${i}`} className="dir-item">
              <Text className="dir-item__name">
                {roleAndPlace(inv.roleLabel, placeName(inv.divisionCode))}
              </Text>
              <Text
                id={`invitation-status-${i}`}
                className={`dir-badge${inv.status === 'pending' ? ' dir-badge--warn' : ''}`}
              >
                {inv.statusLabel}
              </Text>
              {inv.note ? <Text className="dir-item__meta">备注：{inv.note}</Text> : null}
              <Text className="dir-item__meta">
                {chinaTime(inv.createdAt)} 由 {inv.createdByName || inv.createdBy} 发出
                {inv.status === 'pending' ? `，${remainingLabel(inv.expiresAt, new Date())}` : ''}
              </Text>
              {inv.usedAt ? (
                <Text className="dir-item__meta">
                  {chinaTime(inv.usedAt)} 由 {inv.usedByName || inv.usedBy} 领取
                </Text>
              ) : null}
              {inv.status === 'pending' ? (
                <View className="dir-small-buttons">
                  <SmallButton id={`invitation-cancel-${i}`} danger onClick={() => cancel(inv.id)}>
                    撤销邀请
                  </SmallButton>
                </View>
              ) : null}
            </View>
          ))
        : null}
    </View>
  );
}

export default function Invite() {
  const me = useRemote(() => api.user.me());
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const [version, setVersion] = useState(0);
  return (
    <View className="page">
      <Text className="page-title">邀请工作人员</Text>
      {me.state.status === 'loading' ? <Loading /> : null}
      {me.state.status === 'error' ? (
        <ErrorNotice error={me.state.error} onRetry={me.reload} />
      ) : null}
      {me.state.status === 'ok' && created ? (
        <Created invitation={created} onAnother={() => setCreated(null)} />
      ) : null}
      {me.state.status === 'ok' && !created ? (
        <InviteForm
          me={me.state.data}
          onCreated={(i) => {
            setCreated(i);
            setVersion((v) => v + 1);
            // At once: the code is what the invitee scans next, not something to glide to.
            Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
          }}
        />
      ) : null}
      {me.state.status === 'ok' ? <Invitations version={version} /> : null}
      <Text
        id="go-staff-list"
        className="dir-link"
        onClick={() => {
          // Back to the list when it opened this page, so the stack does not grow.
          const pages = Taro.getCurrentPages();
          const previous = pages[pages.length - 2]?.route ?? '';
          if (previous.includes('pages-staff/staff')) Taro.navigateBack();
          else Taro.redirectTo({ url: '/pages-staff/staff/index' });
        }}
      >
        工作人员名单
      </Text>
    </View>
  );
}
