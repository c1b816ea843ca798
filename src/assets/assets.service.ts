import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, LedgerDirectory, sqlState } from '../../libs/ledger/src';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AssetDto, CreateAssetDto } from './dto/create-asset.dto';

@Injectable()
export class AssetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: LedgerDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(): Promise<AssetDto[]> {
    return (await this.directory.assets()).map(({ code, name, scale }) => ({ code, name, scale }));
  }

  async create(dto: CreateAssetDto): Promise<AssetDto> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const [asset] = await manager.query('INSERT INTO assets (code, name, scale) VALUES ($1, $2, $3) RETURNING id', [
          dto.code,
          dto.name,
          dto.scale,
        ]);
        await this.ensureSystemWallets(manager, asset.id);
      });
    } catch (error) {
      if (sqlState(error) === '23505') throw new DomainError('VALIDATION_FAILED', `Asset ${dto.code} already exists`, [{ field: 'code', message: 'already exists' }]);
      throw error;
    }
    return { code: dto.code, name: dto.name, scale: dto.scale };
  }

  /** Creates the asset's TREASURY, REVENUE and HOLDING shards up to SYSTEM_WALLET_SHARDS; never removes any. */
  async ensureSystemWallets(manager: EntityManager, assetId: number): Promise<void> {
    await manager.query(
      `INSERT INTO wallets (asset_id, kind, system_code, shard)
       SELECT $1, 'SYSTEM', code, shard
         FROM unnest(ARRAY['TREASURY', 'REVENUE', 'HOLDING']) AS code, generate_series(0, $2 - 1) AS shard
       ON CONFLICT DO NOTHING`,
      [assetId, this.config.systemWalletShards],
    );
  }
}
