import { BusinessAttributes } from '../business-attributes/business-attributes';
import type { GmsOptions } from './gms-options';

/**
 * How long services live and when they auto-complete (spec §1.7, §1.8), as configured. The request
 * path asks this; the answers come from GMS_EXPIRATION, the service types' `expiration` in
 * GMS_BUSINESS_ATTRIBUTES and GMS_AUTO_COMPLETE_AFTER.
 */
export class LifecyclePolicy {
  private readonly attributes: BusinessAttributes;

  constructor(private readonly options: GmsOptions) {
    this.attributes = new BusinessAttributes(options.businessAttributes);
  }

  /**
   * The configuration-derived expiration instant of a service of `serviceType` written at `now`: the
   * period of the type's value (`settings/expiration`) when configured, else GMS_EXPIRATION.
   */
  expiresAt(serviceType: unknown, now: number): number {
    const seconds = this.attributes.serviceTypeExpiration(serviceType) ?? this.options.expirationSeconds;
    return now + seconds * 1000;
  }

  /**
   * The delay stored on a new service: its own `auto_complete_after`, else the configured default at
   * this moment (a later change of the option only affects services started afterwards), else null.
   * Whether the sweep acts at all is `autoCompleteEnabled` (spec §5 item 50).
   */
  autoCompleteAfter(requested: number | undefined): number | null {
    return requested ?? this.options.autoCompleteAfterSeconds;
  }

  /** When the sweep may complete an active service last written at `updatedAt`; null when never. */
  autoCompleteAt(delaySeconds: number | null, updatedAt: number): number | null {
    return delaySeconds === null ? null : updatedAt + delaySeconds * 1000;
  }
}
