import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AssetNotFoundError } from './errors';
import { Asset, SystemCode } from './ledger.types';

interface SystemShards {
  TREASURY: string[];
  REVENUE: string[];
}

/**
 * Assets and their system wallet shards, cached: both are only ever added, never changed or
 * removed, so a cache miss is the only reason to ask the database again.
 */
@Injectable()
export class LedgerDirectory {
  private readonly assetsByCode = new Map<string, Asset>();
  private readonly shardsByAsset = new Map<number, SystemShards>();

  constructor(private readonly dataSource: DataSource) {}

  async asset(code: string): Promise<Asset> {
    const cached = this.assetsByCode.get(code);
    if (cached !== undefined) return cached;
    await this.reload();
    const loaded = this.assetsByCode.get(code);
    if (loaded === undefined) throw new AssetNotFoundError(code);
    return loaded;
  }

  async assets(): Promise<Asset[]> {
    await this.reload();
    return [...this.assetsByCode.values()].sort((a, b) => a.id - b.id);
  }

  /** A shard of the asset's system wallet, picked at random so that load spreads evenly. */
  async systemShard(asset: Asset, code: SystemCode): Promise<string> {
    let shards = this.shardsByAsset.get(asset.id);
    if (shards === undefined || shards[code].length === 0) {
      await this.reload();
      shards = this.shardsByAsset.get(asset.id);
    }
    const ids = shards?.[code] ?? [];
    if (ids.length === 0) throw new Error(`asset ${asset.code} has no ${code} wallet`);
    return ids[Math.floor(Math.random() * ids.length)];
  }

  async reload(): Promise<void> {
    const assets: Array<{ id: number; code: string; name: string; scale: number }> = await this.dataSource.query(
      'SELECT id, code, name, scale FROM assets ORDER BY id',
    );
    const shards: Array<{ id: string; asset_id: number; system_code: SystemCode }> = await this.dataSource.query(
      `SELECT id, asset_id, system_code FROM wallets WHERE kind = 'SYSTEM' ORDER BY id`,
    );
    for (const asset of assets) {
      this.assetsByCode.set(asset.code, { id: asset.id, code: asset.code, name: asset.name, scale: asset.scale });
      this.shardsByAsset.set(asset.id, { TREASURY: [], REVENUE: [] });
    }
    for (const shard of shards) this.shardsByAsset.get(shard.asset_id)?.[shard.system_code].push(String(shard.id));
  }
}
