import { SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { GMS_OPTIONS, type GmsOptions } from '../config/gms-options';
import { AutoCompleteSweeper } from './auto-complete.sweeper';
import { ExpirationSweeper } from './expiration.sweeper';

/**
 * Runs the sweeps of spec §4.28 every GMS_SWEEP_INTERVAL_MS: expiration always, auto-complete when
 * GMS_AUTO_COMPLETE_ENABLED (spec §5 item 50). One run at a time (the next is scheduled when the
 * previous ends); the timer does not keep the process alive, and shutdown waits for a running sweep
 * so the database is never closed under it.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly expiration: ExpirationSweeper,
    private readonly autoComplete: AutoCompleteSweeper,
    @Inject(GMS_OPTIONS) private readonly options: GmsOptions,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass of every enabled sweep; errors are logged and the next pass tries again. */
  async runOnce(): Promise<void> {
    const now = Date.now();
    await this.guard('expiration', () => this.expiration.sweep(now));
    if (this.options.autoCompleteEnabled)
      await this.guard('auto-complete', () => this.autoComplete.sweep(now));
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.options.sweepIntervalMs);
    this.timer.unref();
  }

  private async guard(sweep: string, run: () => Promise<number>): Promise<void> {
    try {
      const count = await run();
      if (count > 0) this.config.logger.info({ sweep, count }, 'background sweep');
    } catch (error) {
      this.config.logger.error({ err: error, sweep }, 'background sweep failed');
    }
  }
}
