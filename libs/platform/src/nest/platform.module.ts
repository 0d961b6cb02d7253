import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { MessagingModule } from './messaging/messaging.module';
import { MetricsService } from './metrics/metrics.service';
import { SERVICE_CONFIG, ServiceConfig } from './service-config';
import { TenantGuard } from './tenancy';

/** Everything a service gets from the platform: config, tenancy guard, messaging, health, metrics. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [MessagingModule],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: TenantGuard },
        Readiness,
        MetricsService,
      ],
      exports: [SERVICE_CONFIG, MessagingModule, Readiness, MetricsService],
    };
  }
}
