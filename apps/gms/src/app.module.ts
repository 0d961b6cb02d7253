import { PlatformModule, databaseModule, type ServiceConfig } from '@cs/platform';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { GmsEnv } from './config/gms-env';
import { GMS_OPTIONS, gmsOptions } from './config/gms-options';
import { LifecyclePolicy } from './config/lifecycle-policy';
import { gmsDatabaseOptions } from './database/database-options';
import { ServicesModule } from './services/services.module';

@Global()
@Module({})
export class GmsModule {
  static forRoot(env: GmsEnv, config: ServiceConfig): DynamicModule {
    return {
      module: GmsModule,
      imports: [
        PlatformModule.forRoot(config),
        databaseModule(gmsDatabaseOptions(env.GMS_DATABASE_URL), env.GMS_MIGRATE_ON_START),
        ServicesModule,
      ],
      providers: [
        { provide: GMS_OPTIONS, useValue: gmsOptions(env) },
        { provide: LifecyclePolicy, useFactory: () => new LifecyclePolicy(gmsOptions(env)) },
      ],
      exports: [GMS_OPTIONS, LifecyclePolicy],
    };
  }
}
