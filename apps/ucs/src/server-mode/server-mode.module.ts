import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ServerModeController } from './server-mode.controller';
import { ServerModeGuard } from './server-mode.guard';
import { SERVER_MODE_OPTIONS, type ServerModeOptions } from './server-mode.options';
import { ServerModeState } from './server-mode.state';

/** Server mode and the one guard that gates every ucs route by it (spec §2.9). */
@Module({})
export class ServerModeModule {
  static forRoot(options: ServerModeOptions): DynamicModule {
    return {
      module: ServerModeModule,
      controllers: [ServerModeController],
      providers: [
        { provide: SERVER_MODE_OPTIONS, useValue: options },
        ServerModeState,
        { provide: APP_GUARD, useClass: ServerModeGuard },
      ],
      exports: [ServerModeState],
    };
  }
}
