/**
 * 演示登录 — H5 on the local runtime only: pick a demo user (stands in for a WeChat identity).
 *
 * Element ids (for end-to-end tests):
 * - `login-<userId>`: one big button per demo user (nickname, role labels, description)
 * - `new-user`: 以新用户身份体验（模拟新的微信用户）
 * - `login-error`: the message when signing in failed; `load-error`, `retry` when the list failed
 * On success the token is kept (Taro storage key `hgz.token`) and the app reLaunches home, or
 * the in-app page given as `back` (a training sign-in link opened before signing in).
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { useRemote } from '@/hooks/useRemote';
import { asApiError } from '@/services/api';
import { devLogin, devUsers, usesDevLogin } from '@/services/transport';
import { BigButton } from '@/ui/Button';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { backPage } from './back';
import './index.css';

export default function Login() {
  const back = backPage(useRouter().params.back);
  const { state, reload } = useRemote(() => (usesDevLogin ? devUsers() : Promise.resolve([])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function signIn(who: { userId: string } | { newUser: true }) {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      await devLogin(who);
      Taro.reLaunch({ url: back });
    } catch (err) {
      setError(asApiError(err).message);
      setBusy(false);
    }
  }

  if (!usesDevLogin) {
    return (
      <View className="page">
        <Text className="notice__text">小程序使用您的微信身份，无需登录。</Text>
        <BigButton id="go-home" onClick={() => Taro.reLaunch({ url: '/pages/index/index' })}>
          返回首页
        </BigButton>
      </View>
    );
  }

  return (
    <View className="page login">
      <Text className="page-title">选择身份进入</Text>
      <Text className="login__lead muted">本地演示环境：选择一个演示用户，代替微信身份登录。</Text>
      {error ? (
        <Text id="login-error" className="form-error form-error__line">
          {error}
        </Text>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok'
        ? state.data.map((u) => (
            <View
              key={u.userId}
              id={`login-${u.userId}`}
              className="login__user card"
              hoverClass="login__user--pressed"
              onClick={() => signIn({ userId: u.userId })}
            >
              <Text className="login__nickname">{u.nickname}</Text>
              <Text className="login__roles">{u.roleLabels.join('、') || '无角色'}</Text>
              {u.description ? <Text className="login__desc muted">{u.description}</Text> : null}
            </View>
          ))
        : null}
      <BigButton
        id="new-user"
        kind="secondary"
        disabled={busy}
        onClick={() => signIn({ newUser: true })}
      >
        以新用户身份体验（模拟新的微信用户）
      </BigButton>
    </View>
  );
}
