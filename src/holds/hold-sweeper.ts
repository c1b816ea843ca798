import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HoldsService } from './holds.service';

/** At most this many holds released per sweep, so one sweep never runs for long. */
const HOLDS_PER_SWEEP_MAX = 500;

/**
 * Releases PENDING holds past their expiry (HOLD_RELEASE, status EXPIRED) every HOLD_SWEEP_MS.
 * It only catches up: whether a hold can still be captured is decided by its `expires_at`
 * against the capturing transaction's time, never by whether this has run. Each release
 * claims its hold FOR UPDATE SKIP LOCKED, so any number of instances sweep side by side.
 */
@Injectable()
export class HoldSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('HoldSweeper');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly holds: HoldsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.holdSweepMs > 0) this.timer = setInterval(() => this.tick(), this.config.holdSweepMs);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** A tick while the previous sweep still runs is skipped. */
  private tick(): void {
    if (this.busy) return;
    this.busy = true;
    this.sweeping = this.sweep().finally(() => {
      this.busy = false;
    });
  }

  /** Releases expired holds one transaction each, until none is left or the sweep's limit. */
  async sweep(): Promise<void> {
    try {
      for (let released = 0; released < HOLDS_PER_SWEEP_MAX && this.timer !== null; released++) {
        if (!(await this.holds.expireNext())) return;
      }
    } catch (error) {
      this.logger.error({ err: error }, 'releasing expired holds failed; the next sweep retries');
    }
  }
}
