import { databaseDeadlineFrom } from '@cs/platform/core';
import { OutboxModule, PlatformModule, Transactions, databaseModule, type ServiceConfig } from '@cs/platform';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GmsAccessGuard } from './auth/access.guard';
import { BusinessAttributesModule } from './business-attributes/business-attributes.module';
import type { GmsEnv } from './config/gms-env';
import { GMS_OPTIONS, gmsOptions } from './config/gms-options';
import { LifecyclePolicy } from './config/lifecycle-policy';
import { gmsDatabaseOptions } from './database/database-options';
import { BackgroundModule } from './background/background.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { ProfileEventsModule } from './profile-events/profile-events.module';
import { ServicesModule } from './services/services.module';
import { StatesModule } from './states/states.module';
import { TasksModule } from './tasks/tasks.module';

@Global()
@Module({})
export class GmsModule {
  static forRoot(env: GmsEnv, config: ServiceConfig): DynamicModule {
    const options = gmsOptions(env, config.logger);
    return {
      module: GmsModule,
      imports: [
        PlatformModule.forRoot(config),
        databaseModule(
          gmsDatabaseOptions(env.GMS_DATABASE_URL, databaseDeadlineFrom(env)),
          env.GMS_MIGRATE_ON_START,
        ),
        OutboxModule.forRoot({ queue: Transactions }),
        ServicesModule,
        MaintenanceModule,
        BackgroundModule,
        BusinessAttributesModule,
        StatesModule,
        TasksModule,
        ProfileEventsModule,
      ],
      providers: [
        { provide: GMS_OPTIONS, useValue: options },
        { provide: LifecyclePolicy, useFactory: () => new LifecyclePolicy(options) },
        // Root-module guards run before PlatformModule's TenantGuard: 503/401/403 before tenant errors.
        { provide: APP_GUARD, useClass: GmsAccessGuard },
        // The one write queue of the app (SQLite: transactions must not interleave).
        Transactions,
      ],
      exports: [GMS_OPTIONS, LifecyclePolicy, Transactions],
    };
  }
}
