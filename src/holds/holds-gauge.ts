import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { repeat } from '../common/repeat';
import { holdsPending } from '../metrics/metrics';

const REFRESH_MS = 5_000;

/** Every asset, with its PENDING holds counted over the partial expiry index (0 when none). */
const PENDING_SQL = `
  SELECT a.code, (SELECT count(*) FROM holds h WHERE h.asset_id = a.id AND h.status = 'PENDING')::int AS pending
    FROM assets a`;

/** Keeps `wallet_holds_pending` current; scrapes read the last value and never wait on the database. */
@Injectable()
export class HoldsGauge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HoldsGauge');
  private stop: () => void = () => undefined;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.stop = repeat(REFRESH_MS, () => this.refresh(), (error) => this.logger.warn(`pending holds not counted: ${String(error)}`));
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  async refresh(): Promise<void> {
    const rows: Array<{ code: string; pending: number }> = await this.dataSource.query(PENDING_SQL);
    for (const row of rows) holdsPending.set({ asset: row.code }, row.pending);
  }
}
