import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api, Channel, OutputOf } from '../../shared/contract';
import type { AppError } from '../../shared/result';
import { call, onEvent } from './client';

export interface QueryState<T> {
  data: T | undefined;
  error: AppError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs a query channel and re-runs it when its input changes or when main announces that the
 * ledger changed (another window, a sync, a command). Stale answers are dropped.
 */
export function useQuery<K extends Channel>(channel: K, input: Parameters<Api[K]>[0] | null, opts: { refreshOn?: string[] } = {}): QueryState<OutputOf<K>> {
  const [state, setState] = useState<{ data: OutputOf<K> | undefined; error: AppError | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: input !== null,
  });
  const key = JSON.stringify(input);
  const seq = useRef(0);
  const run = useCallback(() => {
    if (input === null) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    void call(channel, input).then((r) => {
      if (mine !== seq.current) return;
      setState(r.ok ? { data: r.value as OutputOf<K>, error: null, loading: false } : { data: undefined, error: r.error, loading: false });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [channel, key]);
  useEffect(run, [run]);
  const refreshOn = opts.refreshOn;
  useEffect(() => {
    return onEvent('ledger.changed', ({ entities }) => {
      if (!refreshOn || entities.some((e) => refreshOn.includes(e))) run();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run, JSON.stringify(refreshOn)]);
  return { ...state, reload: run };
}
