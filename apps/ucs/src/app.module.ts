import {
  ACCESS_CONTROL,
  AccessGuard,
  OutboxModule,
  PlatformModule,
  databaseModule,
  type ServiceConfig,
  Transactions,
} from '@cs/platform';
import { accessControlFrom, databaseDeadlineFrom } from '@cs/platform/core';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { UcsEnv } from './config/ucs-env';
import { ucsDatabaseOptions } from './database/database-options';
import { InteractionsModule } from './interactions/interactions.module';
import { MetadataIndexModule } from './metadata-index/metadata-index.module';
import { PUBLIC_URL_OPTIONS } from './metadata-index/public-url';
import { ProfilesModule } from './profiles/profiles.module';
import {
  DEFAULT_PROFILE_SCHEMA,
  PROFILE_SCHEMA,
  ProfileSchema,
  parseProfileSchema,
} from './schema/profile-schema';
import { ServerModeGuard } from './server-mode/server-mode.guard';
import { ServerModeModule } from './server-mode/server-mode.module';
import { ServiceEventsModule } from './service-events/service-events.module';

@Global()
@Module({})
export class UcsModule {
  static forRoot(env: UcsEnv, config: ServiceConfig): DynamicModule {
    const schema = new ProfileSchema(
      env.CS_PROFILE_SCHEMA ? parseProfileSchema(env.CS_PROFILE_SCHEMA) : DEFAULT_PROFILE_SCHEMA,
    );
    return {
      module: UcsModule,
      imports: [
        PlatformModule.forRoot(config),
        databaseModule(
          ucsDatabaseOptions(env.UCS_DATABASE_URL, databaseDeadlineFrom(env)),
          env.UCS_MIGRATE_ON_START,
        ),
        OutboxModule.forRoot({ queue: Transactions }),
        ProfilesModule,
        ServiceEventsModule,
        InteractionsModule,
        MetadataIndexModule,
        ServerModeModule.forRoot({
          initialMode: env.CS_INITIAL_MODE,
          switchTimeoutMs: env.CS_MODE_SWITCH_TIMEOUT_MS,
          allowSchemaWritesInProduction: env.CS_ALLOW_SCHEMA_WRITES_IN_PRODUCTION,
        }),
      ],
      providers: [
        { provide: PROFILE_SCHEMA, useValue: schema },
        Transactions,
        { provide: ACCESS_CONTROL, useValue: accessControlFrom(env.UCS_USE_ROLE, env.UCS_USERS) },
        // Root-module guards run in this order, before PlatformModule's TenantGuard: server mode 503
        // (spec §4: mode gating first), then 401/403 (`cview/use-role`), then tenant errors.
        { provide: APP_GUARD, useClass: ServerModeGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        {
          provide: PUBLIC_URL_OPTIONS,
          useValue: { basePath: env.CS_BASE_PATH, trustProxy: env.CS_TRUST_PROXY },
        },
      ],
      exports: [PROFILE_SCHEMA, Transactions, PUBLIC_URL_OPTIONS],
    };
  }
}
