import { Injectable } from '@nestjs/common';

/**
 * Whether this instance is shutting down. While it is, readiness answers 503 (so load
 * balancers stop sending work) and responses carry `Connection: close`.
 */
@Injectable()
export class DrainState {
  private drainingFlag = false;

  get draining(): boolean {
    return this.drainingFlag;
  }

  start(): void {
    this.drainingFlag = true;
  }
}
