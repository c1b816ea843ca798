import { Controller, Get, Header, OnModuleInit } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { registry } from './metrics';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const pool = (): PgPool | undefined => (this.dataSource.driver as unknown as { master?: PgPool }).master;
    if (registry.getSingleMetric('db_pool_connections') !== undefined) return;
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const p = pool();
        if (p === undefined) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
  }

  @Get()
  @Header('Content-Type', registry.contentType)
  scrape(): Promise<string> {
    return registry.metrics();
  }
}
