import { PlatformModule, databaseModule, type ServiceConfig } from '@cs/platform';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { UcsEnv } from './config/ucs-env';
import { ucsDatabaseOptions } from './database/database-options';
import { ProfilesModule } from './profiles/profiles.module';
import {
  DEFAULT_PROFILE_SCHEMA,
  PROFILE_SCHEMA,
  ProfileSchema,
  parseProfileSchema,
} from './schema/profile-schema';
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
        databaseModule(ucsDatabaseOptions(env.UCS_DATABASE_URL), env.UCS_MIGRATE_ON_START),
        ProfilesModule,
        ServiceEventsModule,
      ],
      providers: [{ provide: PROFILE_SCHEMA, useValue: schema }],
      exports: [PROFILE_SCHEMA],
    };
  }
}
