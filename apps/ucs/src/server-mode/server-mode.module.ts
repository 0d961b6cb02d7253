import { SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { BODY_GATE } from '@cs/platform/core';
import { DynamicModule, Module } from '@nestjs/common';
import { serverModeBodyGate } from './server-mode.guard';
import { ServerModeController } from './server-mode.controller';
import { SERVER_MODE_OPTIONS, type ServerModeOptions } from './server-mode.options';
import { ServerModeState } from './server-mode.state';

/**
 * Server mode and the one guard that gates every ucs route by it (spec §2.9). The root module
 * registers the guard as an APP_GUARD, so it runs before the platform's TenantGuard: mode gating is
 * evaluated first (spec §4).
 */
@Module({})
export class ServerModeModule {
  static forRoot(options: ServerModeOptions): DynamicModule {
    return {
      module: ServerModeModule,
      controllers: [ServerModeController],
      providers: [
        { provide: SERVER_MODE_OPTIONS, useValue: options },
        ServerModeState,
        // The pipeline asks it before answering a body error, so 503 comes before 415/400 (spec §4).
        {
          provide: BODY_GATE,
          useFactory: (state: ServerModeState, config: ServiceConfig) =>
            serverModeBodyGate(state, config.basePath),
          inject: [ServerModeState, SERVICE_CONFIG],
        },
      ],
      exports: [ServerModeState],
    };
  }
}
