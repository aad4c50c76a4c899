import Taro from '@tarojs/taro';

/** Brings the first field with an error into view (its wrapper is `#field-<key>`). */
export function scrollToFirstError(keysInPageOrder: readonly string[]) {
  const first = keysInPageOrder[0];
  if (!first) return;
  // After the errors render, so the page has its final height.
  setTimeout(() => {
    Taro.pageScrollTo({ selector: `#field-${first}`, duration: 200 }).catch(() => undefined);
  }, 50);
}
