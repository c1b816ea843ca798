import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../context';
import { withQuery, type ApiFailure } from '../lib/api';
import type { Page } from '../../../libs/contract/src';

interface PagedState<T> {
  items: T[];
  nextCursor: string | null;
  loading: boolean;
  failure: ApiFailure | null;
}

export interface PagedList<T> extends PagedState<T> {
  loadMore: () => void;
}

const PAGE_SIZE = 20;
const FIRST_PAGE = { items: [], nextCursor: null, loading: true, failure: null };

/** A cursor-paginated list that restarts from the first page whenever `path` changes. */
export function usePagedList<T>(path: string): PagedList<T> {
  const { request } = useApp();
  const [state, setState] = useState<PagedState<T>>(FIRST_PAGE);
  const currentPath = useRef(path);

  const load = useCallback(
    async (cursor: string | null) => {
      setState((s) => ({ ...s, loading: true, failure: null }));
      const result = await request<Page<T>>(withQuery(path, { limit: PAGE_SIZE, cursor }));
      if (currentPath.current !== path) return;
      if (!result.ok) {
        setState((s) => ({ ...s, loading: false, failure: result }));
        return;
      }
      const { items, nextCursor } = result.data;
      setState((s) => ({ items: cursor ? [...s.items, ...items] : items, nextCursor, loading: false, failure: null }));
    },
    [path, request],
  );

  useEffect(() => {
    currentPath.current = path;
    setState(FIRST_PAGE);
    void load(null);
  }, [load, path]);

  const { nextCursor, loading } = state;
  const loadMore = useCallback(() => {
    if (nextCursor && !loading) void load(nextCursor);
  }, [load, nextCursor, loading]);
  return { ...state, loadMore };
}
