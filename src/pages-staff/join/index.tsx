/**
 * 领取邀请 — a signed-in WeChat user takes the staff role an invitation grants. Opened by the
 * invitation's QR code: in the mini-program WeChat passes the scanned `/join/<code>` link as `q`;
 * in a browser the server redirects `/join/<code>` here with `code`. A code can also be typed.
 * Route: /pages-staff/join/index?code=<code> (weapp also ?q=<URL-encoded scanned link>)
 *
 * Element ids (for end-to-end tests):
 * - `join-code` (the code, 4-4-4-4) or input `join-code-input` when none came with the link;
 *   `join-bad-link` when the link held no code
 * - input `join-nickname` (the name colleagues see), `join-submit`
 * - `join-done` with `join-role` ("街道/乡镇监管员 · 连岛街道"); `join-home`
 * - `join-error`: 已被使用 / 已过期 / 已被邀请人撤销 / 邀请码不正确 / …
 * - `join-login` / `go-login` (H5 without a session: sign in first)
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { normalizeInvitationCode } from '@/domain/invitation';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type Redeemed } from '@/services/api';
import { hasIdentity, usesDevLogin } from '@/services/transport';
import { BigButton } from '@/ui/Button';
import { Field, TextInput } from '@/ui/Field';
import { codeFromParams, displayCode, roleAndPlace } from '../invite/model';
import '../directory/directory.css';

function toLogin() {
  Taro.reLaunch({ url: '/pages/login/index' });
}

export default function Join() {
  const params = useRouter().params;
  const fromLink = codeFromParams(params);
  const badLink = !fromLink && Boolean(params.q || params.code);
  const signedIn = hasIdentity();
  const [typed, setTyped] = useState('');
  const [nickname, setNickname] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; login: boolean } | null>(null);
  const [done, setDone] = useState<Redeemed | null>(null);
  const me = useRemote(() => (signedIn ? api.user.me() : Promise.resolve(null)), [signedIn]);
  const shownName = nickname ?? (me.state.status === 'ok' ? (me.state.data?.nickname ?? '') : '');

  async function redeem() {
    if (busy) return;
    const code = fromLink ?? typed.trim();
    if (!normalizeInvitationCode(code)) {
      setError({ message: '请输入 16 位邀请码（如 7K3M-Q9XD-2HRV-WN5B）', login: false });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const name = shownName.trim();
      setDone(await api.user.redeem({ code, ...(name ? { nickname: name } : {}) }));
    } catch (e) {
      const err = asApiError(e);
      setError({
        message: err.fields?.nickname?.[0] ?? err.message,
        login: err.code === 'UNAUTHENTICATED' && usesDevLogin,
      });
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <View className="page">
        <Text className="page-title">领取邀请</Text>
        <View id="join-done" className="dir-done">
          <Text>✓ 您已成为</Text>
          <Text id="join-role" className="dir-big">
            {roleAndPlace(done.roleLabel, done.divisionName)}
          </Text>
        </View>
        <Text className="dir-hint">回到首页即可使用相应的功能。</Text>
        <BigButton id="join-home" onClick={() => Taro.reLaunch({ url: '/pages/index/index' })}>
          进入首页
        </BigButton>
      </View>
    );
  }

  return (
    <View className="page">
      <Text className="page-title">领取工作人员邀请</Text>
      {badLink ? (
        <Text id="join-bad-link" className="dir-error">
          这个链接里没有有效的邀请码，请核对后手动输入。
        </Text>
      ) : null}
      {fromLink ? (
        <View className="card">
          <Text className="dir-hint">邀请码</Text>
          <Text id="join-code" className="dir-code">
            {displayCode(fromLink)}
          </Text>
        </View>
      ) : (
        <Field name="join-code-input" label="邀请码">
          <TextInput
            id="join-code-input"
            value={typed}
            onChange={setTyped}
            placeholder="16 位，如 7K3M-Q9XD-2HRV-WN5B"
            maxlength={40}
          />
        </Field>
      )}
      {signedIn ? (
        <View>
          <Field name="join-nickname" label="您的姓名" hint="同事在工作人员名单中看到的名字">
            <TextInput
              id="join-nickname"
              value={shownName}
              onChange={setNickname}
              placeholder="如：张三"
              maxlength={20}
            />
          </Field>
          <BigButton id="join-submit" disabled={busy} onClick={redeem}>
            {busy ? '正在领取…' : '领取邀请'}
          </BigButton>
        </View>
      ) : (
        <View>
          <Text className="dir-hint">请先登录，再打开邀请链接领取。</Text>
          <BigButton id="join-login" onClick={toLogin}>
            去登录
          </BigButton>
        </View>
      )}
      {error ? (
        <View>
          <Text id="join-error" className="dir-error">
            {error.message}
          </Text>
          {error.login ? (
            <BigButton id="go-login" kind="secondary" onClick={toLogin}>
              去登录
            </BigButton>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
