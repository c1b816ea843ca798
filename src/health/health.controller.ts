import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { LivenessDto, ReadinessDto } from './health.dto';
import { AmqpPublisher, BrokerState } from '../events/amqp-publisher';
import { DrainState } from '../server/drain-state';
import { RedisClient, RedisState } from '../throttling/redis-client';

export interface Readiness {
  status: 'ok' | 'degraded' | 'unavailable' | 'draining';
  database: 'up' | 'down';
  redis: RedisState;
  amqp: BrokerState;
}

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisClient,
    private readonly drain: DrainState,
    private readonly broker: AmqpPublisher,
  ) {}

  @Get()
  @ApiOkResponse({ type: LivenessDto, description: 'while the process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * The database is required: without it, 503. Redis only holds rate-limit counters, and
   * the service keeps serving without it (counting per instance); the broker only receives
   * events, which wait in PostgreSQL while it is down: either one down is `degraded`, still 200.
   */
  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadinessDto, description: 'ok, or degraded when Redis or the broker is down' })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'unavailable (the database does not answer) or draining (shutting down)' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const [database, redis] = await Promise.all([this.databaseState(), this.redis.state()]);
    const amqp = this.broker.state();
    const degraded = redis === 'down' || amqp === 'down';
    const status = this.drain.draining ? 'draining' : database === 'down' ? 'unavailable' : degraded ? 'degraded' : 'ok';
    if (status === 'draining' || status === 'unavailable') res.status(503);
    return { status, database, redis, amqp };
  }

  private async databaseState(): Promise<'up' | 'down'> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'up';
    } catch {
      return 'down';
    }
  }
}
