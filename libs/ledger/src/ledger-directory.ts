import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AssetNotFoundError } from './errors';
import { Asset, SystemCode } from './ledger.types';

type SystemShards = Record<SystemCode, string[]>;

/**
 * Assets and their system wallet shards, cached: both are only ever added, never changed or
 * removed, so a cache miss is the only reason to ask the database again.
 */
@Injectable()
export class LedgerDirectory {
  private readonly assetsByCode = new Map<string, Asset>();
  private readonly shardsByAsset = new Map<number, SystemShards>();
  /** Shard id → how many open transactions of this process hold it. */
  private readonly shardsTaken = new Map<string, number>();
  /** Shard id → how many shards its system wallet has. */
  private readonly shardCounts = new Map<string, number>();
  /** Shard id → its system wallet's code. */
  private readonly shardCodes = new Map<string, SystemCode>();

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

  /**
   * A shard of the asset's system wallet for one transaction: at random among those no other
   * transaction of this process holds, at random among all when every one is taken. Picked
   * blindly, 16 shards under 16 concurrent transactions meant most movements queued behind
   * another's COMMIT on the same row. Call `releaseSystemShard` when the transaction ends.
   */
  async takeSystemShard(asset: Asset, code: SystemCode): Promise<string> {
    let shards = this.shardsByAsset.get(asset.id);
    if (shards === undefined || shards[code].length === 0) {
      await this.reload();
      shards = this.shardsByAsset.get(asset.id);
    }
    const ids = shards?.[code] ?? [];
    if (ids.length === 0) throw new Error(`asset ${asset.code} has no ${code} wallet`);
    const start = Math.floor(Math.random() * ids.length);
    let id = ids[start];
    for (let i = 0; i < ids.length; i++) {
      const candidate = ids[(start + i) % ids.length];
      if (!this.shardsTaken.has(candidate)) {
        id = candidate;
        break;
      }
    }
    this.shardsTaken.set(id, (this.shardsTaken.get(id) ?? 0) + 1);
    return id;
  }

  /** The first shard's id: the id the API shows for the asset's system wallet. */
  async systemWalletId(asset: Asset, code: SystemCode): Promise<string> {
    if ((this.shardsByAsset.get(asset.id)?.[code].length ?? 0) === 0) await this.reload();
    const first = this.shardsByAsset.get(asset.id)?.[code][0];
    if (first === undefined) throw new Error(`asset ${asset.code} has no ${code} wallet`);
    return first;
  }

  releaseSystemShard(id: string): void {
    const holders = (this.shardsTaken.get(id) ?? 0) - 1;
    if (holders > 0) this.shardsTaken.set(id, holders);
    else this.shardsTaken.delete(id);
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
      this.shardsByAsset.set(asset.id, { TREASURY: [], REVENUE: [], HOLDING: [] });
    }
    for (const shard of shards) {
      this.shardsByAsset.get(shard.asset_id)?.[shard.system_code].push(String(shard.id));
      this.shardCodes.set(String(shard.id), shard.system_code);
    }
    for (const group of [...this.shardsByAsset.values()].flatMap((s) => Object.values(s))) {
      for (const id of group) this.shardCounts.set(id, group.length);
    }
  }

  /**
   * How many shards the system wallet of `shardId` has, as last loaded. The API shows a system
   * wallet as the sum of its shards, so each shard may hold only its share of the balance bound.
   */
  systemShardCount(shardId: string): number {
    // Every shard a movement can take was loaded; one created since by another instance counts alone.
    return this.shardCounts.get(shardId) ?? 1;
  }

  /**
   * Shard id → system code, covering every id of `shardIds` (system wallet shards, ids whose
   * owner is null): loaded again when one is missing, since shards are only ever added. Spares
   * history pages a join to `wallets` for every row.
   */
  async systemCodes(shardIds: string[]): Promise<ReadonlyMap<string, SystemCode>> {
    if (shardIds.some((id) => !this.shardCodes.has(id))) await this.reload();
    return this.shardCodes;
  }
}
