import { createContext, useContext } from 'react';
import type { WalletClient } from '../../libs/client/src';
import type { ApiRequest } from './lib/api';
import { formatMinor } from './lib/money';
import type { Session } from './lib/session';
import type { Asset } from '../../libs/contract/src';

export interface AppContextValue {
  /** The typed client; `request` sends by path through the same client and answers ApiResults. */
  client: WalletClient;
  request: ApiRequest;
  session: Session;
  assets: Asset[];
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp must be used inside <AppContext.Provider>');
  return value;
}

export function scaleOf(assets: Asset[], code: string): number | undefined {
  return assets.find((asset) => asset.code === code)?.scale;
}

export function defaultAsset(assets: Asset[]): string {
  return assets.find((asset) => asset.code === 'USD')?.code ?? assets[0]?.code ?? '';
}

/** "12.34 USD": minor units formatted by the asset's scale, then the asset code. */
export function formatAmount(assets: Asset[], minor: number, code: string): string {
  return `${formatMinor(minor, scaleOf(assets, code) ?? 0)} ${code}`;
}
