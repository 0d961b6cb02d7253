import type { GmsOptions } from './gms-options';

/**
 * How long services live and when they auto-complete (spec §1.7, §1.8), as configured. The request
 * path asks this; the configuration issue (business attributes, `<int><unit>` periods) refines how
 * it answers without changing the questions.
 */
export class LifecyclePolicy {
  constructor(private readonly options: GmsOptions) {}

  /** The configuration-derived expiration instant of a service of `serviceType` written at `now`. */
  expiresAt(_serviceType: unknown, now: number): number {
    return now + this.options.expirationSeconds * 1000;
  }

  /**
   * The delay stored on a new service: its own `auto_complete_after`, else the configured default at
   * this moment (a later change of the option only affects services started afterwards), else null.
   */
  autoCompleteAfter(requested: number | undefined): number | null {
    return requested ?? null;
  }

  /** When the sweep may complete an active service last written at `updatedAt`; null when never. */
  autoCompleteAt(delaySeconds: number | null, updatedAt: number): number | null {
    return delaySeconds === null ? null : updatedAt + delaySeconds * 1000;
  }
}
