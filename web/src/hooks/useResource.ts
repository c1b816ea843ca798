import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../context';
import type { ApiFailure } from '../lib/api';

export interface Resource<T> {
  data: T | null;
  failure: ApiFailure | null;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` on mount, whenever it changes, and on reload(). */
export function useResource<T>(path: string): Resource<T> {
  const { request } = useApp();
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<Omit<Resource<T>, 'reload'>>({ data: null, failure: null, loading: true });

  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    void request<T>(path).then((result) => {
      if (!current) return;
      setState(result.ok ? { data: result.data, failure: null, loading: false } : { data: null, failure: result, loading: false });
    });
    return () => {
      current = false;
    };
  }, [path, request, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}
