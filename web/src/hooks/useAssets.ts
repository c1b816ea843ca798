import { useEffect, useState } from 'react';
import type { ApiFailure, ApiRequest } from '../lib/api';
import type { Asset } from '../../../libs/contract/src';

export interface AssetsState {
  assets: Asset[] | null;
  failure: ApiFailure | null;
  retry: () => void;
}

/** The asset list (codes and scales) that every money display needs; loaded once per sign-in. */
export function useAssets(request: ApiRequest): AssetsState {
  const [assets, setAssets] = useState<Asset[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    void request<Asset[]>('/assets').then((result) => {
      if (!current) return;
      setAssets(result.ok ? result.data : null);
      setFailure(result.ok ? null : result);
    });
    return () => {
      current = false;
    };
  }, [request, attempt]);

  return { assets, failure, retry: () => setAttempt((n) => n + 1) };
}
