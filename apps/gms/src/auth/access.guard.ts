import { Inject, Injectable } from '@nestjs/common';
import { AccessGuard, SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { ApiError } from '@cs/platform/core';
import { GMS_OPTIONS, type GmsOptions } from '../config/gms-options';

/**
 * `cview/enabled` and `cview/use-role` (spec §1.9, §1.11) for every route of the service API: the
 * platform's AccessGuard with the 503 of a disabled server before authentication, so that the order
 * is routing 404/405 → 415 → 503 (disabled) → 401 → 403 → tenant errors (§2.10).
 */
@Injectable()
export class GmsAccessGuard extends AccessGuard {
  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(GMS_OPTIONS) private readonly options: GmsOptions,
  ) {
    super(config, options);
  }

  protected override beforeAuthentication(): void {
    if (!this.options.enabled) {
      throw new ApiError(503, 'CONTEXT_SERVICES_DISABLED', 'Context Services is disabled on this server');
    }
  }
}
