import { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError, type ApiError } from '../services/api';

export type Remote<T> =
  { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: ApiError };

/**
 * Loads something when the page opens, and again each time it is shown after that (coming back
 * from a page that changed it); `reload` for a retry button.
 */
export function useRemote<T>(load: () => Promise<T>, deps: readonly unknown[] = []) {
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const generation = useRef(0);
  const startedAt = useRef(Date.now());
  const run = useCallback(load, deps);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    startedAt.current = Date.now();
    setState((s) => (s.status === 'ok' ? s : { status: 'loading' }));
    run().then(
      (data) => mine === generation.current && setState({ status: 'ok', data }),
      (err: unknown) =>
        mine === generation.current && setState({ status: 'error', error: asApiError(err) }),
    );
  }, [run]);

  useEffect(reload, [reload]);
  // The first onShow comes with the first load; only a later one (a return) reloads.
  useDidShow(() => {
    if (Date.now() - startedAt.current > 1000) reload();
  });

  return { state, reload };
}
