import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { ApiError } from '../services/api';
import { usesDevLogin } from '../services/transport';
import { BigButton } from './Button';

/** "正在加载…" in the page's own place, so the layout does not jump. */
export function Loading({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className="notice notice--loading">
      <Text>{text}</Text>
    </View>
  );
}

/** A failed load: the message, a retry, and the way to sign in when that is the cause. */
export function ErrorNotice({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const needsLogin = error.code === 'UNAUTHENTICATED' && usesDevLogin;
  return (
    <View id="load-error" className="notice notice--error">
      <Text className="notice__text">{error.message}</Text>
      {needsLogin ? (
        <BigButton id="go-login" onClick={() => Taro.reLaunch({ url: '/pages/login/index' })}>
          去登录
        </BigButton>
      ) : onRetry ? (
        <BigButton id="retry" kind="secondary" onClick={onRetry}>
          重试
        </BigButton>
      ) : null}
    </View>
  );
}

/** A message under a form's submit button (errors that belong to no single field). */
export function FormMessage({ messages }: { messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <View id="form-error" className="form-error">
      {messages.map((m) => (
        <Text key={m} className="form-error__line">
          {m}
        </Text>
      ))}
    </View>
  );
}
