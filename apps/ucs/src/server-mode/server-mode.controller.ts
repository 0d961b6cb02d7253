import { EventSubjects, makeEvent } from '@cs/contracts';
import { ApiErrors, Outbox, SERVICE_CONFIG, Tenant, type ServiceConfig, Transactions } from '@cs/platform';
import { ApiError } from '@cs/platform/core';
import { Body, Controller, Get, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ServerModeClass } from './route-classes';
import { SERVER_MODES, type ServerMode } from './server-mode.options';
import { ServerModeState } from './server-mode.state';

class ModeBodyDoc {
  @ApiProperty({ enum: SERVER_MODES, description: 'Case-insensitive' })
  mode!: string;
}

class ModeChangedDoc {
  @ApiProperty({ name: 'server changed', enum: SERVER_MODES })
  'server changed'!: string;
}

class StatusDoc {
  @ApiProperty({ enum: SERVER_MODES })
  mode!: string;
}

/** `{"mode": "..."}`, case-insensitive (spec §4.18). */
function parseMode(body: unknown): ServerMode {
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new ApiError(400, 'MALFORMED_JSON', 'The body must be a JSON object');
  }
  const value = (body as Record<string, unknown> | undefined)?.mode;
  if (value === undefined || value === null) {
    throw new ApiError(400, 'MISSING_PARAMETER', "The body must name a 'mode'");
  }
  const mode = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (!SERVER_MODES.includes(mode as ServerMode)) {
    throw new ApiError(400, 'INVALID_PARAMETER', "'mode' must be 'production' or 'maintenance'");
  }
  return mode as ServerMode;
}

/** Server mode (spec §2.9, §4.18 M1, §4.19 M2). */
@ApiTags('server')
@ServerModeClass('control')
@Controller('server')
export class ServerModeController {
  constructor(
    private readonly state: ServerModeState,
    private readonly outbox: Outbox,
    private readonly transactions: Transactions,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post('mode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set server mode (CV.WS.MODE, M1)' })
  @ApiBody({ type: ModeBodyDoc })
  @ApiOkResponse({ type: ModeChangedDoc })
  @ApiErrors(400)
  async setMode(
    @Tenant() tenant: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, string>> {
    const mode = parseMode(body);
    if (await this.state.switchTo(mode)) await this.announce(tenant, mode);
    res.setHeader('Location', `${this.config.basePath}/server/status`);
    return { 'server changed': mode };
  }

  @Get('status')
  @ApiOperation({ summary: 'Get server status (M2)' })
  @ApiOkResponse({ type: StatusDoc })
  status(): { mode: ServerMode } {
    return { mode: this.state.current() };
  }

  /**
   * `cs.ucs.server.mode-changed`; the mode is global, the envelope carries the tenant that asked. The
   * mode lives in memory, so the outbox row is a transaction of its own.
   */
  private async announce(tenant: string, mode: ServerMode): Promise<void> {
    try {
      await this.transactions.run((m) =>
        this.outbox.add(m, {
          envelope: makeEvent(EventSubjects.ucsServerModeChanged, tenant, { mode }),
          aggregate: 'server-mode',
        }),
      );
    } catch (error) {
      this.config.logger.error({ err: error }, 'event not recorded');
    }
  }
}
