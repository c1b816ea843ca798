import { ApiProperty } from '@nestjs/swagger';
import type { Readiness } from './health.controller';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';
}

/** Served with 200 for ok and degraded, with 503 for unavailable and draining. */
export class ReadinessDto implements Readiness {
  @ApiProperty({ enum: ['ok', 'degraded', 'unavailable', 'draining'], example: 'ok' })
  status: Readiness['status'];

  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  database: Readiness['database'];

  @ApiProperty({ enum: ['up', 'down', 'not-configured'], example: 'up', description: 'rate-limit counters only: down is degraded, not unavailable' })
  redis: Readiness['redis'];

  @ApiProperty({ enum: ['up', 'down', 'not-configured'], example: 'up', description: 'events wait in PostgreSQL while it is down' })
  amqp: Readiness['amqp'];
}
